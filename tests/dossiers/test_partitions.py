"""The dossier table partitioned by year on PostgreSQL (issue 18, cchc.dossiers.partitions):
a partition a year and a default one, (unit, code) unique across years, the events'
reference, rows moved across years, partitions made by imports and by the command, a year
archived and brought back. SQLite keeps one plain table and the commands say so."""

from __future__ import annotations

import csv
import datetime as dt
import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from cchc.core.tabular import TableErrors
from cchc.dossiers import partitions, selectors, services, summary
from cchc.dossiers.imports import dossiers_import
from cchc.dossiers.models import ArchivedYear, Dossier, DossierEvent, DossierMonthStat
from cchc.dossiers.periods import custom_period, period_for
from tests.dossiers.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def pg():
    if connection.vendor != "postgresql":
        pytest.skip("partitions are PostgreSQL's")


def where(dossier: Dossier) -> str:
    """The partition a dossier's row is in."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM dossiers_dossier WHERE id = %s", [dossier.pk]
        )
        return cursor.fetchone()[0]


def codes(dossier: Dossier) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT unit_id, code, received_on FROM dossiers_dossiercode WHERE dossier_id = %s",
            [dossier.pk],
        )
        return cursor.fetchone()


def create(cast, procedures, day: str, code: str = "") -> Dossier:
    return services.dossier_create(
        unit=cast.thanh_xa, procedure=procedures["birth"], code=code, applicant="Người nộp",
        channel="truc_tiep", received_at=at(day), by=cast.officer,
    )  # fmt: skip


def csv_file(unit: str, rows: list[tuple[str, str, str]], procedure="1.001193") -> io.BytesIO:
    """(code, received_at, finished_at) rows of one unit, one procedure."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "unit", "procedure", "channel", "received_at", "finished_at"])
    for code, received, finished in rows:
        writer.writerow([code, f"local-{unit}", procedure, "Trực tiếp", received, finished])
    return io.BytesIO(out.getvalue().encode())


def summary_rows():
    cols = ["unit_id", "month", *[f.name for f in DossierMonthStat._meta.fields[3:]]]
    return sorted(r for r in DossierMonthStat.objects.values_list(*cols) if any(r[2:]))


def listed() -> dict[int | None, int]:
    with connection.cursor() as cursor:
        return {p.year: p.rows for p in partitions.partitions(cursor)}


def test_the_table_is_partitioned_with_a_default_partition_and_a_codes_table(pg):
    with connection.cursor() as cursor:
        assert partitions.is_partitioned(cursor)
        cursor.execute("SELECT to_regclass('dossiers_dossiercode') IS NOT NULL")
        assert cursor.fetchone()[0]
    assert None in listed()


def test_sqlite_keeps_one_plain_table_and_the_commands_say_why(cast):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's behaviour")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'dossiers_dossier'")
        assert "PARTITION" not in cursor.fetchone()[0]
    for args in (["partitions"], ["archive-year", "2020"], ["unarchive-year", "2020"]):
        with pytest.raises(CommandError, match="không chia theo năm"):
            call_command("dossiers", *args)


def test_a_year_without_partition_lands_in_default_and_the_command_moves_it(pg, cast, procedures):
    first = create(cast, procedures, "2019-03-04")
    assert where(first) == partitions.DEFAULT
    out = io.StringIO()
    call_command("dossiers", "partitions", stdout=out)
    assert "phân vùng mặc định có 1 hồ sơ năm 2019" in out.getvalue()
    out = io.StringIO()
    call_command("dossiers", "partitions", "--create", "2019", stdout=out)
    assert "Năm 2019: đã tạo phân vùng, chuyển 1 hồ sơ vào." in out.getvalue()
    assert "dossiers_dossier_2019" in out.getvalue()
    assert where(first) == "dossiers_dossier_2019"
    assert listed()[2019] == 1 and listed()[None] == 0
    # the moved dossier is the same dossier, still found, its code still held
    assert Dossier.objects.get(pk=first.pk).code == first.code
    assert codes(first) == (cast.thanh_xa.pk, first.code, dt.date(2019, 3, 4))
    again = io.StringIO()
    call_command("dossiers", "partitions", "--create", "2019", stdout=again)
    assert "Năm 2019: đã có phân vùng." in again.getvalue()
    # each partition's indexes are named after the parent's
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'dossiers_dossier_2019'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"dossier_unit_code_unique_2019", "dossier_unit_received_2019",
            "dossier_content_hash_2019"} <= names  # fmt: skip


def test_unit_and_code_stay_unique_across_years(pg, cast, procedures):
    with connection.cursor() as cursor:
        partitions.create_year(cursor, 2022)
        partitions.create_year(cursor, 2023)
    first = create(cast, procedures, "2022-05-01", code="HS-1")
    for day in ("2023-05-01", "2022-06-01"):  # another partition, the same one
        twin = Dossier.objects.get(pk=first.pk)
        twin.pk, twin.received_at = None, at(day)
        with pytest.raises(IntegrityError), transaction.atomic():
            twin.save()
    assert Dossier.objects.filter(code="HS-1").count() == 1


def test_a_received_date_corrected_across_years_moves_the_row_and_keeps_its_events(
    pg, cast, procedures
):
    with connection.cursor() as cursor:
        partitions.create_year(cursor, 2022)
        partitions.create_year(cursor, 2023)
    dossier = create(cast, procedures, "2022-12-30")
    DossierEvent.objects.create(dossier=dossier, kind="note", at=at("2022-12-30"), reason="x")
    events = dossier.events.count()
    assert where(dossier) == "dossiers_dossier_2022"
    dossier.received_at = at("2023-01-02")
    dossier.save()
    assert where(dossier) == "dossiers_dossier_2023"
    assert codes(dossier)[2] == dt.date(2023, 1, 2)
    assert Dossier.objects.get(pk=dossier.pk).events.count() == events
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the events' key checked now
    # deleting it takes its events and its code
    Dossier.objects.filter(pk=dossier.pk).delete()
    assert codes(dossier) is None and not DossierEvent.objects.exists()


def test_an_event_of_no_dossier_is_refused(pg, cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        DossierEvent.objects.create(dossier_id=987654321, kind="note", at=at("2024-01-01"))
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_an_import_makes_the_partitions_of_its_years_and_moves_rows_it_corrects(
    pg, cast, procedures
):
    unit = cast.thanh_xa.code
    first = dossiers_import(source=csv_file(unit, [
        ("A-1", "02/01/2016 07:30", "03/01/2016 10:00"),
        ("A-2", "31/12/2016 08:00", ""),
        ("A-3", "05/06/2017 08:00", ""),
    ]), filename="a.csv", by=None)  # fmt: skip
    assert first.created == 3
    parts = listed()
    assert parts[2016] == 2 and parts[2017] == 1 and parts[None] == 0
    # a monthly update: A-2's received date corrected into 2017, A-4 new, A-1 unchanged
    second = dossiers_import(source=csv_file(unit, [
        ("A-1", "02/01/2016 07:30", "03/01/2016 10:00"),
        ("A-2", "02/01/2017 08:00", ""),
        ("A-3", "05/06/2017 08:00", "06/06/2017 09:00"),
        ("A-4", "07/06/2017 08:00", ""),
    ]), filename="b.csv", by=None)  # fmt: skip
    assert (second.created, second.updated, second.unchanged) == (1, 2, 1)
    moved = Dossier.objects.get(code="A-2")
    assert where(moved) == "dossiers_dossier_2017"
    assert codes(moved)[2] == dt.date(2017, 1, 2)
    assert listed()[2016] == 1 and listed()[2017] == 3
    assert Dossier.objects.get(code="A-3").finished_on == dt.date(2017, 6, 6)
    before = summary_rows()
    summary.rebuild()
    assert summary_rows() == before  # the summary kept exact through the move


def test_a_year_is_archived_to_a_file_and_brought_back(pg, cast, procedures, tmp_path):
    unit = cast.thanh_xa.code
    dossiers_import(source=csv_file(unit, [
        ("B-1", "02/01/2021 07:30", "03/01/2021 10:00"),
        ("B-2", "28/12/2021 08:00", "05/01/2022 10:00"),
        ("B-3", "05/06/2022 08:00", ""),
    ]), filename="a.csv", by=None)  # fmt: skip
    stats_before = summary_rows()
    year = period_for("year", 2021)  # reporting months: from the summary
    year_before = selectors.unit_stats(cast.thanh_xa, year)
    later = custom_period(dt.date(2022, 2, 1), dt.date(2022, 6, 30))  # from the rows
    later_before = selectors.unit_stats(cast.thanh_xa, later)
    rows_before = sorted(Dossier.objects.values_list("code", "received_on", "finished_on"))
    path = tmp_path / "ho-so-2021.csv.gz"
    out = io.StringIO()
    call_command("dossiers", "archive-year", "2021", "--to", str(path), "--drop", stdout=out)
    assert "Đã lưu trữ 2 hồ sơ năm 2021 (bảng đã xoá, tệp" in out.getvalue()
    assert sorted(Dossier.objects.values_list("code", flat=True)) == ["B-3"]
    record = ArchivedYear.objects.get(year=2021)
    assert (record.rows, record.table, record.last_finished_on) == (2, "", dt.date(2022, 1, 5))
    assert summary_rows() == stats_before  # the summary keeps the archived year's figures
    # figures from the summary are the same; from rows the archived year's dossiers reach:
    # refused as archived, never 0; from rows it does not reach: the same
    assert selectors.unit_stats(cast.thanh_xa, year) == year_before
    assert selectors.unit_stats(cast.thanh_xa, later) == later_before
    days = custom_period(dt.date(2021, 3, 1), dt.date(2021, 3, 20))
    for figures in (
        lambda: selectors.unit_stats(cast.thanh_xa, days),
        lambda: selectors.stats_by_field(cast.thanh_xa, year),
        lambda: selectors.stats_by_field(cast.thanh_xa, custom_period(dt.date(2022, 1, 2),
                                                                      dt.date(2022, 1, 9))),
    ):  # fmt: skip
        with pytest.raises(selectors.ArchivedPeriod, match="Chưa có số liệu \\(đã lưu trữ\\)"):
            figures()
    out = io.StringIO()
    call_command("dossiers", "stats", "local-" + unit, "--period", "2021",
                 "--format", "csv", stdout=out)  # fmt: skip
    with pytest.raises(CommandError, match="năm 2021, đã tách"):
        call_command("dossiers", "stats", "local-" + unit, "--from", "2021-03-01",
                     "--to", "2021-03-20")  # fmt: skip
    assert 2021 not in listed()
    # the year's codes stay taken: an import cannot bring them back as new dossiers
    with pytest.raises(TableErrors, match="năm này đã lưu trữ") as refused:
        dossiers_import(source=csv_file(unit, [("B-9", "03/03/2021 08:00", "")]),
                        filename="c.csv", by=None)  # fmt: skip
    assert refused.value.errors[0].row == 2
    with pytest.raises(CommandError, match="đã lưu trữ rồi"):
        call_command("dossiers", "archive-year", "2021")
    with pytest.raises(CommandError, match="cần --from TỆP"):
        call_command("dossiers", "unarchive-year", "2021")
    call_command("dossiers", "unarchive-year", "2021", "--from", str(path), stdout=io.StringIO())
    assert sorted(Dossier.objects.values_list("code", "received_on", "finished_on")) == (
        rows_before
    )
    assert listed()[2021] == 2 and not ArchivedYear.objects.exists()
    assert where(Dossier.objects.get(code="B-1")) == "dossiers_dossier_2021"


def test_a_detached_year_is_kept_as_a_table_and_attached_again(pg, cast, procedures):
    unit = cast.thanh_xa.code
    dossiers_import(source=csv_file(unit, [("C-1", "02/01/2020 07:30", "03/01/2020 10:00")]),
                    filename="a.csv", by=None)  # fmt: skip
    call_command("dossiers", "archive-year", "2020", stdout=io.StringIO())
    assert not Dossier.objects.exists()
    with connection.cursor() as cursor:
        assert partitions.archived_table(cursor, 2020)
        cursor.execute("SELECT COUNT(*) FROM dossiers_dossier_2020")
        assert cursor.fetchone()[0] == 1
    with pytest.raises(CommandError, match="đã lưu trữ"):
        call_command("dossiers", "partitions", "--create", "2020")
    stray = create(cast, procedures, "2020-05-05")  # at the desk, after the archive
    assert where(stray) == partitions.DEFAULT
    with pytest.raises(CommandError, match="có 1 hồ sơ năm 2020 nhập sau khi lưu trữ"):
        call_command("dossiers", "unarchive-year", "2020")
    Dossier.objects.filter(pk=stray.pk).delete()
    call_command("dossiers", "unarchive-year", "2020", stdout=io.StringIO())
    assert Dossier.objects.get().code == "C-1"


def test_archiving_is_refused_for_open_dossiers_this_year_and_unpartitioned_years(
    pg, cast, procedures
):
    create(cast, procedures, "2018-03-04")
    with pytest.raises(CommandError, match="không có phân vùng riêng"):
        call_command("dossiers", "archive-year", "2018")
    with connection.cursor() as cursor:
        partitions.create_year(cursor, 2018)
    with pytest.raises(CommandError, match="còn 1 hồ sơ chưa kết thúc"):
        call_command("dossiers", "archive-year", "2018")
    this_year = dt.date.today().year
    with pytest.raises(CommandError, match=f"Năm {this_year} chưa qua"):
        call_command("dossiers", "archive-year", str(this_year))
    with pytest.raises(CommandError, match="--drop cần --to"):
        call_command("dossiers", "archive-year", "2018", "--drop")
    assert not ArchivedYear.objects.exists() and 2018 in listed()


@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_into_the_partitioned_table_neither_deadlock_nor_lose_rows(
    pg, cast, procedures
):
    """Two monthly updates of overlapping dossiers at once, each moving rows across years
    and adding new ones: they take the table lock in turn, both land, none deadlocks."""
    from django.db import connections

    unit = cast.thanh_xa.code
    base = [(f"D-{n}", f"0{1 + n % 9}/03/2024 08:00", "") for n in range(200)]
    # a procedure without processing time: no due date to keep ahead of a moved date
    dossiers_import(source=csv_file(unit, base, "2.000884"), filename="base.csv", by=None)
    files = [
        [(code, received.replace("2024", "2025"), "") for code, received, _ in base[:150]]
        + [(f"N{k}-{n}", "01/02/2025 08:00", "") for n in range(50)]
        for k in range(2)
    ]
    errors: list[BaseException] = []

    def run(rows):
        try:
            dossiers_import(source=csv_file(unit, rows, "2.000884"), filename="m.csv", by=None)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion
            errors.append(error)
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=run, args=(rows,)) for rows in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert Dossier.objects.count() == 300
    assert Dossier.objects.filter(received_on__year=2025).count() == 250
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM dossiers_dossiercode")
        assert cursor.fetchone()[0] == 300
    before = summary_rows()
    summary.rebuild()
    assert summary_rows() == before


def test_the_statistics_page_says_an_archived_year_s_rows_are_archived(
    pg, cast, procedures, client_for
):
    from django.urls import reverse

    unit = cast.thanh_xa.code
    dossiers_import(source=csv_file(unit, [("E-1", "02/03/2021 07:30", "03/03/2021 10:00")]),
                    filename="a.csv", by=None)  # fmt: skip
    call_command("dossiers", "archive-year", "2021", stdout=io.StringIO())
    client = client_for(cast.administrator)
    stats = reverse("dossiers:stats")
    # the reporting year: the form from the summary, the by-field table refused as archived
    page = client.get(stats, {"unit": cast.thanh_xa.pk, "kind": "year", "year": 2021})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="fields-archived"' in html and "Chưa có số liệu (đã lưu trữ)" in html
    # days cut inside the archived year: the whole report says so, no zeros
    page = client.get(stats, {"unit": cast.thanh_xa.pk, "kind": "custom",
                              "start": "2021-03-01", "end": "2021-03-20"})  # fmt: skip
    html = page.content.decode()
    assert page.status_code == 200 and "Chưa có số liệu (đã lưu trữ)" in html
    assert 'data-testid="fields"' not in html


def test_a_big_first_load_makes_its_years_partitions_and_writes_every_code(pg, cast, monkeypatch):
    """The streamed first load (COPY while checking, indexes rebuilt) makes the partitions
    of the years its received column names before it loads, and writes the codes after
    the load in one statement: nothing left in the default partition, a code per row,
    each partition's indexes named after the parent's again."""
    from cchc.dossiers.imports import running
    from tests.dossiers.test_import import FIXTURE, _small_bulk, seed002_catalogue

    seed002_catalogue(cast.district)
    _small_bulk(monkeypatch)
    streamed: list[bool] = []
    stream = running.stream_first_load
    monkeypatch.setattr(
        running, "stream_first_load", lambda *a: streamed.append(stream(*a)) or streamed[-1]
    )
    result = dossiers_import(source=FIXTURE, filename=FIXTURE.name, by=None)
    assert streamed == [True] and result.bulk and result.created == 1277
    parts = listed()
    assert parts[None] == 0 and sum(parts.values()) == 1277
    assert {2022, 2023} <= set(parts)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM dossiers_dossiercode")
        assert cursor.fetchone()[0] == 1277
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'dossiers_dossier_2023'")
        names = {row[0] for row in cursor.fetchall()}
        # every parent index whole again: valid only when each partition has its own
        cursor.execute(
            "SELECT bool_and(indisvalid) FROM pg_index WHERE indrelid = %s::regclass",
            [partitions.TABLE],
        )
        assert cursor.fetchone()[0]
    assert {"dossier_unit_code_unique_2023", "dossier_unit_received_2023",
            "dossier_open_due_2023"} <= names  # fmt: skip


def test_the_statistics_workbook_of_an_archived_year_says_so_instead_of_failing(
    pg, cast, procedures, client_for
):
    """The year's form 06 and its months come from the summary; its table by field needs
    the rows: that sheet says the year is archived (it was a 500; never a sheet of zeros)."""
    from django.urls import reverse
    from openpyxl import load_workbook

    dossiers_import(source=csv_file(cast.thanh_xa.code, [
        ("B-1", "02/03/2021 07:30", "03/03/2021 10:00"),
        ("B-2", "05/06/2022 08:00", ""),
    ]), filename="a.csv", by=None)  # fmt: skip
    call_command("dossiers", "archive-year", "2021", stdout=io.StringIO())
    client = client_for(cast.administrator)
    query = {"unit": cast.thanh_xa.pk, "kind": "year", "year": 2021}
    response = client.get(reverse("dossiers:stats-xlsx"), query)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    form = [c for row in book["Biểu 06"].iter_rows(values_only=True) for c in row if c]

    def says_archived(name: str) -> bool:
        cells = [c for row in book[name].iter_rows(values_only=True) for c in row if c]
        return any(str(c).startswith("Chưa có số liệu (đã lưu trữ)") for c in cells)

    assert says_archived("Theo lĩnh vực")  # needs the rows
    assert not says_archived("Theo tháng")  # whole reporting months: from the summary
    assert cast.thanh_xa.name in " ".join(str(c) for c in form)
