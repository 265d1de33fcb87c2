"""Who may do what with outline reports: the rules live in ``cchc.units.permissions`` (the
one place for permissions); the pages and the API of outlines use them under these names."""

from __future__ import annotations

from cchc.units.permissions import (
    NOT_FOUND_OUTLINE_REPORT as ERR_NOT_FOUND,
)
from cchc.units.permissions import (
    NOT_FOUND_OUTLINE_UNIT as ERR_UNIT_NOT_FOUND,
)
from cchc.units.permissions import (
    OUTLINE_ACTIONS as ACTIONS,
)
from cchc.units.permissions import (
    OUTLINE_FORBIDDEN as ERR_FORBIDDEN,
)
from cchc.units.permissions import (
    outline_allowed as allowed,
)
from cchc.units.permissions import (
    outline_report_for as report_for,
)
from cchc.units.permissions import (
    outline_unit_for as unit_for,
)

__all__ = [
    "ACTIONS",
    "ERR_FORBIDDEN",
    "ERR_NOT_FOUND",
    "ERR_UNIT_NOT_FOUND",
    "allowed",
    "report_for",
    "unit_for",
]
