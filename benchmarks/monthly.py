"""Monthly updates of the dossier import (issue 18), on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/monthly.py                      # 1,000,000 rows, both DBs
    .venv/bin/python benchmarks/monthly.py --full               # 5,000,000 and 300,000
    .venv/bin/python benchmarks/monthly.py --rows 200000 --db sqlite --no-report --phases

For each database, in a child process with a fresh database (as benchmarks/dossiers.py):
1. a first load of N synthetic dossiers (benchmarks/dossiers.py's generator);
2. the same file again: every row unchanged (found by its content hash, nothing written);
3. a monthly export: M of the dossiers (300,000 with --full; by default 6% of N, as
   300,000 is of 5,000,000), one in ten of them changed (the channel, which moves the
   summary's counts), the rest as they were;
while a reader on another connection reads one unit's dossiers and the summary every 50 ms
(its slowest read shows whether the update blocks readers). The counts of each import are
checked (created, updated, unchanged, staged) and the summary after the monthly export is
compared with one rebuilt from the rows. Numbers go to docs/benchmarks.md ("Monthly update").
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import dossiers as base  # noqa: E402  benchmarks/dossiers.py: generator, units, machine

CHANGED_EVERY = 10  # one row in ten of the monthly export differs


def monthly_file(source: Path, target: Path, rows: int) -> int:
    """M rows of the first load's file, spread over it, one in ten with another channel;
    returns how many changed."""
    import polars as pl

    frame = pl.read_csv(source, infer_schema=False)
    step = max(frame.height // rows, 1)
    month = frame.gather_every(step).head(rows).with_row_index("i")
    flip = pl.col("i") % CHANGED_EVERY == 0
    other = pl.when(pl.col("channel") == "truc_tiep").then(pl.lit("truc_tuyen"))
    month = month.with_columns(
        channel=pl.when(flip).then(other.otherwise(pl.lit("truc_tiep"))).otherwise("channel")
    )
    month.drop("i").write_csv(target)
    return month.filter(flip).height


def reader_thread(stop: threading.Event, slowest: list[float]) -> threading.Thread:
    """Reads one unit's dossiers and the summary every 50 ms on its own connection."""

    def run() -> None:
        from django.db import connection

        from cchc.dossiers.models import Dossier, DossierMonthStat

        unit = Dossier.objects.values_list("unit_id", flat=True).first()
        try:
            while not stop.is_set():
                started = time.perf_counter()
                Dossier.objects.filter(unit_id=unit).count()
                list(DossierMonthStat.objects.filter(unit_id=unit).values_list("month"))
                slowest[0] = max(slowest[0], time.perf_counter() - started)
                stop.wait(0.05)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def timed_import(path: Path, watch: bool = False):
    from cchc.dossiers.imports import dossiers_import

    slowest = [0.0]
    stop = threading.Event()
    thread = reader_thread(stop, slowest) if watch else None
    load = os.getloadavg()[0]
    started = time.perf_counter()
    result = dossiers_import(source=path, filename=path.name, by=None)
    seconds = time.perf_counter() - started
    stop.set()
    if thread is not None:
        thread.join()
    return result, seconds, {
        "seconds": seconds, "rows": result.rows, "rate": result.rows / seconds,
        "created": result.created, "updated": result.updated, "unchanged": result.unchanged,
        "staged": result.staged, "read": result.seconds_read, "write": result.seconds_write,
        "load_before": load, "load_after": os.getloadavg()[0],
        "slowest_read": slowest[0] if watch else None,
    }  # fmt: skip


def autovacuum_stand_in(args) -> float | None:
    """PostgreSQL with autovacuum off (this machine's server: conf.d/90-ci.conf): what
    autovacuum does by itself a minute after a big load, done here (VACUUM ANALYZE of the
    tables the load wrote: the dossiers and the codes table), so that the updates run
    against the tables a deployment has. The visibility map it sets lets the monthly
    update's hash probes answer from the index alone; without it each probe reads a heap
    page too, and the first reads of the codes table set its rows' hint bits (writes).
    Returns its time, or None."""
    from django.db import connection

    from cchc.dossiers import partitions
    from cchc.dossiers.models import Dossier

    if connection.vendor != "postgresql" or args.no_vacuum:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        if cursor.fetchone()[0] == "on":
            return None
        started = time.perf_counter()
        cursor.execute(f"VACUUM (ANALYZE) {Dossier._meta.db_table}")
        if partitions.is_partitioned(cursor):
            cursor.execute(f"VACUUM (ANALYZE) {partitions.CODES}")
        return time.perf_counter() - started


def worker(args) -> None:
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if args.phase == "setup":
        call_command("migrate", verbosity=0)
        base.setup_units(args)
        return
    from cchc.dossiers.models import DossierMonthStat
    from cchc.dossiers.summary import rebuild

    if args.phases:  # the writer's time per phase of each update, on stderr
        import logging

        logging.basicConfig(format="    %(message)s")
        logging.getLogger("cchc.dossiers.imports.loading").setLevel(logging.DEBUG)

    out: dict = {}
    first, _, out["first"] = timed_import(Path(args.file))
    assert first.created == args.rows, first
    out["vacuum_seconds"] = autovacuum_stand_in(args)
    again, _, out["reimport"] = timed_import(Path(args.file), watch=True)
    assert (again.created, again.updated, again.unchanged, again.staged) == (
        0, 0, args.rows, 0), again  # fmt: skip
    month, _, out["monthly"] = timed_import(Path(args.monthly_file), watch=True)
    expected = (0, args.changed, args.monthly - args.changed)
    assert (month.created, month.updated, month.unchanged) == expected, month
    columns = [f.name for f in DossierMonthStat._meta.fields if f.name not in ("id",)]
    kept = sorted(DossierMonthStat.objects.values_list(*columns))
    started = time.perf_counter()
    rebuild()
    out["rebuild_seconds"] = time.perf_counter() - started
    rebuilt = sorted(DossierMonthStat.objects.values_list(*columns))
    strip = lambda rows: [r for r in rows if any(r[2:])]  # noqa: E731  (empty rows)
    out["summary_exact"] = strip(kept) == strip(rebuilt)
    Path(args.result).write_text(json.dumps(out))


def run_database(kind: str, args, file: Path, monthly: Path, changed: int) -> dict:
    result = Path(f"/tmp/cchc-monthly-{kind}-{os.getpid()}.json")
    if kind == "sqlite":
        db = Path(f"/tmp/cchc-monthly-{os.getpid()}.sqlite3")
        url = f"sqlite:///{db}"

        def cleanup():
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)

        cleanup()
    else:
        import psycopg

        name = f"{args.pg_prefix}_{os.getpid()}"
        with psycopg.connect(base.PG_URL.format(name="postgres"), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        url = base.PG_URL.format(name=name)

        def cleanup():
            with psycopg.connect(base.PG_URL.format(name="postgres"), autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    try:
        command = [sys.executable, __file__, "--worker", "--database-url", url, "--file",
                   str(file), "--monthly-file", str(monthly), "--result", str(result),
                   "--rows", str(args.rows), "--units", str(args.units), "--monthly",
                   str(args.monthly), "--changed", str(changed)]  # fmt: skip
        command += ["--no-vacuum"] if args.no_vacuum else []
        command += ["--phases"] if args.phases else []
        env = dict(os.environ, CCHC_TASKS="immediate")
        subprocess.run([*command, "--phase", "setup"], check=True, env=env)
        subprocess.run([*command, "--phase", "run"], check=True, env=env)
        return json.loads(result.read_text())
    finally:
        cleanup()
        result.unlink(missing_ok=True)


def report(args, results: dict[str, dict], changed: int) -> str:
    names = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
    lines = [
        f"### {args.rows:,} dossiers, monthly export of {args.monthly:,} "
        f"({changed:,} changed), {args.units:,} communes ({dt.date.today().isoformat()})",
        "",
        f"Machine: {base.machine()}.",
        "",
        f"Command: `.venv/bin/python benchmarks/monthly.py --rows {args.rows} "
        f"--monthly {args.monthly} --db {args.db}{' --no-vacuum' if args.no_vacuum else ''}`",
        "",
        "| database | first load | re-import, unchanged | monthly export | slowest read "
        "during the updates | summary exact | load average (1 min) before → after |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, r in results.items():
        first, again, month = r["first"], r["reimport"], r["monthly"]
        slowest = max(again["slowest_read"], month["slowest_read"])
        loads = ", ".join(
            f"{x['load_before']:.1f} → {x['load_after']:.1f}" for x in (first, again, month)
        )
        lines.append(
            f"| {names[kind]} | {first['seconds']:.1f} s ({first['rate']:,.0f} rows/s) "
            f"| {again['seconds']:.1f} s ({again['rate']:,.0f} rows/s; read "
            f"{again['read']:.1f} s, write {again['write']:.1f} s) "
            f"| {month['seconds']:.2f} s ({month['updated']:,} updated, "
            f"{month['unchanged']:,} unchanged, {month['staged']:,} staged) "
            f"| {slowest * 1000:.0f} ms | {'yes' if r['summary_exact'] else 'NO'} | {loads} |"
        )
    for kind, r in results.items():
        if r.get("vacuum_seconds") is not None:
            lines.append(
                f"\n{names[kind]}'s autovacuum is off on this machine: the benchmark ran "
                f"VACUUM (ANALYZE) after the first load ({r['vacuum_seconds']:.1f} s), as "
                "autovacuum would by itself."
            )
    return "\n".join(lines) + "\n"


def write_report(text: str) -> None:
    doc = HERE.parent / "docs" / "benchmarks.md"
    current = doc.read_text(encoding="utf-8") if doc.exists() else ""
    heading = "## Monthly update (issue 18; `benchmarks/monthly.py`)"
    if heading not in current:
        current = current.rstrip("\n") + f"\n\n{heading}\n\n"
    head, _, rest = current.partition(heading)
    # newest run first, under the heading; earlier runs stay below it
    doc.write_text(f"{head}{heading}\n\n{text}\n{rest.lstrip(chr(10))}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--monthly", type=int, help="rows of the monthly export (6%% of --rows)")
    parser.add_argument("--full", action="store_true", help="5,000,000 rows, 300,000 monthly")
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--no-report", action="store_true", help="print, do not write the doc")
    parser.add_argument("--phases", action="store_true", help="print the writer's phase times")
    parser.add_argument("--no-vacuum", action="store_true",
                        help="PostgreSQL with autovacuum off: no VACUUM ANALYZE after the first load")  # fmt: skip
    parser.add_argument("--pg-prefix", default="cchc_monthly",
                        help="PostgreSQL: the benchmark's database is named PREFIX_<pid>")  # fmt: skip
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--phase", choices=["setup", "run"], help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--monthly-file", help=argparse.SUPPRESS)
    parser.add_argument("--changed", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.full:
        args.rows, args.monthly = 5_000_000, 300_000
    args.monthly = args.monthly or max(args.rows * 6 // 100, 10)
    if args.worker:
        worker(args)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    file = Path(f"/tmp/cchc-monthly-{os.getpid()}.csv")
    monthly = Path(f"/tmp/cchc-monthly-{os.getpid()}-month.csv")
    try:
        base.generate(file, args.rows, args.units)
        changed = monthly_file(file, monthly, args.monthly)
        kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
        results = {kind: run_database(kind, args, file, monthly, changed) for kind in kinds}
    finally:
        file.unlink(missing_ok=True)
        monthly.unlink(missing_ok=True)
    text = report(args, results, changed)
    print(text)
    print(json.dumps(results, indent=1))
    if not args.no_report:
        write_report(text)


if __name__ == "__main__":
    main()
