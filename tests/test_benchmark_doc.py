"""The benchmarks write their numbers into docs/benchmarks.md between markers only
(benchmarks/_doc.py): the notes people wrote around a generated table must survive a rerun."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

_doc = importlib.import_module("_doc")

SECTION = "## Scoring (`cchc score`, issue 18)"
DOC = f"""# Benchmarks

## Dossiers

Hand-written note on dossiers.

{SECTION}

Intro written by hand.

<!-- scoring:start -->
| stage | seconds |
|---|---|
| old | 9.999 |
<!-- scoring:end -->

**After** (hand-written verdict, must survive).

## Report batches

Other section.
"""


def test_only_the_block_is_replaced(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text(DOC, encoding="utf-8")
    _doc.write_block(doc, "scoring", "| stage | seconds |\n|---|---|\n| new | 0.123 |\n", SECTION)
    text = doc.read_text(encoding="utf-8")
    assert "9.999" not in text
    assert "<!-- scoring:start -->\n| stage | seconds |\n|---|---|\n| new | 0.123 |\n" in text
    expected = DOC.replace("| old | 9.999 |", "| new | 0.123 |")
    assert text == expected  # every other character kept, hand-written text included
    # a second run with the same numbers changes nothing
    _doc.write_block(doc, "scoring", "| stage | seconds |\n|---|---|\n| new | 0.123 |", SECTION)
    assert doc.read_text(encoding="utf-8") == expected


def test_missing_markers_append_the_block_to_its_section(tmp_path):
    doc = tmp_path / "benchmarks.md"
    unmarked = DOC.replace("<!-- scoring:start -->\n", "").replace("<!-- scoring:end -->\n", "")
    doc.write_text(unmarked, encoding="utf-8")
    _doc.write_block(doc, "scoring", "NEW TABLE", SECTION)
    text = doc.read_text(encoding="utf-8")
    # nothing lost: the old table and the notes are still there, the block is added with
    # its markers at the end of the section (before the next one)
    assert "| old | 9.999 |" in text and "**After** (hand-written verdict, must survive)." in text
    assert "Intro written by hand." in text and "Other section." in text
    block = "<!-- scoring:start -->\nNEW TABLE\n<!-- scoring:end -->"
    assert f"must survive).\n\n{block}\n\n## Report batches" in text
    # from now on the block is replaced in place
    _doc.write_block(doc, "scoring", "NEWER", SECTION)
    text = doc.read_text(encoding="utf-8")
    assert "NEW TABLE" not in text and text.count("<!-- scoring:start -->") == 1
    assert "<!-- scoring:start -->\nNEWER\n<!-- scoring:end -->" in text


def test_missing_section_and_file(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\n## Dossiers\n\nNote.\n", encoding="utf-8")
    _doc.write_block(doc, "scoring", "TABLE", SECTION)
    assert doc.read_text(encoding="utf-8") == (
        "# Benchmarks\n\n## Dossiers\n\nNote.\n\n"
        f"{SECTION}\n\n<!-- scoring:start -->\nTABLE\n<!-- scoring:end -->\n"
    )
    absent = tmp_path / "new.md"
    _doc.write_block(absent, "dossiers:100", "ROWS")
    assert absent.read_text(encoding="utf-8") == (
        "# Benchmarks\n\n<!-- dossiers:100:start -->\nROWS\n<!-- dossiers:100:end -->\n"
    )


@pytest.mark.parametrize(
    "broken",
    [
        DOC.replace("<!-- scoring:end -->\n", ""),
        DOC.replace("<!-- scoring:start -->\n", ""),
        DOC.replace("<!-- scoring:end -->", "<!-- scoring:start -->", 1).replace(
            "<!-- scoring:start -->", "<!-- scoring:end -->", 1
        ),
        DOC + "\n<!-- scoring:start -->\n<!-- scoring:end -->\n",
    ],
    ids=["no end", "no start", "end first", "two blocks"],
)
def test_broken_markers_are_refused_and_the_file_kept(tmp_path, broken):
    doc = tmp_path / "benchmarks.md"
    doc.write_text(broken, encoding="utf-8")
    with pytest.raises(ValueError, match="scoring:start"):
        _doc.write_block(doc, "scoring", "NEW", SECTION)
    assert doc.read_text(encoding="utf-8") == broken


def test_the_scripts_keep_the_notes(tmp_path, monkeypatch):
    """scoring.py and reports.py write through the block: the notes of their sections (the
    real docs/benchmarks.md as committed) survive, the tables are the new run's."""
    doc = tmp_path / "benchmarks.md"
    real = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    doc.write_text(real, encoding="utf-8")
    scoring = importlib.import_module("scoring")
    reports = importlib.import_module("reports")
    monkeypatch.setattr(scoring, "DOCS", doc)
    monkeypatch.setattr(reports, "DOCS", doc)
    scoring.write_docs(3321, {"read": 0.001, "parse": 0.002}, 0.777, 0.555)
    args = argparse.Namespace(db="sqlite", units=200, rows=200_000, workers=2)
    run = {"seconds": 55.5, "cpu": 104.0, "load_before": "1, 1, 1", "load_after": "2, 2, 2"}
    reports.write_docs(args, {"sqlite": run})
    text = doc.read_text(encoding="utf-8")
    assert "| whole command (fresh process) | 0.777 |" in text
    assert "| sqlite | 55.5 | 104 (0.52) | 1, 1, 1 | 2, 2, 2 |" in text
    # the hand-written notes after each generated table, and the next sections, are kept
    for note in [
        "**After** (branch h18b, 6/12/2026 19:07 UTC)",
        "**One block per page** (branch h18r",
        "**Rerun on a quieter machine (6/12/2026 20:04 UTC",
        "**Verdict**: met in CPU",
        "## Monthly update (issue 18; `benchmarks/monthly.py`)",
        "## Pages under load (issue 13",
    ]:
        assert note in text, note
    # everything outside the two blocks is byte for byte the committed text
    assert _outside_blocks(text) == _outside_blocks(real)
    assert text != real


def _outside_blocks(text: str) -> str:
    for name in ["scoring", "reports"]:
        start, end = _doc.markers(name)
        head, rest = text.split(start, 1)
        text = head + start + end + rest.split(end, 1)[1]
    return text
