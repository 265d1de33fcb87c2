"""Civil-service figures of a unit: staffing per year, qualifications, training, ratings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cchc.core.jobs import start_upload
from cchc.plans import access, selectors, services, tasks, workbooks
from cchc.plans.forms import (
    MemberForm,
    StaffImportForm,
    StaffingForm,
    StaffingYearForm,
)
from cchc.plans.models import StaffingYear
from cchc.plans.views.common import form_errors_from, xlsx_response
from cchc.units.permissions import can, get_unit_for, home_unit, visible_units


@login_required
def staffing_index(request: HttpRequest) -> HttpResponse:
    user = request.user
    years = (
        StaffingYear.objects.filter(unit__in=visible_units(user))
        .select_related("unit")
        .order_by("unit__path", "-year")[:300]
    )
    return render(
        request,
        "plans/staffing_index.html",
        {"tab": "staffing", "years": years, "home": home_unit(user)},
    )


@login_required
def staffing_unit(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_unit_for(request.user, unit_id, "view")
    can_edit = can(request.user, "edit", unit)
    form = StaffingYearForm(request.POST or None)
    if request.method == "POST":
        get_unit_for(request.user, unit_id, "edit")
        if form.is_valid():
            year = form.cleaned_data["year"]
            StaffingYear.objects.get_or_create(unit=unit, year=year)
            return redirect("plans:staffing-year", unit.pk, year)
    years = [
        (s, selectors.staffing_summary(s))
        for s in StaffingYear.objects.filter(unit=unit).order_by("-year")
    ]
    return render(
        request,
        "plans/staffing_unit.html",
        {"tab": "staffing", "unit": unit, "years": years, "form": form, "can_edit": can_edit},
    )


@login_required
def staffing_year(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    unit = get_unit_for(request.user, unit_id, "view")
    can_edit = can(request.user, "edit", unit)
    staffing = StaffingYear.objects.filter(unit=unit, year=year).first()
    if staffing is None:
        staffing = StaffingYear(unit=unit, year=year)
    form = StaffingForm(
        request.POST or None,
        initial={
            "positions_allotted": staffing.positions_allotted,
            "positions_filled": staffing.positions_filled,
            "note": staffing.note,
        },
    )
    if request.method == "POST":
        get_unit_for(request.user, unit_id, "edit")
        if form.is_valid():
            try:
                services.staffing_save(unit=unit, year=year, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, "Đã lưu số liệu biên chế.")
                return redirect("plans:staffing-year", unit.pk, year)
    summary = selectors.staffing_summary(staffing) if staffing.pk else None
    if summary and request.GET.get("format") == "xlsx":
        return xlsx_response(
            workbooks.staff_export(summary), f"can-bo-cong-chuc-{year}-{unit.code}.xlsx"
        )
    return render(
        request,
        "plans/staffing_year.html",
        {
            "tab": "staffing",
            "unit": unit,
            "year": year,
            "staffing": staffing,
            "summary": summary,
            "form": form,
            "member_form": MemberForm(),
            "can_edit": can_edit,
            "history": (selectors.object_history(staffing, 10) if staffing.pk else []),
        },
    )


@login_required
def member_add(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    unit = get_unit_for(request.user, unit_id, "edit")
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        staffing, _ = StaffingYear.objects.get_or_create(unit=unit, year=year)
        services.staff_member_save(staffing=staffing, by=request.user, **form.cleaned_data)
        messages.success(request, f"Đã thêm {form.cleaned_data['full_name']}.")
        return redirect(reverse("plans:staffing-year", args=[unit.pk, year]) + "#members")
    return render(
        request,
        "plans/member_form.html",
        {"tab": "staffing", "unit": unit, "year": year, "form": form, "member": None},
    )


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.member_for(request.user, pk, "edit")
    staffing = member.staffing
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        fresh = type(member).objects.get(pk=member.pk)
        services.staff_member_save(
            staffing=staffing, member=fresh, by=request.user, **form.cleaned_data
        )
        messages.success(request, "Đã lưu.")
        return redirect(
            reverse("plans:staffing-year", args=[staffing.unit_id, staffing.year]) + "#members"
        )
    return render(
        request,
        "plans/member_form.html",
        {
            "tab": "staffing",
            "unit": staffing.unit,
            "year": staffing.year,
            "form": form,
            "member": member,
            "history": selectors.object_history(member, 20),
        },
    )


@login_required
@require_POST
def member_delete(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.member_for(request.user, pk, "edit")
    staffing = member.staffing
    services.staff_member_delete(member=member, by=request.user)
    messages.success(request, f"Đã xóa {member.full_name} khỏi danh sách năm {staffing.year}.")
    return redirect(
        reverse("plans:staffing-year", args=[staffing.unit_id, staffing.year]) + "#members"
    )


@login_required
def staffing_import(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    unit = get_unit_for(request.user, unit_id, "edit")
    form = StaffImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = start_upload(
            kind=tasks.STAFFING_JOB_KIND,
            title=f"Nhập danh sách cán bộ, công chức năm {year} từ tệp {upload.name}",
            by=request.user,
            task=tasks.import_staffing_task,
            upload=upload,
            filename=upload.name,
            params={"unit_id": unit.pk, "year": year},
        )
        return redirect("job-detail", job.pk)
    return render(
        request,
        "plans/staffing_import.html",
        {
            "tab": "staffing",
            "unit": unit,
            "year": year,
            "form": form,
            "columns": workbooks.STAFF_HELP,
        },
    )


@login_required
def staff_template(request: HttpRequest) -> HttpResponse:
    return xlsx_response(workbooks.staff_template(), "mau-danh-sach-can-bo-cong-chuc.xlsx")
