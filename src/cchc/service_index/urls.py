from django.urls import path

from cchc.service_index import views

app_name = "service_index"

urlpatterns = [
    path("", views.home, name="home"),
    path("units/<int:pk>/", views.unit_index, name="unit"),
    path("units/<int:pk>/trend.svg", views.unit_trend_svg, name="unit-trend"),
    path("units/<int:pk>/export.xlsx", views.unit_index_xlsx, name="unit-xlsx"),
    path("units/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("units/<int:pk>/ranking.xlsx", views.ranking_xlsx_view, name="ranking-xlsx"),
    path("units/<int:pk>/feedback/", views.feedback_list, name="feedback-list"),
    path("units/<int:pk>/feedback/new/", views.feedback_new, name="feedback-new"),
    path("units/<int:pk>/feedback/import/", views.feedback_import, name="feedback-import"),
    path(
        "units/<int:pk>/feedback/template.csv",
        views.feedback_template_csv,
        name="feedback-template",
    ),
    path("feedback/due/", views.feedback_due, name="feedback-due"),
    path("feedback/<int:pk>/", views.feedback_detail, name="feedback"),
    path("feedback/<int:pk>/<slug:action>/", views.feedback_action, name="feedback-action"),
]
