"""Dossier pages, mounted at /dossiers/."""

from __future__ import annotations

from django.urls import path

from cchc.dossiers.views import calendar, catalogue, desk, imports, papers, statistics

app_name = "dossiers"

urlpatterns = [
    path("", desk.index, name="index"),
    # the procedure catalogue
    path("procedures/", catalogue.procedure_list, name="procedures"),
    path("procedures/new/", catalogue.procedure_create, name="procedure-new"),
    path("procedures/import/", catalogue.procedure_import, name="procedure-import"),
    path(
        "procedures/export.<str:fmt>",
        catalogue.procedure_export,
        name="procedure-export",
    ),
    path("procedures/<int:pk>/", catalogue.procedure_detail, name="procedure"),
    path("procedures/<int:pk>/edit/", catalogue.procedure_edit, name="procedure-edit"),
    # the working-day calendar
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar/swaps/", calendar.swap_add, name="swap-add"),
    path("calendar/swaps/<int:pk>/delete/", calendar.swap_delete, name="swap-delete"),
    # the desk of a unit
    path("units/<int:unit_pk>/", desk.desk, name="desk"),
    path("units/<int:unit_pk>/new/", desk.dossier_new, name="dossier-new"),
    path("units/<int:unit_pk>/due/", desk.due_preview, name="due-preview"),
    path("units/<int:unit_pk>/<int:pk>/", desk.dossier_detail, name="dossier"),
    path("units/<int:unit_pk>/<int:pk>/move/", desk.dossier_move, name="dossier-move"),
    path("units/<int:unit_pk>/<int:pk>/apology/", desk.dossier_apology, name="apology-new"),
    path("units/<int:unit_pk>/<int:pk>/receipt/", papers.receipt, name="receipt"),
    path(
        "units/<int:unit_pk>/<int:pk>/receipt.pdf",
        papers.receipt,
        {"fmt": "pdf"},
        name="receipt-pdf",
    ),
    path(
        "units/<int:unit_pk>/<int:pk>/apology/<int:event_pk>/",
        papers.apology,
        name="apology",
    ),
    path(
        "units/<int:unit_pk>/<int:pk>/apology/<int:event_pk>.pdf",
        papers.apology,
        {"fmt": "pdf"},
        name="apology-pdf",
    ),
    # bulk import and statistics
    path("import/", imports.dossier_import, name="import"),
    path("stats/", statistics.statistics, name="stats"),
    path("stats/charts/", statistics.statistics_charts, name="stats-charts"),
    path("stats/bieu-06.xlsx", statistics.statistics_xlsx, name="stats-xlsx"),
    path("stats/bieu-06.json", statistics.statistics_json, name="stats-json"),
]
