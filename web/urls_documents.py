"""URLs of the document list (文件), saved views, bulk actions and the review screen's case panel
(web/views/documents.py); included by casefile/urls.py beside web/urls.py."""
from django.urls import path

from web.views import documents

urlpatterns = [
    path("documents/", documents.document_list, name="documents"),
    path("documents/bulk", documents.bulk, name="documents_bulk"),
    path("documents/views", documents.save_view, name="save_view"),
    path("documents/views/<int:view_id>/delete", documents.delete_view, name="delete_saved_view"),
    path("documents/<int:document_id>/case-panel", documents.case_panel, name="case_panel"),
    path("documents/<int:document_id>/link", documents.link_case, name="link_case"),
    path("documents/<int:document_id>/unlink", documents.unlink_case, name="unlink_case"),
]
