"""cchc frameworks load | export | list"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cchc.frameworks.models import Framework
from cchc.frameworks.spec import load_framework

FRAMEWORKS = Path(__file__).resolve().parents[2] / "frameworks"
HD = FRAMEWORKS / "hd-xa-2022.yaml"

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("frameworks", *map(str, args), stdout=out)
    return out.getvalue()


def test_load_list_export(tmp_path):
    out = run("load", HD)
    assert "Đã nạp hd-xa-2022" in out and "tổng 100 điểm" in out
    assert "hd-xa-2022" in run("list")
    text = run("export", "hd-xa-2022")
    assert load_framework(text) == load_framework(HD)
    target = tmp_path / "out.yaml"
    run("export", "hd-xa-2022", "--output", target)
    assert load_framework(target) == load_framework(HD)


def test_load_names_the_first_problem(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        (FRAMEWORKS / "minh-hoa-xa.yaml")
        .read_text(encoding="utf-8")
        .replace("max: 15", "max: 16", 1),
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as info:
        run("load", bad)
    assert "tiêu chí 1 khóa max" in str(info.value)
    assert not Framework.objects.exists()


def test_missing_file_and_unknown_code():
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        run("load", "khong-co.yaml")
    with pytest.raises(CommandError, match="Không có bộ chỉ số mã xyz"):
        run("export", "xyz")
    assert "Chưa có bộ chỉ số" in run("list")
