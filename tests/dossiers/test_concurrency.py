"""Concurrent writers, on the real database (issue 13).

SQLite: the test database is in memory, where connections share one cache and a busy
writer makes the others fail at once (busy_timeout does not apply), so these tests copy it
to a FILE and give every thread its own connection to that file, as gunicorn workers
have. PostgreSQL: every thread has its own connection to the test database."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from django.db import connection, connections
from django.utils import timezone

from cchc.dossiers import services
from cchc.dossiers.imports import dossiers_import
from cchc.dossiers.models import Dossier

pytestmark = pytest.mark.django_db(transaction=True)
WRITERS = 20


@pytest.fixture
def database_file(tmp_path):
    """None on PostgreSQL; on SQLite, the committed test database copied to a file."""
    if connection.vendor != "sqlite":
        return None
    path = tmp_path / "cchc.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    return path


@contextmanager
def own_connection(database_file):
    """This thread's connection: to the file on SQLite (with the project's settings:
    BEGIN IMMEDIATE, WAL, the busy timeout), the usual one on PostgreSQL."""
    if database_file is not None:
        wrapper_class = type(connections["default"])
        settings = {**connections["default"].settings_dict, "NAME": str(database_file)}
        connections["default"] = wrapper_class(settings, "default")
    try:
        yield
    finally:
        connections["default"].close()


def in_file(database_file, query):
    """Run `query()` against where the threads wrote."""
    result = []

    def run():
        with own_connection(database_file):
            result.append(query())

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0]


def test_twenty_creates_without_a_code_get_twenty_distinct_codes(cast, procedures, database_file):
    """Issue 13: 91-104 of 250 creates were refused "Mã hồ sơ … đã có" when the number was
    picked before the transaction."""
    received_at = timezone.now() - dt.timedelta(hours=1)
    start = threading.Barrier(WRITERS)

    def create(n: int) -> str:
        with own_connection(database_file):
            start.wait()
            dossier = services.dossier_create(
                unit=cast.dong_tam,
                procedure=procedures["birth"],
                applicant=f"Người nộp {n}",
                channel="truc_tiep",
                received_at=received_at,
                by=cast.officer,
            )
            return dossier.code

    with ThreadPoolExecutor(WRITERS) as pool:
        codes = list(pool.map(create, range(WRITERS)))  # any refusal raises here
    assert len(set(codes)) == WRITERS
    stored = in_file(
        database_file,
        lambda: sorted(Dossier.objects.filter(unit=cast.dong_tam).values_list("code", flat=True)),
    )
    assert stored == sorted(codes)
    day = timezone.localdate(received_at)
    assert stored[0] == f"DONGTAM-{day:%y%m%d}-0001"
    assert stored[-1] == f"DONGTAM-{day:%y%m%d}-{WRITERS:04d}"


IMPORT_ROWS = 30_000


def _import_file(unit_code: str, rows: int) -> bytes:
    lines = ["code,unit,procedure,received_at,channel,applicant"]
    day = dt.date(2024, 3, 1)
    for n in range(rows):
        received = day + dt.timedelta(days=n % 200)
        lines.append(
            f"IMP-{n:07d},{unit_code},1.001193,{received:%d/%m/%Y} 08:00,truc_tuyen,Người {n}"
        )
    return ("\n".join(lines) + "\n").encode()


def import_holds_the_write_lock(database_file) -> bool:
    """Whether another connection holds the database's write lock (SQLite: a BEGIN IMMEDIATE
    without waiting is refused) or has inserted dossiers in an open transaction (PostgreSQL:
    a ROW EXCLUSIVE lock on the table held by another backend)."""
    if database_file is not None:
        probe = sqlite3.connect(database_file, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE relation = %s::regclass "
            "AND mode = 'RowExclusiveLock' AND granted AND pid <> pg_backend_pid()",
            [Dossier._meta.db_table],
        )
        return cursor.fetchone()[0] > 0


def test_desk_writes_wait_for_a_big_import_and_none_is_lost(
    cast, procedures, database_file, settings
):
    """Issue 13: with a 5 s busy timeout, 8 of 500 desk writes answered "database is locked"
    while a 1M-row import held the write lock. 20 desks write WHILE an import holds its
    write transaction (the test waits for the lock before releasing them): every write
    waits and is stored, none fails, the import lands whole; bounded to 60 s."""
    from cchc.core.models import Job

    data = _import_file(f"local-{cast.thanh_xa.code}", IMPORT_ROWS)
    received_at = timezone.now() - dt.timedelta(hours=1)
    job = in_file(  # where the threads write
        database_file,
        lambda: Job.objects.create(
            kind="dossiers.import", title="Nhập lớn", created_by=cast.administrator
        ),
    )
    writing = threading.Event()  # the import holds its write transaction
    imported = threading.Event()
    errors: list[BaseException] = []
    started: list[float] = []  # when each desk's first write was sent
    began = time.monotonic()

    def run_import():
        with own_connection(database_file):
            try:
                dossiers_import(
                    source=io.BytesIO(data), filename="ho-so.csv", by=cast.administrator, job=job
                )
            except BaseException as error:  # noqa: BLE001 - reported by the assertion
                errors.append(error)
            finally:
                imported.set()

    def watch():
        """Release the desks once the import is inside its write transaction: it reports
        "Đang ghi" just before, and then holds the lock."""
        with own_connection(database_file):
            while not imported.is_set() and time.monotonic() - began < 60:
                message = Job.objects.filter(pk=job.pk).values_list("message", flat=True)[0]
                if message.startswith("Đang ghi") and import_holds_the_write_lock(database_file):
                    writing.set()
                    return
                time.sleep(0.005)

    def desk(n: int) -> str:
        with own_connection(database_file):
            writing.wait(60)
            started.append(time.monotonic())
            for _ in range(3):
                dossier = services.dossier_create(
                    unit=cast.dong_tam,
                    procedure=procedures["birth"],
                    applicant=f"Người nộp {n}",
                    channel="truc_tiep",
                    received_at=received_at,
                    by=cast.officer,
                )
            return dossier.code

    importer = threading.Thread(target=run_import)
    watcher = threading.Thread(target=watch)
    importer.start()
    watcher.start()
    with ThreadPoolExecutor(WRITERS) as pool:
        codes = list(pool.map(desk, range(WRITERS)))  # a "database is locked" raises here
    importer.join()
    watcher.join()
    finished = time.monotonic()
    assert errors == []
    assert writing.is_set(), "the desks never wrote during the import's write transaction"
    assert len(set(codes)) == WRITERS
    counts = in_file(
        database_file,
        lambda: (
            Dossier.objects.filter(unit=cast.dong_tam).count(),
            Dossier.objects.filter(unit=cast.thanh_xa).count(),
            Job.objects.get(pk=job.pk).status,
        ),
    )
    assert counts == (WRITERS * 3, IMPORT_ROWS, Job.Status.RUNNING)  # the runner finishes jobs
    assert finished - began < 60
