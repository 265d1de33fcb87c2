"""Bulk import of one-stop exports: all or nothing, idempotent, updates by (unit, code)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from openpyxl import Workbook

from cchc.core.tabular import TableErrors
from cchc.dossiers import imports as I
from cchc.dossiers import services as S
from cchc.dossiers.imports import running, writing
from cchc.dossiers.models import Dossier, DossierImport, DossierMonthStat, Procedure, Status
from cchc.dossiers.periods import period_for
from cchc.dossiers.rows import load_rows
from cchc.dossiers.selectors import unit_stats
from cchc.dossiers.stats import compute
from cchc.dossiers.summary import rebuild
from cchc.units.models import Unit, UnitKind
from tests.dossiers.conftest import at

FIXTURE = Path(__file__).parent / "fixtures" / "seed002_dossiers.csv"
D = dt.date
pytestmark = pytest.mark.django_db
FROZEN = dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC)


def seed002_catalogue(parent: Unit) -> Unit:
    codes = {r.procedure: r.field for r in load_rows(FIXTURE)}
    for code, field in codes.items():
        Procedure.objects.get_or_create(code=code, defaults={"name": f"TTHC {code}",
                                                             "field": field or "",
                                                             "processing_days": 1})  # fmt: skip
    return Unit.objects.create(scheme="local", code="thanh-xa", name="Xã Thanh Xá",
                               kind=UnitKind.COMMUNE, parent=parent)  # fmt: skip


def _small_bulk(monkeypatch) -> None:
    """A first load of 1,000 rows counts as big (the threshold is read by both phases)."""
    monkeypatch.setattr(writing, "BULK_ROWS", 1000)
    monkeypatch.setattr(running, "BULK_ROWS", 1000)


def summary_rows():
    cols = ["unit_id", "month", *[f.name for f in DossierMonthStat._meta.fields[3:]]]
    return sorted(r for r in DossierMonthStat.objects.values_list(*cols) if any(r[2:]))


def csv_bytes(rows: list[dict], columns: list[str] | None = None) -> io.BytesIO:
    columns = columns or list(rows[0])
    out = io.StringIO()
    writer = csv.DictWriter(out, columns)
    writer.writeheader()
    writer.writerows(rows)
    return io.BytesIO(out.getvalue().encode())


@time_machine.travel(FROZEN, tick=False)
def test_seed002_file_imports_to_the_same_figures(cast):
    unit = seed002_catalogue(cast.district)
    result = I.dossiers_import(source=FIXTURE, filename=FIXTURE.name, by=cast.administrator)
    assert (result.rows, result.created, result.updated, result.unchanged) == (1277, 1277, 0, 0)
    year = period_for("year", 2023)
    expected = compute(load_rows(FIXTURE), year.start, year.end)["thanh-xa"]
    for method in ("summary", "rows"):
        got = unit_stats(unit, year, method=method)
        assert got.to_json() == expected.to_json()
    got = unit_stats(unit, year)
    assert got.received_total == 1277 and got.received_truc_tuyen == 1127
    assert str(got.rates.online) == "88.25"
    assert (got.resolved_total, got.resolved_early, got.resolved_on_time) == (1274, 1269, 5)
    assert got.pending_total == 3
    # the district sees it too
    assert unit_stats(cast.district, year, include_descendants=True).received_total == 1277
    record = DossierImport.objects.get()
    assert record.status == "done" and record.created == 1277 and record.by == cast.administrator
    dossier = Dossier.objects.first()
    assert dossier.first_import == record and dossier.last_import == record
    # no history row per dossier: one import record instead
    assert Dossier.history.count() == 0


@time_machine.travel(FROZEN, tick=False)
def test_reimport_changes_nothing_and_update_updates(cast, tmp_path):
    seed002_catalogue(cast.district)
    I.dossiers_import(source=FIXTURE, filename=FIXTURE.name, by=cast.administrator)
    before = summary_rows()
    stamp = list(Dossier.objects.order_by("pk").values_list("pk", "updated_at", "last_import"))
    again = I.dossiers_import(source=FIXTURE, filename=FIXTURE.name, by=cast.administrator)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1277)
    assert Dossier.objects.count() == 1277
    assert summary_rows() == before
    assert (
        list(Dossier.objects.order_by("pk").values_list("pk", "updated_at", "last_import")) == stamp
    )
    # an updated export: two dossiers finish later, one new dossier
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    rows = [dict(zip(header, line.split(","), strict=True)) for line in lines[1:]]
    pending = [r for r in rows if not r["finished_at"]]
    pending[0]["finished_at"] = "2023-12-20"
    pending[1]["finished_at"] = "2023-12-21 10:00"
    new = dict(rows[0], code="H33.NEW.1", received_at="2023-12-20T08:00:00", due_at="2023-12-21",
               finished_at="")  # fmt: skip
    rows.append(new)
    updated_file = tmp_path / "export.csv"
    updated_file.write_bytes(csv_bytes(rows, header).getvalue())
    result = I.dossiers_import(source=updated_file, filename="export.csv", by=cast.administrator)
    assert (result.created, result.updated, result.unchanged) == (1, 2, 1275)
    assert Dossier.objects.count() == 1278
    changed = Dossier.objects.get(code=pending[0]["code"])
    assert changed.status == Status.RESOLVED and changed.finished_on == D(2023, 12, 20)
    assert changed.last_import_id == result.import_id != changed.first_import_id
    kept = summary_rows()
    rebuild()
    assert summary_rows() == kept


@time_machine.travel(FROZEN, tick=False)
def test_bad_rows_reject_the_file_naming_each(cast):
    seed002_catalogue(cast.district)
    rows = [
        {"code": "A1", "unit": "thanh-xa", "procedure": "1.001035", "channel": "truc_tiep",
         "received_at": "2023-03-01", "due_at": "2023-03-02", "finished_at": "2023-03-01",
         "intake_digitized": "full", "result_digitized": "1", "paid_online": "0"},
        {"code": "A2", "unit": "khong-co", "procedure": "9.999", "channel": "bay",
         "received_at": "2023-02-30", "due_at": "", "finished_at": "",
         "intake_digitized": "most", "result_digitized": "2", "paid_online": "0"},
        {"code": "A3", "unit": "thanh-xa", "procedure": "1.001035", "channel": "truc_tuyen",
         "received_at": "2023-03-05", "due_at": "2023-03-04", "finished_at": "2023-03-01",
         "intake_digitized": "none", "result_digitized": "0", "paid_online": "0"},
        {"code": "A1", "unit": "thanh-xa", "procedure": "1.001035", "channel": "truc_tiep",
         "received_at": "2023-03-01", "due_at": "", "finished_at": "",
         "intake_digitized": "full", "result_digitized": "1", "paid_online": "0"},
    ]  # fmt: skip
    with pytest.raises(TableErrors) as error:
        I.dossiers_import(source=csv_bytes(rows), filename="bad.csv", by=cast.administrator)
    found = {(e.row, e.column) for e in error.value.errors}
    assert found == {
        (3, "unit"), (3, "procedure"), (3, "channel"), (3, "received_at"),
        (3, "intake_digitized"), (3, "result_digitized"),
        (4, "finished_at"), (4, "due_at"),
        (5, "code"),
    }  # fmt: skip
    messages = {(e.row, e.column): e.message for e in error.value.errors}
    assert messages[(3, "unit")] == I.ERR_UNKNOWN_UNIT.format(value="khong-co")
    assert messages[(4, "finished_at")] == I.ERR_FINISHED_BEFORE_RECEIVED
    assert "dòng 3" in str(error.value)
    assert Dossier.objects.count() == 0 and DossierMonthStat.objects.count() == 0
    assert DossierImport.objects.get().status == "failed"


@time_machine.travel(FROZEN, tick=False)
def test_missing_column_and_unit_schemes(cast):
    seed002_catalogue(cast.district)
    with pytest.raises(TableErrors) as error:
        I.dossiers_import(source=csv_bytes([{"code": "1", "unit": "x"}]), filename="a.csv",
                          by=None)  # fmt: skip
    assert {e.column for e in error.value.errors} == {"procedure", "channel", "received_at"}
    # the same plain code in two schemes is ambiguous; qualified it is not
    Unit.objects.create(scheme="2025", code="thanh-xa", name="Trùng mã", kind=UnitKind.COMMUNE)
    row = {"code": "Q1", "unit": "thanh-xa", "procedure": "1.001035", "channel": "truc_tiep",
           "received_at": "2023-03-01"}  # fmt: skip
    with pytest.raises(TableErrors) as error:
        I.dossiers_import(source=csv_bytes([row]), filename="a.csv", by=None)
    assert error.value.errors[0].message.startswith("Mã đơn vị 'thanh-xa' có ở nhiều hệ mã")
    row["unit"] = "local-thanh-xa"
    I.dossiers_import(source=csv_bytes([row]), filename="a.csv", by=None)
    dossier = Dossier.objects.get()
    assert dossier.unit.scheme == "local"
    # no due_at column: computed from the procedure (1 working day); no finish: processing
    assert dossier.due_on == D(2023, 3, 2) and dossier.status == Status.PROCESSING


@time_machine.travel(FROZEN, tick=False)
def test_vietnamese_headers_and_values_xlsx(cast, tmp_path):
    seed002_catalogue(cast.district)
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã hồ sơ", "Mã đơn vị", "Mã TTHC", "Kênh tiếp nhận", "Ngày tiếp nhận",
                  "Hạn xử lý", "Ngày có kết quả", "Trạng thái", "Số lần bổ sung",
                  "Người nộp", "Thanh toán trực tuyến", "Đánh giá"])  # fmt: skip
    sheet.append(["V1", "thanh-xa", "1.001035", "Trực tuyến", dt.datetime(2023, 3, 1, 16, 45),
                  "02/03/2023", "03/03/2023 09:00", "Đã giải quyết", 0, "Lê Thị B", "có",
                  "Hài lòng"])  # fmt: skip
    sheet.append(["V2", "thanh-xa", "1.001035", "Bưu chính công ích", "01/03/2023 08:00",
                  dt.date(2023, 3, 10), None, "Chờ bổ sung", 2, "Trần C", 0, None])  # fmt: skip
    path = tmp_path / "export.xlsx"
    book.save(path)
    result = I.dossiers_import(source=path, filename="export.xlsx", by=cast.administrator)
    assert result.created == 2
    v1 = Dossier.objects.get(code="V1")
    assert (v1.channel, v1.received_on, v1.due_on, v1.finished_on) == (
        "truc_tuyen", D(2023, 3, 1), D(2023, 3, 2), D(2023, 3, 3))  # fmt: skip
    assert v1.received_at == at("2023-03-01", 16, 45)
    assert v1.paid_online and v1.rating == "satisfied" and v1.applicant == "Lê Thị B"
    v2 = Dossier.objects.get(code="V2")
    assert v2.status == Status.SUPPLEMENT_REQUESTED and v2.late_by_rule
    stats = unit_stats(v2.unit, period_for("month", 2023, 3))
    assert (stats.resolved_late, stats.pending_overdue, stats.pending_in_time) == (1, 1, 0)


@time_machine.travel(FROZEN, tick=False)
def test_dates_padded_or_not_as_people_write_them(cast):
    """Issue 16: CCHC prints 05/9/2023 and 01/02/2023 (NĐ 30/2020); a file typed by a person
    may write 5/9/2023 or 05/09/2023. Every spelling reads the same day, day first."""
    seed002_catalogue(cast.district)
    base = {"unit": "thanh-xa", "procedure": "1.001035", "channel": "truc_tiep",
            "intake_digitized": "full", "result_digitized": "1", "paid_online": "0"}  # fmt: skip
    rows = [
        {**base, "code": "P1", "received_at": "01/3/2023 08:00", "due_at": "2/3/2023",
         "finished_at": "03/3/2023 9:30"},
        {**base, "code": "P2", "received_at": "1/02/2023", "due_at": "02/02/2023",
         "finished_at": "5/2/2023"},
        {**base, "code": "P3", "received_at": "09/10/2023 07:15:00", "due_at": "9/10/2023",
         "finished_at": ""},
    ]  # fmt: skip
    result = I.dossiers_import(source=csv_bytes(rows), filename="d.csv", by=cast.administrator)
    assert result.created == 3
    got = {d.code: (d.received_on, d.due_on, d.finished_on) for d in Dossier.objects.all()}
    assert got == {
        "P1": (D(2023, 3, 1), D(2023, 3, 2), D(2023, 3, 3)),
        "P2": (D(2023, 2, 1), D(2023, 2, 2), D(2023, 2, 5)),
        "P3": (D(2023, 10, 9), D(2023, 10, 9), None),
    }
    assert Dossier.objects.get(code="P1").received_at == at("2023-03-01", 8, 0)


@time_machine.travel(FROZEN, tick=False)
def test_import_keeps_what_the_file_does_not_say(cast):
    seed002_catalogue(cast.district)
    unit = Unit.objects.get(code="thanh-xa")
    procedure = Procedure.objects.get(code="1.004873")
    dossier = S.dossier_create(unit=unit, procedure=procedure, code="K1", applicant="An",
                               channel="truc_tiep", received_at=at("2025-03-03"), by=None,
                               paid_online=True)  # fmt: skip
    S.dossier_finish(dossier=dossier, at=at("2025-03-04"), by=None)
    row = {"code": "K1", "unit": "thanh-xa", "procedure": "1.004873", "channel": "truc_tuyen",
           "received_at": "2025-03-03 09:00"}  # fmt: skip
    result = I.dossiers_import(source=csv_bytes([row]), filename="k.csv", by=None)
    assert result.updated == 1
    dossier.refresh_from_db()
    assert dossier.channel == "truc_tuyen"
    assert dossier.paid_online and dossier.applicant == "An"
    assert dossier.status == Status.RESOLVED and dossier.finished_on == D(2025, 3, 4)
    assert dossier.last_import_id == result.import_id
    kept = summary_rows()
    rebuild()
    assert summary_rows() == kept


def test_procedures_import_export_round_trip(cast, tmp_path):
    text = (
        "Mã TTHC,Tên thủ tục,Lĩnh vực,Cấp thực hiện,processing_days,fee,online_class,active\n"
        "1.001193,Đăng ký khai sinh,Hộ tịch,Cấp xã,1,0,Toàn trình,1\n"
        "1.004873,Đăng ký biến động,Đất đai,commune,10,50000,partial,\n"
    )
    result = I.procedures_import(source=io.BytesIO(text.encode()), filename="dm.csv", by=None)
    assert (result.created, result.updated) == (2, 0)
    birth = Procedure.objects.get(code="1.001193")
    assert birth.online_class == "full" and birth.level == "commune" and birth.active
    out = io.StringIO()
    assert I.procedures_export(out) == 2
    again = I.procedures_import(source=io.BytesIO(out.getvalue().encode()), filename="dm.csv",
                                by=None)  # fmt: skip
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    bad = "code,name,processing_days,online_class\n1.1,Tên,-1,toan\n,Không mã,1,full\n"
    with pytest.raises(TableErrors) as error:
        I.procedures_import(source=io.BytesIO(bad.encode()), filename="x.csv", by=None)
    assert {(e.row, e.column) for e in error.value.errors} == {
        (2, "processing_days"), (2, "online_class"), (3, "code")}  # fmt: skip
    assert Procedure.objects.count() == 2


def _batch(header: list[str], records: list[list[str]], first_row: int = 2):
    """A batch as the CSV scan gives it: the row number, then the file's text columns."""
    import polars as pl

    columns = {I.ROW: list(range(first_row, first_row + len(records)))}
    for i, name in enumerate(header):
        columns[name] = [r[i] if i < len(r) else None for r in records]
    return pl.DataFrame(columns, schema={I.ROW: pl.UInt32, **{h: pl.String for h in header}})


def _per_row(reader, batch):
    rows = [reader.line(row[0], row[1:]) for row in batch.iter_rows()]
    assert None not in rows, reader.errors
    return reader.rows_of(rows)


@time_machine.travel(FROZEN, tick=False)
def test_column_wise_and_per_row_paths_agree(cast):
    """The column-wise path (polars) gives exactly the rows the per-row path (the reference:
    aliases, labels, every error named) gives, and leaves it every row it does not take."""
    seed002_catalogue(cast.district)
    with open(FIXTURE, encoding="utf-8") as handle:
        records = list(csv.reader(handle))
    extra = ["applicant", "status", "supplement_count", "rating", "synced", "late_by_rule"]
    header = records[0] + extra
    rows = [
        r + [" Nguyễn\tVăn A ", ("Đã giải quyết" if i % 2 else "resolved") if r[6] else "processing",
             str(i % 3), "satisfied" if i % 2 else "", "Có" if i % 5 else "0",
             "" if i % 7 else "1"]
        for i, r in enumerate(records[1:], 2)
    ]  # fmt: skip
    for i, row in enumerate(rows):  # labels, Vietnamese dates and times
        if i % 4 == 0:
            row[3] = {"truc_tiep": "Trực tiếp", "truc_tuyen": "TRỰC TUYẾN"}.get(row[3], row[3])
        if i % 6 == 0:
            day = dt.date.fromisoformat(row[4][:10])
            row[4] = day.strftime("%d/%m/%Y") + (" " + row[4][11:16] if len(row[4]) > 10 else "")
    batch = _batch(header, rows)
    reader = I.Reader(header, "x.csv")
    fast, rest = reader.take(batch)
    assert rest.is_empty() and fast.height == 1277
    assert fast.to_dicts() == _per_row(I.Reader(header, "x.csv"), batch).to_dicts()
    assert fast.get_column("late_by_rule").sum() > 0 and fast.get_column("synced").sum() > 0

    # a bad row, or anything unusual, is left to the per-row path; the others are taken
    rows[5][4] = "2025-02-30"  # no such day
    rows[9][1] = "khong-co"  # no such unit
    rows[11][4] = rows[11][4][:10] + "T08:00:00+07:00"  # an offset: the per-row path reads it
    rows[12][len(records[0]) + 2] = "2.0"
    reader = I.Reader(header, "x.csv")
    fast, rest = reader.take(_batch(header, rows))
    assert rest.get_column(I.ROW).to_list() == [7, 11, 13, 14]
    assert fast.height == 1277 - 4
    assert reader.line(13, rest.row(2)[1:]) is not None
    assert reader.line(7, rest.row(0)[1:]) is None
    assert [(e.row, e.column) for e in reader.errors] == [(7, "received_at")]

    # without due_at: due dates from the procedures, the same on both paths
    header = [h for h in records[0] if h != "due_at"]
    chunk = [record[:5] + record[6:] for record in records[1:50]]
    batch = _batch(header, chunk)
    fast, rest = I.Reader(header, "x.csv").take(batch)
    assert rest.is_empty()
    assert fast.to_dicts() == _per_row(I.Reader(header, "x.csv"), batch).to_dicts()
    assert fast.get_column("due_on").null_count() == 0


@time_machine.travel(FROZEN, tick=False)
def test_a_person_imports_only_the_units_they_may_edit(cast):
    seed002_catalogue(cast.district)
    row = {"code": "P1", "unit": "local-DONGTAM", "procedure": "1.001035",
           "channel": "truc_tiep", "received_at": "2025-03-03"}  # fmt: skip
    with pytest.raises(TableErrors) as error:
        I.dossiers_import(source=csv_bytes([row]), filename="p.csv", by=cast.officer_thanh_xa)
    assert error.value.errors[0].message == I.ERR_UNIT_NOT_ALLOWED.format(value="local-DONGTAM")
    I.dossiers_import(source=csv_bytes([row]), filename="p.csv", by=cast.officer)
    I.dossiers_import(source=csv_bytes([dict(row, code="P2")]), filename="p.csv",
                      by=cast.administrator)  # fmt: skip
    assert Dossier.objects.count() == 2


@time_machine.travel(FROZEN, tick=False)
def test_open_supplement_stays_open_only_if_the_file_says_so(cast):
    seed002_catalogue(cast.district)
    unit = Unit.objects.get(code="thanh-xa")
    procedure = Procedure.objects.get(code="1.004873")
    dossier = S.dossier_create(unit=unit, procedure=procedure, code="W1", applicant="An",
                               channel="truc_tiep", received_at=at("2025-03-03"), by=None)  # fmt: skip
    S.dossier_request_supplement(dossier=dossier, at=at("2025-03-04"), by=None)
    row = {"code": "W1", "unit": "thanh-xa", "procedure": "1.004873", "channel": "truc_tiep",
           "received_at": "2025-03-03 09:00", "due_at": dossier.due_on.isoformat(),
           "status": "supplement_requested", "supplement_count": "1"}  # fmt: skip
    I.dossiers_import(source=csv_bytes([row]), filename="w.csv", by=None)
    dossier.refresh_from_db()
    assert dossier.clock_stopped_on == D(2025, 3, 4)
    row.update(status="resolved", finished_at="2025-03-10")
    I.dossiers_import(source=csv_bytes([row]), filename="w.csv", by=None)
    dossier.refresh_from_db()
    assert dossier.clock_stopped_on is None and dossier.status == Status.RESOLVED
    kept = summary_rows()
    rebuild()
    assert summary_rows() == kept


def _dossier_indexes() -> set[str]:
    from django.db import connection

    table = Dossier._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass "
                "UNION SELECT indexname FROM pg_indexes WHERE tablename = %s",
                [table, table],
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE tbl_name = %s", [table])
        return {name for (name,) in cursor.fetchall()}


@time_machine.travel(FROZEN, tick=False)
def test_a_big_first_import_rebuilds_the_indexes_and_gives_the_same_figures(cast, monkeypatch):
    """A first load of many rows goes straight into the table with its indexes (and, on
    PostgreSQL, its unique and foreign-key constraints) dropped and built again after; the
    dossiers and the summary are the same as by the general path."""
    from django.db import connection

    unit = seed002_catalogue(cast.district)
    indexes = _dossier_indexes()
    assert {"dossier_unit_received", "dossier_open_due", "dossier_clock_stopped"} <= indexes
    _small_bulk(monkeypatch)
    streamed: list[bool] = []
    stream = running.stream_first_load
    monkeypatch.setattr(
        running, "stream_first_load", lambda *a: streamed.append(stream(*a)) or streamed[-1]
    )
    result = I.dossiers_import(source=FIXTURE, filename=FIXTURE.name, by=None)
    assert result.bulk and (result.rows, result.created) == (1277, 1277)
    # PostgreSQL checks and loads in one pass (COPY while reading); SQLite in two
    assert streamed == [connection.vendor == "postgresql"]
    assert Dossier.objects.filter(created_at=FROZEN, last_import=result.import_id).count() == 1277
    assert _dossier_indexes() == indexes
    bulk_summary = summary_rows()
    rebuild()
    assert summary_rows() == bulk_summary
    stats = unit_stats(unit, period_for("year", 2023))
    assert (stats.received_total, stats.received_truc_tuyen, stats.resolved_total) == (
        1277, 1127, 1274)  # fmt: skip
    # the same file again: the units have dossiers now, the general path finds no change
    again = I.dossiers_import(source=FIXTURE, filename=FIXTURE.name, by=None)
    assert not again.bulk and (again.created, again.updated, again.unchanged) == (0, 0, 1277)
    assert summary_rows() == bulk_summary


def test_lookups_and_joins_by_unit_and_code_use_the_unique_index(cast):
    """An update of a big table joins the staged rows to the dossiers by (unit, code) and
    looks dossiers up by it; both must use the unique index. (A partial index would not be
    used by SQLite unless the query repeats its condition, nor by PostgreSQL for a join:
    a re-import of 5 million rows then scanned each unit's dossiers for every row.)"""
    from django.db import connection

    seed002_catalogue(cast.district)
    I.dossiers_import(source=FIXTURE, filename=FIXTURE.name, by=None)
    table = Dossier._meta.db_table
    join = (f"SELECT d.id FROM probe s JOIN {table} d "
            f"ON d.unit_id = s.unit_id AND d.code = s.code")  # fmt: skip
    lookup = Dossier.objects.filter(unit_id=1, code="X").only("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE probe (unit_id integer, code varchar(64))")
        if connection.vendor == "postgresql":
            # as after autovacuum's ANALYZE, and no plan but through an index
            cursor.execute(f"ANALYZE {table}")
            for plan in ("seqscan", "hashjoin", "mergejoin", "bitmapscan"):
                cursor.execute(f"SET LOCAL enable_{plan} = off")
            explain = "EXPLAIN "
        else:
            explain = "EXPLAIN QUERY PLAN "
        plans = []
        for query, params in ((join, ()), lookup):
            cursor.execute(explain + query, params)
            plans.append(" ".join(str(part) for row in cursor.fetchall() for part in row))
        cursor.execute("DROP TABLE probe")
    for plan in plans:
        assert "dossier_unit_code_unique" in plan, plan


@time_machine.travel(FROZEN, tick=False)
def test_an_import_into_units_without_dossiers_matches_a_row_by_row_load(cast):
    """The direct load (units without dossiers) writes what the ORM would: the same times
    (UTC), dates, flags and the import's stamps."""
    seed002_catalogue(cast.district)
    I.dossiers_import(source=csv_bytes([
        {"code": "A1", "unit": "local-thanh-xa", "procedure": "1.001035", "channel": "Trực tiếp",
         "received_at": "02/01/2023 07:30", "finished_at": "2023-01-03T16:45:10",
         "paid_online": "1", "intake_digitized": "full"},
    ]), filename="a.csv", by=None)  # fmt: skip
    dossier = Dossier.objects.get(code="A1")
    assert dossier.received_at == dt.datetime(2023, 1, 2, 0, 30, tzinfo=dt.UTC)
    assert dossier.finished_at == dt.datetime(2023, 1, 3, 9, 45, 10, tzinfo=dt.UTC)
    assert (dossier.received_on, dossier.finished_on, dossier.due_on) == (
        D(2023, 1, 2), D(2023, 1, 3), D(2023, 1, 3))  # fmt: skip
    assert (dossier.channel, dossier.status, dossier.paid_online, dossier.result_digitized) == (
        "truc_tiep", "resolved", True, False)  # fmt: skip
    assert dossier.first_import_id == dossier.last_import_id == DossierImport.objects.get().pk
    assert dossier.created_at == FROZEN


@pytest.mark.parametrize("block", [1, 7, 64, 1 << 20])
def test_csv_file_reads_records_across_blocks(monkeypatch, block):
    """Blocks end at a line break outside quotes: a quoted field with line breaks, doubled
    quotes, CRLF, a BOM, a semicolon separator, a blank row and a last line without a
    break all come out as the csv module reads them, with their row numbers."""
    monkeypatch.setattr(I.CsvFile, "BLOCK", block)
    text = '\ufeffcode;unit;note\r\nA1;x;"một\r\nhai; ""ba"""\r\n\r\nA2;y;\r\nA3;"z"";"'
    data = text.encode()
    csv_file = I.CsvFile(io.BytesIO(data), "x.csv")
    assert csv_file.header == ["code", "unit", "note"]
    rows = [r for batch in csv_file.batches() for r in batch.iter_rows()]
    assert [(r[0], *(v or "" for v in r[1:])) for r in rows] == [
        (2, "A1", "x", 'một\r\nhai; "ba"'),
        (3, "", "", ""),
        (4, "A2", "y", ""),
        (5, "A3", 'z";', ""),
    ]
    assert csv_file.fraction() == 1.0


def test_a_file_that_is_not_utf8_is_refused_by_name():
    with pytest.raises(TableErrors) as error:
        I.dossiers_import(
            source=io.BytesIO(b"code,unit,procedure,channel,received_at\n\xff\xfe,1,2,3,4\n"),
            filename="x.csv",
            by=None,
        )
    assert error.value.errors[0].message.startswith("Tệp không phải văn bản UTF-8")


@time_machine.travel(FROZEN, tick=False)
def test_a_big_first_import_with_a_bad_row_changes_nothing(cast, monkeypatch):
    """On PostgreSQL a big first load checks and loads in one pass: an error found in a
    late row still rolls everything back (rows, indexes and constraints as they were)."""
    seed002_catalogue(cast.district)
    _small_bulk(monkeypatch)
    monkeypatch.setattr(I.CsvFile, "BLOCK", 4096)  # many batches: the error comes late
    indexes = _dossier_indexes()
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    lines[1200] = lines[1200].replace("thanh-xa", "khong-co", 1)
    lines.append(lines[5])  # and a duplicate
    with pytest.raises(TableErrors) as error:
        I.dossiers_import(source=io.BytesIO("\n".join(lines).encode()), filename="x.csv", by=None)
    assert [(e.row, e.column) for e in error.value.errors] == [(1201, "unit"), (1279, "code")]
    assert not Dossier.objects.exists() and not DossierMonthStat.objects.exists()
    assert _dossier_indexes() == indexes
    assert DossierImport.objects.get().status == DossierImport.ImportStatus.FAILED


@time_machine.travel(FROZEN, tick=False)
def test_a_big_first_import_still_has_the_table_checks(cast, monkeypatch):
    """The big load relaxes what it can (SQLite: CHECK constraints during the insert,
    verified in one scan after), but a row the checks refuse still refuses the import."""
    import polars as pl
    import psycopg
    from django.db import IntegrityError

    seed002_catalogue(cast.district)
    _small_bulk(monkeypatch)
    take = I.Reader.take

    def corrupt(self, batch):
        rows, rest = take(self, batch)
        return rows.with_columns(channel=pl.lit("fax")), rest  # no such channel

    monkeypatch.setattr(I.Reader, "take", corrupt)
    indexes = _dossier_indexes()
    with pytest.raises((IntegrityError, psycopg.errors.IntegrityError)):
        I.dossiers_import(source=FIXTURE, filename=FIXTURE.name, by=None)
    assert not Dossier.objects.exists()
    assert _dossier_indexes() == indexes
