"""Loading and exporting frameworks. The YAML (spec.dump_framework output) is the source of
truth; criteria rows are materialised from it in the same transaction."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cchc.core import metrics as metric_registry
from cchc.core.history import mark_change
from cchc.core.people import Person
from cchc.frameworks import spec
from cchc.frameworks.models import Criterion, Framework
from cchc.units.permissions import may_change_shared

ERR_IN_USE = (
    "Bộ chỉ số {code} đang được dùng trong kỳ đánh giá “{cycle}”, không thể thay thế. "
    "Hãy nạp phiên bản mới với mã khác (VD {code}-v2)."
)
ERR_NOT_FOUND = "Không có bộ chỉ số mã {code}."
ERR_NOT_ADMINISTRATOR = "Chỉ quản trị viên (Sở Nội vụ) được nạp bộ chỉ số."


class FrameworkInUse(ValueError):
    pass


class FrameworkNotFound(LookupError):
    pass


def metric_is_known(name: str) -> bool:
    """A metric the system can measure: the dossier figures, QĐ 766 indicators, or any name
    a registered provider owns (cchc.core.metrics)."""
    return (
        name in spec.KNOWN_METRICS
        or name.startswith("qd766.")
        or metric_registry.known_metric(name)
    )


def _read(source: str | Path | bytes) -> str:
    if isinstance(source, bytes):
        if len(source) > spec.MAX_YAML_CHARS:
            raise spec.FrameworkError(None, None, spec.ERR_YAML_SIZE)
        try:
            return source.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise spec.FrameworkError(None, None, spec.ERR_YAML_ENCODING) from None
    if isinstance(source, Path):
        return spec._read_text(source)  # size and encoding checked there
    return source


def framework_source_check(source: bytes) -> None:
    """The checks of a file that need no parsing, made before its load is queued (the API):
    its size and its encoding (FrameworkError)."""
    _read(source)


@transaction.atomic
def framework_load(
    *, source: str | Path | bytes, by: Person | None = None, source_file: str = ""
) -> Framework:
    """Validate a framework (spec.load_framework raises FrameworkError naming the first
    problem) and store it. A framework already used by a cycle is never replaced: its scores
    point at its criteria; load the new version under a new code instead.

    ``by``: the person loading (an administrator); None when run from the command line.
    """
    if by is not None and not may_change_shared(by):
        raise PermissionDenied(ERR_NOT_ADMINISTRATOR)
    if isinstance(source, Path) and not source_file:
        source_file = str(source)
    fw = spec.load_framework(_read(source), metrics=metric_is_known)
    existing = Framework.objects.select_for_update().filter(code=fw.code).first()
    if existing is not None:
        cycle = existing.cycles.order_by("-year").first()
        if cycle is not None:
            raise FrameworkInUse(ERR_IN_USE.format(code=fw.code, cycle=cycle.name))
    row = existing or Framework(code=fw.code)
    row.name = fw.name
    row.description = fw.description or ""
    row.source = fw.source or ""
    row.yaml_text = spec.dump_framework(fw)
    row.max_points = fw.max
    row.loaded_at = timezone.now()
    row.loaded_by = by
    row.source_file = source_file
    mark_change(row, "Nạp lại bộ chỉ số" if existing else "Nạp bộ chỉ số")
    row.full_clean()
    row.save()
    if existing is not None:
        # Not used by any cycle (checked above), so nothing points at the old criteria.
        row.criteria.all().delete()
    _materialise(row, fw)
    return row


def _materialise(row: Framework, fw: spec.Framework) -> None:
    position = 0

    def add(node: spec.Criterion, parent: Criterion | None, depth: int) -> None:
        nonlocal position
        position += 1
        item = Criterion(
            framework=row,
            code=node.code,
            parent=parent,
            title=node.title,
            max_points=node.max,
            graded=node.graded,
            method=node.method or "",
            metric=node.metric or "",
            thresholds=[
                {"min": spec.plain_number(t.min), "points": spec.plain_number(t.points)}
                for t in node.thresholds
            ],
            full_at=node.full_at,
            survey=node.survey or "",
            scale=node.scale,
            source=node.source or "",
            note=node.note or "",
            depth=depth,
            is_leaf=node.is_leaf,
            position=position,
        )
        item.full_clean(exclude=["framework", "parent"])
        item.save()
        for child in node.children:
            add(child, item, depth + 1)

    for top in fw.criteria:
        add(top, None, 0)


def framework_get(code: str) -> Framework:
    row = Framework.objects.filter(code=code).first()
    if row is None:
        raise FrameworkNotFound(ERR_NOT_FOUND.format(code=code))
    return row


def framework_export(code: str) -> str:
    """The stored framework as YAML (the format of docs/frameworks.md)."""
    return framework_get(code).yaml_text
