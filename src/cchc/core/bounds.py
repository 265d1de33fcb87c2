"""Bounded input types for the API (used by every router's parameters and schemas): every number and date a client sends must fit what the
database and the calendar code can hold, so out-of-range input is a 422 naming the field
and never a server error (issue 13: 155 HTTP 500s under schemathesis came from ids above
SQLite's int64, years such as 0 or 10000, and dates whose arithmetic overflows).

The bounds are written into the OpenAPI schema (minimum/maximum), so clients and
schemathesis see them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, Field

# SQLite's INTEGER and PostgreSQL's bigint (every id here) are signed 64-bit; a count
# stored in an IntegerField is PostgreSQL's 32-bit integer.
MAX_INT64 = 2**63 - 1
MAX_INT32 = 2**31 - 1
# Years a cycle, plan, report or statistics period can name. The working-day calendar and
# the reporting periods (15/12 of the year before) need room on both sides.
MIN_YEAR, MAX_YEAR = 1900, 2200
# Dates a client may send: the same window, so `date ± working days` never leaves the
# calendar Python can represent.
MIN_DATE, MAX_DATE = dt.date(MIN_YEAR, 1, 1), dt.date(MAX_YEAR, 12, 31)

Id = Annotated[int, Field(ge=1, le=MAX_INT64)]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
Count = Annotated[int, Field(ge=0, le=MAX_INT32)]
Date = Annotated[dt.date, Field(ge=MIN_DATE, le=MAX_DATE)]
ERR_YEAR_RANGE = f"Năm phải từ {MIN_YEAR} đến {MAX_YEAR}."


def _sane_year(value: dt.datetime) -> dt.datetime:
    # A validator, not ge/le: clients may send naive or aware times, which do not compare.
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(ERR_YEAR_RANGE)
    return value


DateTime = Annotated[dt.datetime, AfterValidator(_sane_year)]
