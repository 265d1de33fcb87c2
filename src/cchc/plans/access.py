"""Who may do what in plans, inspections and staffing.

The rules live with every other access rule in cchc.units.permissions (issue 12: one place);
this module only names them for the plans app's views, API and services.
"""

from __future__ import annotations

from cchc.units.permissions import (  # noqa: F401
    NOT_CALLER,
    NOT_IN_INSPECTION,
    NOT_ORGANISER,
    call_for,
    calls_visible,
    can_manage_inspection,
    can_open_inspection,
    inspection_for,
    inspection_units_visible,
    inspections_visible,
    item_for,
    member_for,
    plan_for,
    recommendation_for,
    registration_for,
)
