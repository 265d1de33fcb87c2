from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"  # copies of ../shared/seeds


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def test_check_report_finds_seed_004_rise_and_exits_non_zero(capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("check_report", str(seed("004")), "--format", "json")
    assert exit_.value.code == 1
    findings = json.loads(capsys.readouterr().out)
    printed = {str(f["printed"]) for f in findings}
    assert any(p.startswith("19.69") for p in printed)


def test_check_report_on_a_consistent_text_exits_zero(tmp_path, capsys):
    path = tmp_path / "ok.txt"
    path.write_text(
        "Tiếp nhận 1.277 hồ sơ, trong đó trực tuyến 1.127 hồ sơ, đạt 88,25%.\n", encoding="utf-8"
    )
    call_command("check_report", str(path))
    assert "Không phát hiện số liệu nào không khớp" in capsys.readouterr().out


def test_check_report_finds_seed_000_total_that_its_parts_contradict(capsys):
    with pytest.raises(SystemExit):
        call_command("check_report", str(seed("000")))
    out = capsys.readouterr().out
    assert "1.086" in out and "1.084" in out


def test_missing_file_is_named():
    with pytest.raises(CommandError, match="khong-co.docx"):
        call_command("check_report", "khong-co.docx")
