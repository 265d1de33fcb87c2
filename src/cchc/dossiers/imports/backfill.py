"""Content hashes for dossiers stored before imports kept them (migration
0007_dossier_content_hash), computed by the one definition, format.content_hashes."""

from __future__ import annotations

import polars as pl

from cchc.dossiers.imports.format import (
    DOSSIER_COLUMNS,
    HASH,
    PRESENCE_COLUMNS,
    ROW_SCHEMA,
    content_hashes,
)

BATCH = 50_000


def stored_hashes(rows: list[tuple]) -> pl.Series:
    """The hashes of (id, *DOSSIER_COLUMNS) tuples read from the database, as an export
    with every column would give them."""
    ids, *values = zip(*rows, strict=True) if rows else ((),) * (len(DOSSIER_COLUMNS) + 1)
    data = dict(zip(DOSSIER_COLUMNS, (list(v) for v in values), strict=True))
    data["fee"] = [None if fee is None else int(fee) for fee in data["fee"]]
    frame = pl.DataFrame(data, schema={c: ROW_SCHEMA[c] for c in DOSSIER_COLUMNS})
    return content_hashes(frame, PRESENCE_COLUMNS)


def backfill_content_hashes(model, connection) -> int:
    """Give every dossier without a hash the one an export of all its columns would have,
    a batch at a time; a dossier whose clock stands still (an open supplement request
    recorded at the desk) keeps none and is compared in full by the next import. Returns
    how many were hashed."""
    table = model._meta.db_table
    done, last = 0, 0
    while True:
        rows = list(
            model.objects.filter(pk__gt=last, content_hash__isnull=True)
            .order_by("pk")
            .values_list("pk", *(f"{c}" for c in DOSSIER_COLUMNS), "clock_stopped_on")[:BATCH]
        )
        if not rows:
            return done
        last = rows[-1][0]
        rows = [row[:-1] for row in rows if row[-1] is None]
        if not rows:
            continue
        hashes = stored_hashes(rows).to_list()
        ids = [row[0] for row in rows]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"UPDATE {table} SET {HASH} = v.h FROM (SELECT unnest(%s::bigint[]) AS id, "
                    f"unnest(%s::bigint[]) AS h) v WHERE {table}.id = v.id",
                    [ids, hashes],
                )
            else:
                cursor.executemany(
                    f"UPDATE {table} SET {HASH} = %s WHERE id = %s",
                    list(zip(hashes, ids, strict=True)),
                )
        done += len(rows)
