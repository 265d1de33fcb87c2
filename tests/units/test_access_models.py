"""The access layer (units) reads the apps' models through access_models, which each app fills
in its AppConfig.ready(): every model a fetch of access_objects.py reads must have been given,
or that fetch would fail only when somebody opens the page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cchc.units import access_models, access_objects

SOURCE = Path(access_objects.__file__).read_text(encoding="utf-8")


def test_every_model_the_fetches_read_is_given_by_its_app():
    used = set(re.findall(r"\bM\.([A-Za-z_]\w*)", SOURCE))
    assert {"Cycle", "Plan", "Report", "Feedback", "Dossier", "OutlineReport"} <= used
    missing = sorted(used - set(access_models.registered()))
    assert not missing, f"not registered by any app's ready(): {missing}"


def test_a_registered_model_is_the_apps_own():
    from cchc.dossiers.models import Dossier
    from cchc.reports.outlines.models import OutlineReport

    assert access_models.Dossier is Dossier
    assert access_models.OutlineReport is OutlineReport


def test_a_model_nobody_gave_is_named_in_the_error():
    with pytest.raises(AttributeError, match="access_models.Nothing: no app gave this model"):
        access_models.Nothing  # noqa: B018


def test_a_name_given_twice_for_another_model_is_refused():
    from cchc.dossiers.models import Procedure

    with pytest.raises(ImproperlyConfigured, match="Dossier is given twice"):
        access_models.register(Dossier=Procedure)
    from cchc.dossiers.models import Dossier

    access_models.register(Dossier=Dossier)  # the same one again: harmless
    assert access_models.Dossier is Dossier
