from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from cchc.units.models import Profile, Unit


@pytest.mark.django_db
def test_units_load_unknown_province_is_a_clear_error():
    with pytest.raises(CommandError, match="Không có tỉnh/thành phố mã '99'"):
        call_command("units", "load", "--province", "99")


@pytest.mark.django_db
def test_units_import_bad_file_names_row_and_field(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("code,name,kind\nA,,commune\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("units", "import", str(path))
    assert "dòng 2" in str(error.value) and "'name'" in str(error.value)
    assert not Unit.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_demo_prepares_accounts_and_can_run_twice(capsys):
    call_command("demo")
    call_command("demo")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/" in out
    for username in ("quantri", "thamdinh", "chutich", "congchuc"):
        assert username in out
    assert Profile.objects.filter(user__username="congchuc", unit__name="Xã Ninh Giang").exists()
    assert Unit.objects.filter(scheme="2008", code="299", name="Huyện Ninh Giang").exists()
    assert Unit.objects.filter(scheme="2025", code="31").count() == 1


def test_cli_maps_its_aliases():
    from cchc import cli

    # core's `worker` marks dead work failed, then runs django-tasks' db_worker (issue 13)
    assert cli.ALIASES["worker"] == ["worker"]
    assert cli.ALIASES["check-report"] == ["check_report"]
