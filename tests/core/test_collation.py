"""Vietnamese order of names (issue 15: code point order put "Xã Đại Sơn" last and
"Hưng Đạo" before "Hải An")."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from cchc.core.collation import vn_sort_key, vn_sorted


def test_letters_before_their_marked_letters():
    assert vn_sort_key("Hải An") < vn_sort_key("Hưng Đạo")
    assert vn_sort_key("Xã Dương Quang") < vn_sort_key("Xã Đại Sơn")
    assert vn_sort_key("Xã Đại Sơn") < vn_sort_key("Xã Ê Ban")
    assert vn_sort_key("Ô Mễ") < vn_sort_key("Ơ Rê") < vn_sort_key("Pa")


def test_accented_capitals_sort_with_their_letter():
    names = [
        "Phường Đông Hải",
        "Phường Ái Quốc",
        "Phường Bạch Đằng",
        "Phường Ân Thi",
        "Phường An Lạc",
    ]
    assert vn_sorted(names) == [
        "Phường Ái Quốc",
        "Phường An Lạc",
        "Phường Ân Thi",
        "Phường Bạch Đằng",
        "Phường Đông Hải",
    ]


def test_tone_is_a_second_level():
    # ngang, huyền, hỏi, ngã, sắc, nặng
    assert vn_sorted(["má", "mạ", "mả", "mà", "ma", "mã"]) == ["ma", "mà", "mả", "mã", "má", "mạ"]
    # The letters decide first: "ba" (with any tone) before "bac".
    assert vn_sort_key("bạ") < vn_sort_key("bac")


def test_numbers_compare_as_numbers():
    assert vn_sorted(["Phường 10", "Phường 2", "Phường 1"]) == ["Phường 1", "Phường 2", "Phường 10"]


def test_decomposed_and_composed_forms_sort_alike():
    import unicodedata

    name = "Xã Hưng Đạo"
    assert vn_sort_key(unicodedata.normalize("NFD", name))[:3] == vn_sort_key(name)[:3]


def test_real_communes():
    names = [
        "Xã Yên Thọ",
        "Xã Đại Sơn",
        "Xã Dương Quang",
        "Xã An Hưng",
        "Xã Ứng Hòe",
        "Xã Uy Nỗ",
        "Xã Thanh Xá",
        "Xã Đồng Tâm",
    ]
    assert vn_sorted(names) == [
        "Xã An Hưng",
        "Xã Dương Quang",
        "Xã Đại Sơn",
        "Xã Đồng Tâm",
        "Xã Thanh Xá",
        "Xã Uy Nỗ",
        "Xã Ứng Hòe",
        "Xã Yên Thọ",
    ]


VIETNAMESE = st.text(
    alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạếềểễệốồổỗộớờởỡợứừửữự ĐƯ", max_size=12
)


@given(st.lists(VIETNAMESE, max_size=20))
def test_order_is_total_and_independent_of_input_order(names):
    shuffled = names[:]
    random.Random(0).shuffle(shuffled)
    assert vn_sorted(names) == vn_sorted(shuffled)


@given(VIETNAMESE, VIETNAMESE)
def test_a_prefix_sorts_first(a, b):
    if a.strip() and b.strip() and not b[:1].isspace():
        assert vn_sort_key(a.strip()) <= vn_sort_key(a.strip() + b) or a.strip() + b == a.strip()
