"""Survey results: entered or imported (all or nothing), and turned into points at once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from cchc.core.tabular import TableErrors
from cchc.evaluations import services as evaluations
from cchc.evaluations.services import EvaluationError
from cchc.surveys import services
from cchc.surveys.models import SurveyResult
from tests.evaluations.conftest import appraise_all, fill_self_scores, score_of


def test_set_a_result_gives_the_points(cast, open_cycle):
    services.survey_result_set(
        cycle=open_cycle.cycle,
        unit=cast.dong_tam,
        survey="sipas",
        value="92,8",
        respondents=120,
        by=cast.administrator,
    )
    score = score_of(open_cycle.dong_tam, "10")
    # SIPAS 92.8% on a 10-point component gives 9.28 (seed 003).
    assert score.measured_value == Decimal("92.8") and score.measured_points == Decimal("9.28")


def test_refusals(cast, open_cycle):
    def set_(**kwargs):
        args = {
            "cycle": open_cycle.cycle,
            "unit": cast.dong_tam,
            "survey": "sipas",
            "value": "90",
            "by": cast.administrator,
        }
        args.update(kwargs)
        return services.survey_result_set(**args)

    for person in (cast.officer, cast.head, cast.appraiser):
        with pytest.raises(PermissionDenied):
            set_(by=person)
    with pytest.raises(EvaluationError, match="không có cuộc điều tra “pci”"):
        set_(survey="pci")
    with pytest.raises(EvaluationError, match="từ 0 đến 100"):
        set_(value="100.5")
    with pytest.raises(EvaluationError, match="phải là một số"):
        set_(value="nhiều")
    with pytest.raises(EvaluationError, match="không có trong kỳ"):
        set_(unit=cast.district)
    assert not SurveyResult.objects.exists()


def write_csv(tmp_path, text: str):
    path = tmp_path / "surveys.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_csv(cast, open_cycle, tmp_path):
    path = write_csv(
        tmp_path,
        "unit,survey,value,respondents,note\n"
        "Xã Đồng Tâm,sipas,92.8,120,Sở Nội vụ 2024\n"
        'local-THANHXA,sipas,"85,5",90,\n'
        "DONGTAM,dieu_tra_xhh,82.07,,\n",
    )
    result = services.survey_results_import(cycle=open_cycle.cycle, source=path, by=None)
    assert (result.created, result.updated) == (3, 0)
    assert score_of(open_cycle.thanh_xa, "10").measured_points == Decimal("8.55")
    assert score_of(open_cycle.dong_tam, "9").measured_value == Decimal("82.07")
    again = services.survey_results_import(
        cycle=open_cycle.cycle, source=path, by=cast.administrator
    )
    assert (again.created, again.updated) == (0, 3)


def test_import_is_all_or_nothing_with_row_and_column(cast, open_cycle, tmp_path):
    path = write_csv(
        tmp_path,
        "unit,survey,value\n"
        "Xã Đồng Tâm,sipas,92.8\n"
        "Xã Không Có,sipas,80\n"
        "Xã Thanh Xá,pci,80\n"
        "Xã Thanh Xá,sipas,101\n"
        "Xã Đồng Tâm,sipas,90\n",
    )
    with pytest.raises(TableErrors) as info:
        services.survey_results_import(cycle=open_cycle.cycle, source=path, by=None)
    found = [(e.row, e.column) for e in info.value.errors]
    assert found == [(3, "unit"), (4, "survey"), (5, "value"), (6, "unit")]
    assert "dòng 6" in str(info.value) and "Trùng với dòng 2" in str(info.value)
    assert not SurveyResult.objects.exists()
    assert score_of(open_cycle.dong_tam, "10").measured_value is None


def test_import_xlsx_and_missing_columns(cast, open_cycle, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["unit", "survey", "value"])
    sheet.append(["Xã Đồng Tâm", "sipas", 92.8])
    path = tmp_path / "s.xlsx"
    book.save(path)
    result = services.survey_results_import(cycle=open_cycle.cycle, source=path, by=None)
    assert result.total == 1
    bad = write_csv(tmp_path, "unit,value\nXã Đồng Tâm,90\n")
    with pytest.raises(TableErrors) as info:
        services.survey_results_import(cycle=open_cycle.cycle, source=bad, by=None)
    assert [(e.row, e.column) for e in info.value.errors] == [(1, "survey")]


def test_no_survey_results_after_finalisation(cast, open_cycle):
    setup = open_cycle
    fill_self_scores(setup.dong_tam, cast.officer)
    fill_self_scores(setup.thanh_xa, cast.officer_thanh_xa)
    evaluations.cycle_transition(cycle=setup.cycle, to_state="appraisal", by=cast.administrator)
    for unit in (cast.dong_tam, cast.thanh_xa):
        for survey in ("sipas", "dieu_tra_xhh"):
            services.survey_result_set(
                cycle=setup.cycle, unit=unit, survey=survey, value=80, by=cast.administrator
            )
    appraise_all(setup, cast)
    evaluations.cycle_finalise(cycle=setup.cycle, by=cast.administrator)
    with pytest.raises(EvaluationError, match="đã chốt"):
        services.survey_result_set(
            cycle=setup.cycle, unit=cast.dong_tam, survey="sipas", value=99, by=cast.administrator
        )
    assert SurveyResult.objects.get(unit=cast.dong_tam, survey="sipas").value == 80
