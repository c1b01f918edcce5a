from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from web.views import batches, cases, home, pages, review

urlpatterns = [
    path("", home.dashboard, name="dashboard"),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # clerks: upload and follow batches
    path("upload/", batches.upload, name="upload"),
    path("batches/", batches.batches, name="batches"),
    path("batches/create", batches.batch_create, name="batch_create"),
    path("batches/<int:batch_id>/", batches.batch_detail, name="batch"),
    path("batches/<int:batch_id>/progress", batches.batch_progress_partial, name="batch_progress"),
    path("batches/<int:batch_id>/files", batches.batch_add_file, name="batch_add_file"),
    path("batches/<int:batch_id>/photos", batches.batch_add_photos, name="batch_add_photos"),
    path("batches/<int:batch_id>/seal", batches.batch_seal, name="batch_seal"),
    path("pages/<int:page_id>/image", pages.page_image, name="page_image"),
    path("pages/<int:page_id>/rotate", pages.page_rotate, name="page_rotate"),
    path("files/<int:file_id>/original", pages.file_original, name="file_original"),
    path("favicon.ico", login_not_required(pages.favicon), name="favicon"),
    # reviewers: the queue and the review screen
    path("review/", review.queue, name="review_queue"),
    path("documents/<int:document_id>/", review.document, name="document"),
    path("documents/<int:document_id>/fields/<str:name>", review.save_field, name="save_field"),
    path("documents/<int:document_id>/confirm", review.confirm_document, name="confirm_document"),
    path("documents/<int:document_id>/type", review.change_type, name="change_type"),
    path("documents/<int:document_id>/split", review.split, name="split"),
    path("documents/<int:document_id>/merge", review.merge, name="merge"),
    path("documents/<int:document_id>/attach", review.attach, name="attach_document"),
    # cases
    path("cases/", cases.case_list, name="cases"),
    path("cases/export.xlsx", cases.export_cases, name="export_cases"),
    path("cases/<int:case_id>/", cases.case_file, name="case"),  # ids, not ID numbers: URLs end up in logs
    path("cases/<int:case_id>/print", cases.case_print, name="case_print"),
    path("cases/<int:case_id>/move", cases.move_stage, name="move_stage"),
    path("cases/<int:case_id>/verify", cases.record_verification, name="record_verification"),
    path("flags/<int:flag_id>/decide", cases.decide_flag, name="decide_flag"),
    # admins
    path("roster/", cases.roster_import, name="roster_import"),
]
