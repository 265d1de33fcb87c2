from __future__ import annotations

from django.urls import path

from cchc.surveys import views

# Mounted at /surveys/ by cchc.urls.
urlpatterns = [
    path("<int:pk>/", views.survey_results, name="survey-results"),
    path("<int:pk>/import/", views.survey_import, name="survey-import"),
    path("<int:pk>/template.csv", views.survey_template, name="survey-template"),
]
