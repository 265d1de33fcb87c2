"""Escaping of codes, names and user text for the places a browser reads them.

HTML text and attributes are escaped by Django's autoescape (one place, always on).
A CSS selector is a third language: a criterion code such as ``1.5`` in ``#c-1.5`` reads
as the id ``c-1`` with the class ``5`` and the selector matches nothing, so htmx sent no
request at all (issue 15). Every selector built from data goes through ``css_selector_id``
here (template filter ``css_id``) or through the browser's own ``CSS.escape`` in
JavaScript; both follow the same algorithm (CSSOM, "serialize an identifier").
"""

from __future__ import annotations


def css_escape(value: object) -> str:
    """The CSSOM serialisation of an identifier, as the browser's ``CSS.escape``."""
    text = str(value)
    out: list[str] = []
    for i, char in enumerate(text):
        code = ord(char)
        if code == 0:
            out.append("\ufffd")
        elif _as_code_point(char, i, text):
            out.append(f"\\{code:x} ")
        elif i == 0 and char == "-" and len(text) == 1:
            out.append("\\-")
        elif code >= 0x80 or char in "-_" or (char.isascii() and char.isalnum()):
            out.append(char)
        else:
            out.append("\\" + char)
    return "".join(out)


def css_selector_id(element_id: object) -> str:
    """``#`` and the escaped id: a selector that matches exactly that id, whatever it holds."""
    return "#" + css_escape(element_id)


def _as_code_point(char: str, i: int, text: str) -> bool:
    """Control characters, and a digit that would start the identifier, are written as
    an escaped code point."""
    code = ord(char)
    if 0x1 <= code <= 0x1F or code == 0x7F:
        return True
    return char.isascii() and char.isdigit() and (i == 0 or (i == 1 and text[0] == "-"))
