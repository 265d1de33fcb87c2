"""Survey results (điều tra XHH, SIPAS) entered or imported per unit and cycle. Saving a
result refreshes the unit's survey criteria (measured value and points)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO

from django.db import transaction
from django.utils import timezone

from cchc.core.formatting import vn_number
from cchc.core.history import mark_change
from cchc.core.people import Person
from cchc.core.tabular import RowError, TableErrors, iter_rows, require_columns
from cchc.evaluations import services as evaluation_services
from cchc.evaluations.models import Cycle, CycleState, CycleUnit
from cchc.evaluations.services import EvaluationError, require_cycle_admin
from cchc.frameworks.spec import METHOD_SURVEY
from cchc.surveys.models import SurveyResult
from cchc.units.models import Unit

ERR_UNKNOWN_SURVEY = "Bộ chỉ số của kỳ đánh giá không có cuộc điều tra “{survey}” (có: {known})."
ERR_VALUE_RANGE = "Kết quả phải từ 0 đến {scale}."
ERR_VALUE_NUMBER = "Kết quả phải là một số."
ERR_VALUE_PLACES = "Kết quả ghi tối đa {places} chữ số thập phân."
ERR_RESPONDENTS = "Số phiếu phải là số nguyên không âm."
ERR_UNIT_NOT_IN_CYCLE = "Đơn vị {unit} không có trong kỳ đánh giá."
ERR_UNIT_UNKNOWN = "Không tìm thấy đơn vị này trong kỳ đánh giá (theo mã hoặc tên)."
ERR_UNIT_AMBIGUOUS = "Có nhiều đơn vị cùng tên trong kỳ đánh giá: dùng mã đơn vị."
ERR_DUPLICATE_ROW = "Trùng với dòng {row} (cùng đơn vị và cuộc điều tra)."
ERR_STATE = "Kỳ đánh giá đã chốt hoặc đã công bố: không nhập kết quả điều tra nữa."
ERR_EMPTY = "Tệp không có dòng dữ liệu nào."

REQUIRED_COLUMNS = ["unit", "survey", "value"]
OPTIONAL_COLUMNS = ["respondents", "note"]


def survey_scales(cycle: Cycle) -> dict[str, Decimal]:
    """The surveys the cycle's framework names, with the value that means 100% (the
    smallest scale if two leaves name the same survey)."""
    scales: dict[str, Decimal] = {}
    for leaf in cycle.framework.spec().leaves():
        if leaf.method == METHOD_SURVEY and leaf.survey:
            scale = leaf.scale if leaf.scale is not None else Decimal(100)
            scales[leaf.survey] = min(scale, scales.get(leaf.survey, scale))
    return scales


def check_open(cycle: Cycle) -> None:
    """Results are entered while the cycle is not finalised (EvaluationError otherwise)."""
    if cycle.state in (CycleState.FINALISED, CycleState.PUBLISHED):
        raise EvaluationError(ERR_STATE)


def _check_value(cycle: Cycle, survey: str, value: Decimal) -> None:
    scales = survey_scales(cycle)
    if survey not in scales:
        raise EvaluationError(
            ERR_UNKNOWN_SURVEY.format(survey=survey, known=", ".join(sorted(scales)) or "không"),
            field="survey",
        )
    if not (0 <= value <= scales[survey]):
        raise EvaluationError(
            ERR_VALUE_RANGE.format(scale=vn_number(scales[survey])), field="value"
        )
    # The stored column keeps MEASURE's decimals: a value with more (1e-300 from a float)
    # would fail the model's own check later as a server error (issue 13).
    places = SurveyResult._meta.get_field("value").decimal_places
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise EvaluationError(ERR_VALUE_PLACES.format(places=places), field="value")


def _store(
    cycle: Cycle,
    unit: Unit,
    survey: str,
    value: Decimal,
    respondents: int | None,
    note: str,
    by: Person | None,
) -> SurveyResult:
    result = SurveyResult.objects.filter(cycle=cycle, unit=unit, survey=survey).first()
    if result is None:
        result = SurveyResult(cycle=cycle, unit=unit, survey=survey)
    result.value = value
    result.respondents = respondents
    result.source_note = note
    result.entered_by = by
    result.entered_at = timezone.now()
    result.full_clean()
    mark_change(result, "Nhập kết quả điều tra")
    if by is not None:
        mark_change(result, by=by)
    result.save()
    return result


@transaction.atomic
def survey_result_set(
    *,
    cycle: Cycle,
    unit: Unit,
    survey: str,
    value,
    by: Person,
    respondents: int | None = None,
    source_note: str = "",
) -> SurveyResult:
    """One unit's result of one survey; the unit's survey criteria take it at once."""
    cycle = (
        Cycle.objects.select_for_update().select_related("organiser", "framework").get(pk=cycle.pk)
    )
    require_cycle_admin(by, cycle)
    check_open(cycle)
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise EvaluationError(ERR_VALUE_NUMBER, field="value") from None
    if not number.is_finite():
        raise EvaluationError(ERR_VALUE_NUMBER, field="value")
    _check_value(cycle, survey, number)
    if respondents is not None and respondents < 0:
        raise EvaluationError(ERR_RESPONDENTS, field="respondents")
    cycle_unit = CycleUnit.objects.filter(cycle=cycle, unit=unit).select_related("cycle").first()
    if cycle_unit is None:
        raise EvaluationError(ERR_UNIT_NOT_IN_CYCLE.format(unit=unit), field="unit")
    result = _store(cycle, unit, survey, number, respondents, source_note.strip(), by)
    evaluation_services.refresh_measured(cycle_unit)
    return result


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int

    @property
    def total(self) -> int:
        return self.created + self.updated


def _unit_lookup(cycle: Cycle) -> tuple[dict[str, CycleUnit], set[str]]:
    """Keys a file may use for a unit: code, scheme-code, name (case-insensitive)."""
    keys: dict[str, CycleUnit] = {}
    ambiguous: set[str] = set()
    for cycle_unit in cycle.cycle_units.select_related("unit", "cycle"):
        unit = cycle_unit.unit
        for key in {unit.code.lower(), unit.key.lower(), unit.name.strip().lower()}:
            if key in keys and keys[key].pk != cycle_unit.pk:
                ambiguous.add(key)
            keys[key] = cycle_unit
    return keys, ambiguous


@transaction.atomic
def survey_results_import(
    *, cycle: Cycle, source: str | Path | IO[bytes], by: Person | None, filename: str | None = None
) -> ImportResult:
    """Import survey results from CSV/XLSX with columns unit (code or name), survey, value
    and optionally respondents, note. All or nothing: any problem is reported with its row
    and column (TableErrors) and nothing is stored."""
    cycle = (
        Cycle.objects.select_for_update().select_related("organiser", "framework").get(pk=cycle.pk)
    )
    if by is not None:
        require_cycle_admin(by, cycle)
    check_open(cycle)
    name = filename or (str(source) if isinstance(source, str | Path) else "tệp tải lên")
    header, rows = iter_rows(source, name)
    require_columns(name, header, REQUIRED_COLUMNS)
    scales = survey_scales(cycle)
    units, ambiguous = _unit_lookup(cycle)
    errors: list[RowError] = []
    parsed: list[tuple[CycleUnit, str, Decimal, int | None, str]] = []
    seen: dict[tuple[int, str], int] = {}
    for number, row in rows:
        unit_text = row.get("unit", "")
        key = unit_text.strip().lower()
        cycle_unit = units.get(key)
        if not unit_text:
            errors.append(RowError(number, "unit", "Thiếu đơn vị."))
        elif key in ambiguous:
            errors.append(RowError(number, "unit", ERR_UNIT_AMBIGUOUS, unit_text))
            cycle_unit = None
        elif cycle_unit is None:
            errors.append(RowError(number, "unit", ERR_UNIT_UNKNOWN, unit_text))
        survey = row.get("survey", "").strip()
        if survey not in scales:
            errors.append(
                RowError(
                    number,
                    "survey",
                    ERR_UNKNOWN_SURVEY.format(
                        survey=survey, known=", ".join(sorted(scales)) or "không"
                    ),
                    survey,
                )
            )
        raw = row.get("value", "").replace(",", ".").strip()
        value: Decimal | None = None
        try:
            value = Decimal(raw)
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors.append(RowError(number, "value", ERR_VALUE_NUMBER, row.get("value", "")))
            value = None
        if value is not None and survey in scales and not (0 <= value <= scales[survey]):
            errors.append(
                RowError(
                    number,
                    "value",
                    ERR_VALUE_RANGE.format(scale=vn_number(scales[survey])),
                    row.get("value", ""),
                )
            )
        respondents: int | None = None
        raw_respondents = row.get("respondents", "").strip()
        if raw_respondents:
            try:
                respondents = int(raw_respondents)
                if respondents < 0:
                    raise ValueError
            except ValueError:
                errors.append(RowError(number, "respondents", ERR_RESPONDENTS, raw_respondents))
        if cycle_unit is not None and survey:
            dup = (cycle_unit.pk, survey)
            if dup in seen:
                errors.append(
                    RowError(number, "unit", ERR_DUPLICATE_ROW.format(row=seen[dup]), unit_text)
                )
            seen.setdefault(dup, number)
        if cycle_unit is not None and value is not None:
            parsed.append((cycle_unit, survey, value, respondents, row.get("note", "").strip()))
        if len(errors) > 1000:
            break
    if not parsed and not errors:
        errors.append(RowError(None, None, ERR_EMPTY))
    if errors:
        raise TableErrors(name, errors)
    created = updated = 0
    touched: dict[int, CycleUnit] = {}
    for cycle_unit, survey, value, respondents, note in parsed:
        exists = SurveyResult.objects.filter(
            cycle=cycle, unit_id=cycle_unit.unit_id, survey=survey
        ).exists()
        _store(cycle, cycle_unit.unit, survey, value, respondents, note, by)
        created += not exists
        updated += exists
        touched[cycle_unit.pk] = cycle_unit
    for cycle_unit in touched.values():
        evaluation_services.refresh_measured(cycle_unit)
    return ImportResult(created=created, updated=updated)
