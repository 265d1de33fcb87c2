from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cchc.core.collation import vn_order
from cchc.core.jobs import start_upload
from cchc.core.navigation import inbox_for
from cchc.core.people import Person
from cchc.units import roles as R
from cchc.units import services, tasks
from cchc.units.forms import AssignmentForm, PersonForm
from cchc.units.models import AppraisalAssignment, Profile, RoleGrant
from cchc.units.permissions import (
    administered_units,
    assignment_for,
    can,
    get_unit_for,
    home_unit,
    is_administrator,
    person_for,
    roles_of,
    visible_units,
)


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "core/welcome.html")
    unit = home_unit(request.user)
    roles = roles_of(request.user)
    units = visible_units(request.user).select_related("parent")
    context = {
        "unit": unit,
        "roles": [
            R.role_label(r, unit.name if unit else "", unit.kind if unit else "")
            for r in sorted(roles)
        ],
        "role_codes": sorted(roles),
        "inbox": inbox_for(request.user),
        "units_count": units.count(),
        "units": units.order_by("path")[:12],
    }
    return render(request, "core/home.html", context)


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    units = visible_units(request.user).select_related("parent").order_by("path")
    query = (request.GET.get("q") or "").strip()
    if query:
        units = units.filter(name__icontains=query)
    return render(
        request,
        "units/unit_list.html",
        {
            "units": units[:500],
            "q": query,
            "total": units.count(),
            # Django permissions no longer say who administers (the admin is for superusers).
            "can_import": is_administrator(request.user),
        },
    )


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for(request.user, pk, "view")
    children = vn_order(unit.children.all(), "kind", "name")
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
            "can_administer": can(request.user, "administer", unit),
        },
    )


@login_required
def unit_import(request: HttpRequest) -> HttpResponse:
    if not is_administrator(request.user):
        raise PermissionDenied("Chỉ quản trị viên được nhập danh mục đơn vị.")
    if request.method == "POST" and request.FILES.get("file"):
        upload = request.FILES["file"]
        job = start_upload(
            kind=tasks.JOB_KIND,
            title=f"Nhập danh mục đơn vị từ tệp {upload.name}",
            by=request.user,
            task=tasks.import_units_task,
            upload=upload,
            filename=upload.name,
        )
        return redirect("job-detail", job.pk)
    return render(request, "units/unit_import.html")


# ---------------------------------------------------------------- people (unit administrators)

NOT_AN_ADMINISTRATOR = "Chỉ quản trị viên được quản lý người dùng."


def _require_people_admin(user: Person) -> None:
    if not administered_units(user).exists():
        raise PermissionDenied(NOT_AN_ADMINISTRATOR)


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    _require_people_admin(request.user)
    units = administered_units(request.user)
    people = (
        Profile.objects.filter(unit__in=units)
        .select_related("user", "unit")
        .prefetch_related("roles")
        .order_by("unit__path", "pk")
    )
    query = (request.GET.get("q") or "").strip()
    if query:
        people = people.filter(full_name__icontains=query) | people.filter(
            user__username__icontains=query
        )
    people = vn_order(people[:500], "unit__path", "full_name")
    return render(request, "units/people_list.html", {"people": people, "q": query})


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    _require_people_admin(request.user)
    form = PersonForm(request.POST or None, by=request.user, creating=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile = services.person_save(by=request.user, **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Đã tạo tài khoản {profile.user.username}.")
            return redirect("person-edit", profile.pk)
    return render(request, "units/person_form.html", {"form": form, "profile": None})


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = person_for(request.user, pk, "administer")
    initial = {
        "full_name": profile.full_name,
        "position": profile.position,
        "phone": profile.phone,
        "email": profile.user.email,
        "unit": profile.unit,
        "roles": list(profile.roles.values_list("role", flat=True)),
    }
    form = PersonForm(request.POST or None, by=request.user, creating=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_save(by=request.user, profile=profile, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Đã lưu thay đổi của {profile.full_name}.")
            return redirect("person-edit", profile.pk)
    return render(
        request,
        "units/person_form.html",
        {
            "form": form,
            "profile": profile,
            "assignments": AppraisalAssignment.objects.filter(appraiser=profile.user)
            .select_related("unit")
            .order_by("unit__path"),
            "assignment_form": AssignmentForm(by=request.user),
            "history": _person_history(profile),
        },
    )


@login_required
@require_POST
def person_active(request: HttpRequest, pk: int) -> HttpResponse:
    profile = person_for(request.user, pk, "administer")
    active = request.POST.get("active") == "1"
    services.person_set_active(
        by=request.user, profile=profile, active=active, reason=request.POST.get("reason", "")
    )
    messages.success(
        request, f"Đã {'mở khóa' if active else 'khóa'} tài khoản {profile.user.username}."
    )
    return redirect("person-edit", profile.pk)


@login_required
@require_POST
def person_assignment_add(request: HttpRequest, pk: int) -> HttpResponse:
    profile = person_for(request.user, pk, "administer")
    form = AssignmentForm(request.POST, by=request.user)
    if form.is_valid():
        services.assignment_add(by=request.user, appraiser=profile, unit=form.cleaned_data["unit"])
        messages.success(request, f"Đã phân công thẩm định {form.cleaned_data['unit']}.")
    else:
        messages.error(request, "Chọn một đơn vị trong phạm vi bạn quản trị.")
    return redirect("person-edit", profile.pk)


@login_required
@require_POST
def person_assignment_remove(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    profile = person_for(request.user, pk, "administer")
    assignment = assignment_for(request.user, assignment_pk)
    if assignment.appraiser_id != profile.user_id:
        raise Http404("Không tìm thấy phân công thẩm định.")
    services.assignment_remove(by=request.user, assignment=assignment)
    messages.success(request, f"Đã bỏ phân công thẩm định {assignment.unit}.")
    return redirect("person-edit", profile.pk)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _person_history(profile: Profile) -> list[dict]:
    """The person's history: profile changes, roles granted and withdrawn, assignments."""
    rows = []
    for h in profile.history.select_related("history_user").order_by("-history_date")[:50]:
        rows.append(
            {
                "when": h.history_date,
                "who": h.history_user,
                "what": f"Hồ sơ: {h.unit} · {h.full_name}",
                "reason": h.history_change_reason or "",
            }
        )
    grants = RoleGrant.history.filter(profile_id=profile.pk).select_related("history_user")
    for h in grants.order_by("-history_date")[:50]:
        verb = "Thu hồi vai trò" if h.history_type == "-" else "Cấp vai trò"
        rows.append(
            {
                "when": h.history_date,
                "who": h.history_user,
                "what": f"{verb} {R.ROLE_LABELS.get(h.role, h.role)}",
                "reason": h.history_change_reason or "",
            }
        )
    assigned = AppraisalAssignment.history.filter(appraiser_id=profile.user_id).select_related(
        "history_user", "unit"
    )
    for h in assigned.order_by("-history_date")[:50]:
        verb = "Bỏ phân công thẩm định" if h.history_type == "-" else "Phân công thẩm định"
        rows.append(
            {
                "when": h.history_date,
                "who": h.history_user,
                "what": f"{verb} {h.unit}",
                "reason": h.history_change_reason or "",
            }
        )
    return sorted(rows, key=lambda r: r["when"], reverse=True)[:50]
