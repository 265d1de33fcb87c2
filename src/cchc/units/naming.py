"""How a unit is named in documents: its administrative type drives every heading, "TM."
line and recipient ("UBND thành phố Hải Phòng", "Thường trực Thành ủy").

The type is data: vietnam-provinces carries it for the 2025 structure (tỉnh, thành phố
trung ương; xã, phường, đặc khu), the units import file may carry it (column
``admin_type``), and for older rows it is read from the name ("Thành phố Chí Linh" is a
thành phố thuộc tỉnh). The types are those of the Luật Tổ chức chính quyền địa phương
(2015 for the three-level structure, 2025 for the two-level one).

Plain module: no Django import; a unit is anything with ``name``, ``kind`` and
``admin_type``.
"""

from __future__ import annotations

# The administrative types (code value = the word itself, as documents print it).
PROVINCE = "tỉnh"
CENTRAL_CITY = "thành phố trực thuộc trung ương"
DISTRICT = "huyện"
TOWNSHIP = "thị xã"
PROVINCIAL_CITY = "thành phố thuộc tỉnh"
URBAN_DISTRICT = "quận"
COMMUNE = "xã"
WARD = "phường"
TOWN = "thị trấn"
SPECIAL_ZONE = "đặc khu"

ADMIN_TYPES = (
    PROVINCE,
    CENTRAL_CITY,
    DISTRICT,
    TOWNSHIP,
    PROVINCIAL_CITY,
    URBAN_DISTRICT,
    COMMUNE,
    WARD,
    TOWN,
    SPECIAL_ZONE,
)
ADMIN_TYPE_CHOICES = [(t, t[:1].upper() + t[1:]) for t in ADMIN_TYPES]

# The word a type is called by before the place name: "thành phố Hải Phòng".
_WORD = {
    PROVINCE: "tỉnh",
    CENTRAL_CITY: "thành phố",
    DISTRICT: "huyện",
    TOWNSHIP: "thị xã",
    PROVINCIAL_CITY: "thành phố",
    URBAN_DISTRICT: "quận",
    COMMUNE: "xã",
    WARD: "phường",
    TOWN: "thị trấn",
    SPECIAL_ZONE: "đặc khu",
}

# The Party committee of each level as documents address it: a centrally-run city and a
# provincial city have a Thành ủy, a township a Thị ủy, a province a Tỉnh ủy.
_PARTY = {
    PROVINCE: "Tỉnh ủy",
    CENTRAL_CITY: "Thành ủy",
    DISTRICT: "Huyện ủy",
    TOWNSHIP: "Thị ủy",
    PROVINCIAL_CITY: "Thành ủy",
    URBAN_DISTRICT: "Quận ủy",
}

# Where the type cannot be read from the name, the kind decides.
_BY_KIND = {
    "province": PROVINCE,
    "district": DISTRICT,
    "commune": COMMUNE,
    "ward": WARD,
    "special_zone": SPECIAL_ZONE,
    "town": TOWN,
}

_PREFIXES = (
    ("Thành phố", None),  # resolved by kind: trực thuộc trung ương or thuộc tỉnh
    ("Thị trấn", TOWN),
    ("Thị xã", TOWNSHIP),
    ("Đặc khu", SPECIAL_ZONE),
    ("Phường", WARD),
    ("Huyện", DISTRICT),
    ("Quận", URBAN_DISTRICT),
    ("Tỉnh", PROVINCE),
    ("Xã", COMMUNE),
)


def type_from_name(name: str, kind: str) -> str:
    """The administrative type a unit's name and kind imply ('' for a department)."""
    if kind == "department":
        return ""
    for prefix, found in _PREFIXES:
        if name.startswith(prefix + " "):
            if found is not None:
                return found
            return CENTRAL_CITY if kind == "province" else PROVINCIAL_CITY
    return _BY_KIND.get(kind, "")


def admin_type(unit) -> str:
    """The unit's recorded type, else the one its name implies."""
    recorded = getattr(unit, "admin_type", "") or ""
    return recorded or type_from_name(unit.name, unit.kind)


def type_word(unit) -> str:
    """'thành phố', 'huyện', 'xã'; '' for a department."""
    return _WORD.get(admin_type(unit), "")


def place(unit) -> str:
    """The name without its type word: 'Thành phố Hải Phòng' -> 'Hải Phòng'."""
    name = unit.name
    for prefix, _ in _PREFIXES:
        if name.startswith(prefix + " "):
            return name[len(prefix) + 1 :].strip()
    return name


def in_sentence(unit) -> str:
    """'thành phố Hải Phòng', 'xã Đồng Tâm'; a department by its own name."""
    word = type_word(unit)
    return f"{word} {place(unit)}" if word else unit.name


def authority_name(unit) -> str:
    """The People's Committee of a unit: 'UBND thành phố Hải Phòng', 'UBND thành phố Chí
    Linh', 'UBND xã Đồng Tâm'; a department is named by itself ('Sở Nội vụ')."""
    word = type_word(unit)
    return f"UBND {word} {place(unit)}" if word else unit.name


def party_committee(unit) -> str:
    """'Tỉnh ủy', 'Thành ủy', 'Huyện ủy', 'Thị ủy'; '' below the district level."""
    return _PARTY.get(admin_type(unit), "")


def council(unit) -> str:
    """'HĐND thành phố', 'HĐND tỉnh'."""
    word = type_word(unit)
    return f"HĐND {word}" if word else ""
