"""Case-insensitive matching of Vietnamese text, the same on SQLite and PostgreSQL.

Django's ``icontains`` and ``iexact`` become ``LIKE`` on SQLite, which folds the case of
ASCII letters only: a search for "đại" did not find "Xã Đại Sơn", nor "ninh giang" find
"NINH GIANG" when the name had a diacritic (issue 15). PostgreSQL's ``UPPER`` folds every
letter. Here both lookups are replaced, for every text field, by one that on SQLite
compares ``vn_fold(column)`` with the folded pattern; ``vn_fold`` is a Python function
(NFC, then Unicode case folding) given to each SQLite connection when it opens. Text typed
in decomposed form (NFD, as some keyboards send it) matches the composed form stored.
On PostgreSQL the lookups are Django's own (UPPER on both sides), with the searched text
composed (NFC) first: browsers send composed text, so a name typed on a page matches a
search typed decomposed (a name imported decomposed is matched on SQLite only).

The lookups serve search boxes and name matching on small tables; a Python call per row
is no cost there (and no such lookup runs on the dossiers' millions of rows).
"""

from __future__ import annotations

import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import CharField, TextField
from django.db.models.lookups import IContains, IExact


def fold(text: str | None) -> str | None:
    """Composed (NFC), then case-folded: 'XÃ ĐẠI SƠN' and 'xã đại sơn' fold alike."""
    if text is None:
        return None
    return unicodedata.normalize("NFC", text).casefold()


class _Folded:
    """On SQLite: vn_fold(lhs) LIKE folded pattern (the pattern is already escaped)."""

    def as_sqlite(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)  # type: ignore[attr-defined]
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)  # type: ignore[attr-defined]
        if not self.rhs_is_direct_value():  # type: ignore[attr-defined]
            return super().as_sql(compiler, connection)  # type: ignore[misc]
        params = (*lhs_params, *(fold(p) if isinstance(p, str) else p for p in rhs_params))
        return f"vn_fold({lhs_sql}) LIKE {rhs_sql} ESCAPE '\\'", params

    def as_postgresql(self, compiler, connection):
        sql, params = super().as_sql(compiler, connection)  # type: ignore[misc]
        return sql, tuple(
            unicodedata.normalize("NFC", p) if isinstance(p, str) else p for p in params
        )


class FoldedIContains(_Folded, IContains):
    pass


class FoldedIExact(_Folded, IExact):
    pass


def install() -> None:
    """Replace icontains and iexact on every text field; fold on each SQLite connection."""
    for field in (CharField, TextField):
        field.register_lookup(FoldedIContains, "icontains")
        field.register_lookup(FoldedIExact, "iexact")
    connection_created.connect(_on_connection, dispatch_uid="cchc.core.folding")


def _on_connection(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("vn_fold", 1, fold, deterministic=True)
