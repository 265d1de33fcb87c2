"""Fixtures of the outline tests: the seed-004 outline loaded, the district's staff, a third
commune that will not file, and valid entries for every entered figure."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from cchc.reports.outlines import services
from cchc.units import roles as R
from cchc.units.models import Unit, UnitKind
from cchc.units.services import person_create
from tests.conftest import PASSWORD

OUTLINES = Path(__file__).resolve().parents[3] / "outlines"
# Seed 003: the report on "quý I" 2023 ran from 15/12/2022 to 30/3/2023.
SEED_003_PERIOD = "2022-12-15..2023-03-30"


def entries(outline, **overrides) -> dict[str, object]:
    """A valid value for every entered figure of the outline."""
    out: dict[str, object] = {}
    for fig in outline.figures():
        if not fig.is_entered:
            continue
        out[fig.key] = {
            "count": "2",
            "dong": "1.000.000",
            "yesno": "có",
            "date": "30/12/2022",
            "text": "Kế hoạch số 645/KH-UBND",
        }[fig.unit]
    out["results_by_post"] = "0"
    out.update(overrides)
    return out


@dataclass
class Area:
    outline: object
    hung_thai: Unit
    district_officer: object
    district_head: object
    head_thanh_xa: object
    head_hung_thai: object


@pytest.fixture
def area(cast) -> Area:
    outline = services.outline_load(source=OUTLINES / "hd-bc-cchc-nam.yaml")
    hung_thai = Unit.objects.create(
        scheme="local",
        code="HUNGTHAI",
        name="Xã Hưng Thái",
        kind=UnitKind.COMMUNE,
        parent=cast.district,
    )

    def person(username, name, unit, roles):
        return person_create(
            username=username, password=PASSWORD, full_name=name, unit=unit, roles=roles
        )

    return Area(
        outline=outline,
        hung_thai=hung_thai,
        district_officer=person("congchuc.ninhgiang", "Lê Thị Hoa", cast.district, [R.OFFICER]),
        district_head=person("chutich.ninhgiang", "Hoàng Văn Nam", cast.district, [R.HEAD]),
        head_thanh_xa=person("chutich.thanhxa", "Đỗ Văn Khải", cast.thanh_xa, [R.HEAD]),
        head_hung_thai=person("chutich.hungthai", "Bùi Văn Tư", hung_thai, [R.HEAD]),
    )


def filled_workbook(outline, values: dict[str, object], narratives: dict[str, str]) -> bytes:
    """The blank workbook the system exports, filled in the way an officer would."""
    from openpyxl import load_workbook

    from cchc.reports.outlines.xlsx import export_blank

    book = load_workbook(io.BytesIO(export_blank(outline)))
    sheet = book["Số liệu"]
    for row in sheet.iter_rows(min_row=2):
        key = row[1].value
        if key in values:
            row[5].value = values[key]
    text = book["Phần lời"]
    for row in text.iter_rows(min_row=2):
        if row[1].value in narratives:
            row[3].value = narratives[row[1].value]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
