"""Demo data of outline reports: the shipped outlines, loaded (idempotent: an outline that
exists is left as it is)."""

from __future__ import annotations

from pathlib import Path

from cchc.reports.outlines import services
from cchc.reports.outlines.models import Outline
from cchc.reports.outlines.spec import load_outline

OUTLINES = Path(__file__).resolve().parents[4] / "outlines"


def load(ctx) -> None:
    for path in sorted(OUTLINES.glob("*.yaml")):
        if not Outline.objects.filter(code=load_outline(path).code).exists():
            services.outline_load(source=path)
