"""cchc outlines load | export | list | xlsx (the shared spec command, with outlines)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cchc.reports.outlines.spec import load_outline

OUTLINE = Path(__file__).resolve().parents[3] / "outlines" / "bc-cchc-2-cap-2025.yaml"
CODE = "bc-cchc-2-cap-2025"

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("outlines", *map(str, args), stdout=out)
    return out.getvalue()


def test_load_list_export_xlsx(tmp_path):
    assert f"Đã nạp {CODE}" in run("load", OUTLINE)
    assert CODE in run("list")
    assert load_outline(run("export", CODE)) == load_outline(OUTLINE)
    target = tmp_path / "out.yaml"
    assert f"Đã ghi {target}" in run("export", CODE, "--output", target)
    assert load_outline(target) == load_outline(OUTLINE)
    sheet = tmp_path / "blank.xlsx"
    run("xlsx", CODE, "--output", sheet)
    assert sheet.read_bytes()[:2] == b"PK"


def test_refusals_name_the_file_or_code(tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        run("load", tmp_path / "none.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: [\n", encoding="utf-8")
    with pytest.raises(CommandError, match=f"^{bad}: "):
        run("load", bad)
    with pytest.raises(CommandError, match="NOPE"):
        run("export", "NOPE")
