from django.urls import path

from cchc.reports.outlines import views

app_name = "outlines"

urlpatterns = [
    path("", views.outline_index, name="index"),
    path("open/", views.outline_open, name="open"),
    path("<int:pk>/", views.outline_edit, name="edit"),
    path("<int:pk>/xlsx/", views.outline_xlsx, name="xlsx"),
    path("<int:pk>/import/", views.outline_import, name="import"),
    path("<int:pk>/submit/", views.outline_submit, name="submit"),
    path("<int:pk>/return/", views.outline_return, name="return"),
    path("<int:pk>/compile/", views.outline_compile, name="compile"),
    path("<int:pk>/generate/", views.outline_generate, name="generate"),
    path("files/<int:pk>/download/", views.outline_download, name="download"),
]
