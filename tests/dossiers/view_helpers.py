"""Helpers of the dossier page and API tests: seed 002's dossiers loaded into Thanh Xá."""

from __future__ import annotations

import html
import io
from pathlib import Path

from cchc.dossiers import imports
from cchc.dossiers.models import Procedure
from cchc.dossiers.rows import load_rows

SEED002 = Path(__file__).parent / "fixtures" / "seed002_dossiers.csv"


def text(response) -> str:
    """A page's HTML with entities decoded (Django escapes quotes in messages)."""
    return html.unescape(response.content.decode())


def seed002_procedures() -> None:
    for code, field in {r.procedure: r.field for r in load_rows(SEED002)}.items():
        Procedure.objects.get_or_create(
            code=code,
            defaults={"name": f"Thủ tục {code}", "field": field or "", "processing_days": 1},
        )


def seed002_bytes(unit_code: str = "local-THANHXA") -> bytes:
    """Seed 002's file with the cast's Thanh Xá as the unit."""
    return SEED002.read_bytes().replace(b",thanh-xa,", f",{unit_code},".encode())


def load_seed002(by, unit_code: str = "local-THANHXA"):
    """Seed 002 (xã Thanh Xá, 2023): 1,277 received, 1,127 online, 1,274 resolved."""
    seed002_procedures()
    return imports.dossiers_import(
        source=io.BytesIO(seed002_bytes(unit_code)), filename="seed002.csv", by=by
    )
