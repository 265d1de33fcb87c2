from django.urls import path

from cchc.plans.views import breakthrough, inspections, staffing
from cchc.plans.views import plans as v

app_name = "plans"

urlpatterns = [
    path("", v.index, name="index"),
    path("template.xlsx", v.plan_template, name="plan-template"),
    path("due/", v.due_list, name="due"),
    path("units/<int:unit_id>/new/", v.plan_create, name="plan-create"),
    path("units/<int:unit_id>/import/", v.plan_import, name="plan-import"),
    path("<int:pk>/", v.plan_detail, name="plan-detail"),
    path("<int:pk>/edit/", v.plan_edit, name="plan-edit"),
    path("<int:pk>/copy/", v.plan_copy, name="plan-copy"),
    path("<int:pk>/delete/", v.plan_delete, name="plan-delete"),
    path("<int:pk>/timeline/", v.plan_timeline, name="plan-timeline"),
    path("<int:pk>/items/new/", v.item_create, name="item-create"),
    path("items/<int:pk>/", v.item_detail, name="item-detail"),
    path("items/<int:pk>/status/", v.item_status, name="item-status"),
    path("items/<int:pk>/delete/", v.item_delete, name="item-delete"),
    path("items/<int:pk>/evidence/", v.evidence_add, name="evidence-add"),
    path("evidence/<int:pk>/", v.evidence_download, name="evidence-download"),
    # breakthrough work
    path("breakthrough/", breakthrough.call_list, name="call-list"),
    path("breakthrough/new/", breakthrough.call_create, name="call-create"),
    path("breakthrough/<int:pk>/", breakthrough.call_detail, name="call-detail"),
    path(
        "breakthrough/registrations/<int:pk>/",
        breakthrough.registration_detail,
        name="registration-detail",
    ),
    path(
        "breakthrough/registrations/<int:pk>/status/",
        breakthrough.registration_status,
        name="registration-status",
    ),
    # inspections
    path("inspections/", inspections.inspection_list, name="inspection-list"),
    path("inspections/new/", inspections.inspection_create, name="inspection-create"),
    path("inspections/<int:pk>/", inspections.inspection_detail, name="inspection-detail"),
    path("inspections/<int:pk>/findings/", inspections.finding_add, name="finding-add"),
    path(
        "inspections/<int:pk>/recommendations/",
        inspections.recommendation_add,
        name="recommendation-add",
    ),
    path(
        "recommendations/<int:pk>/",
        inspections.recommendation_detail,
        name="recommendation-detail",
    ),
    path(
        "recommendations/<int:pk>/close/",
        inspections.recommendation_close,
        name="recommendation-close",
    ),
    path("remediation-reports/<int:pk>/", inspections.report_download, name="report-download"),
    path("remediation/", inspections.remediation, name="remediation"),
    # civil-service figures
    path("staffing/", staffing.staffing_index, name="staffing-index"),
    path("staffing/template.xlsx", staffing.staff_template, name="staff-template"),
    path("staffing/units/<int:unit_id>/", staffing.staffing_unit, name="staffing-unit"),
    path("staffing/units/<int:unit_id>/<int:year>/", staffing.staffing_year, name="staffing-year"),
    path(
        "staffing/units/<int:unit_id>/<int:year>/members/new/",
        staffing.member_add,
        name="member-add",
    ),
    path(
        "staffing/units/<int:unit_id>/<int:year>/import/",
        staffing.staffing_import,
        name="staffing-import",
    ),
    path("staffing/members/<int:pk>/", staffing.member_edit, name="member-edit"),
    path("staffing/members/<int:pk>/delete/", staffing.member_delete, name="member-delete"),
]
