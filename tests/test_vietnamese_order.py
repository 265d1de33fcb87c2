"""Issue 15: a list of names is sorted in Vietnamese order (cchc.core.collation), never by
the database, whose text order is the code point on SQLite and the server's locale on
PostgreSQL. This scan fails when src/cchc orders by a name field in order_by() or
Meta.ordering outside the allow-list (each entry with its reason)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "cchc"
NAME_FIELDS = {"name", "full_name", "title", "label", "short_name"}
# (file under src/cchc, field): why the database may order by it.
ALLOWED = {
    ("evaluations/demo.py", "name"): "demo seeding: decides which sample figures a unit draws",
    ("evaluations/demo.py", "unit__name"): "demo seeding: which random figures each unit draws",
    ("evaluations/demo.py", "cycle_unit__unit__name"): "demo seeding: which duty is left owing",
    ("plans/demo.py", "name"): "demo seeding: which communes get the sample plans",
    ("service_index/demo.py", "name"): "demo seeding: which communes get sample feedback",
}


def _is_name(field: str) -> bool:
    last = field.lstrip("-").split("__")[-1]
    return last in NAME_FIELDS or last.endswith("_name")


def name_orders(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        args: list[ast.expr] = []
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "order_by":
            args = list(node.args)
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "ordering" for t in node.targets
        ):
            args = list(getattr(node.value, "elts", []))
        for arg in args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _is_name(arg.value):
                found.append((node.lineno, arg.value))
    return found


def test_the_scan_finds_a_name_order():
    assert name_orders('Unit.objects.order_by("kind", "name")') == [(1, "name")]
    assert name_orders('class Meta:\n    ordering = ["unit__name"]') == [(2, "unit__name")]
    assert name_orders('Unit.objects.order_by("path")') == []


def test_no_database_order_by_a_name_outside_the_allow_list():
    bad, used = [], set()
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        rel = path.relative_to(SRC).as_posix()
        for line, field in name_orders(path.read_text(encoding="utf-8")):
            if (rel, field) in ALLOWED:
                used.add((rel, field))
            else:
                bad.append(f"{rel}:{line} orders by {field!r}: use cchc.core.collation.vn_order")
    assert bad == []
    assert set(ALLOWED) - used == set(), "stale allow-list entries"
