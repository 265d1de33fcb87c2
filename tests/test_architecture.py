"""The import layers declared once in pyproject.toml ([tool.importlinter], drawn in
docs/architecture.md): a module imports from its own layer and the layers below, never from
one above. The listed exceptions may only shrink: an entry that no longer matches an import
is an error too."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(src: Path, config: Path = ROOT / "pyproject.toml") -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), "--no-cache", "--config", str(config)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _copy_of_src(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "src" / "cchc",
        tmp_path / "cchc",
        ignore=shutil.ignore_patterns("templates", "static", "locale", "__pycache__", "*.css"),
    )
    return tmp_path


def test_the_layers_hold():
    result = _lint(ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_new_upward_import_breaks_the_layers(tmp_path):
    src = _copy_of_src(tmp_path)
    formatting = src / "cchc" / "core" / "formatting.py"
    formatting.write_text(formatting.read_text() + "\nfrom cchc.reports import kinds  # noqa\n")
    result = _lint(src)
    assert result.returncode != 0
    assert "cchc.core.formatting -> cchc.reports.kinds" in result.stdout


def test_an_exception_that_matches_nothing_is_an_error(tmp_path):
    config = tmp_path / "pyproject.toml"
    text = (ROOT / "pyproject.toml").read_text()
    assert "ignore_imports = [\n" in text
    config.write_text(
        text.replace(
            "ignore_imports = [\n",
            'ignore_imports = [\n    "cchc.core.formatting -> cchc.reports.kinds",\n',
            1,
        )
    )
    result = _lint(ROOT / "src", config)
    assert result.returncode != 0
    assert "No matches for ignored import cchc.core.formatting -> cchc.reports.kinds" in (
        result.stdout + result.stderr
    )
