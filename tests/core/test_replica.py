"""Reads that may lag go to a real hot standby; a person's own writes are read back from the
primary (issue 18).

The module starts a PostgreSQL hot standby of the test cluster on 127.0.0.1: another
cluster on a free port from 5440, made with `pg_basebackup -R` and streaming from the
primary. Replay is paused on the standby to make it lag on purpose: a page served from it
does not show what the primary has, a page read after one's own write does.

It needs PostgreSQL's server programs, a replication line in pg_hba.conf
(scripts/pg-allow-replication adds it; .ci/run does) and, when run as root, the postgres
account to run the standby. Without them the tests are skipped with the reason, except under
CI=true, where that is a failure. About 10-30 s, most of it the base backup."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cchc.core import replica
from cchc.dossiers.models import Procedure

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", replica.REPLICA])

STATS = reverse("dossiers:stats-json")
# The standby must allow as much as the primary, or it refuses to start.
COPIED_SETTINGS = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and no hot standby could be started: {reason}")
    pytest.skip(f"no hot standby: {reason}")


def _free_port(start: int = 5440) -> int:
    for port in range(start, start + 60):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {start}-{start + 59}")


def _conninfo(settings: dict, port: int | None = None, dbname: str | None = None) -> str:
    return psycopg.conninfo.make_conninfo(
        host=settings["HOST"] or "127.0.0.1",
        port=port or settings["PORT"] or 5432,
        user=settings["USER"] or "postgres",
        dbname=dbname or settings["NAME"],
        connect_timeout=5,
    )


class Pair:
    """A primary and its hot standby, both on 127.0.0.1 in a temporary folder.

    The primary is a copy of the shared test cluster (pg_basebackup, started on its own), so
    that it holds the test database and nothing else runs on it; the standby is made from it
    with `pg_basebackup -R` and streams from it. A standby of the shared cluster itself
    would not open for reads while another session there holds a transaction with more
    than 64 subtransactions (the test suites' savepoints do): seen here, 6 minutes."""

    def __init__(self, source: dict):
        self.source = source
        self.primary_port = 0
        self.port = 0  # the standby's
        self.workdir: Path | None = None
        self.bindir: Path | None = None

    def _run(self, *command, timeout=45):
        runuser = shutil.which("runuser") or "/usr/sbin/runuser"
        prefix = [runuser, "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run(
            [*prefix, *command], capture_output=True, text=True, timeout=timeout, check=False
        )
        if done.returncode:
            raise RuntimeError(f"{Path(command[0]).name}: {(done.stderr or done.stdout).strip()}")
        return done.stdout

    def _program(self, name: str) -> str:
        found = self.bindir / name if self.bindir else None
        if found is not None and found.exists():
            return str(found)
        path = shutil.which(name)
        if path is None:
            raise RuntimeError(f"{name} not found (Debian package postgresql)")
        return path

    def start(self) -> None:
        with psycopg.connect(_conninfo(self.source), autocommit=True) as conn:
            version = conn.execute("SHOW server_version_num").fetchone()[0]
            limits = {name: conn.execute(f"SHOW {name}").fetchone()[0] for name in COPIED_SETTINGS}
        self.bindir = Path(f"/usr/lib/postgresql/{int(version) // 10000}/bin")
        self.workdir = Path(tempfile.mkdtemp(prefix="cchc-standby-", dir="/tmp"))
        if os.geteuid() == 0:
            shutil.chown(self.workdir, "postgres")
        source_port = int(self.source["PORT"] or 5432)
        self.primary_port = _free_port()
        self._copy("primary", source_port, self.primary_port, limits, standby=False)
        self.port = _free_port(self.primary_port + 1)
        self._copy("standby", self.primary_port, self.port, limits, standby=True)
        self.wait_until_caught_up()

    def _copy(self, name: str, from_port: int, port: int, limits: dict, *, standby: bool):
        data = self.workdir / name
        self._run(
            self._program("pg_basebackup"), "-h", "127.0.0.1", "-p", str(from_port),
            "-U", self.source["USER"] or "postgres", "-D", str(data),
            "-X", "stream", "--checkpoint=fast", "--no-sync", *(["-R"] if standby else []),
        )  # fmt: skip
        # Debian keeps the configuration outside the data directory: give the copy its own.
        conf = {
            "port": port,
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.workdir}'",
            "hot_standby": "on",
            "fsync": "off",
            "synchronous_commit": "off",
            **limits,
        }
        self._write(data / "postgresql.conf", "".join(f"{k} = {v}\n" for k, v in conf.items()))
        self._write(
            data / "pg_hba.conf",
            "local all all trust\nhost all all 127.0.0.1/32 trust\n"
            "host replication all 127.0.0.1/32 trust\n",
        )
        self._write(data / "pg_ident.conf", "")
        log = self.workdir / f"{name}.log"
        try:
            self._run(
                self._program("pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "40",
                "start",
            )  # fmt: skip
        except RuntimeError as error:
            tail = log.read_text(errors="replace")[-1500:] if log.exists() else ""
            raise RuntimeError(f"{name}: {error}\n{tail}") from None

    def _write(self, path: Path, text: str) -> None:
        path.write_text(text)
        if os.geteuid() == 0:
            shutil.chown(path, "postgres")

    def stop(self) -> None:
        if self.workdir is None:
            return
        for name in ("standby", "primary"):
            data = self.workdir / name
            if (data / "postmaster.pid").exists():
                with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                    self._run(
                        self._program("pg_ctl"), "-D", str(data), "-m", "immediate", "stop",
                        timeout=30,
                    )  # fmt: skip
        shutil.rmtree(self.workdir, ignore_errors=True)

    def sql(self, query: str):
        """On the standby."""
        with psycopg.connect(_conninfo(self.source, self.port), autocommit=True) as conn:
            return conn.execute(query).fetchone()

    def pause(self) -> None:
        self.sql("SELECT pg_wal_replay_pause()")

    def resume(self) -> None:
        self.sql("SELECT pg_wal_replay_resume()")

    def wait_until_caught_up(self, seconds: float = 20) -> None:
        """Until the standby has replayed everything the primary has inserted into its WAL.
        The insert position, not pg_current_wal_lsn (the write position): the primary runs
        with synchronous_commit off, so a commit record may still sit in its WAL buffers,
        before the write position, until the WAL writer's next round (CI saw a standby
        "caught up" that did not yet show the dossier just committed)."""
        primary = _conninfo(self.source, self.primary_port, "postgres")
        with psycopg.connect(primary, autocommit=True) as conn:
            target = conn.execute("SELECT pg_current_wal_insert_lsn()::text").fetchone()[0]
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if self.sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")[0]:
                    return
            except psycopg.OperationalError:
                pass  # still starting
            time.sleep(0.1)
        raise RuntimeError(f"the standby did not replay up to {target} within {seconds} s")


@pytest.fixture(scope="module")
def standby(django_db_setup, django_db_blocker):
    """A primary holding the test database and its hot standby; for this module "default"
    points at that primary and the "replica" alias at the standby, as DATABASE_URL and
    DATABASE_REPLICA_URL would. Module-wide, so that the alias exists before each test's
    database set-up names it."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip("a streaming replica is a PostgreSQL matter (DATABASE_URL is SQLite)")
        source = dict(connection.settings_dict)
    pair = Pair(source)
    try:
        pair.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired, psycopg.Error) as error:
        pair.stop()
        _unavailable(str(error))
    default = connections["default"]
    default.close()
    default.settings_dict["PORT"] = pair.primary_port
    connections.settings[replica.REPLICA] = {
        **source,
        "PORT": pair.port,
        "TEST": {**source["TEST"], "MIRROR": "default"},
    }
    try:
        yield pair
    finally:
        if hasattr(connections._connections, replica.REPLICA):
            connections[replica.REPLICA].close()
            delattr(connections._connections, replica.REPLICA)
        del connections.settings[replica.REPLICA]
        default.close()
        default.settings_dict["PORT"] = source["PORT"]
        pair.stop()


@pytest.fixture
def replica_alias(standby):
    try:
        yield standby
    finally:
        standby.resume()  # a failed test leaves the standby replaying


@pytest.fixture
def procedure():
    return Procedure.objects.create(
        code="1.001193", name="Đăng ký khai sinh", field="Hộ tịch", level="commune",
        processing_days=1,
    )  # fmt: skip


def browser(user) -> Client:
    """A browser of its own (cookies apart), signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def _received(client, unit) -> int:
    year = timezone.localdate().year
    response = client.get(STATS, {"unit": unit.pk, "kind": "year", "year": year})
    assert response.status_code == 200, response.content[:300]
    return response.json()["total"]["received"]["total"]


def _new_dossier(client, unit, procedure):
    url = reverse("dossiers:dossier-new", args=[unit.pk])
    data = {
        "procedure": procedure.pk,
        "applicant": "Trần Thị Mai",
        "channel": "truc_tiep",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "intake_digitized": "full",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:500]
    return response


def test_statistics_are_read_from_the_standby(cast, procedure, replica_alias):
    standby = replica_alias
    _new_dossier(browser(cast.officer), cast.dong_tam, procedure)
    standby.wait_until_caught_up()
    with connections[replica.REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_setting('port')")
        assert cursor.fetchone() == (True, str(standby.port))  # the alias is the standby
    head = browser(cast.head)
    with CaptureQueriesContext(connections[replica.REPLICA]) as on_standby:
        assert _received(head, cast.dong_tam) == 1
    assert any("dossiers_" in q["sql"] for q in on_standby.captured_queries)
    # a page not named as lagging reads the primary
    with CaptureQueriesContext(connections[replica.REPLICA]) as on_standby:
        assert head.get(reverse("dossiers:desk", args=[cast.dong_tam.pk])).status_code == 200
    assert not on_standby.captured_queries


def test_a_person_reads_their_own_write_from_the_primary(cast, procedure, replica_alias, settings):
    standby = replica_alias
    settings.REPLICA_PIN_SECONDS = 60
    officer = browser(cast.officer)
    head = browser(cast.head)
    _new_dossier(officer, cast.dong_tam, procedure)
    standby.wait_until_caught_up()
    assert _received(head, cast.dong_tam) == 1
    standby.pause()  # the standby now lags behind the primary
    response = _new_dossier(officer, cast.dong_tam, procedure)
    assert replica.PIN_COOKIE in response.cookies
    # the officer who wrote sees the new dossier at once, from the primary ...
    with CaptureQueriesContext(connections[replica.REPLICA]) as on_standby:
        assert _received(officer, cast.dong_tam) == 2
    assert not on_standby.captured_queries
    # ... another person's statistics lag until the standby replays the write
    assert _received(head, cast.dong_tam) == 1
    standby.resume()
    standby.wait_until_caught_up()
    # replication is asynchronous: the replayed write shows to others within moments (a
    # read right at the replay position was seen to miss it once under load)
    deadline = time.monotonic() + 10
    while _received(head, cast.dong_tam) != 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _received(head, cast.dong_tam) == 2
