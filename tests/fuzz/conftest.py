"""API fuzzing against a running server; run with `pytest -m fuzz` (scripts/run-tests does)."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/fuzz" in str(item.fspath):
            item.add_marker(pytest.mark.fuzz)
