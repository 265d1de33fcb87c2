"""Times of day print in Vietnam time (Asia/Ho_Chi_Minh) whatever the server's zone
(issue 14): a moment just before midnight UTC is the next morning in Vietnam."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.template import engines
from django.test import override_settings

from cchc.core import formatting

SRC = Path(__file__).resolve().parents[2] / "src" / "cchc"
# 23:28 on 5/12 in UTC is 06:28 on 6/12 in Vietnam.
LATE_UTC = dt.datetime(2026, 12, 5, 23, 28, tzinfo=dt.UTC)


def test_helpers_give_the_vietnam_date_and_time():
    assert formatting.vn_datetime(LATE_UTC) == "06/12/2026 06:28"
    assert formatting.vn_time(LATE_UTC) == "06:28"
    assert formatting.vn_date(LATE_UTC) == "06/12/2026"
    assert formatting.vn_datetime(None) == ""


@override_settings(TIME_ZONE="UTC")
def test_template_filters_ignore_the_server_zone():
    template = engines["django"].from_string(
        "{{ t|vn_datetime }}|{{ t|vn_time }}|{{ t|vn_time_date }}|{{ t|vn_date }}"
    )
    assert template.render({"t": LATE_UTC}) == "06/12/2026 06:28|06:28|06:28 06/12/2026|06/12/2026"
    # Django's own filter follows TIME_ZONE: the reason templates may not use it for times
    assert engines["django"].from_string('{{ t|date:"d/m/Y" }}').render({"t": LATE_UTC}) == (
        "05/12/2026"
    )


def test_no_template_prints_a_moment_through_the_date_filter():
    """A time of day (H, G, i) or a moment (a field ending in _at) goes through vn_datetime
    or vn_time; |date is left to plain dates."""
    bad = []
    for path in SRC.rglob("*.html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in re.finditer(r"([\w.]+)\|date:([\"'])(.*?)\2", line):
                name, fmt = match.group(1), match.group(3)
                if fmt == "c":  # machine-readable <time datetime>, carries its offset
                    continue
                if re.search(r"[HGgiAa]", fmt) or name.endswith(("_at", "_date")):
                    bad.append(f"{path.relative_to(SRC)}:{number}: {match.group(0)}")
    assert not bad, "\n".join(bad)


# Machine forms |date may print: <time datetime> and ISO in URLs and data attributes.
MACHINE_FORMATS = {"c", "Y-m-d", "U"}


def test_templates_print_dates_for_people_through_the_one_rule():
    """Issue 16: a date a person reads goes through vn_date (05/9/2016, NĐ 30/2020); |date
    with d/m/Y, j/n/Y or j/n pads or strips by another rule. Only machine forms stay."""
    bad = []
    for path in SRC.rglob("*.html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in re.finditer(r"\|(date|vn_datetime):([\"'])(.*?)\2", line):
                if match.group(1) == "vn_datetime" or match.group(3) not in MACHINE_FORMATS:
                    bad.append(f"{path.relative_to(SRC)}:{number}: {match.group(0)}")
            # |date without a format prints Django's "Ngày 5 tháng 1 năm 2021"
            for match in re.finditer(r"\|date(?![:\w])", line):
                bad.append(f"{path.relative_to(SRC)}:{number}: {match.group(0)}")
    assert not bad, "\n".join(bad)
