"""Django's admin is for superusers; unit administrators manage their people, roles and
appraiser assignments from /units/people/, within their subtree and never above their own
role (issue 12, finding 2)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from cchc.units import roles as R
from cchc.units import services
from cchc.units.models import AppraisalAssignment, Profile
from cchc.units.permissions import NOT_YOURSELF, ROLE_ABOVE_OWN
from tests.conftest import PASSWORD


@pytest.fixture
def district_admin(cast):
    return services.person_create(
        username="noivu.ninhgiang",
        password=PASSWORD,
        full_name="Phòng Nội vụ huyện Ninh Giang",
        unit=cast.district,
        roles=[R.ADMINISTRATOR, R.APPRAISER],
    )


@pytest.mark.django_db
def test_admin_site_is_for_superusers_only(cast, district_admin, client_for, client):
    for user in (cast.administrator, district_admin, cast.officer):
        response = client_for(user).get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        me = f"/admin/auth/user/{user.pk}/change/"
        response = client.post(me, {"username": user.username, "is_superuser": "on"})
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        user.refresh_from_db()
        assert not user.is_superuser
    root = get_user_model().objects.create_superuser("root", "r@example.org", PASSWORD)
    assert client_for(root).get("/admin/").status_code == 200


@pytest.mark.django_db
def test_an_administrator_is_not_staff(cast, district_admin):
    assert not district_admin.is_staff and not cast.administrator.is_staff


@pytest.mark.django_db
def test_people_list_is_the_administrators_subtree(cast, district_admin, client_for):
    html = client_for(district_admin).get("/units/people/").content.decode()
    assert "Phạm Thị Lan" in html  # officer of Đồng Tâm, in the district
    assert "Nguyễn Thị Hạnh" not in html  # the province's administrator
    assert "Trần Văn Minh" not in html  # appraiser of the province's department
    assert client_for(cast.officer).get("/units/people/").status_code == 403


@pytest.mark.django_db
def test_district_admin_creates_an_officer_with_history(cast, district_admin, client_for):
    client = client_for(district_admin)
    response = client.post(
        "/units/people/new/",
        {
            "username": "congchuc.moi",
            "password": "mat-khau-moi-123",
            "full_name": "Lê Văn Mới",
            "unit": cast.thanh_xa.pk,
            "roles": [R.OFFICER],
            "reason": "Tiếp nhận công chức mới",
        },
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user__username="congchuc.moi")
    assert profile.unit == cast.thanh_xa
    html = client.get(response["Location"]).content.decode()
    assert "Cấp vai trò Công chức phụ trách CCHC" in html
    assert "Tiếp nhận công chức mới" in html
    assert "noivu.ninhgiang" in html  # who did it


@pytest.mark.django_db
def test_cannot_place_a_person_outside_the_subtree(cast, district_admin, client_for):
    response = client_for(district_admin).post(
        "/units/people/new/",
        {
            "username": "ngoai",
            "password": "mat-khau-moi-123",
            "full_name": "Người Ngoài",
            "unit": cast.department.pk,
            "roles": [R.OFFICER],
        },
    )
    assert response.status_code == 200  # the form refuses the unit
    assert not Profile.objects.filter(user__username="ngoai").exists()
    with pytest.raises(PermissionDenied):
        services.person_save(
            by=district_admin,
            username="ngoai",
            password="mat-khau-moi-123",
            full_name="Người Ngoài",
            unit=cast.department,
            roles=[R.OFFICER],
        )


@pytest.mark.django_db
def test_nobody_raises_their_own_role_or_changes_themselves(cast, district_admin, client_for):
    profile = district_admin.profile
    response = client_for(district_admin).post(
        f"/units/people/{profile.pk}/",
        {"full_name": "x", "unit": cast.district.pk, "roles": [R.ADMINISTRATOR]},
    )
    assert response.status_code == 403
    assert NOT_YOURSELF in response.content.decode()
    with pytest.raises(PermissionDenied):
        services.person_save(
            by=district_admin,
            profile=profile,
            full_name="x",
            unit=cast.province,
            roles=[R.ADMINISTRATOR],
        )
    profile.refresh_from_db()
    assert profile.unit == cast.district


@pytest.mark.django_db
def test_an_officer_cannot_grant_anything(cast):
    """The role ceiling: a person grants roles up to the highest rank they hold."""
    with pytest.raises(PermissionDenied):
        services.person_save(
            by=cast.officer,
            profile=cast.officer_thanh_xa.profile,
            full_name="Vũ Đức Thắng",
            unit=cast.thanh_xa,
            roles=[R.ADMINISTRATOR],
        )
    assert ROLE_ABOVE_OWN  # the message exists for a lower administrator rank


@pytest.mark.django_db
def test_people_of_another_district_are_404_and_the_superuser_is_403(
    cast, district_admin, client_for
):
    client = client_for(district_admin)
    province_admin = cast.administrator.profile
    assert client.get(f"/units/people/{province_admin.pk}/").status_code == 404
    root = get_user_model().objects.create_superuser("root", "r@example.org", PASSWORD)
    root_profile = Profile.objects.create(user=root, unit=cast.province, full_name="Vận hành")
    response = client_for(cast.administrator).get(f"/units/people/{root_profile.pk}/")
    assert response.status_code == 403


@pytest.mark.django_db
def test_lock_an_account_with_its_reason(cast, district_admin, client_for):
    client = client_for(district_admin)
    profile = cast.officer.profile
    client.post(f"/units/people/{profile.pk}/active/", {"active": "0", "reason": "Nghỉ hưu"})
    cast.officer.refresh_from_db()
    assert not cast.officer.is_active
    assert "Nghỉ hưu" in client.get(f"/units/people/{profile.pk}/").content.decode()


@pytest.mark.django_db
def test_assignments_stay_in_the_subtree(cast, district_admin, client_for):
    client = client_for(district_admin)
    appraiser = services.person_create(
        username="thamdinh.huyen",
        password=PASSWORD,
        full_name="Tổ thẩm định huyện",
        unit=cast.district,
        roles=[R.APPRAISER],
    )
    pk = appraiser.profile.pk
    client.post(f"/units/people/{pk}/assignments/", {"unit": cast.dong_tam.pk})
    assert AppraisalAssignment.objects.filter(appraiser=appraiser, unit=cast.dong_tam).exists()
    client.post(f"/units/people/{pk}/assignments/", {"unit": cast.department.pk})
    assert not AppraisalAssignment.objects.filter(
        appraiser=appraiser, unit=cast.department
    ).exists()
    # The province's appraiser (outside the district) cannot be managed at all.
    other = cast.appraiser.profile.pk
    response = client.post(f"/units/people/{other}/assignments/", {"unit": cast.dong_tam.pk})
    assert response.status_code == 404
    # Removing the province appraiser's assignment to Đồng Tâm through another's URL: 404.
    theirs = AppraisalAssignment.objects.get(appraiser=cast.appraiser, unit=cast.dong_tam)
    response = client.post(f"/units/people/{pk}/assignments/{theirs.pk}/remove/")
    assert response.status_code == 404
    assert AppraisalAssignment.objects.filter(pk=theirs.pk).exists()


@pytest.mark.django_db
def test_unit_pages_link_administrators_to_import_and_people(cast, district_admin, client_for):
    html = client_for(district_admin).get("/units/").content.decode()
    assert "/units/import/" in html and "/units/people/" in html
    detail = client_for(district_admin).get(f"/units/{cast.dong_tam.pk}/").content.decode()
    assert f"/units/people/{cast.officer.profile.pk}/" in detail
    assert "/units/import/" not in client_for(cast.officer).get("/units/").content.decode()
