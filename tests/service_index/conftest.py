from __future__ import annotations

import datetime as dt
import itertools

import pytest

from cchc.dossiers.clock import Supplement
from cchc.dossiers.periods import custom_period
from cchc.dossiers.workdays import WorkCalendar
from cchc.service_index.counts import DossierRecord, FeedbackRecord, ProcedureRecord, UnitData
from cchc.service_index.definition import IndexDefinition, load_definition

D = dt.date
# October 2023 has no public holiday: working days are Mon–Fri (2/10 is a Monday).
OCTOBER = custom_period(D(2023, 10, 2), D(2023, 10, 31))

_codes = itertools.count(1)


def dossier(**kw: object) -> DossierRecord:
    base: dict[str, object] = {
        "code": f"H{next(_codes):04d}",
        "unit": "X",
        "procedure_code": "P0",
        "channel": "direct",
        "received": D(2023, 10, 2),
        "due": D(2023, 10, 20),
        "finished": D(2023, 10, 9),
    }
    base.update(kw)
    return DossierRecord(**base)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def calendar() -> WorkCalendar:
    return WorkCalendar([2022, 2023, 2024])


@pytest.fixture(scope="session")
def definition() -> IndexDefinition:
    return load_definition()


@pytest.fixture()
def procedures() -> list[ProcedureRecord]:
    """Catalogue of unit X; effects on 1.1, 1.2, 1.3, 3.1, 3.5, 3.5b worked out in the tests."""
    return [
        # on time for 1.1 (deadline 5 working days before Mon 9/10 = Mon 2/10) and 1.2
        ProcedureRecord(
            "P1",
            announced=D(2023, 10, 2),
            legal_basis_effective=D(2023, 10, 9),
            published=D(2023, 10, 9),
            all_parts_published=True,
            online_class="full",
            fee=True,
            payment_integrated=True,
        ),
        # late for 1.1 (3/10 > 2/10) and 1.2 (published 11/10 > 3/10 + 5 wd = 10/10)
        ProcedureRecord(
            "P2",
            announced=D(2023, 10, 3),
            legal_basis_effective=D(2023, 10, 9),
            published=D(2023, 10, 11),
            online_class="partial",
            fee=True,
        ),
        # no effective date: not judged for 1.1; unpublished, deadline 3/11 after the period
        ProcedureRecord("P3", announced=D(2023, 10, 27)),
        # announced before the period: only in the catalogue counts
        ProcedureRecord(
            "P4",
            announced=D(2023, 6, 1),
            published=D(2023, 6, 5),
            all_parts_published=True,
            certification=True,
        ),
        # announced twice in the period: the second announcement is late, so P5 is late
        ProcedureRecord(
            "P5",
            announced=D(2023, 10, 2),
            legal_basis_effective=D(2023, 10, 16),
            published=D(2023, 10, 3),
        ),
        ProcedureRecord(
            "P5",
            announced=D(2023, 10, 16),
            legal_basis_effective=D(2023, 10, 18),
            published=D(2023, 10, 17),
            all_parts_published=True,
            online_class="full",
        ),
        # announced after the period: not yet in the catalogue
        ProcedureRecord("P6", announced=D(2023, 11, 6), online_class="full", fee=True),
    ]


@pytest.fixture()
def flag_dossiers() -> list[DossierRecord]:
    return [
        dossier(
            code="a",
            procedure_code="P1",
            channel="online",
            synced=True,
            intake_digitized="full",
            result_electronic=True,
            fee_required=True,
            paid_online=True,
            reused_data=True,
            data_store_linked=True,
            rating="satisfied",
        ),
        dossier(
            code="b",
            procedure_code="P1",
            synced=True,
            intake_digitized="partial",
            result_digitized=True,
            fee_required=True,
        ),
        dossier(code="c", procedure_code="P5", channel="online", result_electronic=True),
        dossier(
            code="d",
            procedure_code="P4",
            channel="postal",
            synced=True,
            intake_digitized="full",
            paper_result_required=False,
            e_certified_copy=True,
        ),
        # unfinished, due 20/10: overdue at 31/10; and a complaint was filed about it
        dossier(
            code="e",
            procedure_code="P2",
            synced=True,
            intake_digitized="full",
            finished=None,
            fee_required=True,
            complaint=True,
        ),
    ]


@pytest.fixture()
def feedback() -> list[FeedbackRecord]:
    return [
        # answer due 2/10 + 15 wd = 23/10; published by 20/10 + 2 wd = 24/10
        FeedbackRecord(
            "f1",
            "X",
            D(2023, 10, 2),
            answered=D(2023, 10, 20),
            published=D(2023, 10, 23),
            satisfied=True,
        ),
        FeedbackRecord("f2", "X", D(2023, 10, 2), answered=D(2023, 10, 24)),  # late answer
        # answered in time, published 16/10 > 10/10 + 2 wd = 12/10: late
        FeedbackRecord(
            "f3", "X", D(2023, 10, 2), answered=D(2023, 10, 10), published=D(2023, 10, 16)
        ),
        FeedbackRecord("f4", "X", D(2023, 10, 25)),  # open, due 15/11: within time
        FeedbackRecord(
            "f5",
            "X",
            D(2023, 10, 3),
            answered=D(2023, 10, 5),
            published=D(2023, 10, 6),
            satisfied=False,
        ),
        FeedbackRecord(
            "f6",
            "X",
            D(2023, 10, 3),
            answered=D(2023, 10, 5),
            published=D(2023, 10, 6),
            repeat_complaint=True,
        ),
        FeedbackRecord("f7", "X", D(2023, 9, 1), answered=D(2023, 9, 5)),  # before the period
        # answered, never published; publication was due 10/10: late
        FeedbackRecord("f8", "X", D(2023, 10, 4), answered=D(2023, 10, 6)),
        # its own due date 4/10 (not the 15-day default), answered 5/10: late
        FeedbackRecord("f9", "X", D(2023, 10, 2), due=D(2023, 10, 4), answered=D(2023, 10, 5)),
    ]


@pytest.fixture()
def unit_x(
    procedures: list[ProcedureRecord],
    flag_dossiers: list[DossierRecord],
    feedback: list[FeedbackRecord],
) -> UnitData:
    return UnitData("X", dossiers=flag_dossiers, feedback=feedback, procedures=procedures)


def supplement(requested: dt.date, supplied: dt.date | None) -> Supplement:
    return Supplement(requested, supplied)


@pytest.fixture
def october(cast):
    """The database data set of dbdata.py (October 2023, Xã Đồng Tâm), time frozen after it."""
    import time_machine

    from .dbdata import NOW, build

    with time_machine.travel(NOW, tick=False):
        yield build(cast)
