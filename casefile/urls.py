from django.contrib import admin
from django.urls import include, path

urlpatterns = [path("admin/", admin.site.urls), path("", include("web.urls")), path("", include("web.urls_documents"))]
urlpatterns.append(path("api/", include("web.api")))  # the JSON API, token sign-in (web/api.py)
