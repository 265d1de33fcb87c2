"""`cchc`: everything a person does from a terminal, as Django management commands.

cchc demo | serve | migrate | worker | units load --province 31 | dossiers … | frameworks … | score … | report … | check-report …
Any other Django management command works too (cchc createsuperuser, cchc shell).
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    "serve": ["runserver"],
    "worker": ["worker"],  # core/management/commands/worker.py: db_worker after a check
    "check-report": ["check_report"],
}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        if not args:
            return
    elif args[0] in ALIASES:
        args = ALIASES[args[0]] + args[1:]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cchc", *args])


if __name__ == "__main__":
    main()
