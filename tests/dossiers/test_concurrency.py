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


def test_desk_writes_wait_for_a_big_import_and_none_is_lost(
    cast, procedures, database_file, settings
):
    """Issue 13: with a 5 s busy timeout, 8 of 500 desk writes answered "database is locked"
    while a 1M-row import held the write lock. 20 desks write while an import loads into
    another commune: every write succeeds and is stored, the import too."""
    data = _import_file(f"local-{cast.thanh_xa.code}", IMPORT_ROWS)
    received_at = timezone.now() - dt.timedelta(hours=1)
    importing = threading.Event()
    errors: list[BaseException] = []

    def run_import():
        with own_connection(database_file):
            importing.set()
            try:
                dossiers_import(
                    source=io.BytesIO(data), filename="ho-so.csv", by=cast.administrator
                )
            except BaseException as error:  # noqa: BLE001 - reported by the assertion
                errors.append(error)

    def desk(n: int) -> str:
        with own_connection(database_file):
            importing.wait()
            for _ in range(3):  # spread over the import's phases
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
    importer.start()
    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(desk, range(WRITERS)))  # a "database is locked" raises here
    importer.join()
    assert errors == []
    counts = in_file(
        database_file,
        lambda: (
            Dossier.objects.filter(unit=cast.dong_tam).count(),
            Dossier.objects.filter(unit=cast.thanh_xa).count(),
        ),
    )
    assert counts == (WRITERS * 3, IMPORT_ROWS)
