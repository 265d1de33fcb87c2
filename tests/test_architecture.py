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


# Issue 17: a file that grows past this is split along its concerns (migrations excepted:
# Django writes them). Data files (frameworks' YAML, fonts) are not code and not counted.
MAX_LINES = 800
CODE_SUFFIXES = {".py", ".html", ".js", ".css"}


def _long_files(root: Path) -> list[str]:
    out = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in CODE_SUFFIXES or "migrations" in path.parts:
            continue
        if "__pycache__" in path.parts or not path.is_file():
            continue
        lines = path.read_text(encoding="utf-8").count("\n")
        if lines > MAX_LINES:
            out.append(f"{path.relative_to(root)}: {lines} dòng")
    return out


def test_no_source_file_is_over_800_lines():
    long = _long_files(ROOT / "src")
    assert not long, f"Tệp quá {MAX_LINES} dòng (tách theo nội dung):\n" + "\n".join(long)


def test_the_line_limit_catches_a_long_file(tmp_path):
    (tmp_path / "pkg" / "migrations").mkdir(parents=True)
    (tmp_path / "pkg" / "long.py").write_text("x = 1\n" * (MAX_LINES + 1))
    (tmp_path / "pkg" / "short.py").write_text("x = 1\n" * MAX_LINES)
    (tmp_path / "pkg" / "migrations" / "0001_initial.py").write_text("x = 1\n" * 5000)
    assert _long_files(tmp_path) == [f"pkg/long.py: {MAX_LINES + 1} dòng"]


def _doc_block(marker: str) -> list[str]:
    """The lines of the code block that follows `<!-- marker...` in docs/architecture.md."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    after = text.split(f"<!-- {marker}", 1)[1].split("```\n", 1)[1]
    return after.split("```", 1)[0].strip().splitlines()


def _contract() -> dict:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"][0]


def _short(name: str) -> str:
    return name.replace("cchc.", "")


def test_the_documented_layers_are_the_contracts():
    assert _doc_block("layers") == [_short(layer) for layer in _contract()["layers"]]


def test_the_documented_exceptions_are_the_contracts():
    assert _doc_block("ignore_imports") == [_short(i) for i in _contract()["ignore_imports"]]
