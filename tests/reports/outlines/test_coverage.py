"""Measured outline figures over a period the data does not cover: "chưa có số liệu",
never 0; over a period covered in part: the count with "số liệu từ …" (issue 14's
``core.coverage``), on the page, in the document and frozen with the filed report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cchc.core.models import DataCoverage
from cchc.core.services import coverage_record
from cchc.documents.document import plain_text
from cchc.reports.outlines import documents, services
from cchc.reports.outlines.rules import format_value

from .conftest import entries

pytestmark = pytest.mark.django_db

QUARTER = "2023-Q1"  # 15/12/2022 – 14/3/2023


@pytest.fixture
def quarterly(cast):
    from .conftest import OUTLINES

    return services.outline_load(source=OUTLINES / "hd-bc-cchc-quy-xa.yaml")


def _figure(spec, measure: str):
    return next(f for f in spec.figures() if f.measure == measure)


def test_no_coverage_is_no_data_never_zero(cast, quarterly, dossiers_q1):
    # Thanh Xá holds no dossier data at all: its desk's figures are unknown, not 0.
    report = services.report_open(outline=quarterly, unit=cast.thanh_xa, period=QUARTER)
    spec = quarterly.spec()
    values = services.report_values(report)
    received = _figure(spec, "dossiers.received")
    assert values[received.key] is None
    assert format_value(received, values[received.key]) == "chưa có số liệu"
    text = plain_text(documents.document_for(report, today=dt.date(2023, 3, 20)))
    assert f"{received.label}: chưa có số liệu." in text
    assert f"{received.label}: 0." not in text


def test_partial_coverage_carries_its_dates(client_for, cast, quarterly, dossiers_q1):
    DataCoverage.objects.filter(unit=cast.dong_tam).delete()
    coverage_record(
        unit_id=cast.dong_tam.pk,
        source="dossiers",
        start=dt.date(2023, 1, 5),
        end=dt.date(2023, 3, 14),
    )
    report = services.report_open(outline=quarterly, unit=cast.dong_tam, period=QUARTER)
    spec = quarterly.spec()
    received = _figure(spec, "dossiers.received")
    assert services.report_notes(report)[received.key] == "số liệu từ 05/01/2023"
    text = plain_text(documents.document_for(report, today=dt.date(2023, 3, 20)))
    line = next(t for t in text.split("\n") if t.startswith(received.label))
    assert line.endswith("(số liệu từ 05/01/2023).")
    page = client_for(cast.officer).get(reverse("outlines:edit", args=[report.pk]))
    assert "(số liệu từ 05/01/2023)" in page.content.decode()

    # filed: the note is frozen with the figures, and stays when the data changes
    values = {k: v for k, v in entries(spec).items() if spec.has_figure(k)}
    services.report_save(report=report, values=values, by=cast.head)
    services.report_submit(report=report, by=cast.head, today=dt.date(2023, 3, 20))
    coverage_record(
        unit_id=cast.dong_tam.pk, source="dossiers", start=dt.date(2022, 1, 1),
        end=dt.date(2023, 3, 14),
    )  # fmt: skip
    report.refresh_from_db()
    assert services.report_notes(report)[received.key] == "số liệu từ 05/01/2023"
