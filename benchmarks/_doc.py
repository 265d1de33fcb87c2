"""Write a benchmark's numbers into docs/benchmarks.md without touching what people wrote.

A script owns only the text between its two markers,

    <!-- scoring:start -->
    …generated…
    <!-- scoring:end -->

and replaces that alone: notes, verdicts and earlier runs written by hand around the block,
in the same section or elsewhere, stay as they are. Without the markers the block is added
(at the end of its section when the heading is there, else at the end of the file under
the heading), never written over a section. One marker without the other, or the end
before the start, is refused: guessing where the block ends could delete hand-written text.
"""

from __future__ import annotations

from pathlib import Path


def markers(name: str) -> tuple[str, str]:
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def replace_block(text: str, name: str, body: str, heading: str | None = None) -> str:
    """``text`` with the block ``name`` holding ``body`` (see the module's docstring)."""
    start, end = markers(name)
    block = f"{start}\n{body.strip(chr(10))}\n{end}"
    has_start, has_end = text.count(start), text.count(end)
    if has_start or has_end:
        if has_start != 1 or has_end != 1 or text.index(end) < text.index(start):
            raise ValueError(
                f"docs: the markers {start} … {end} are not one pair in this order "
                f"({has_start} start, {has_end} end); put them right by hand"
            )
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        return head + block + tail
    if heading and heading in text:
        head, rest = text.split(heading, 1)
        cut = rest.find("\n## ")
        section, tail = (rest, "") if cut < 0 else (rest[: cut + 1], rest[cut + 1 :])
        section = section.rstrip("\n") + "\n\n" + block + "\n"
        return head + heading + section + ("\n" + tail if tail else "")
    lead = f"{heading}\n\n" if heading else ""
    return (text.rstrip("\n") + "\n\n" if text.strip() else "") + lead + block + "\n"


def write_block(doc: Path, name: str, body: str, heading: str | None = None) -> None:
    """Replace (or add) the block ``name`` of ``doc``; the rest of the file is kept."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    doc.write_text(replace_block(text, name, body, heading), encoding="utf-8")
