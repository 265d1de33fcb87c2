"""Metric leaves take their measured value from the real dossiers of the unit (the dossiers
app's provider registered in DossiersConfig.ready), over the cycle's measurement period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from cchc.dossiers import services as dossiers
from cchc.evaluations import services
from tests.evaluations.conftest import score_of

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=VN)


def test_metric_leaves_measure_the_units_dossiers(cast, demo_framework):
    procedure = dossiers.procedure_save(
        by=cast.administrator, code="1.001", name="Chứng thực bản sao", processing_days=5
    )
    received = dt.date(2024, 3, 4)  # Monday
    for number, channel in enumerate(["truc_tuyen", "truc_tuyen", "truc_tiep", "truc_tiep"]):
        dossier = dossiers.dossier_create(
            unit=cast.dong_tam,
            procedure=procedure,
            code=f"HS-{number}",
            applicant="Nguyễn Văn A",
            channel=channel,
            received_at=at(received),
            by=cast.officer,
        )
        # Three resolved early, one a month late.
        finished = received + dt.timedelta(days=1 if number < 3 else 40)
        dossiers.dossier_finish(dossier=dossier, at=at(finished, 15), by=cast.officer)
    cycle = services.cycle_open(
        framework=demo_framework,
        year=2024,
        name="Chỉ số CCHC 2024",
        organiser=cast.province,
        units={cast.dong_tam: "xã"},
        measure_start=dt.date(2023, 12, 15),
        measure_end=dt.date(2024, 12, 14),
        by=cast.administrator,
    )
    services.cycle_transition(cycle=cycle, to_state="self_assessment", by=cast.administrator)
    cycle_unit = cycle.cycle_units.get()
    on_time = score_of(cycle_unit, "3.2")
    assert on_time.measured_value == Decimal(75)  # 3 of 4 resolved in time
    assert on_time.measured_points == Decimal(0)  # under 95%
    online = score_of(cycle_unit, "3.3")
    assert online.measured_value == Decimal(50)  # full points at 50%
    assert online.measured_points == Decimal(4)
    # Plans are not measured yet: no data, never 0 by default.
    assert score_of(cycle_unit, "1.2").measured_value is None
