"""Dossier import and statistics at province scale, on SQLite and PostgreSQL, against pandas.

    .venv/bin/pip install -e '.[bench]'         # pandas, for the baseline only
    .venv/bin/python benchmarks/dossiers.py                     # 1,000,000 rows, both DBs
    .venv/bin/python benchmarks/dossiers.py --rows 5000000 --db postgres

What it does (issue 3, "Speed"):
1. generates N synthetic dossiers for ~3,000 communes of one province (CSV in the import
   format, with supplements, late-by-rule, unfinished and undated dossiers), spread over
   the reporting year 2025 (15/12/2024 – 14/12/2025) and the months before it;
2. for each database, in a child process with a fresh database (a file under /tmp for
   SQLite; a throwaway database on 127.0.0.1:5432, user postgres, created and dropped here):
   creates the units and procedures, imports the file through the real import path
   (cchc.dossiers.imports.dossiers_import: validation, spool, COPY/executemany, upsert,
   summary), then times the all-units statistics for the year (summary path), one unit's
   year, and the same all-units table from the raw rows (for comparison);
3. computes the same table with a plain pandas script on a frame already in memory (the
   baseline) and checks that every database gives identical numbers;
4. writes the times and ratios to docs/benchmarks.md (section "Dossiers").
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

from _doc import write_block

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

YEAR = 2025
PERIOD_START = dt.date(2024, 12, 15)
PERIOD_END = dt.date(2025, 12, 14)
FIRST_RECEIVED = dt.date(2024, 10, 1)  # some dossiers are carried over into the year
PG_URL = "postgres://postgres@127.0.0.1:5432/{name}"
COUNT_KEYS = (
    "carried_over",
    "received_truc_tiep",
    "received_truc_tuyen",
    "received_buu_chinh",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_in_time",
    "pending_overdue",
    "intake_digitized_full",
    "result_digitized",
    "paid_online",
)


# -- data ---------------------------------------------------------------------------------------


def unit_codes(units: int) -> list[str]:
    return [f"XA{i:05d}" for i in range(units)]


PROCEDURES = [(f"B{i:03d}", days) for i, days in enumerate([0, 1, 1, 2, 3, 5, 5, 7, 10, 15,
                                                            20, 30] * 4)]  # fmt: skip


def year_span(year: int, first: bool) -> tuple[dt.date, dt.date]:
    """The days a year's dossiers are received on: its reporting year (15/12 of the year
    before – 14/12), from 1/10 before it for the first year (dossiers carried over)."""
    start = dt.date(year - 1, 10, 1) if first else dt.date(year - 1, 12, 15)
    return start, dt.date(year, 12, 14)


def year_file(path: Path, year: int) -> Path:
    return path.with_name(f"{path.stem}-{year}.csv")


def generate(
    path: Path, rows: int, units: int, seed: int = 2025, years: int = 1, split: bool = False
) -> list[Path]:
    """The CSV, vectorised with numpy; due dates from the real working-day calendar.
    `years` reporting years ending with YEAR share the rows evenly (a country holds several
    years: the dossier table is partitioned by year on PostgreSQL). Written a block at a
    time, so that memory holds one block whatever the number of rows. `split`: one file per
    year (year_file), the same rows; the files written are returned."""
    import numpy as np

    from cchc.dossiers.workdays import WorkCalendar

    rng = np.random.default_rng(seed)
    first_year = YEAR - years + 1
    calendar = WorkCalendar(range(first_year - 1, YEAR + 2))
    # Communes differ in size (a few large wards, many small communes), the same every year.
    weights = rng.pareto(1.5, units) + 1
    weights /= weights.sum()
    codes = unit_codes(units)
    proc_codes = [c for c, _ in PROCEDURES]
    proc_days = np.array([d for _, d in PROCEDURES])
    # nothing finishes in the future of the machine's clock
    today = np.datetime64(dt.date.today(), "D")
    block = 1_000_000
    done = 0
    header = (
        "code,unit,procedure,channel,received_at,due_at,finished_at,intake_digitized,"
        "result_digitized,paid_online,supplement_count\n"
    )
    written: list[Path] = []
    handle = None
    try:
        for number, year in enumerate(range(first_year, YEAR + 1)):
            if handle is None or split:
                if handle is not None:
                    handle.close()
                written.append(year_file(path, year) if split else path)
                handle = open(written[-1], "w", encoding="utf-8", newline="")  # noqa: SIM115
                handle.write(header)
            year_rows = rows // years + (1 if number < rows % years else 0)
            start, end = year_span(year, number == 0)
            first = np.datetime64(start, "D")
            span = (np.datetime64(end, "D") - first).astype(int) + 1
            for offset in range(0, year_rows, block):
                n = min(block, year_rows - offset)
                _generate_block(handle, rng, n, done, first, span, calendar, weights, codes,
                                proc_codes, proc_days, today)  # fmt: skip
                done += n
    finally:
        if handle is not None:
            handle.close()
    return written


def _generate_block(handle, rng, rows, done, first, span, calendar, weights, codes,
                    proc_codes, proc_days, today) -> None:  # fmt: skip
    import numpy as np
    import polars as pl

    unit_index = rng.choice(len(codes), size=rows, p=weights)
    proc_index = rng.integers(0, len(proc_codes), rows)
    days = proc_days[proc_index]
    received_day = first + rng.integers(0, span, rows).astype("timedelta64[D]")
    seconds = rng.integers(7 * 3600, 17 * 3600, rows).astype("timedelta64[s]")
    received_at = received_day.astype("datetime64[s]") + seconds
    due = calendar.due_dates(received_day, days)
    no_due = rng.random(rows) < 0.02
    # finished: mostly before the due date, some on it, a few late, ~3% not finished
    slack = rng.choice([-3, -2, -1, -1, 0, 0, 0, 1, 2, 5], size=rows)
    finished_day = np.maximum(due + slack.astype("timedelta64[D]"), received_day)
    finished_day = np.where(no_due, received_day + rng.integers(0, 20, rows).astype(
        "timedelta64[D]"), finished_day)  # fmt: skip
    unfinished = rng.random(rows) < 0.03
    finished_day = np.minimum(finished_day, today - np.timedelta64(1, "D"))
    finished_at = finished_day.astype("datetime64[s]") + rng.integers(
        8 * 3600, 17 * 3600, rows).astype("timedelta64[s]")  # fmt: skip
    channel = rng.choice(["truc_tuyen", "truc_tiep", "buu_chinh"], size=rows, p=[0.7, 0.28, 0.02])
    intake = rng.choice(["full", "partial", "none"], size=rows, p=[0.85, 0.1, 0.05])
    result = (rng.random(rows) < 0.9).astype(int)
    paid = (rng.random(rows) < 0.4).astype(int)
    supplements = rng.choice([0, 0, 0, 0, 0, 0, 0, 0, 1, 2], size=rows)

    # polars writes the CSV (the same text a line-by-line writer would give, ~10× faster).
    frame = pl.DataFrame(
        {
            "code": np.arange(done, done + rows),
            "unit": pl.Series(codes).gather(unit_index),
            "procedure": pl.Series(proc_codes).gather(proc_index),
            "channel": channel,
            "received_at": received_at.astype("datetime64[ms]"),
            "due_at": pl.Series(due).set(pl.Series(no_due), None),
            "finished_at": pl.Series(finished_at.astype("datetime64[ms]")).set(
                pl.Series(unfinished), None
            ),
            "intake_digitized": intake,
            "result_digitized": result,
            "paid_online": paid,
            "supplement_count": supplements,
        }
    ).with_columns(code=pl.lit("HS") + pl.col("code").cast(pl.String).str.zfill(9))
    frame.write_csv(handle, include_header=False, datetime_format="%Y-%m-%d %H:%M:%S",
                    date_format="%Y-%m-%d")  # fmt: skip


# -- pandas baseline ------------------------------------------------------------------------


def pandas_table(path: Path) -> tuple[dict[str, list[int]], float, float]:
    """(per-unit counts, seconds to load the frame, seconds to compute on it)."""
    import numpy as np
    import pandas as pd

    started = time.perf_counter()
    frame = pd.read_csv(
        path,
        usecols=[
            "unit",
            "channel",
            "received_at",
            "due_at",
            "finished_at",
            "intake_digitized",
            "result_digitized",
            "paid_online",
            "supplement_count",
        ],  # fmt: skip
        dtype={"unit": "category", "channel": "category", "intake_digitized": "category"},
    )
    for column in ("received_at", "due_at", "finished_at"):
        frame[column] = pd.to_datetime(frame[column]).dt.normalize()
    loaded = time.perf_counter() - started

    started = time.perf_counter()
    start, end = pd.Timestamp(PERIOD_START), pd.Timestamp(PERIOD_END)
    rec, due, fin = frame["received_at"], frame["due_at"], frame["finished_at"]
    late_rule = (frame["supplement_count"] >= 2) & due.notna()
    relevant = (rec <= end) & ~(fin < start)
    new = relevant & (rec >= start)
    done = relevant & fin.notna() & (fin <= end)
    pending = relevant & ~done
    early = done & due.notna() & ~late_rule & (fin < due)
    on_time = done & (due.isna() | (~late_rule & (fin == due)))
    late = done & due.notna() & (late_rule | (fin > due))
    overdue = pending & due.notna() & (late_rule | (due < end))
    table = pd.DataFrame(
        {
            "unit": frame["unit"],
            "carried_over": relevant & (rec < start),
            "received_truc_tiep": new & (frame["channel"] == "truc_tiep"),
            "received_truc_tuyen": new & (frame["channel"] == "truc_tuyen"),
            "received_buu_chinh": new & (frame["channel"] == "buu_chinh"),
            "resolved_early": early,
            "resolved_on_time": on_time,
            "resolved_late": late,
            "pending_in_time": pending & ~overdue,
            "pending_overdue": overdue,
            "intake_digitized_full": new & (frame["intake_digitized"] == "full"),
            "result_digitized": done & (frame["result_digitized"] == 1),
            "paid_online": new & (frame["paid_online"] == 1),
        }
    )
    sums = table.groupby("unit", observed=True).sum()
    computed = time.perf_counter() - started
    out = {
        str(unit): [int(v) for v in row]
        for unit, row in zip(
            sums.index, sums[list(COUNT_KEYS)].to_numpy(dtype=np.int64), strict=True
        )  # fmt: skip
    }
    return out, loaded, computed


# -- one database (child process) -----------------------------------------------------------


def worker(args) -> None:
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if args.phase == "setup":
        # In its own process: migrating loads every app's migrations (hundreds of MB) and
        # would hide the import's own peak memory.
        call_command("migrate", verbosity=0)
        setup_units(args)
        return
    from cchc.dossiers.imports import dossiers_import

    if args.phases:  # the writer's time per phase, with the memory held then, on stderr
        import logging

        class Memory(logging.Filter):
            def filter(self, record):
                record.msg = f"{record.msg} [rss {_rss_kib() / 1024:,.0f} MB, peak {peak_rss_kib() / 1024:,.0f} MB]"
                return True

        logging.basicConfig(format="    %(message)s")
        clock = logging.getLogger("cchc.dossiers.imports.loading")
        clock.setLevel(logging.DEBUG)
        clock.addFilter(Memory())

    # Several files (--year-files): imported one after another, as a province sends its
    # years; each file's rate, and the statistics of its year once it is in.
    files = [Path(f) for f in args.file.split(",")]
    args.files = []
    created = 0
    for path in files:
        rss_before = peak_rss_kib()
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        result = dossiers_import(source=path, filename=path.name, by=None)
        seconds = time.perf_counter() - started
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        rss_after = peak_rss_kib()
        args.import_cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (
            cpu_after.ru_stime - cpu_before.ru_stime
        )
        assert result.created == result.rows, result
        created += result.created
        if len(files) > 1:
            args.files.append(file_checkpoint(path, result, seconds, args.import_cpu, args))
            print(json.dumps(args.files[-1]), flush=True)
    assert created == args.rows, (created, args.rows)
    args.file = str(files[-1])

    reimport = None
    if args.reimport:
        # Re-import of the same file: nothing changes.
        started = time.perf_counter()
        again = dossiers_import(source=Path(args.file), filename=Path(args.file).name, by=None)
        reimport = time.perf_counter() - started
        assert (again.created, again.updated) == (0, 0), again
        args.reimport_peak_rss = peak_rss_kib()
    run_stats(args, result, seconds, rss_before, rss_after, reimport)


def file_checkpoint(path: Path, result, seconds: float, cpu: float, args) -> dict:
    """After one file of several: its rate, and its year's statistics with what is in."""
    from django.db import connection

    from cchc.dossiers.periods import period_for
    from cchc.dossiers.selectors import all_units_stats, unit_stats
    from cchc.units.models import Unit

    year = period_for("year", int(path.stem.rsplit("-", 1)[1]))
    load = os.getloadavg()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {'dossiers_dossier'}")
        total = cursor.fetchone()[0]
    times = []
    for _ in range(3):
        started = time.perf_counter()
        all_units_stats(year)
        times.append(time.perf_counter() - started)
    per_unit = []
    for code in sample_codes(args.units):
        unit = Unit.objects.get(code=code)
        one = []
        for _ in range(5):
            started = time.perf_counter()
            unit_stats(unit, year)
            one.append(time.perf_counter() - started)
        per_unit.append(sorted(one)[2])
    per_unit.sort()
    return {
        "file": path.name,
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "seconds": seconds,
        "read_seconds": result.seconds_read,
        "write_seconds": result.seconds_write,
        "cpu_seconds": cpu,
        "rows_per_second": result.rows / seconds,
        "load_average": load,
        "dossiers_in_table": total,
        "year_all_units_best": min(times),
        "year_units_median": per_unit[len(per_unit) // 2],
        "year_units_max": per_unit[-1],
        # this process after the file: its peak so far, and what it holds now
        "peak_rss_mib": peak_rss_kib() / 1024,
        "rss_mib": _rss_kib() / 1024,
    }


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def peak_rss_kib() -> int:
    """VmHWM: this process's peak resident memory. (ru_maxrss would carry over the parent's
    peak across fork and exec, and the parent holds the pandas frame.)"""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def setup_units(args) -> None:
    from cchc.dossiers.models import Procedure
    from cchc.units.models import Unit, UnitKind

    province = Unit.objects.create(scheme="local", code="BENCH", name="Tỉnh thử",
                                   kind=UnitKind.PROVINCE)  # fmt: skip
    Unit.objects.bulk_create(
        [
            Unit(
                scheme="local",
                code=code,
                name=f"Xã {code}",
                kind=UnitKind.COMMUNE,
                parent=province,
                path=f"{province.path}local-{code}/",
            )  # fmt: skip
            for code in unit_codes(args.units)
        ]
    )
    Procedure.objects.bulk_create(
        [
            Procedure(
                code=code, name=f"Thủ tục {code}", field=f"Lĩnh vực {i % 9}", processing_days=days
            )
            for i, (code, days) in enumerate(PROCEDURES)
        ]  # fmt: skip
    )


def run_stats(args, result, seconds, rss_before, rss_after, reimport) -> None:
    from django.db import connection

    from cchc.dossiers.periods import period_for
    from cchc.dossiers.selectors import all_units_stats, unit_stats
    from cchc.units.models import Unit

    year = period_for("year", YEAR)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def best(fn, repeat=5):
        times = []
        value = None
        for _ in range(repeat):
            started = time.perf_counter()
            value = fn()
            times.append(time.perf_counter() - started)
        return value, min(times), sorted(times)[len(times) // 2]

    table, summary_best, summary_median = best(lambda: all_units_stats(year))
    one = Unit.objects.get(code=unit_codes(args.units)[0])
    _, one_best, one_median = best(lambda: unit_stats(one, year), repeat=20)
    _, one_rows_best, one_rows_median = best(
        lambda: unit_stats(one, year, method="rows"), repeat=20
    )
    # Several units spread over the codes (their sizes drawn at random, Pareto): each one's
    # median of 5, then the median and the worst of those.
    sample = [Unit.objects.get(code=code) for code in sample_codes(args.units)]
    per_unit = sorted(best(lambda u=u: unit_stats(u, year), repeat=5)[2] for u in sample)
    rows_table, rows_best, _ = best(lambda: all_units_stats(year, method="rows"), repeat=1)
    counts = {
        key: [getattr(s, k) for k in COUNT_KEYS] for key, s in table.items() if key != "Tổng cộng"
    }
    rows_counts = {
        key: [getattr(s, k) for k in COUNT_KEYS]
        for key, s in rows_table.items()
        if key != "Tổng cộng"
    }
    out = {
            "vendor": connection.vendor,
            "server": connection.connection.info.server_version
            if connection.vendor == "postgresql"
            else __import__("sqlite3").sqlite_version,
            "rows": result.rows,
            "import_seconds": seconds,
            "import_read_seconds": result.seconds_read,
            "import_write_seconds": result.seconds_write,
            "reimport_seconds": reimport,
            "reimport_peak_rss_mb": getattr(args, "reimport_peak_rss", 0) / 1024,
            "import_cpu_seconds": args.import_cpu,
            "load_average": os.getloadavg(),
            "peak_rss_mb": rss_after / 1024,
            "rss_before_import_mb": rss_before / 1024,
            "summary_best": summary_best,
            "summary_median": summary_median,
            "one_unit_best": one_best,
            "one_unit_median": one_median,
            "one_unit_rows_best": one_rows_best,
            "one_unit_rows_median": one_rows_median,
            "units_sampled": len(per_unit),
            "units_median": per_unit[len(per_unit) // 2],
            "units_max": per_unit[-1],
            "disk": disk_sizes() if connection.vendor == "postgresql" else {},
            "files": args.files,
            "rows_all_units": rows_best,
            "rows_path_equal": rows_counts == counts,
            "counts": counts,
    }  # fmt: skip
    Path(args.result).write_text(json.dumps(out))


def sample_codes(units: int, n: int = 10) -> list[str]:
    codes = unit_codes(units)
    return [codes[i * (units - 1) // (n - 1)] for i in range(n)] if units >= n else codes


def disk_sizes() -> dict[str, int]:
    """PostgreSQL: bytes on disk (pg_total_relation_size: table, TOAST and indexes) of the
    dossier table's partitions (the parent holds nothing itself), the codes table kept by
    its triggers (partitions.py) and the monthly summary."""
    from django.db import connection

    from cchc.dossiers import partitions

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relid::regclass::text, pg_total_relation_size(relid) "
            "FROM pg_partition_tree(%s) WHERE isleaf",
            [partitions.TABLE],
        )
        sizes = dict(cursor.fetchall())
        for table in (partitions.CODES, "dossiers_dossiermonthstat"):
            cursor.execute("SELECT pg_total_relation_size(to_regclass(%s))", [table])
            sizes[table] = cursor.fetchone()[0] or 0
    return sizes


def run_database(kind: str, args, files: list[Path]) -> dict:
    result = Path(f"/tmp/cchc-bench-{kind}-{os.getpid()}.json")
    if kind == "sqlite":
        db = Path(f"/tmp/cchc-bench-{os.getpid()}.sqlite3")
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{db}"
        cleanup = lambda: [Path(f"{db}{s}").unlink(missing_ok=True)  # noqa: E731
                           for s in ("", "-wal", "-shm", "-journal")]  # fmt: skip
    else:
        import psycopg

        name = args.pg_database or f"cchc_bench_{os.getpid()}"
        with psycopg.connect(PG_URL.format(name="postgres"), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        url = PG_URL.format(name=name)

        def cleanup():
            with psycopg.connect(PG_URL.format(name="postgres"), autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    if args.keep_db and kind == "sqlite":
        cleanup = lambda: None  # noqa: E731
    try:
        command = [sys.executable, __file__, "--worker", "--database-url", url, "--file",
                   ",".join(map(str, files)), "--result", str(result), "--rows", str(args.rows),
                   "--units", str(args.units)]  # fmt: skip
        if args.reimport:
            command.append("--reimport")
        if args.phases:
            command.append("--phases")
        env = dict(os.environ, CCHC_TASKS="immediate")
        subprocess.run([*command, "--phase", "setup"], check=True, env=env)
        subprocess.run([*command, "--phase", "run"], check=True, env=env)
        return json.loads(result.read_text())
    finally:
        cleanup()
        result.unlink(missing_ok=True)


# -- report -----------------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GB RAM, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")  # fmt: skip


def busy(results: dict[str, dict]) -> str:
    """How loaded the machine was (the load average after each run; the run itself is ~1)."""
    peak = max((r["load_average"][1] for r in results.values()), default=0.0)
    if peak > (os.cpu_count() or 1) + 0.5:
        return (f"Shared with other work while it ran (load average up to {peak:.1f}): times "
                "are what this run measured, not a quiet machine's.")  # fmt: skip
    return f"Quiet apart from the benchmark (load average up to {peak:.1f})."


def report(args, results: dict[str, dict], baseline: dict | None, checks: dict[str, bool]) -> str:
    rows = args.rows
    years = getattr(args, "years", 1)
    spread = (f", {years} reporting years {YEAR - years + 1}–{YEAR} of {rows // years:,} each"
              if years > 1 else "")  # fmt: skip
    options = "".join(
        f" {flag}" for flag, on in [("--reimport", args.reimport), (f"--years {years}",
        years > 1), ("--year-files", getattr(args, "year_files", False)), ("--no-pandas", baseline is None)] if on
    )  # fmt: skip
    lines = [
        f"### {rows:,} dossiers, {args.units:,} communes{spread} ({dt.date.today().isoformat()})",
        "",
        f"Machine: {machine()}. {busy(results)} Load average before the import: "
        f"{', '.join(f'{x:.1f}' for x in getattr(args, 'load_before', ()))}.",
        "",
        f"Command: `.venv/bin/python benchmarks/dossiers.py --rows {rows} --units {args.units}"
        f" --db {args.db}{options}`",
        "",
        f"pandas baseline (reporting year {YEAR}, per-unit table on a frame already in "
        f"memory): **{baseline['computed']:.2f} s** (loading the CSV into the frame: "
        f"{baseline['loaded']:.1f} s, not counted)."
        if baseline
        else "pandas baseline: not run (`--no-pandas`); the summary's numbers are checked "
        "against the same table computed from the raw rows.",
        "",
    ]
    targets_import = {"postgresql": 100_000, "sqlite": 50_000}
    for vendor, r in results.items():
        rate = r["rows"] / r["import_seconds"]
        target = targets_import[vendor]
        pandas_seconds = baseline["computed"] if baseline else float("inf")
        ratio = pandas_seconds / r["summary_best"]
        lines += [
            f"#### {'PostgreSQL' if vendor == 'postgresql' else 'SQLite'} {r['server']}",
            "",
            "| measure | result | target | met |",
            "|---|---|---|---|",
            f"| import with validation (`dossiers_import`)"
            f"{', the last file' if r.get('files') else ''} | {r['import_seconds']:.1f} s = "
            f"**{rate:,.0f} rows/s** (read and check {r['import_read_seconds']:.1f} s, "
            f"write {r['import_write_seconds']:.1f} s) | ≥ {target:,} rows/s | "
            f"{'yes' if rate >= target else 'NO'} |",
            f"| CPU time of the importing process (the database server's not counted) | "
            f"{r['import_cpu_seconds']:.1f} s = {r['rows'] / r['import_cpu_seconds']:,.0f} "
            f"rows per CPU-second | | |",
            f"| load average of the machine after the run (1, 5, 15 min) | "
            f"{', '.join(f'{x:.1f}' for x in r['load_average'])} | | |",
            (
                f"| re-import of the same file (nothing changes) | {r['reimport_seconds']:.1f} s"
                f" = {r['rows'] / r['reimport_seconds']:,.0f} rows/s; peak memory of the"
                f" process after it {r['reimport_peak_rss_mb']:,.0f} MB | < 1 GB | "
                f"{'yes' if r['reimport_peak_rss_mb'] < 1024 else 'NO'} |"
                if r.get("reimport_seconds")
                else "| re-import | not run (`--reimport`) | | |"
            ),
            f"| peak memory of the importing process (max RSS, with Django) | "
            f"{r['peak_rss_mb']:,.0f} MB (before the import {r['rss_before_import_mb']:,.0f} MB)"
            f" | < 1 GB | {'yes' if r['peak_rss_mb'] < 1024 else 'NO'} |",
            f"| all units, reporting year (summary) | best {r['summary_best'] * 1000:,.0f} ms, "
            f"median {r['summary_median'] * 1000:,.0f} ms | < 1 s and < pandas | "
            f"{'yes' if r['summary_best'] < min(1.0, pandas_seconds) else 'NO'} |",
            (
                f"| ratio pandas / database | {ratio:.1f}× | > 1 | {'yes' if ratio > 1 else 'NO'} |"
                if baseline
                else "| ratio pandas / database | not run | | |"
            ),
            f"| one unit's year (summary) | best {r['one_unit_best'] * 1000:.1f} ms, median "
            f"{r['one_unit_median'] * 1000:.1f} ms | < 50 ms | "
            f"{'yes' if r['one_unit_median'] < 0.05 else 'NO'} |",
            f"| {r['units_sampled']} units' years, spread over the codes (summary; each the median "
            f"of 5) | median {r['units_median'] * 1000:.1f} ms, worst "
            f"{r['units_max'] * 1000:.1f} ms | < 50 ms | "
            f"{'yes' if r['units_max'] < 0.05 else 'NO'} |",
            f"| one unit's year (rows, index) | best {r['one_unit_rows_best'] * 1000:.1f} ms, "
            f"median {r['one_unit_rows_median'] * 1000:.1f} ms | | |",
            f"| all units from the raw rows (for comparison) | {r['rows_all_units']:.2f} s | | |",
            f"| identical numbers (summary = rows = pandas) | "
            f"{'yes' if checks[vendor] else 'NO'} | yes | {'yes' if checks[vendor] else 'NO'} |",
            "",
        ]
        lines += files_report(r.get("files") or [])
        lines += disk_report(r.get("disk") or {}, args.rows)
    return "\n".join(lines)


def files_report(files: list[dict]) -> list[str]:
    """--year-files: each file's import (the table above shows the last one's) and its
    year's statistics right after it."""
    if not files:
        return []
    lines = [
        "Files one after another (each: rows/s, its year's all-units table best of 3, ten "
        "units' years median and worst of their medians of 5):",
        "",
        "| file | dossiers in the table after | import | read and check / write | "
        "load average | all units' year | one unit-year median / worst | peak memory so far |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for f in files:
        lines.append(
            f"| `{f['file']}` | {f['dossiers_in_table']:,} | {f['seconds']:.0f} s = "
            f"**{f['rows_per_second']:,.0f} rows/s** | {f['read_seconds']:.0f} s / "
            f"{f['write_seconds']:.0f} s | {', '.join(f'{x:.1f}' for x in f['load_average'])} "
            f"| {f['year_all_units_best'] * 1000:,.0f} ms | {f['year_units_median'] * 1000:.1f}"
            f" / {f['year_units_max'] * 1000:.1f} ms | {f.get('peak_rss_mib', 0):,.0f} MB |"
        )
    return [*lines, ""]


def disk_report(sizes: dict[str, int], rows: int) -> list[str]:
    if not sizes:
        return []
    from cchc.dossiers import partitions

    per_million = 1_000_000 / rows
    dossiers = sum(v for k, v in sizes.items() if k.startswith(f"{partitions.TABLE}_")
                   and k not in (partitions.CODES, "dossiers_dossiermonthstat"))  # fmt: skip
    lines = [
        "Disk (`pg_total_relation_size`: table, TOAST and indexes):",
        "",
        "| relation | size | per million dossiers |",
        "|---|---|---|",
    ]
    for name, size in sorted(sizes.items()):
        lines.append(
            f"| `{name}` | {size / 2**20:,.0f} MB | {size * per_million / 2**20:,.0f} MB |"
        )
    total = sum(sizes.values())
    lines += [
        f"| dossier partitions together | {dossiers / 2**20:,.0f} MB | "
        f"**{dossiers * per_million / 2**20:,.0f} MB** |",
        f"| all of the above | {total / 2**20:,.0f} MB | **{total * per_million / 2**20:,.0f} MB** |",
        "",
    ]
    return lines


def write_report(text: str, rows: int | str) -> None:
    """Replace this size's block of docs/benchmarks.md (other sizes and text kept)."""
    write_block(ROOT / "docs" / "benchmarks.md", f"dossiers:{rows}", text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument(
        "--years",
        type=int,
        default=1,
        help=f"spread the rows over this many reporting years ending {YEAR}",
    )
    parser.add_argument(
        "--year-files",
        action="store_true",
        help="one file per year, imported one after another (a file holds at most "
        "CCHC_FILE_MAX_ROWS rows)",
    )
    parser.add_argument(
        "--no-pandas",
        action="store_true",
        help="no pandas baseline (tens of millions of rows do not fit in a "
        "frame): the summary is checked against the raw rows only",
    )
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--pg-database", help="name of the throwaway PostgreSQL database (dropped at the end)"
    )
    parser.add_argument("--keep-file", action="store_true")
    parser.add_argument("--keep-db", action="store_true", help="leave the SQLite file in /tmp")
    parser.add_argument("--reimport", action="store_true", help="also time a re-import")
    parser.add_argument("--phases", action="store_true",
                        help="print the writer's phase times and this process's memory")  # fmt: skip
    parser.add_argument("--phase", choices=["setup", "run"], help=argparse.SUPPRESS)
    parser.add_argument("--no-report", action="store_true", help="print, do not write the doc")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    file = Path(f"/tmp/cchc-bench-{args.rows}-{args.units}-{args.years}.csv")
    if args.year_files and not args.no_pandas:
        parser.error("--year-files needs --no-pandas")
    first_year = YEAR - args.years + 1
    files = (
        [year_file(file, year) for year in range(first_year, YEAR + 1)]
        if args.year_files
        else [file]
    )
    if not all(f.exists() for f in files):
        started = time.perf_counter()
        generate(file, args.rows, args.units, years=args.years, split=args.year_files)
        print(f"generated {len(files)} file(s) in {time.perf_counter() - started:.1f} s",
              flush=True)  # fmt: skip
    baseline: dict | None = None
    baseline_counts = None
    if not args.no_pandas:
        baseline_counts, loaded, computed = pandas_table(file)
        baseline = {"loaded": loaded, "computed": computed}
        print(f"pandas: load {loaded:.1f} s, compute {computed:.2f} s", flush=True)
    args.load_before = os.getloadavg()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results: dict[str, dict] = {}
    checks: dict[str, bool] = {}
    for kind in kinds:
        r = run_database(kind, args, files)
        vendor = r["vendor"]
        checks[vendor] = r["rows_path_equal"] and baseline_counts in (None, r["counts"])
        if baseline_counts is not None and not checks[vendor]:
            bad = [u for u in baseline_counts if r["counts"].get(u) != baseline_counts[u]]
            print(f"{vendor}: {len(bad)} units differ from pandas, e.g. {bad[:3]}", flush=True)
        results[vendor] = {k: v for k, v in r.items() if k != "counts"}
        print(json.dumps(results[vendor], indent=1), flush=True)
    text = report(args, results, baseline, checks)
    print(text)
    if not args.no_report:
        write_report(text, args.rows if args.years == 1 else f"{args.rows}x{args.years}")
    if not args.keep_file:
        for f in files:
            f.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
