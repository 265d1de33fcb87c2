"""Issue 14, fees: a dossier carries a fee (the file's `fee` column, else its procedure's
fee when the catalogue knows it, else none), and the online-payment rate is, everywhere,
paid online / received carrying a fee; no fee-bearing dossier: no rate (null)."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from cchc.core.tabular import TableErrors
from cchc.dossiers.imports import dossiers_import
from cchc.dossiers.models import Dossier
from cchc.dossiers.periods import custom_period
from cchc.dossiers.selectors import unit_stats
from cchc.service_index import selectors as index_selectors

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = time_machine.travel(dt.datetime(2026, 12, 6, 9, tzinfo=VN), tick=False)
PERIOD = custom_period(dt.date(2026, 11, 1), dt.date(2026, 12, 5))


def _file(tmp_path, unit, lines, *, fee_column=True):
    header = "code,unit,procedure,channel,received_at,paid_online" + (",fee" if fee_column else "")
    body = "\n".join(
        f"{code},{unit.scheme}-{unit.code},{procedure},truc_tuyen,2026-11-{10 + i:02d} 08:00,"
        f"{paid}" + (f",{fee}" if fee_column else "")
        for i, (code, procedure, paid, fee) in enumerate(lines)
    )
    path = tmp_path / "d.csv"
    path.write_text(header + "\n" + body + "\n", encoding="utf-8")
    return path


@NOW
def test_fee_column_catalogue_fallback_and_rate(cast, procedures, tmp_path):
    path = _file(
        tmp_path,
        cast.dong_tam,
        [
            ("A1", "1.004873", 1, ""),  # empty: the catalogue's 50.000 đồng
            ("A2", "1.004873", 0, "0"),  # the file says no fee: none
            ("A3", "1.001193", 1, "50.000"),  # a fee the catalogue does not set
            ("A4", "1.001193", 0, ""),  # free procedure, no fee given: none
            ("A5", "1.001035", 0, "2000"),
        ],
    )
    dossiers_import(source=path, filename=path.name, by=None)
    fees = dict(Dossier.objects.values_list("code", "fee"))
    assert fees == {"A1": 50000, "A2": None, "A3": 50000, "A4": None, "A5": 2000}
    stats = unit_stats(cast.dong_tam, PERIOD)
    assert (stats.paid_online, stats.fee_required) == (2, 3)
    assert stats.to_json()["rates"]["paid_online"] == 66.67  # not 2 / 5 = 40%
    # the QĐ 766 counts read the same dossiers
    counts = index_selectors.IndexComputer().counts([cast.dong_tam], PERIOD)[cast.dong_tam.pk]
    assert (counts["dossiers.paid_online"], counts["dossiers.fee_required"]) == (2, 3)


@NOW
def test_per_row_path_reads_the_fee_too(cast, procedures, tmp_path):
    # an offset sends the rows down the per-row path
    path = tmp_path / "d.csv"
    path.write_text(
        "code,unit,procedure,channel,received_at,paid_online,fee\n"
        f"B1,{cast.dong_tam.key},1.004873,truc_tuyen,2026-11-10T08:00:00+07:00,1,\n"
        f"B2,{cast.dong_tam.key},1.001193,truc_tuyen,2026-11-10T08:00:00+07:00,1,1.500\n",
        encoding="utf-8",
    )
    dossiers_import(source=path, filename=path.name, by=None)
    assert dict(Dossier.objects.values_list("code", "fee")) == {"B1": 50000, "B2": 1500}


@NOW
def test_a_bad_fee_is_named_and_nothing_changes(cast, procedures, tmp_path):
    path = _file(tmp_path, cast.dong_tam, [("C1", "1.004873", 1, "năm mươi nghìn")])
    with pytest.raises(TableErrors) as caught:
        dossiers_import(source=path, filename=path.name, by=None)
    assert "fee" in str(caught.value) and "Phí, lệ phí" in str(caught.value)
    assert not Dossier.objects.exists()


@NOW
def test_no_fee_bearing_dossier_is_no_rate(cast, procedures, tmp_path):
    path = _file(tmp_path, cast.dong_tam, [("D1", "1.001193", 1, "")])
    dossiers_import(source=path, filename=path.name, by=None)
    stats = unit_stats(cast.dong_tam, PERIOD)
    assert stats.rates.paid_online is None  # không có số liệu, never 0,00
    assert stats.to_json()["rates"]["paid_online"] is None


def test_statistics_of_a_file_take_the_fee(cast, procedures, tmp_path, capsys):
    """`cchc dossiers stats FILE`: the fee column, else the catalogue's fee."""
    path = tmp_path / "s.csv"
    path.write_text(
        "code,unit,procedure,channel,received_at,due_at,finished_at,intake_digitized,"
        "result_digitized,paid_online,fee\n"
        "E1,X,1.004873,truc_tuyen,2026-11-10,,,none,0,1,\n"  # catalogue: 50.000
        "E2,X,1.001193,truc_tuyen,2026-11-10,,,none,0,1,\n"  # free: no fee
        "E3,X,1.001193,truc_tiep,2026-11-10,,,none,0,0,3000\n"
        "E4,X,UNKNOWN,truc_tuyen,2026-11-10,,,none,0,1,\n",  # unknown procedure: no fee
        encoding="utf-8",
    )
    call_command(
        "dossiers", "stats", str(path), "--from", "2026-11-01", "--to", "2026-11-30",
        "--as-of", "2026-11-30",
    )  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert data["rates"]["paid_online"] == 50.0  # E1 of E1, E3
