"""The models of the apps' objects that the access layer fetches (access_objects.py), given by
the apps that own them, each in its AppConfig.ready():

    from cchc.units import access_models
    access_models.register(Plan=Plan, PlanItem=PlanItem, ...)

The units layer sits below the apps and imports none of them (pyproject.toml,
[tool.importlinter]); the fetches read a model as `access_models.Plan` when they run, after
every app is ready. tests/units/test_access_models.py checks that every model a fetch reads
has been given.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

_models: dict[str, Any] = {}


def register(**models: Any) -> None:
    """Give the access layer these models (and enums) under their names."""
    for name, model in models.items():
        known = _models.get(name)
        if known is not None and known is not model:
            raise ImproperlyConfigured(f"access_models.{name} is given twice: {known!r}, {model!r}")
        _models[name] = model


def registered() -> dict[str, Any]:
    return dict(_models)


def __getattr__(name: str) -> Any:
    try:
        return _models[name]
    except KeyError:
        raise AttributeError(
            f"access_models.{name}: no app gave this model; its AppConfig.ready() registers "
            "it with cchc.units.access_models.register()"
        ) from None
