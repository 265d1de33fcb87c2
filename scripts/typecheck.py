#!/usr/bin/env python3
"""mypy over src/cchc (settings in pyproject.toml [tool.mypy]) against a baseline that may
only shrink: scripts/mypy-baseline.txt holds the errors each file had when type checking came
in, as counts per file (line numbers move with every edit; counts do not). A file with more
errors than its baseline, or with errors and no baseline, fails. The strict rule modules have
no baseline: any error in them fails.

    scripts/typecheck.py            check
    scripts/typecheck.py --update   write the current counts (refused if any count went up)
    scripts/typecheck.py --init     write the current counts whatever they are (a new
                                    baseline: only when type checking is (re)introduced)
"""

from __future__ import annotations

import collections
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scripts" / "mypy-baseline.txt"
ERROR = re.compile(r"^(src/[^:]+\.py):\d+: error: ")


def counts(output: str) -> dict[str, int]:
    found: collections.Counter[str] = collections.Counter()
    for line in output.splitlines():
        match = ERROR.match(line)
        if match:
            found[match.group(1)] += 1
    return dict(found)


def read_baseline() -> dict[str, int]:
    out = {}
    for line in BASELINE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            number, path = line.split(maxsplit=1)
            out[path] = int(number)
    return out


def write_baseline(found: dict[str, int]) -> None:
    lines = [
        "# mypy errors per file when scripts/typecheck came in; a count may only go down.",
        "# Rewrite with `scripts/typecheck.py --update` after fixing some.",
    ]
    lines += [f"{n} {path}" for path, n in sorted(found.items())]
    BASELINE.write_text("\n".join(lines) + "\n")


def main(argv: list[str]) -> int:
    mypy = Path(sys.executable).with_name("mypy")
    run = subprocess.run([str(mypy)], cwd=ROOT, capture_output=True, text=True)
    if run.returncode not in (0, 1) or "error: " not in run.stdout and run.returncode:
        print(run.stdout + run.stderr)
        print("mypy did not run to the end.")
        return 2
    found = counts(run.stdout)
    baseline = read_baseline() if BASELINE.exists() else {}
    worse = {p: n for p, n in found.items() if n > baseline.get(p, 0)}
    better = {p: n for p, n in baseline.items() if found.get(p, 0) < n}
    if "--init" in argv:
        write_baseline(found)
        print(f"Baseline written: {sum(found.values())} errors in {len(found)} files.")
        return 0
    if "--update" in argv:
        if worse:
            print("Refused: these files have more errors than their baseline:")
            for path, n in sorted(worse.items()):
                print(f"  {path}: {n} (baseline {baseline.get(path, 0)})")
            return 1
        write_baseline(found)
        print(f"Baseline written: {sum(found.values())} errors in {len(found)} files.")
        return 0
    if worse:
        for line in run.stdout.splitlines():
            match = ERROR.match(line)
            if match and match.group(1) in worse or line.startswith(tuple(worse)):
                print(line)
        print()
        for path, n in sorted(worse.items()):
            print(f"{path}: {n} mypy errors, baseline {baseline.get(path, 0)}")
        print("New type errors: fix them (the baseline only shrinks).")
        return 1
    total, allowed = sum(found.values()), sum(baseline.values())
    print(f"mypy: {total} errors, none new (baseline {allowed}).")
    if better:
        print(
            f"{len(better)} files have fewer errors than their baseline: "
            "run scripts/typecheck.py --update to lock that in."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
