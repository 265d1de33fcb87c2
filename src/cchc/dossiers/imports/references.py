"""What the codes of a file name in the database: units (scheme-qualified or plain)."""

from __future__ import annotations

from cchc.dossiers.imports.format import ERR_AMBIGUOUS_UNIT, ERR_UNKNOWN_UNIT
from cchc.units.models import CodeScheme, Unit

# -- references ---------------------------------------------------------------------------------


class UnitResolver:
    """Unit codes of a file to unit ids: "2025-10525" (scheme-qualified) or a plain code,
    looked up in the 2025 scheme, then local, then 2008; a plain code found in more than
    one scheme is ambiguous (old and new commune codes overlap, DESIGN.md)."""

    ORDER = (CodeScheme.GSO_2025, CodeScheme.LOCAL, CodeScheme.GSO_2008)

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str], int] = {}
        self.schemes_of: dict[str, list[str]] = {}
        for pk, scheme, code in Unit.objects.values_list("pk", "scheme", "code"):
            self.by_key[(scheme, code)] = pk
            self.schemes_of.setdefault(code, []).append(scheme)
        self.cache: dict[str, int | str] = {}

    def resolve(self, text: str) -> int | str:
        """The unit id, or an error message."""
        hit = self.cache.get(text)
        if hit is not None:
            return hit
        result: int | str
        scheme, _, rest = text.partition("-")
        if rest and scheme in CodeScheme.values and (scheme, rest) in self.by_key:
            result = self.by_key[(scheme, rest)]
        else:
            schemes = [s for s in self.ORDER if s in self.schemes_of.get(text, ())]
            if len(schemes) == 1:
                result = self.by_key[(schemes[0], text)]
            elif schemes:
                result = ERR_AMBIGUOUS_UNIT.format(
                    value=text, schemes=", ".join(schemes), example=f"{schemes[0]}-{text}"
                )
            else:
                result = ERR_UNKNOWN_UNIT.format(value=text)
        self.cache[text] = result
        return result
