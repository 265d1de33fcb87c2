from __future__ import annotations

from django.urls import path

from cchc.evaluations.views import appraisal, cycles, public, results, scoring

# Mounted at /evaluations/ by cchc.urls. No app_name: the welcome page reverses
# "public-results" and every name here is prefixed already.
urlpatterns = [
    path("", cycles.cycle_list, name="cycle-list"),
    path("new/", cycles.cycle_create, name="cycle-create"),
    path("<int:pk>/", cycles.cycle_detail, name="cycle-detail"),
    path("<int:pk>/units/add/", cycles.cycle_unit_add, name="cycle-unit-add"),
    path("<int:pk>/to/<str:to_state>/", cycles.cycle_transition, name="cycle-transition"),
    path("<int:pk>/publish/", cycles.cycle_publish, name="cycle-publish"),
    path("<int:pk>/correct/", cycles.cycle_correct, name="cycle-correct"),
    path("<int:pk>/measures/", cycles.cycle_refresh_measures, name="cycle-refresh-measures"),
    path("<int:pk>/results/", results.cycle_results, name="cycle-results"),
    path("<int:pk>/results.xlsx", results.cycle_results_xlsx, name="cycle-results-xlsx"),
    path("<int:pk>/ranking.svg", results.cycle_ranking_chart, name="cycle-ranking-chart"),
    # One unit in a cycle (CycleUnit pk).
    path("units/<int:pk>/", scoring.self_assessment, name="self-assessment"),
    path("units/<int:pk>/evidence/", scoring.evidence_add, name="evidence-add"),
    path("units/<int:pk>/submit/", scoring.self_assessment_submit, name="self-assessment-submit"),
    path("units/<int:pk>/measures/", scoring.unit_refresh_measures, name="unit-refresh-measures"),
    path("units/<int:pk>/remove/", cycles.cycle_unit_remove, name="cycle-unit-remove"),
    path("units/<int:pk>/appraisal/", appraisal.appraisal, name="appraisal"),
    path("units/<int:pk>/appraisal/return/", appraisal.appraisal_return, name="appraisal-return"),
    path(
        "units/<int:pk>/appraisal/finalise/",
        appraisal.appraisal_finalise,
        name="appraisal-finalise",
    ),
    path("units/<int:pk>/appraisal/reopen/", appraisal.appraisal_reopen, name="appraisal-reopen"),
    path("units/<int:pk>/result/", results.unit_result, name="unit-result"),
    path("units/<int:pk>/chart/<str:kind>.svg", results.unit_chart, name="unit-chart"),
    path("units/<int:pk>/history/", results.unit_history, name="unit-history"),
    path("scores/<int:pk>/self/", scoring.score_self_save, name="score-self-save"),
    path("scores/<int:pk>/appraise/", appraisal.score_appraise_save, name="score-appraise-save"),
    path("evidence/<int:pk>/remove/", scoring.evidence_remove, name="evidence-remove"),
    path("evidence/<int:pk>/file/", scoring.evidence_file, name="evidence-file"),
    path("appraisal/", appraisal.appraisal_list, name="appraisal-list"),
    path("remediation/", results.remediation_list, name="remediation-list"),
    path("remediation/<int:pk>/submit/", results.remediation_submit, name="remediation-submit"),
    path("remediation/<int:pk>/accept/", results.remediation_accept, name="remediation-accept"),
    path("remediation/<int:pk>/plan/", results.remediation_plan, name="remediation-plan"),
    # Public (no login): published cycles only.
    path("public/", public.public_results, name="public-results"),
    path("public/<int:pk>/", public.public_cycle, name="public-cycle"),
    path("public/<int:pk>/results.xlsx", public.public_cycle_xlsx, name="public-cycle-xlsx"),
    path("public/<int:pk>/ranking.svg", public.public_ranking_chart, name="public-ranking-chart"),
    path("public/<int:pk>/framework.yaml", public.public_framework, name="public-framework"),
    path("public/<int:pk>/units/<int:unit_pk>/", public.public_unit, name="public-unit"),
    path(
        "public/<int:pk>/units/<int:unit_pk>/chart/<str:kind>.svg",
        public.public_unit_chart,
        name="public-unit-chart",
    ),
]
