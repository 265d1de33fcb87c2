"""schemathesis against a running server (issue 13): every operation of /api/openapi.json,
as an officer of a commune and as the province's administrator, each with a bearer token.

Passes only with 0 server errors (5xx) and 0 responses that contradict their documented
schema. Bounded: a fixed seed, one worker, CCHC_FUZZ_SECONDS per persona (default 30).

The server is pytest-django's live server over the test database, seeded with the cast,
an open evaluation cycle, the procedure catalogue, dossiers and a plan, so most operations
reach their real logic instead of a 404."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from cchc.core.models import ApiToken
from cchc.dossiers import services as dossier_services
from tests.dossiers.conftest import at, procedures  # noqa: F401 (fixtures)
from tests.evaluations.conftest import (  # noqa: F401 (fixtures)
    demo_framework,
    draft_cycle,
    fake_metrics,
    open_cycle,
)
from tests.plans.conftest import components, good_xlsx, plan  # noqa: F401 (fixtures)

SECONDS = int(os.environ.get("CCHC_FUZZ_SECONDS", "30"))
# Only the operations whose path matches (a regular expression), to check the ones a change
# touched: CCHC_FUZZ_PATHS='/api/(jobs|frameworks/$)'. The whole API by default.
PATHS = os.environ.get("CCHC_FUZZ_PATHS", "")
# The tokens' scope: "read" (the default) refuses every write with 403 before its body is
# read; "write" lets the writes reach their handlers (CCHC_FUZZ_SCOPE=write).
SCOPE = os.environ.get("CCHC_FUZZ_SCOPE", ApiToken.Scope.READ)
# schemathesis' phases: CCHC_FUZZ_PHASES=coverage,fuzzing adds the boundary values of every
# documented bound (the largest integer, the longest string, one past each) to the random
# ones.
PHASES = os.environ.get("CCHC_FUZZ_PHASES", "examples,fuzzing")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "schemathesis"
CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"


@pytest.fixture
def seeded(cast, open_cycle, procedures, plan):  # noqa: F811
    day = dt.date(2024, 3, 4)
    for number, key in enumerate(["birth", "copy", "land", "open"], start=1):
        dossier_services.dossier_create(
            unit=cast.dong_tam,
            procedure=procedures[key],
            code=f"DT-{number:04d}",
            applicant="Nguyễn Văn An",
            channel="truc_tuyen" if number % 2 else "truc_tiep",
            received_at=at(day),
            by=cast.officer,
        )
    return cast


def _schemathesis() -> str:
    found = Path(sys.executable).with_name("schemathesis")
    if not found.exists():
        pytest.fail("schemathesis is not installed: make install-test")
    return str(found)


@pytest.mark.parametrize("persona", ["officer", "administrator"])
def test_api_has_no_server_error_and_keeps_its_schema(
    persona, seeded, live_server, transactional_db
):
    _, key = ApiToken.issue(user=getattr(seeded, persona), name="schemathesis", scope=SCOPE)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # The description is fetched here, without schemathesis' 10 s read timeout: building it
    # takes seconds on a busy machine. It is the running server's own /api/openapi.json.
    schema_file = ARTIFACTS / "openapi.json"
    with urllib.request.urlopen(f"{live_server.url}/api/openapi.json", timeout=120) as answer:
        schema_file.write_bytes(answer.read())
    command = [
        _schemathesis(),
        "run",
        str(schema_file),
        "--url",
        live_server.url,
        "--header",
        f"Authorization: Bearer {key}",
        "--checks",
        CHECKS,
        "--phases",
        PHASES,
        "--max-time",
        str(SECONDS),
        "--max-examples",
        "25",
        "--workers",
        "1",
        "--seed",
        "13",
        "--request-timeout",
        "30",
        *(["--include-path-regex", PATHS] if PATHS else []),
        "--no-color",
        "--report",
        "junit",
        "--report-junit-path",
        str(ARTIFACTS / f"junit-{persona}.xml"),
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=SECONDS * 3 + 120)
    output = run.stdout + run.stderr
    (ARTIFACTS / f"{persona}.txt").write_text(output)
    tested = re.search(r"Tested: (\d+)", output)
    generated = re.search(r"(\d+) generated", output)
    assert run.returncode == 0, output[-6000:]
    # A run that reached nothing is a failure too, not a silent pass.
    assert tested and int(tested.group(1)) >= (1 if PATHS else 60), output[-3000:]
    assert generated and int(generated.group(1)) >= (10 if PATHS else 100), output[-3000:]
