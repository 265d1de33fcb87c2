def test_an_administrator_is_named_by_their_own_office():
    """Issue 15: a district's Phòng Nội vụ read "Quản trị (Sở Nội vụ)"."""
    from cchc.units.roles import ADMINISTRATOR, OFFICER, role_label

    assert role_label(ADMINISTRATOR, "Huyện Ninh Giang", "district") == (
        "Quản trị (Phòng Nội vụ huyện Ninh Giang)"
    )
    assert role_label(ADMINISTRATOR, "Thành phố Hải Phòng", "province") == (
        "Quản trị (Sở Nội vụ thành phố Hải Phòng)"
    )
    assert role_label(OFFICER, "Xã Đồng Tâm", "commune") == "Công chức phụ trách CCHC"
