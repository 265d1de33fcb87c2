"""Issue 12: an API write checks the person's right to do it before its body is validated.
The table cchc.api.urls.acts_on() names, for every write, the fetch and action of
cchc.units.permissions its handler asks first; the route walk checks the answers."""

from __future__ import annotations

from cchc.api.urls import acts_on, api
from cchc.units import permissions


def _writes() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method != "get"
    }


def test_every_api_write_names_what_it_acts_on():
    table = acts_on()
    missing = sorted(_writes() - set(table))
    assert not missing, "API writes without a row in cchc.api.urls.acts_on():\n" + "\n".join(
        f"{m} {p}" for m, p in missing
    )
    assert not sorted(set(table) - _writes()), "rows of acts_on() for no API operation"


def test_the_checks_are_the_permission_layers_own():
    for operation, checks in acts_on().items():
        assert checks, operation
        for where, check, action in checks:
            if where is None:
                continue  # a rule of the operation, not of an object (shared catalogues)
            assert getattr(permissions, check.__name__, None) is check, (operation, check)
            assert where.startswith("body.") or f"{{{where}}}" in operation[1], operation
            assert isinstance(action, str), operation
