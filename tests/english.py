"""Words and phrases that leaked English into the Vietnamese interface (issue 15). The
interface is Vietnamese only; a page that shows one of these fails its test."""

from __future__ import annotations

import re

LEAKED = (
    "no open supplement request",
    "can be requested only",
    "unknown procedure code",
    "unknown channel",
    "not a date",
    "finished before received",
    "due before received",
    "missing required column",
    "required value missing",
    "file rejected",
    "plan_completion_rate",
    "on_time_rate",
    "online_rate",
    "Waiting for you",
    "Sign out",
    "Log in",
    "Save",
    "Cancel",
    "Submit",
    "Delete",
    "Add ",
    "Search",
    "Results",
    "Dashboard",
    "Settings",
    "Administration",
    "Home",
    "Users",
    "Units",
    "Cycles",
    "Reports",
)
_PATTERN = re.compile("|".join(rf"(?<![\w/_.-]){re.escape(w.strip())}(?![\w/_.-])" for w in LEAKED))


def english_in(text: str) -> list[str]:
    """The leaked words found in a page's visible text."""
    return sorted(set(_PATTERN.findall(text)))
