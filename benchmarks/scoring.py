"""``cchc score`` for the whole country: 3,321 communes in one scores file (issue 18).

    .venv/bin/python benchmarks/scoring.py              # 3,321 communes, writes docs/benchmarks.md
    .venv/bin/python benchmarks/scoring.py --units 500 --no-write

What it does:
1. writes a scores CSV for N communes (default 3,321, the country's communes after the 2025
   merger) against ``frameworks/hd-xa-2022.yaml``, in 34 blocks (one per province), with
   scores drawn at random within each criterion's maximum (seeded: the same file each run);
2. times, in this process, the stages of ``cchc score`` after start-up (read, parse, score,
   JSON; and CSV for comparison), best of several runs;
3. times the whole command (``python -m cchc.cli score … --output …``) in a fresh process,
   start-up included, best of three, and the start-up alone (``python -m cchc.cli help``…
   with Django set up), so "after start-up" is the difference;
4. writes the numbers to docs/benchmarks.md (section "Scoring", between its
   `<!-- scoring:start/end -->` markers: the notes around them are kept).
Targets: < 0.3 s after start-up, < 1.5 s as a whole command.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from _doc import write_block

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
FRAMEWORK = ROOT / "frameworks" / "hd-xa-2022.yaml"
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Scoring (`cchc score`, issue 18)"


def write_scores(path: Path, units: int, seed: int = 18) -> None:
    from cchc.frameworks.spec import load_framework

    fw = load_framework(FRAMEWORK)
    codes = [c.code for c in fw.criteria]
    maxima = [Decimal(str(c.max)) for c in fw.criteria]
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["unit", "block", *codes])
        for n in range(units):
            block = f"Tỉnh {n % 34 + 1:02d}"
            # two decimals, as appraisers write them; some ties on purpose
            row = [str((m * rng.randint(40, 100) / 100).quantize(Decimal("0.01"))) for m in maxima]
            out.writerow([f"Xã số {n + 1:04d}", block, *row])


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def in_process(scores: Path, repeat: int) -> dict[str, float]:
    from cchc.evaluations import batch
    from cchc.evaluations.results import compute_results
    from cchc.frameworks.spec import load_framework

    sys.path.insert(0, str(ROOT))
    from tests.evaluations.test_batch import _json_per_value

    fw = load_framework(FRAMEWORK)
    rows = batch.read_table(scores)
    inputs = batch.parse_scores(fw, rows)
    results = compute_results(fw, inputs)
    return {
        "read": best(lambda: batch.read_table(scores), repeat),
        "parse": best(lambda: batch.parse_scores(fw, rows), repeat),
        "score": best(lambda: compute_results(fw, inputs), repeat),
        "json": best(lambda: batch.to_json(fw, results), repeat),
        # the writer before issue 18, kept as the byte-for-byte reference in the tests:
        # measured in the same process so the ratio holds on a loaded machine
        "json, old writer (one json.dumps per value)": best(
            lambda: _json_per_value(batch.result_rows(fw, results)) + "\n", repeat
        ),
        "csv": best(lambda: batch.to_csv(fw, results), repeat),
        # as the command runs it: the start-up's objects frozen (commands/score.py)
        "after start-up (json)": _frozen(
            lambda: best(lambda: batch.run(fw, scores, "json"), repeat)
        ),
    }


def _frozen(measure):
    import gc

    gc.freeze()
    try:
        return measure()
    finally:
        gc.unfreeze()


def whole_command(scores: Path, out: Path, repeat: int = 3) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "DATABASE_URL": "sqlite:///:memory:"}
    command = [
        sys.executable,
        "-m",
        "cchc.cli",
        "score",
        str(FRAMEWORK),
        str(scores),
        "-o",
        str(out),
    ]
    # start-up: the same interpreter, Django set up and the command loaded, nothing scored
    startup = [
        sys.executable,
        "-c",
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'cchc.settings');"
        "import django; django.setup();"
        "from django.core.management import load_command_class;"
        "load_command_class('cchc.evaluations', 'score')",
    ]

    def run(cmd):
        subprocess.run(cmd, env=env, check=True, capture_output=True)

    return best(lambda: run(command), repeat), best(lambda: run(startup), repeat)


def web_page(units: int, tmp: Path) -> dict[str, float]:
    """The web page of a cycle's results (not yet published: computed on each request) for
    N communes, in a child process with its own SQLite file: the same scores as the CSV.
    Returns the seconds of the computation alone (selectors.cycle_results_by_unit) and of
    the whole page as the organiser's administrator gets it (Django's test client)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DATABASE_URL": f"sqlite:///{tmp / 'web.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "cchc.settings",
        "CCHC_ALLOWED_HOSTS": "testserver,localhost",
    }
    done = subprocess.run(
        [sys.executable, __file__, "--web-child", str(units), "--scores", str(tmp / "scores.csv")],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit("the web page measurement failed")
    import json

    return json.loads(done.stdout.strip().splitlines()[-1])


def web_child(units: int, scores: Path) -> None:
    import datetime as dt

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from cchc.evaluations import batch, services
    from cchc.evaluations.models import Cycle, Score
    from cchc.frameworks.services import framework_load
    from cchc.frameworks.spec import load_framework
    from cchc.units import roles
    from cchc.units.models import Unit, UnitKind
    from cchc.units.services import person_create

    call_command("migrate", verbosity=0)
    fw = load_framework(FRAMEWORK)
    if Cycle.objects.exists():  # a database kept from an earlier run (set up once)
        measure_page(Cycle.objects.get(), get_user_model().objects.get(username="quantri.bench"))
        return
    inputs = batch.parse_scores(fw, batch.read_table(scores))[:units]
    framework = framework_load(source=FRAMEWORK)
    province = Unit.objects.create(
        scheme="local", code="QG", name="Cả nước", kind=UnitKind.PROVINCE
    )
    Unit.objects.bulk_create(
        [
            Unit(scheme="local", code=f"X{n:04d}", name=item.unit, kind=UnitKind.COMMUNE,
                 parent=province, path=f"{province.path}local-X{n:04d}/")
            for n, item in enumerate(inputs)
        ]
    )  # fmt: skip
    password = "bench-" + os.urandom(8).hex()
    admin = person_create(
        username="quantri.bench", password=password, full_name="Quản trị thử", unit=province,
        roles=[roles.ADMINISTRATOR],
    )  # fmt: skip
    by_name = {u.name: u for u in Unit.objects.filter(parent=province)}
    cycle = services.cycle_open(
        framework=framework, year=2025, name="Chỉ số CCHC cấp xã năm 2025", organiser=province,
        units=[(by_name[item.unit], item.block or "") for item in inputs],
        measure_start=dt.date(2024, 12, 15), measure_end=dt.date(2025, 12, 14),
        appraising_body=province, by=admin,
    )  # fmt: skip
    # The CSV's component points as appraised scores of the leaves: a component given as one
    # figure in the CSV is spread over its leaves in proportion to their maxima.
    given = {(item.unit, code): value for item in inputs for code, value in item.scores.items()}
    rows = list(
        Score.objects.filter(cycle_unit__cycle=cycle).select_related(
            "criterion", "cycle_unit__unit"
        )
    )
    for score in rows:
        code = score.criterion.code
        top = fw.component_of(code)
        points = given[(score.cycle_unit.unit.name, top)]
        share = score.max_points / fw.node(top).max
        score.appraised_score = min(score.max_points, (points * share).quantize(Decimal("0.01")))
    Score.objects.bulk_update(rows, ["appraised_score"], batch_size=2000)
    measure_page(cycle, admin)


def measure_page(cycle, admin) -> None:
    import json

    from django.test import Client
    from django.urls import reverse

    from cchc.evaluations import selectors

    started = time.perf_counter()
    results = selectors.cycle_results_by_unit(cycle)
    computed = time.perf_counter() - started
    assert len(results) == cycle.cycle_units.count()
    # The page shows one block (the first here: the administrator's unit is in no block).
    first = selectors.cycle_blocks(cycle)[0][0]
    started = time.perf_counter()
    selectors.cycle_results_by_unit(cycle, first)
    block = time.perf_counter() - started
    client = Client()
    client.force_login(admin)
    url = reverse("cycle-results", args=[cycle.pk])
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    print(
        json.dumps(
            {
                "computation": computed,
                "block": block,
                "page": min(timings),
                "bytes": len(response.content),
            }
        )
    )


def write_docs(units: int, stages: dict[str, float], whole: float, startup: float) -> None:
    """The run's table, between the scoring markers of the section (notes around it kept)."""
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    lines = [
        f"`.venv/bin/python benchmarks/scoring.py`: {units:,} communes in 34 blocks, framework",
        "`hd-xa-2022.yaml`, one scores CSV; best of several runs on "
        f"{platform.machine()}, {os.cpu_count()} cores (shared machine, load average {load} "
        f"after the run), Python {platform.python_version()}, "
        f"{dt.datetime.now(dt.UTC):%d/%m/%Y %H:%M} UTC.",
        "",
        "| stage | seconds |",
        "|---|---|",
        *(f"| {name} | {seconds:.3f} |" for name, seconds in stages.items()),
        f"| whole command (fresh process) | {whole:.3f} |",
        f"| start-up alone (Django set up, command loaded) | {startup:.3f} |",
        "",
        "Targets (issue 18): < 0.3 s after start-up, < 1.5 s as a whole command. "
        "The JSON is written by one `orjson.dumps` over the whole result "
        "(`evaluations/batch.to_json`, orjson with exact Decimals as fragments); it used to "
        "be a hand-written writer calling `json.dumps` once per value, measured above in "
        "the same process. Both include building the result rows (rounding).",
    ]
    write_block(DOCS, "scoring", "\n".join(lines), heading=SECTION)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=3321)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print, leave docs alone")
    parser.add_argument("--web", action="store_true", help="also the cycle results web page")
    parser.add_argument("--web-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--scores", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.web_child:
        web_child(args.web_child, Path(args.scores))
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
    with tempfile.TemporaryDirectory(prefix="cchc-scoring-") as tmp:
        scores = Path(tmp) / "scores.csv"
        write_scores(scores, args.units)
        stages = in_process(scores, args.repeat)
        whole, startup = whole_command(scores, Path(tmp) / "out.json")
        web = web_page(args.units, Path(tmp)) if args.web else None
    for name, seconds in stages.items():
        print(f"{name:>24}: {seconds:.3f} s")
    if web:
        print(f"{'web: computation':>24}: {web['computation']:.3f} s")
        print(f"{'web: one block':>24}: {web['block']:.3f} s")
        print(f"{'web: whole page':>24}: {web['page']:.3f} s ({web['bytes']:,} bytes)")
    print(f"{'whole command':>24}: {whole:.3f} s")
    print(f"{'start-up alone':>24}: {startup:.3f} s")
    if not args.no_write:
        write_docs(args.units, stages, whole, startup)


if __name__ == "__main__":
    main()
