from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from openpyxl import Workbook

from cchc.plans import services
from cchc.plans.services import PLAN_COLUMNS

HEADER = list(PLAN_COLUMNS.values())


def xlsx(rows: list[list], header: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(code, title, component="", due="", status="", **extra) -> list:
    cells = dict.fromkeys(PLAN_COLUMNS, "")
    cells.update(code=code, title=title, component=component, due=due, status=status, **extra)
    return [cells[k] for k in PLAN_COLUMNS]


# A small plan of Đồng Tâm for 2023: two objectives, three tasks, three activities.
GOOD_ROWS = [
    row("1", "Nâng cao hiệu quả chỉ đạo, điều hành CCHC", "1", lead_unit="Văn phòng - Thống kê"),
    row("1.1", "Ban hành kế hoạch CCHC năm", product="Kế hoạch", lead_officer="Phạm Thị Lan"),
    row("1.1.1", "Xây dựng dự thảo kế hoạch", due="10/01/2023", status="Hoàn thành"),
    row("1.1.2", "Trình ban hành kế hoạch", due="Quý I", status="Đang thực hiện"),
    row("1.2", "Báo cáo CCHC 6 tháng", due="12/6/2023"),
    row("3", "Nâng cao chất lượng giải quyết TTHC", "Cải cách TTHC", due="Cả năm"),
    row("3.1", "Số hóa hồ sơ, kết quả giải quyết TTHC", lead_officer="Nguyễn Văn X"),
    row("3.1.1", "Số hóa kết quả giải quyết TTHC", due="30/9/2023"),
]


@pytest.fixture
def good_xlsx() -> bytes:
    return xlsx(GOOD_ROWS)


@pytest.fixture
def plan(cast, good_xlsx):
    """Đồng Tâm's issued plan for 2023 (imported on 1/7/2023)."""
    return services.plan_import(
        unit=cast.dong_tam,
        year=2023,
        source=io.BytesIO(good_xlsx),
        filename="ke-hoach-2023.xlsx",
        number="63/KH-UBND",
        issued_on=dt.date(2022, 12, 30),
        by=cast.officer,
        today=dt.date(2023, 7, 1),
    )


@pytest.fixture(autouse=True)
def components(db):
    """The seven CCHC areas come from a data migration, which a transactional test elsewhere
    (browser tests flush the database) may have emptied."""
    from cchc.plans.components import ensure

    ensure()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The cast's five accounts hash their passwords; the default hasher's many rounds cost
    seconds per test, so tests of this app hash with a fast one (never used in production)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The plans pages' tests run on 1 July 2023 (a plan's dates and its reports' due dates).
JULY = dt.datetime(2023, 7, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(JULY, tick=False):
        yield
