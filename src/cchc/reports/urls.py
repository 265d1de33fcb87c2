from django.urls import path

from cchc.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="index"),
    path("units/<int:unit_pk>/new/", views.report_new, name="new"),
    path("units/<int:unit_pk>/filing/", views.filing, name="filing"),
    path("units/<int:unit_pk>/batch/", views.batch, name="batch"),
    path("batches/<int:job_pk>/download/", views.batch_download, name="batch-download"),
    path("<int:pk>/", views.report_edit, name="edit"),
    path("<int:pk>/preview/", views.report_preview, name="preview"),
    path("<int:pk>/generate/", views.report_generate, name="generate"),
    path("<int:pk>/submit/", views.report_submit, name="submit"),
    path("<int:pk>/reopen/", views.report_reopen, name="reopen"),
    path("files/<int:pk>/download/", views.file_download, name="download"),
    path("deadlines/", views.deadlines_edit, name="deadlines"),
]
