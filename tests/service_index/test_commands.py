"""`cchc index766`: the same figures as the page, as text or JSON."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("index766", *args, stdout=out)
    return out.getvalue()


def test_text_output_states_total_rank_and_what_loses_most(cast, october):
    text = run(str(cast.dong_tam.pk), "--from", "2023-10-02", "--to", "2023-10-31")
    assert "Tổng điểm: 46,67/96 điểm (48,61/100)" in text
    assert "Xếp thứ 1/2" in text
    assert "Mất nhiều điểm nhất:" in text
    first_loser = text.split("Mất nhiều điểm nhất:")[1].strip().splitlines()[0]
    assert first_loser.startswith("2.1") and "6,67" in first_loser
    assert "4.5a" in text and "4.5b" in text  # the table lists every indicator


def test_json_output_and_unit_by_key_or_name(cast, october):
    by_key = json.loads(
        run("local-DONGTAM", "--from", "2023-10-02", "--to", "2023-10-31", "--format", "json")
    )
    by_name = json.loads(
        run("Xã Đồng Tâm", "--from", "2023-10-02", "--to", "2023-10-31", "--format", "json")
    )
    assert by_key == by_name
    assert by_key["total"] == "46.67" and by_key["counts"]["dossiers.on_time_766"] == 6


def test_ranking_of_the_communes_under_a_unit(cast, october):
    text = run(str(cast.district.pk), "--period", "2023-10-02..2023-10-31", "--ranking")
    lines = text.splitlines()
    assert "1/2" in lines[1] and "Xã Đồng Tâm" in lines[1]
    data = json.loads(
        run(str(cast.district.pk), "--period", "2023", "--ranking", "--format", "json")
    )
    assert len(data["rows"]) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Xã Không Có"], "Không tìm thấy đơn vị"),
        (["local-DONGTAM", "--from", "2023-10-02"], "Cần cả --from và --to"),
        (["local-DONGTAM", "--from", "2023-10-40", "--to", "2023-10-31"], "không hợp lệ"),
        (["local-DONGTAM", "--period", "2023-Q7"], "không tồn tại"),
    ],
)
def test_bad_input_is_refused_plainly(cast, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
