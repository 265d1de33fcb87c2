"""The route walk (issue 12): every URL pattern and every API operation, against the fixed
cast of nine, each with its expected answer in ONE table (ROUTES below).

The rule the table states: cannot view the object -> 404; can view but not do the action
-> 403; anonymous -> sign in (L: a redirect to /login/ on pages, 401 on the API); the
permission check comes before the body is read, so a write with an empty body from a
person who may not write is 404/403, never 400/422. Django's admin is for superusers only
(AL: a redirect to the admin's login). "-" means not checked here (a write the person may
do: the empty body would change the shared world; those are tested by each app's own
tests).

A route without a row fails test_every_route_has_a_row: a new page or API call must say
who may use it.
"""

from __future__ import annotations

import os

import pytest

from tests.access_world import CAST, build_world
from tests.route_walk import (
    Clients,
    answer,
    api_routes,
    body_of,
    outcome,
    page_routes,
    url_of,
)

# Run apart and serially by scripts/run-tests: they walk every route over one shared world.
pytestmark = pytest.mark.walk

# Columns: anon ox o h px p dx d s  (see tests/access_world.py)
ROUTES: dict[tuple[str, str], str] = {
    ("home", "GET"): "200 200 200 200 200 200 200 200 200",
    ("home", "POST"): "200 200 - - 200 - 200 - -",
    ("login", "GET"): "200 200 200 200 200 200 200 200 200",
    ("login", "POST"): "200 200 - - 200 - 200 - -",
    ("logout", "GET"): "405 405 405 405 405 405 405 405 405",
    ("logout", "POST"): "302 302 - - 302 - 302 - -",
    ("password_change", "GET"): "L 200 200 200 200 200 200 200 200",
    ("password_change", "POST"): "L 200 - - 200 - 200 - -",
    ("password_change_done", "GET"): "L 200 200 200 200 200 200 200 200",
    ("password_change_done", "POST"): "L 405 - - 405 - 405 - -",
    ("account", "GET"): "L 200 200 200 200 200 200 200 200",
    ("account", "POST"): "L 200 - - 200 - 200 - -",
    ("token-create", "GET"): "L 405 405 405 405 405 405 405 405",
    ("token-create", "POST"): "L 302 - - 302 - 302 - -",
    ("token-revoke", "GET"): "L 405 405 405 405 405 405 405 405",
    ("token-revoke", "POST"): "L 404 - 404 404 404 404 404 -",
    ("job-detail", "GET"): "L 404 200 404 404 404 404 404 200",
    ("job-detail", "POST"): "L 404 - 404 404 404 404 404 -",
    ("unit-list", "GET"): "L 200 200 200 200 200 200 200 200",
    ("unit-list", "POST"): "L 200 - - 200 - 200 - -",
    ("unit-import", "GET"): "L 403 403 403 403 403 200 200 200",
    ("unit-import", "POST"): "L 403 403 403 403 403 - - -",
    ("unit-detail", "GET"): "L 404 200 200 404 200 404 200 200",
    ("unit-detail", "POST"): "L 404 - - 404 - 404 - -",
    ("people-list", "GET"): "L 403 403 403 403 403 200 200 200",
    ("people-list", "POST"): "L 403 403 403 403 403 - - -",
    ("person-create", "GET"): "L 403 403 403 403 403 200 200 200",
    ("person-create", "POST"): "L 403 403 403 403 403 - - -",
    ("person-edit", "GET"): "L 404 404 404 404 404 404 200 200",
    ("person-edit", "POST"): "L 404 404 404 404 404 404 - -",
    ("person-active", "GET"): "L 405 405 405 405 405 405 405 405",
    ("person-active", "POST"): "L 404 404 404 404 404 404 - -",
    ("person-assignment-add", "GET"): "L 405 405 405 405 405 405 405 405",
    ("person-assignment-add", "POST"): "L 404 404 404 404 404 404 - -",
    ("person-assignment-remove", "GET"): "L 405 405 405 405 405 405 405 405",
    ("person-assignment-remove", "POST"): "L 404 404 404 404 404 404 - -",
    ("login-locks", "GET"): "L 403 403 403 403 403 200 200 200",
    ("login-locks", "POST"): "L 403 403 403 403 403 - - -",
    ("admin:login", "GET"): "200 200 200 200 200 200 200 200 -",
    ("admin:logout", "GET"): "302 302 302 302 302 302 302 302 -",
    ("framework-list", "GET"): "L 200 200 200 200 200 200 200 200",
    ("framework-list", "POST"): "L 200 - - 200 - 200 - -",
    ("framework-upload", "GET"): "L 403 403 403 403 403 403 200 200",
    ("framework-upload", "POST"): "L 403 403 403 403 403 403 - -",
    ("framework-detail", "GET"): "L 200 200 200 200 200 200 200 200",
    ("framework-detail", "POST"): "L 200 - - 200 - 200 - -",
    ("framework-export", "GET"): "L 200 200 200 200 200 200 200 200",
    ("framework-export", "POST"): "L 200 - - 200 - 200 - -",
    ("cycle-list", "GET"): "L 200 200 200 200 200 200 200 200",
    ("cycle-list", "POST"): "L 200 - - 200 - 200 - -",
    ("cycle-create", "GET"): "L 403 403 403 403 403 200 200 200",
    ("cycle-create", "POST"): "L 403 403 403 403 403 - - -",
    ("cycle-detail", "GET"): "L 200 200 200 200 200 404 200 200",
    ("cycle-detail", "POST"): "L - - - - - 404 - -",
    ("cycle-correct", "GET"): "L 403 403 403 403 403 404 200 200",
    ("cycle-correct", "POST"): "L 403 403 403 403 403 404 - -",
    ("cycle-unit-add", "GET"): "L 405 405 405 405 405 405 405 405",
    ("cycle-unit-add", "POST"): "L 403 403 403 403 403 404 - -",
    ("cycle-transition", "GET"): "L 403 403 403 403 403 404 200 200",
    ("cycle-transition", "POST"): "L 403 403 403 403 403 404 - -",
    ("cycle-publish", "GET"): "L 403 403 403 403 403 404 200 200",
    ("cycle-publish", "POST"): "L 403 403 403 403 403 404 - -",
    ("cycle-refresh-measures", "GET"): "L 405 405 405 405 405 405 405 405",
    ("cycle-refresh-measures", "POST"): "L 403 403 403 403 403 404 - -",
    ("cycle-results", "GET"): "L 403 403 403 403 403 404 200 200",
    ("cycle-results", "POST"): "L - - - - - 404 - -",
    ("cycle-results-xlsx", "GET"): "L 403 403 403 403 403 404 200 200",
    ("cycle-results-xlsx", "POST"): "L - - - - - 404 - -",
    ("cycle-ranking-chart", "GET"): "L 403 403 403 403 403 404 200 200",
    ("cycle-ranking-chart", "POST"): "L - - - - - 404 - -",
    ("self-assessment", "GET"): "L 404 200 200 404 200 404 200 200",
    ("self-assessment", "POST"): "L 404 - - 404 - 404 - -",
    ("evidence-add", "GET"): "L 405 405 405 405 405 405 405 405",
    ("evidence-add", "POST"): "L 404 - - 404 403 404 - -",
    ("self-assessment-submit", "GET"): "L 404 403 200 404 403 404 200 200",
    ("self-assessment-submit", "POST"): "L 404 403 - 404 403 404 - -",
    ("unit-refresh-measures", "GET"): "L 405 405 405 405 405 405 405 405",
    ("unit-refresh-measures", "POST"): "L 404 - - 404 - 404 - -",
    ("cycle-unit-remove", "GET"): "L 405 405 405 405 405 405 405 405",
    ("cycle-unit-remove", "POST"): "L 404 403 403 404 403 404 - -",
    ("appraisal", "GET"): "L 404 403 403 404 200 404 200 200",
    ("appraisal", "POST"): "L 404 403 403 404 - 404 - -",
    ("appraisal-return", "GET"): "L 404 403 403 404 200 404 200 200",
    ("appraisal-return", "POST"): "L 404 403 403 404 - 404 - -",
    ("appraisal-finalise", "GET"): "L 404 403 403 404 200 404 200 200",
    ("appraisal-finalise", "POST"): "L 404 403 403 404 - 404 - -",
    ("appraisal-reopen", "GET"): "L 404 403 403 404 200 404 200 200",
    ("appraisal-reopen", "POST"): "L 404 403 403 404 - 404 - -",
    ("unit-result", "GET"): "L 404 200 200 404 200 404 200 200",
    ("unit-result", "POST"): "L 404 - - 404 - 404 - -",
    ("unit-chart", "GET"): "L 404 200 200 404 200 404 200 200",
    ("unit-chart", "POST"): "L 404 - - 404 - 404 - -",
    ("unit-history", "GET"): "L 404 200 200 404 200 404 200 200",
    ("unit-history", "POST"): "L 404 - - 404 - 404 - -",
    ("score-self-save", "GET"): "L 405 405 405 405 405 405 405 405",
    ("score-self-save", "POST"): "L 404 - - 404 403 404 - -",
    ("score-appraise-save", "GET"): "L 405 405 405 405 405 405 405 405",
    ("score-appraise-save", "POST"): "L 404 403 403 404 - 404 - -",
    ("evidence-remove", "GET"): "L 405 405 405 405 405 405 405 405",
    ("evidence-remove", "POST"): "L 404 - - 404 403 404 - -",
    ("evidence-file", "GET"): "L 404 200 200 404 200 404 200 200",
    ("evidence-file", "POST"): "L 404 - - 404 - 404 - -",
    ("appraisal-list", "GET"): "L 200 200 200 200 200 200 200 200",
    ("appraisal-list", "POST"): "L 200 - - 200 - 200 - -",
    ("remediation-list", "GET"): "L 200 200 200 200 200 200 200 200",
    ("remediation-list", "POST"): "L 200 - - 200 - 200 - -",
    ("remediation-submit", "GET"): "L 404 200 200 404 403 404 200 200",
    ("remediation-submit", "POST"): "L 404 - - 404 403 404 - -",
    ("remediation-accept", "GET"): "L 405 405 405 405 405 405 405 405",
    ("remediation-accept", "POST"): "L 404 403 403 404 403 404 - -",
    ("remediation-plan", "GET"): "L 404 404 404 404 404 404 404 404",
    ("remediation-plan", "POST"): "L 404 - - 404 - 404 - -",
    ("public-results", "GET"): "200 200 200 200 200 200 200 200 200",
    ("public-results", "POST"): "200 200 - - 200 - 200 - -",
    ("public-cycle", "GET"): "200 200 200 200 200 200 200 200 200",
    ("public-cycle", "POST"): "200 200 - - 200 - 200 - -",
    ("public-cycle-xlsx", "GET"): "200 200 200 200 200 200 200 200 200",
    ("public-cycle-xlsx", "POST"): "200 200 - - 200 - 200 - -",
    ("public-ranking-chart", "GET"): "200 200 200 200 200 200 200 200 200",
    ("public-ranking-chart", "POST"): "200 200 - - 200 - 200 - -",
    ("public-framework", "GET"): "200 200 200 200 200 200 200 200 200",
    ("public-framework", "POST"): "200 200 - - 200 - 200 - -",
    ("public-unit", "GET"): "200 200 200 200 200 200 200 200 200",
    ("public-unit", "POST"): "200 200 - - 200 - 200 - -",
    ("public-unit-chart", "GET"): "200 200 200 200 200 200 200 200 200",
    ("public-unit-chart", "POST"): "200 200 - - 200 - 200 - -",
    ("survey-results", "GET"): "L 200 200 200 200 200 404 200 200",
    ("survey-results", "POST"): "L - - - - - 404 - -",
    ("survey-import", "GET"): "L 403 403 403 403 403 404 200 200",
    ("survey-import", "POST"): "L 403 403 403 403 403 404 - -",
    ("survey-template", "GET"): "L 403 403 403 403 403 404 200 200",
    ("survey-template", "POST"): "L - - - - - 404 - -",
    ("dossiers:index", "GET"): "L 302 302 302 200 200 200 200 200",
    ("dossiers:index", "POST"): "L 302 - - 200 - 200 - -",
    ("dossiers:procedures", "GET"): "L 200 200 200 200 200 200 200 200",
    ("dossiers:procedures", "POST"): "L 200 - - 200 - 200 - -",
    ("dossiers:procedure-new", "GET"): "L 403 403 403 403 403 403 200 200",
    ("dossiers:procedure-new", "POST"): "L 403 403 403 403 403 403 - -",
    ("dossiers:procedure-import", "GET"): "L 403 403 403 403 403 403 200 200",
    ("dossiers:procedure-import", "POST"): "L 403 403 403 403 403 403 - -",
    ("dossiers:procedure-export", "GET"): "L 200 200 200 200 200 200 200 200",
    ("dossiers:procedure-export", "POST"): "L 200 - - 200 - 200 - -",
    ("dossiers:procedure", "GET"): "L 200 200 200 200 200 200 200 200",
    ("dossiers:procedure", "POST"): "L 200 - - 200 - 200 - -",
    ("dossiers:procedure-edit", "GET"): "L 403 403 403 403 403 403 200 200",
    ("dossiers:procedure-edit", "POST"): "L 403 403 403 403 403 403 - -",
    ("dossiers:calendar", "GET"): "L 200 200 200 200 200 200 200 200",
    ("dossiers:calendar", "POST"): "L 200 - - 200 - 200 - -",
    ("dossiers:swap-add", "GET"): "L 405 405 405 405 405 405 405 405",
    ("dossiers:swap-add", "POST"): "L 403 403 403 403 403 403 - -",
    ("dossiers:swap-delete", "GET"): "L 405 405 405 405 405 405 405 405",
    ("dossiers:swap-delete", "POST"): "L 403 403 403 403 403 403 - -",
    ("dossiers:desk", "GET"): "L 404 200 200 404 200 404 200 200",
    ("dossiers:desk", "POST"): "L 404 - - 404 - 404 - -",
    ("dossiers:dossier-new", "GET"): "L 404 200 200 404 403 404 200 200",
    ("dossiers:dossier-new", "POST"): "L 404 - - 404 403 404 - -",
    ("dossiers:due-preview", "GET"): "L 404 200 200 404 403 404 200 200",
    ("dossiers:due-preview", "POST"): "L 404 - - 404 403 404 - -",
    ("dossiers:dossier", "GET"): "L 404 200 200 404 200 404 200 200",
    ("dossiers:dossier", "POST"): "L 404 - - 404 - 404 - -",
    ("dossiers:dossier-move", "GET"): "L 405 405 405 405 405 405 405 405",
    ("dossiers:dossier-move", "POST"): "L 404 - - 404 403 404 - -",
    ("dossiers:apology-new", "GET"): "L 405 405 405 405 405 405 405 405",
    ("dossiers:apology-new", "POST"): "L 404 - - 404 403 404 - -",
    ("dossiers:receipt", "GET"): "L 404 200 200 404 200 404 200 200",
    ("dossiers:receipt", "POST"): "L 404 - - 404 - 404 - -",
    ("dossiers:receipt-pdf", "GET"): "L 404 200 200 404 200 404 200 200",
    ("dossiers:receipt-pdf", "POST"): "L 404 - - 404 - 404 - -",
    ("dossiers:apology", "GET"): "L 404 200 200 404 200 404 200 200",
    ("dossiers:apology", "POST"): "L 404 - - 404 - 404 - -",
    ("dossiers:apology-pdf", "GET"): "L 404 200 200 404 200 404 200 200",
    ("dossiers:apology-pdf", "POST"): "L 404 - - 404 - 404 - -",
    ("dossiers:import", "GET"): "L 200 200 200 403 403 200 200 200",
    ("dossiers:import", "POST"): "L - - - 403 403 - - -",
    ("dossiers:stats", "GET"): "L 200 200 200 200 200 200 200 200",
    ("dossiers:stats", "POST"): "L 200 - - 200 - 200 - -",
    ("dossiers:stats-charts", "GET"): "L 200 200 200 200 200 200 200 200",
    ("dossiers:stats-charts", "POST"): "L 200 - - 200 - 200 - -",
    ("dossiers:stats-xlsx", "GET"): "L 200 200 200 200 200 200 200 200",
    ("dossiers:stats-xlsx", "POST"): "L 200 - - 200 - 200 - -",
    ("dossiers:stats-json", "GET"): "L 200 200 200 200 200 200 200 200",
    ("dossiers:stats-json", "POST"): "L 200 - - 200 - 200 - -",
    ("plans:index", "GET"): "L 200 200 200 200 200 200 200 200",
    ("plans:index", "POST"): "L 200 - - 200 - 200 - -",
    ("plans:plan-template", "GET"): "L 200 200 200 200 200 200 200 200",
    ("plans:plan-template", "POST"): "L 200 - - 200 - 200 - -",
    ("plans:due", "GET"): "L 200 200 200 200 200 200 200 200",
    ("plans:due", "POST"): "L 200 - - 200 - 200 - -",
    ("plans:plan-create", "GET"): "L 404 200 200 404 403 404 200 200",
    ("plans:plan-create", "POST"): "L 404 - - 404 403 404 - -",
    ("plans:plan-import", "GET"): "L 404 200 200 404 403 404 200 200",
    ("plans:plan-import", "POST"): "L 404 - - 404 403 404 - -",
    ("plans:plan-detail", "GET"): "L 404 200 200 404 200 404 200 200",
    ("plans:plan-detail", "POST"): "L 404 - - 404 - 404 - -",
    ("plans:plan-edit", "GET"): "L 404 200 200 404 403 404 200 200",
    ("plans:plan-edit", "POST"): "L 404 - - 404 403 404 - -",
    ("plans:plan-copy", "GET"): "L 405 405 405 405 405 405 405 405",
    ("plans:plan-copy", "POST"): "L 404 - - 404 403 404 - -",
    ("plans:plan-delete", "GET"): "L 405 405 405 405 405 405 405 405",
    ("plans:plan-delete", "POST"): "L 404 - - 404 403 404 - -",
    ("plans:plan-timeline", "GET"): "L 404 200 200 404 200 404 200 200",
    ("plans:plan-timeline", "POST"): "L 404 - - 404 - 404 - -",
    ("plans:item-create", "GET"): "L 404 200 200 404 403 404 200 200",
    ("plans:item-create", "POST"): "L 404 - - 404 403 404 - -",
    ("plans:item-detail", "GET"): "L 404 200 200 404 200 404 200 200",
    ("plans:item-detail", "POST"): "L 404 - - 404 - 404 - -",
    ("plans:item-status", "GET"): "L 405 405 405 405 405 405 405 405",
    ("plans:item-status", "POST"): "L 404 - - 404 403 404 - -",
    ("plans:item-delete", "GET"): "L 405 405 405 405 405 405 405 405",
    ("plans:item-delete", "POST"): "L 404 - - 404 403 404 - -",
    ("plans:evidence-add", "GET"): "L 405 405 405 405 405 405 405 405",
    ("plans:evidence-add", "POST"): "L 404 - - 404 403 404 - -",
    ("plans:evidence-download", "GET"): "L 404 200 200 404 200 404 200 200",
    ("plans:evidence-download", "POST"): "L 404 - - 404 - 404 - -",
    ("plans:call-list", "GET"): "L 200 200 200 200 200 200 200 200",
    ("plans:call-list", "POST"): "L 200 - - 200 - 200 - -",
    ("plans:call-create", "GET"): "L 403 403 403 403 403 200 200 200",
    ("plans:call-create", "POST"): "L 403 403 403 403 403 - - -",
    ("plans:call-detail", "GET"): "L 200 200 200 200 200 200 200 200",
    ("plans:call-detail", "POST"): "L 200 - - 403 - 200 - -",
    ("plans:registration-detail", "GET"): "L 404 200 200 404 200 404 200 200",
    ("plans:registration-detail", "POST"): "L 404 - - 404 - 404 - -",
    ("plans:registration-status", "GET"): "L 405 405 405 405 405 405 405 405",
    ("plans:registration-status", "POST"): "L 404 - - 404 403 404 - -",
    ("plans:inspection-list", "GET"): "L 200 200 200 200 200 200 200 200",
    ("plans:inspection-list", "POST"): "L 200 - - 200 - 200 - -",
    ("plans:inspection-create", "GET"): "L 403 403 403 403 403 200 200 200",
    ("plans:inspection-create", "POST"): "L 403 403 403 403 403 - - -",
    ("plans:inspection-detail", "GET"): "L 404 200 200 404 200 404 200 200",
    ("plans:inspection-detail", "POST"): "L 404 - - 404 - 404 - -",
    ("plans:finding-add", "GET"): "L 405 405 405 405 405 405 405 405",
    ("plans:finding-add", "POST"): "L 404 403 403 404 403 404 - -",
    ("plans:recommendation-add", "GET"): "L 405 405 405 405 405 405 405 405",
    ("plans:recommendation-add", "POST"): "L 404 403 403 404 403 404 - -",
    ("plans:recommendation-detail", "GET"): "L 404 200 200 404 200 404 200 200",
    ("plans:recommendation-detail", "POST"): "L 404 - - 404 403 404 - -",
    ("plans:recommendation-close", "GET"): "L 405 405 405 405 405 405 405 405",
    ("plans:recommendation-close", "POST"): "L 404 403 403 404 403 404 - -",
    ("plans:report-download", "GET"): "L 404 200 200 404 200 404 200 200",
    ("plans:report-download", "POST"): "L 404 - - 404 - 404 - -",
    ("plans:remediation", "GET"): "L 200 200 200 200 200 200 200 200",
    ("plans:remediation", "POST"): "L 200 - - 200 - 200 - -",
    ("plans:staffing-index", "GET"): "L 200 200 200 200 200 200 200 200",
    ("plans:staffing-index", "POST"): "L 200 - - 200 - 200 - -",
    ("plans:staff-template", "GET"): "L 200 200 200 200 200 200 200 200",
    ("plans:staff-template", "POST"): "L 200 - - 200 - 200 - -",
    ("plans:staffing-unit", "GET"): "L 404 200 200 404 200 404 200 200",
    ("plans:staffing-unit", "POST"): "L 404 - - 404 403 404 - -",
    ("plans:staffing-year", "GET"): "L 404 200 200 404 200 404 200 200",
    ("plans:staffing-year", "POST"): "L 404 - - 404 403 404 - -",
    ("plans:member-add", "GET"): "L 404 200 200 404 403 404 200 200",
    ("plans:member-add", "POST"): "L 404 - - 404 403 404 - -",
    ("plans:staffing-import", "GET"): "L 404 200 200 404 403 404 200 200",
    ("plans:staffing-import", "POST"): "L 404 - - 404 403 404 - -",
    ("plans:member-edit", "GET"): "L 404 200 200 404 403 404 200 200",
    ("plans:member-edit", "POST"): "L 404 - - 404 403 404 - -",
    ("plans:member-delete", "GET"): "L 405 405 405 405 405 405 405 405",
    ("plans:member-delete", "POST"): "L 404 - - 404 403 404 - -",
    ("reports:index", "GET"): "L 200 200 200 200 200 200 200 200",
    ("reports:index", "POST"): "L 200 - - 200 - 200 - -",
    ("reports:new", "GET"): "L 404 200 200 404 403 404 200 200",
    ("reports:new", "POST"): "L 404 - - 404 403 404 - -",
    ("reports:filing", "GET"): "L 404 200 200 404 403 404 200 200",
    ("reports:filing", "POST"): "L 404 - - 404 403 404 - -",
    ("reports:batch", "GET"): "L 404 200 200 404 403 404 200 200",
    ("reports:batch", "POST"): "L 404 - - 404 403 404 - -",
    ("reports:batch-download", "GET"): "L 404 200 404 404 404 404 404 200",
    ("reports:batch-download", "POST"): "L 404 - 404 404 404 404 404 -",
    ("reports:edit", "GET"): "L 404 200 200 404 200 404 200 200",
    ("reports:edit", "POST"): "L 404 - - 404 403 404 - -",
    ("reports:preview", "GET"): "L 404 200 200 404 200 404 200 200",
    ("reports:preview", "POST"): "L 404 - - 404 - 404 - -",
    ("reports:generate", "GET"): "L 405 405 405 405 405 405 405 405",
    ("reports:generate", "POST"): "L 404 - - 404 403 404 - -",
    ("reports:submit", "GET"): "L 405 405 405 405 405 405 405 405",
    ("reports:submit", "POST"): "L 404 403 - 404 403 404 - -",
    ("reports:reopen", "GET"): "L 405 405 405 405 405 405 405 405",
    ("reports:reopen", "POST"): "L 404 403 - 404 403 404 - -",
    ("reports:download", "GET"): "L 404 200 200 404 200 404 200 200",
    ("reports:download", "POST"): "L 404 - - 404 - 404 - -",
    ("reports:deadlines", "GET"): "L 403 403 403 403 403 403 200 200",
    ("reports:deadlines", "POST"): "L 403 403 403 403 403 403 - -",
    ("service_index:home", "GET"): "L 302 302 302 302 302 200 200 200",
    ("service_index:home", "POST"): "L 302 - - 302 - 200 - -",
    ("service_index:unit", "GET"): "L 404 200 200 404 200 404 200 200",
    ("service_index:unit", "POST"): "L 404 - - 404 - 404 - -",
    ("service_index:unit-trend", "GET"): "L 404 200 200 404 200 404 200 200",
    ("service_index:unit-trend", "POST"): "L 404 - - 404 - 404 - -",
    ("service_index:unit-xlsx", "GET"): "L 404 200 200 404 200 404 200 200",
    ("service_index:unit-xlsx", "POST"): "L 404 - - 404 - 404 - -",
    ("service_index:ranking", "GET"): "L 404 200 200 404 200 404 200 200",
    ("service_index:ranking", "POST"): "L 404 - - 404 - 404 - -",
    ("service_index:ranking-xlsx", "GET"): "L 404 200 200 404 200 404 200 200",
    ("service_index:ranking-xlsx", "POST"): "L 404 - - 404 - 404 - -",
    ("service_index:feedback-list", "GET"): "L 404 200 200 404 200 404 200 200",
    ("service_index:feedback-list", "POST"): "L 404 - - 404 - 404 - -",
    ("service_index:feedback-new", "GET"): "L 404 200 200 404 403 404 200 200",
    ("service_index:feedback-new", "POST"): "L 404 - - 404 403 404 - -",
    ("service_index:feedback-import", "GET"): "L 404 200 200 404 403 404 200 200",
    ("service_index:feedback-import", "POST"): "L 404 - - 404 403 404 - -",
    ("service_index:feedback-template", "GET"): "L 404 200 200 404 403 404 200 200",
    ("service_index:feedback-template", "POST"): "L 404 - - 404 - 404 - -",
    ("service_index:feedback-due", "GET"): "L 200 200 200 200 200 200 200 200",
    ("service_index:feedback-due", "POST"): "L 200 - - 200 - 200 - -",
    ("service_index:feedback", "GET"): "L 404 200 200 404 200 404 200 200",
    ("service_index:feedback", "POST"): "L 404 - - 404 - 404 - -",
    ("service_index:feedback-action", "GET"): "L 405 405 405 405 405 405 405 405",
    ("service_index:feedback-action", "POST"): "L 404 - - 404 403 404 - -",
    ("/api/units/me", "GET"): "L 200 200 200 200 200 200 200 200",
    ("/api/units/", "GET"): "L 200 200 200 200 200 200 200 200",
    ("/api/units/{unit_id}", "GET"): "L 404 200 200 404 200 404 200 200",
    ("/api/frameworks/", "GET"): "L 200 200 200 200 200 200 200 200",
    ("/api/frameworks/", "POST"): "L 403 403 403 403 403 403 - -",
    ("/api/frameworks/{code}", "GET"): "L 200 200 200 200 200 200 200 200",
    ("/api/frameworks/{code}/export", "GET"): "L 200 200 200 200 200 200 200 200",
    ("/api/evaluations/cycles", "GET"): "L 200 200 200 200 200 200 200 200",
    ("/api/evaluations/cycles/{cycle_id}", "GET"): "L 200 200 200 200 200 404 200 200",
    ("/api/evaluations/cycles/{cycle_id}/units", "GET"): "L 200 200 200 200 200 404 200 200",
    ("/api/evaluations/cycles/{cycle_id}/transitions", "POST"): "L 403 403 403 403 403 404 - -",
    ("/api/evaluations/cycles/{cycle_id}/publish", "POST"): "L 403 403 403 403 403 404 - -",
    ("/api/evaluations/cycles/{cycle_id}/results", "GET"): "L 403 403 403 403 403 404 200 200",
    ("/api/evaluations/cycles/{cycle_id}/remediation", "GET"): "L 200 200 200 200 200 404 200 200",
    ("/api/evaluations/cycle-units/{cycle_unit_id}", "GET"): "L 404 200 200 404 200 404 200 200",
    (
        "/api/evaluations/cycle-units/{cycle_unit_id}/history",
        "GET",
    ): "L 404 200 200 404 200 404 200 200",
    ("/api/evaluations/scores/{score_id}/self", "PUT"): "L 404 - - 404 403 404 - -",
    ("/api/evaluations/scores/{score_id}/appraised", "PUT"): "L 404 403 403 404 - 404 - -",
    ("/api/evaluations/cycle-units/{cycle_unit_id}/evidence", "POST"): "L 404 - - 404 403 404 - -",
    ("/api/evaluations/evidence/{evidence_id}", "DELETE"): "L 404 - - 404 403 404 - -",
    ("/api/evaluations/cycle-units/{cycle_unit_id}/submit", "POST"): "L 404 403 - 404 403 404 - -",
    ("/api/evaluations/cycle-units/{cycle_unit_id}/return", "POST"): "L 404 403 403 404 - 404 - -",
    (
        "/api/evaluations/cycle-units/{cycle_unit_id}/finalise",
        "POST",
    ): "L 404 403 403 404 - 404 - -",
    ("/api/evaluations/public/cycles", "GET"): "200 200 200 200 200 200 200 200 200",
    (
        "/api/evaluations/public/cycles/{cycle_id}/results",
        "GET",
    ): "200 200 200 200 200 200 200 200 200",
    ("/api/surveys/cycles/{cycle_id}/results", "GET"): "L 200 200 200 200 200 404 200 200",
    ("/api/surveys/cycles/{cycle_id}/results", "POST"): "L 403 403 403 403 403 404 - -",
    ("/api/surveys/cycles/{cycle_id}/import", "POST"): "L 403 403 403 403 403 404 - -",
    ("/api/dossiers/procedures", "GET"): "L 200 200 200 200 200 200 200 200",
    ("/api/dossiers/procedures/{code}", "GET"): "L 200 200 200 200 200 200 200 200",
    ("/api/dossiers/units/{unit_id}/dossiers", "GET"): "L 404 200 200 404 200 404 200 200",
    ("/api/dossiers/units/{unit_id}/dossiers", "POST"): "L 404 - - 404 403 404 - -",
    (
        "/api/dossiers/units/{unit_id}/dossiers/{dossier_id}",
        "GET",
    ): "L 404 200 200 404 200 404 200 200",
    (
        "/api/dossiers/units/{unit_id}/dossiers/{dossier_id}/moves",
        "POST",
    ): "L 404 - - 404 403 404 - -",
    (
        "/api/dossiers/units/{unit_id}/dossiers/{dossier_id}/apologies",
        "POST",
    ): "L 404 - - 404 403 404 - -",
    ("/api/dossiers/stats", "GET"): "L 404 200 200 404 200 404 200 200",
    ("/api/dossiers/import", "POST"): "L - - - 403 403 - - -",
    ("/api/dossiers/jobs/{job_id}", "GET"): "L 404 200 404 404 404 404 404 200",
    ("/api/jobs/{job_id}", "GET"): "L 404 200 404 404 404 404 404 200",
    ("/api/plans/", "GET"): "L 200 200 200 200 200 200 200 200",
    ("/api/plans/{plan_id}", "GET"): "L 404 200 200 404 200 404 200 200",
    ("/api/plans/items/{item_id}/status", "PATCH"): "L 404 - - 404 403 404 - -",
    ("/api/plans/inspections/", "GET"): "L 200 200 200 200 200 200 200 200",
    ("/api/plans/inspections/{inspection_id}", "GET"): "L 404 200 200 404 200 404 200 200",
    ("/api/plans/recommendations/", "GET"): "L 200 200 200 200 200 200 200 200",
    ("/api/plans/recommendations/{recommendation_id}/reports", "POST"): "L 404 - - 404 403 404 - -",
    ("/api/plans/coverage/{unit_id}/{year}", "GET"): "L 404 200 200 404 200 404 200 200",
    ("/api/plans/staffing/{unit_id}/{year}", "GET"): "L 404 200 200 404 200 404 200 200",
    ("/api/reports/", "GET"): "L 404 200 200 404 200 404 200 200",
    ("/api/reports/", "POST"): "L 404 - - 404 403 404 - -",
    ("/api/reports/{report_id}", "GET"): "L 404 200 200 404 200 404 200 200",
    ("/api/reports/{report_id}", "PATCH"): "L 404 - - 404 403 404 - -",
    ("/api/reports/{report_id}/generate", "POST"): "L 404 - - 404 403 404 - -",
    ("/api/reports/{report_id}/submit", "POST"): "L 404 403 - 404 403 404 - -",
    ("/api/reports/files/{file_id}/download", "GET"): "L 404 200 200 404 200 404 200 200",
    ("/api/reports/filing/{unit_id}", "GET"): "L 404 200 200 404 403 404 200 200",
    # the staff of a unit may remind the units under it (Đồng Tâm has none: 0 sent), so an
    # empty body from them is a 422 naming the missing field
    ("/api/reports/filing/{unit_id}/remind", "POST"): "L 404 422 422 404 403 404 - -",
    # report outlines (đề cương) API: Đồng Tâm's quarterly report, as on the pages
    ("/api/outlines/", "GET"): "L 200 200 200 200 200 200 200 200",
    ("/api/outlines/units/{unit_id}/reports", "GET"): "L 404 200 200 404 200 404 200 200",
    ("/api/outlines/units/{unit_id}/reports", "POST"): "L 404 - - 404 403 404 - -",
    ("/api/outlines/reports/{outline_report_id}", "GET"): "L 404 200 200 404 200 404 200 200",
    ("/api/outlines/reports/{outline_report_id}", "PATCH"): "L 404 - - 404 403 404 - -",
    ("/api/outlines/reports/{outline_report_id}/submit", "POST"): "L 404 403 - 404 403 404 - -",
    ("/api/outlines/reports/{outline_report_id}/return", "POST"): "L 404 403 403 404 403 404 - -",
    ("/api/outlines/reports/{outline_report_id}/compile", "POST"): "L 404 - - 404 403 404 - -",
    ("/api/service-index/units/{unit_id}/index", "GET"): "L 404 200 200 404 200 404 200 200",
    ("/api/service-index/units/{unit_id}/trend", "GET"): "L 404 200 200 404 200 404 200 200",
    ("/api/service-index/units/{unit_id}/ranking", "GET"): "L 404 200 200 404 200 404 200 200",
    ("/api/service-index/units/{unit_id}/publication", "GET"): "L 404 200 200 404 200 404 200 200",
    ("/api/service-index/units/{unit_id}/feedback", "GET"): "L 404 200 200 404 200 404 200 200",
    ("/api/service-index/units/{unit_id}/feedback", "POST"): "L 404 - - 404 403 404 - -",
    ("/api/service-index/units/{unit_id}/feedback/import", "POST"): "L 404 - - 404 403 404 - -",
    ("/api/service-index/feedback/due", "GET"): "L 200 200 200 200 200 200 200 200",
    ("/api/service-index/feedback/{feedback_id}", "GET"): "L 404 200 200 404 200 404 200 200",
    ("/api/service-index/feedback/{feedback_id}/assign", "POST"): "L 404 - - 404 403 404 - -",
    ("/api/service-index/feedback/{feedback_id}/answer", "POST"): "L 404 - - 404 403 404 - -",
    ("/api/service-index/feedback/{feedback_id}/publish", "POST"): "L 404 - - 404 403 404 - -",
    ("/api/service-index/feedback/{feedback_id}/refuse", "POST"): "L 404 - - 404 403 404 - -",
    ("/api/service-index/feedback/{feedback_id}/supplement", "POST"): "L 404 - - 404 403 404 - -",
    ("/api/service-index/feedback/{feedback_id}/satisfaction", "POST"): "L 404 - - 404 403 404 - -",
    # report outlines (đề cương): Đồng Tâm's quarterly report; the district/province returns
    ("outlines:index", "GET"): "L 200 200 200 200 200 200 200 200",
    ("outlines:index", "POST"): "L 200 - - 200 - 200 - -",
    ("outlines:open", "GET"): "L 405 405 405 405 405 405 405 405",
    ("outlines:open", "POST"): "L 404 - - 404 - 404 - -",
    ("outlines:edit", "GET"): "L 404 200 200 404 200 404 200 200",
    ("outlines:edit", "POST"): "L 404 - - 404 403 404 - -",
    ("outlines:xlsx", "GET"): "L 404 200 200 404 200 404 200 200",
    ("outlines:xlsx", "POST"): "L 404 - - 404 - 404 - -",
    ("outlines:import", "GET"): "L 405 405 405 405 405 405 405 405",
    ("outlines:import", "POST"): "L 404 - - 404 403 404 - -",
    ("outlines:submit", "GET"): "L 405 405 405 405 405 405 405 405",
    ("outlines:submit", "POST"): "L 404 403 - 404 403 404 - -",
    ("outlines:return", "GET"): "L 405 405 405 405 405 405 405 405",
    ("outlines:return", "POST"): "L 404 403 403 404 403 404 - -",
    ("outlines:compile", "GET"): "L 405 405 405 405 405 405 405 405",
    ("outlines:compile", "POST"): "L 404 - - 404 403 404 - -",
    ("outlines:generate", "GET"): "L 405 405 405 405 405 405 405 405",
    ("outlines:generate", "POST"): "L 404 - - 404 - 404 - -",
    ("outlines:download", "GET"): "L 404 404 404 404 404 404 404 404",
    ("outlines:download", "POST"): "L 404 - - 404 - 404 - -",
}


ADMIN_RULE = "AL AL AL AL AL AL AL AL -"


def test_every_route_has_a_row():
    missing = []
    for route in page_routes():
        if route.key.startswith("admin:") or route.template.startswith("/api/"):
            continue
        if not any(key == route.key for key, _ in ROUTES):
            missing.append(f"{route.key}  {route.template}")
    for route in api_routes():
        if (route.key, route.method) not in ROUTES:
            missing.append(f"{route.method} {route.key}")
    assert not missing, "routes without a row in ROUTES:\n" + "\n".join(missing)


@pytest.mark.django_db
def test_route_walk(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world(cast)
    clients = Clients(world)
    record = os.environ.get("ROUTE_WALK_RECORD")
    pages = [r for r in page_routes() if not r.template.startswith("/api/")]
    rows = []
    for route in pages:
        methods = sorted({m for key, m in ROUTES if key == route.key}) or ["GET", "POST"]
        if route.key.startswith("admin:"):
            methods = ["GET"]
        for method in methods:
            rows.append((route, method, False))
    rows += [(route, route.method, True) for route in api_routes()]
    wrong = []
    table = []
    for route, method, api in rows:
        if route.key.startswith("admin:"):
            expected = ROUTES.get((route.key, method), ADMIN_RULE).split()
        else:
            expected = ROUTES.get((route.key, method), "").split()
        if record and not expected:
            writes = method != "GET"
            expected = ["?" if writes and c in {"o", "h", "p", "d", "s"} else "*" for c in CAST]
        if not expected:
            continue
        url = url_of(world, route)
        body = body_of(world, route, method)
        got = []
        for code, want in zip(CAST, expected, strict=True):
            if want in {"-", "?"}:
                got.append(want)
                continue
            response = answer(clients[code], method, url, api, world.people[code], body)
            seen = outcome(response, api)
            got.append(seen)
            if want != "*" and seen != want:
                wrong.append(f"{method} {url} ({route.key}) as {code}: expected {want}, got {seen}")
        table.append(f'    ("{route.key}", "{method}"): "{" ".join(got)}",')
    if record:
        with open(record, "w", encoding="utf-8") as out:
            out.write("\n".join(table) + "\n")
    assert not wrong, f"{len(wrong)} answers differ from the table:\n" + "\n".join(wrong)


def test_a_route_takes_its_own_kind_of_object():
    """The walk fills each route's <pk> with an object of the route's own kind: a plan
    item's evidence upload once got an evaluation's unit id (the same number as an item's
    on SQLite by chance, another object on PostgreSQL, so the cell differed)."""
    from types import SimpleNamespace

    from tests.access_world import World
    from tests.route_walk import _value

    class Kinds(dict):
        def __missing__(self, kind):
            return kind

    world = World(cast=SimpleNamespace(), people={}, gia_loc=None, ids=Kinds())
    assert _value(world, "plans:evidence-add", "pk") == "item"
    assert _value(world, "plans:evidence-download", "pk") == "plan_evidence"
    assert _value(world, "evidence-add", "pk") == "cycle_unit"
    assert _value(world, "evidence-remove", "pk") == "evidence"


def test_the_ten_routes_the_issue_named_are_walked_for_the_wrong_person():
    """Issue 12, finding 5: ten routes appeared in no wrong-person test. Each has rows here,
    and the wrong people (another commune's officer, another district's administrator)
    are checked on each method, not skipped."""
    ten = [
        "plans:plan-edit",
        "plans:plan-delete",
        "plans:item-delete",
        "plans:recommendation-add",
        "plans:member-delete",
        "remediation-plan",
        "public-ranking-chart",
        "account",
        "token-create",
        "token-revoke",
    ]
    keys = {route.key for route in page_routes()}
    for key in ten:
        assert key in keys, key
        for method in ("GET", "POST"):
            cells = dict(zip(CAST, ROUTES[(key, method)].split(), strict=True))
            assert cells["ox"] != "-" and cells["dx"] != "-", (key, method)
