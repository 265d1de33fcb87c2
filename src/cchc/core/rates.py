"""Points from a rate, the one rule both indexes use. Plain module: no Django import."""

from __future__ import annotations

from decimal import Decimal

HUNDRED = Decimal(100)


def full_at_points(
    numerator: Decimal, denominator: Decimal, max_points: Decimal, full_at: Decimal = HUNDRED
) -> Decimal:
    """Points for the rate numerator / denominator (denominator > 0) under "full points at
    X%": max_points when the rate reaches X%, else rate × max_points / X%.

    The comparison is exact (numerator × 100 ≥ X × denominator in fractions, neither a
    rounded quotient nor a rounded product), so a rate just under X% never gets full points
    (2/3 is under 66,66666666666666666666666667%). Not clamped: callers bound it as their
    rule says.

    The fractions are compared as integers (a/b × 100 ≥ g/h × c/e, times b·h·e > 0):
    exact like fractions.Fraction, without building one per indicator and unit (the QĐ
    766 page scores every peer of a unit to rank it; issue 13)."""
    a, b = numerator.as_integer_ratio()
    c, e = denominator.as_integer_ratio()
    g, h = full_at.as_integer_ratio()
    if a * 100 * h * e >= g * c * b:
        return max_points
    return numerator * HUNDRED * max_points / (denominator * full_at)
