from tests.evaluations.conftest import (  # noqa: F401 — shared fixtures
    demo_framework,
    draft_cycle,
    fake_metrics,
    open_cycle,
    signed_in,
)
