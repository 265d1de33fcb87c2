"""Who may do what with outline reports: compositions of ``cchc.units.permissions`` (the
one place for permissions), shared by the pages and the API.

- a report is viewed by whoever may view its unit; a report of a unit the person cannot
  view is "not found" (404), one they can view but not act on is refused (403);
- edited (entries, narrative, compiling, generating) by whoever may edit its unit;
- submitted by whoever may submit for its unit (its head);
- returned by whoever may edit the unit above it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cchc.reports.outlines.models import OutlineReport
from cchc.units.models import Unit
from cchc.units.permissions import can

ERR_FORBIDDEN = "Bạn không có quyền {action} báo cáo của {unit}."
ERR_NOT_FOUND = "Không tìm thấy báo cáo."
ERR_UNIT_NOT_FOUND = "Không tìm thấy đơn vị."
ACTIONS = {"edit": "sửa", "submit": "gửi", "return": "trả lại", "view": "xem", "open": "lập"}


def allowed(user, action: str, unit: Unit) -> bool:
    if action == "return":
        return unit.parent is not None and can(user, "edit", unit.parent)
    if action == "open":
        return can(user, "edit", unit)
    return can(user, action, unit)  # type: ignore[arg-type]


def report_for(user, pk: int, action: str = "view") -> OutlineReport:
    """The permission-scoped fetch of an outline report."""
    report = (
        OutlineReport.objects.select_related("outline", "unit", "unit__parent")
        .filter(pk=pk)
        .first()
    )
    if report is None or not can(user, "view", report.unit):
        raise Http404(ERR_NOT_FOUND)
    if action != "view" and not allowed(user, action, report.unit):
        raise PermissionDenied(ERR_FORBIDDEN.format(action=ACTIONS[action], unit=report.unit))
    return report


def unit_for(user, pk, action: str = "view") -> Unit:
    """A unit the person may see (else 404), and act on for ``action`` (else 403)."""
    unit = Unit.objects.select_related("parent").filter(pk=pk).first() if pk else None
    if unit is None or not can(user, "view", unit):
        raise Http404(ERR_UNIT_NOT_FOUND)
    if action != "view" and not allowed(user, action, unit):
        raise PermissionDenied(ERR_FORBIDDEN.format(action=ACTIONS[action], unit=unit))
    return unit
