from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cchc.core.tabular import TableErrors
from cchc.units import services
from cchc.units.permissions import can, get_unit_for, is_administrator, visible_units


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    units = visible_units(request.user).select_related("parent").order_by("path")
    query = (request.GET.get("q") or "").strip()
    if query:
        units = units.filter(name__icontains=query)
    return render(
        request, "units/unit_list.html", {"units": units[:500], "q": query, "total": units.count()}
    )


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, pk, "view")
    children = unit.children.order_by("kind", "name")
    people = (
        unit.people.select_related("user").prefetch_related("roles")
        if can(request.user, "administer", unit) or can(request.user, "edit", unit)
        else []
    )
    return render(
        request,
        "units/unit_detail.html",
        {
            "unit": unit,
            "ancestors": unit.ancestors(),
            "children": children,
            "people": people,
            "history": unit.history.select_related("history_user").order_by("-history_date")[:20],
            "can_edit": can(request.user, "edit", unit),
        },
    )


@login_required
def unit_import(request: HttpRequest) -> HttpResponse:
    if not is_administrator(request.user):
        raise PermissionDenied("Chỉ quản trị viên được nhập danh mục đơn vị.")
    errors = None
    if request.method == "POST" and request.FILES.get("file"):
        upload = request.FILES["file"]
        try:
            count = services.units_import(source=upload, filename=upload.name, by=request.user)
        except TableErrors as error:
            errors = error
        else:
            messages.success(request, f"Đã nhập {count} đơn vị từ {upload.name}.")
            return redirect("unit-list")
    return render(request, "units/unit_import.html", {"errors": errors})
