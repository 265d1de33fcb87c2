"""Points from a rate, the one rule both indexes use. Plain module: no Django import."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

HUNDRED = Decimal(100)


def full_at_points(
    numerator: Decimal, denominator: Decimal, max_points: Decimal, full_at: Decimal = HUNDRED
) -> Decimal:
    """Points for the rate numerator / denominator (denominator > 0) under "full points at
    X%": max_points when the rate reaches X%, else rate × max_points / X%.

    The comparison is exact (numerator × 100 ≥ X × denominator in fractions, neither a
    rounded quotient nor a rounded product), so a rate just under X% never gets full points
    (2/3 is under 66,66666666666666666666666667%). Not clamped: callers bound it as their
    rule says."""
    if Fraction(numerator) * 100 >= Fraction(full_at) * Fraction(denominator):
        return max_points
    return numerator * HUNDRED * max_points / (denominator * full_at)
