"""Inspections, their findings per component, recommendations and remediation reports."""

from __future__ import annotations

from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cchc.plans import access, selectors, services
from cchc.plans.forms import FindingForm, InspectionForm, RecommendationForm, ReportForm
from cchc.plans.models import Component, Inspection, RemediationReport
from cchc.plans.views.common import file_response, form_errors_from, int_param, message_of
from cchc.units.permissions import acting_unit, can, get_unit_for, home_unit, visible_units


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    inspections = access.inspections_visible(user).order_by("-start_on", "-pk")
    year = int_param(request.GET.get("year"))
    if year:
        inspections = inspections.filter(year=year)
    page = Paginator(inspections.prefetch_related("targets__unit"), 30).get_page(
        request.GET.get("page")
    )
    home = home_unit(user)
    coverage_year = year or selectors.today().year
    organiser = None
    organiser_id = int_param(request.GET.get("organiser"))
    if organiser_id:
        organiser = get_unit_for(user, organiser_id, "view")
    elif home is not None and can(user, "administer", home):
        organiser = home
    coverage = selectors.coverage(organiser, coverage_year) if organiser else None
    return render(
        request,
        "plans/inspection_list.html",
        {
            "tab": "inspections",
            "page": page,
            "year": year,
            "coverage": coverage,
            "coverage_year": coverage_year,
            "organiser": organiser,
            "can_open": home is not None and can(user, "administer", home),
            "can_self": home is not None and can(user, "edit", home),
            "home": home,
        },
    )


@login_required
def inspection_create(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") or request.POST.get("kind") or Inspection.Kind.INSPECTION
    if kind not in Inspection.Kind.values:
        raise Http404("Không có loại kiểm tra này.")
    organiser = acting_unit(request.user)
    organiser_id = int_param(request.GET.get("organiser") or request.POST.get("organiser"))
    if organiser_id:
        organiser = get_unit_for(request.user, organiser_id, "view")
    if organiser is None or not access.can_open_inspection(request.user, organiser, kind):
        raise PermissionDenied(
            "Chỉ quản trị viên được mở đợt kiểm tra các đơn vị cấp dưới; công chức của đơn vị "
            "mở đợt tự kiểm tra của đơn vị mình."
        )
    today = selectors.today()
    initial = {"year": today.year, "start_on": today, "end_on": today}
    if kind == Inspection.Kind.SELF:
        initial["title"] = f"Tự kiểm tra công tác CCHC năm {today.year} tại {organiser.name}"
        initial["inspecting_body"] = f"Tổ kiểm tra CCHC của {organiser.name}"
    form = InspectionForm(request.POST or None, organiser=organiser, kind=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        targets = list(data.pop("targets", None) or [organiser])
        try:
            inspection = services.inspection_create(
                organiser=organiser, kind=kind, targets=targets, by=request.user, **data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, f"Đã tạo đợt kiểm tra: {inspection.title}.")
            return redirect("plans:inspection-detail", inspection.pk)
    return render(
        request,
        "plans/inspection_form.html",
        {"tab": "inspections", "form": form, "kind": kind, "organiser": organiser},
    )


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.inspection_for(request.user, pk, "view")
    units = access.inspection_units_visible(request.user, inspection)
    manage = access.can_manage_inspection(request.user, inspection)
    targets = inspection.targets.filter(unit_id__in=units).select_related("unit")
    findings = inspection.findings.filter(unit_id__in=units).select_related("unit", "component")
    rec_rows = selectors.recommendation_rows(inspection.recommendations.filter(unit_id__in=units))
    # Findings per unit, then per component, as the inspection notice prints them (seed 002).
    per_unit: OrderedDict = OrderedDict()
    for target in targets:
        per_unit[target.unit_id] = {"unit": target.unit, "components": OrderedDict(), "recs": []}
    for finding in findings:
        block = per_unit[finding.unit_id]["components"].setdefault(
            finding.component_id, {"component": finding.component, "result": [], "shortcoming": []}
        )
        block[finding.kind].append(finding)
    for row in rec_rows:
        per_unit[row.recommendation.unit_id]["recs"].append(row)
    for block in per_unit.values():
        block["components"] = sorted(
            block["components"].values(), key=lambda b: b["component"].order
        )
    return render(
        request,
        "plans/inspection_detail.html",
        {
            "tab": "inspections",
            "inspection": inspection,
            "per_unit": [b for b in per_unit.values() if b["components"] or b["recs"]],
            "empty_units": [
                b["unit"] for b in per_unit.values() if not (b["components"] or b["recs"])
            ],
            "target_units": [b["unit"] for b in per_unit.values()],
            "manage": manage,
            "finding_form": FindingForm(inspection=inspection) if manage else None,
            "recommendation_form": RecommendationForm(inspection=inspection) if manage else None,
            "history": selectors.object_history(inspection, 10),
        },
    )


@login_required
@require_POST
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.inspection_for(request.user, pk, "manage")
    form = FindingForm(request.POST, inspection=inspection)
    if form.is_valid():
        try:
            services.finding_add(inspection=inspection, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, message_of(error))
        else:
            messages.success(request, "Đã ghi kết quả kiểm tra.")
    else:
        messages.error(request, "Chưa đủ thông tin: chọn đơn vị, lĩnh vực và ghi nội dung.")
    return redirect(reverse("plans:inspection-detail", args=[inspection.pk]) + "#add-finding")


@login_required
@require_POST
def recommendation_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.inspection_for(request.user, pk, "manage")
    form = RecommendationForm(request.POST, inspection=inspection)
    if form.is_valid():
        try:
            services.recommendation_add(inspection=inspection, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, message_of(error))
        else:
            messages.success(request, "Đã ghi kiến nghị.")
    else:
        messages.error(request, "Chưa đủ thông tin: chọn đơn vị và ghi nội dung kiến nghị.")
    return redirect(reverse("plans:inspection-detail", args=[inspection.pk]) + "#add-rec")


@login_required
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = access.recommendation_for(request.user, pk, "view")
    can_report = can(request.user, "edit", recommendation.unit)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        access.recommendation_for(request.user, pk, "report")
        if form.is_valid():
            try:
                services.remediation_report_add(
                    recommendation=recommendation, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, "Đã gửi báo cáo khắc phục.")
                return redirect("plans:recommendation-detail", recommendation.pk)
    row = selectors.recommendation_rows(type(recommendation).objects.filter(pk=recommendation.pk))[
        0
    ]
    return render(
        request,
        "plans/recommendation_detail.html",
        {
            "tab": "remediation",
            "rec": recommendation,
            "row": row,
            "reports": recommendation.reports.select_related("submitted_by"),
            "form": form,
            "can_report": can_report,
            "can_close": access.can_manage_inspection(request.user, recommendation.inspection),
            "history": selectors.object_history(recommendation, 20),
        },
    )


@login_required
@require_POST
def recommendation_close(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = access.recommendation_for(request.user, pk, "close")
    try:
        services.recommendation_close(recommendation=recommendation, by=request.user)
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, "Đã xác nhận khắc phục xong.")
    return redirect("plans:recommendation-detail", recommendation.pk)


@login_required
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    report = RemediationReport.objects.filter(pk=pk).first()
    if report is None:
        raise Http404("Không tìm thấy báo cáo.")
    access.recommendation_for(request.user, report.recommendation_id, "view")
    return file_response(report.file)


@login_required
def remediation(request: HttpRequest) -> HttpResponse:
    """What is owed after inspections (and after evaluations), overdue first."""
    user = request.user
    show = request.GET.get("show", "open")
    queryset = selectors.recommendations_visible(user).order_by("due_on", "unit__path")
    rows = selectors.recommendation_rows(queryset)
    overdue = [r for r in rows if r.status == "overdue"]
    if show == "open":
        rows = [r for r in rows if r.status in ("open", "overdue")]
    duties, duties_available = selectors.remediation_duties(user)
    return render(
        request,
        "plans/remediation.html",
        {
            "tab": "remediation",
            "rows": rows,
            "overdue": overdue,
            "show": show,
            "duties": duties,
            "duties_available": duties_available,
            "components": Component.objects.all(),
            "visible_count": visible_units(user).count(),
        },
    )
