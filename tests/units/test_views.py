from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_unit_page_is_403_for_another_communes_officer(cast, client_for):
    client = client_for(cast.officer)
    assert client.get(f"/units/{cast.dong_tam.pk}/").status_code == 200
    response = client.get(f"/units/{cast.thanh_xa.pk}/")
    assert response.status_code == 404
    assert "không có quyền xem" in response.content.decode()


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(cast, client):
    response = client.get(f"/units/{cast.dong_tam.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_home_shows_the_persons_unit_and_roles(cast, client_for):
    html = client_for(cast.head).get("/").content.decode()
    assert "Xã Đồng Tâm" in html
    assert "Thủ trưởng đơn vị" in html


@pytest.mark.django_db
def test_unit_import_page_refuses_a_bad_file_and_names_the_row(cast, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(cast.administrator)
    bad = SimpleUploadedFile("bad.csv", b"code,name,kind\nX1,Ph\xc3\xb2ng A,planet\n")
    html = client.post("/units/import/", {"file": bad}, follow=True).content.decode()
    assert 'data-status="failed"' in html  # the job page: the import ran as a job
    assert "dòng 2" in html and "kind" in html
    assert "không có dữ liệu nào được nhập" in html
    assert client_for(cast.officer).get("/units/import/").status_code == 403


@pytest.mark.django_db
def test_unit_list_only_lists_visible_units(cast, client_for):
    html = client_for(cast.officer_thanh_xa).get("/units/").content.decode()
    assert "Xã Thanh Xá" in html
    assert "Xã Đồng Tâm" not in html


@pytest.mark.django_db
def test_there_is_no_english_interface(cast, client_for):
    """Vietnamese only (issue 15): no language selector, no English catalogue."""
    client = client_for(cast.head)
    html = client.get("/").content.decode()
    assert "set_language" not in html and 'name="language"' not in html
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 404
    assert "Việc đang chờ bạn" in client.get("/").content.decode()


def test_vietnamese_even_when_the_browser_asks_for_english(cast, client_for):
    client = client_for(cast.head)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Việc đang chờ bạn" in html
    assert "Waiting for you" not in html
