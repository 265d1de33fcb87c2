from __future__ import annotations

from django.urls import path

from cchc.frameworks import views

# Mounted at /frameworks/ by cchc.urls. No app_name: names are global and prefixed.
urlpatterns = [
    path("", views.framework_list, name="framework-list"),
    path("upload/", views.framework_upload, name="framework-upload"),
    path("<str:code>/", views.framework_detail, name="framework-detail"),
    path("<str:code>/export/", views.framework_export, name="framework-export"),
]
