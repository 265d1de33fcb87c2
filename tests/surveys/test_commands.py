"""cchc surveys import CYCLE_ID FILE"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from cchc.surveys.models import SurveyResult


def test_import_command(cast, open_cycle, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("unit,survey,value\nXã Đồng Tâm,sipas,92.8\n", encoding="utf-8")
    out = io.StringIO()
    call_command("surveys", "import", str(open_cycle.cycle.pk), str(path), stdout=out)
    assert "Đã nhập 1 kết quả điều tra (1 mới, 0 cập nhật)" in out.getvalue()
    assert SurveyResult.objects.get().value == Decimal("92.8")


def test_import_command_errors(cast, open_cycle, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("unit,survey,value\nXã Đồng Tâm,sipas,x\n", encoding="utf-8")
    with pytest.raises(CommandError) as info:
        call_command("surveys", "import", str(open_cycle.cycle.pk), str(path))
    assert "dòng 2, cột 'value'" in str(info.value)
    with pytest.raises(CommandError, match="Không có kỳ đánh giá số 999"):
        call_command("surveys", "import", "999", str(path))
    assert not SurveyResult.objects.exists()
