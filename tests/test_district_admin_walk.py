"""An administrator of one district (Huyện Gia Lộc) walks every page, every API call, the
imports and /admin/, and tries the attacks of issue 12: afterwards nothing outside its
district has changed and it holds no more power than before.

The walk sends every route and method (pages GET and POST, API operations with their own
method) with an empty body, then real bodies for the paths that create, move or grant:
the units import (the issue's takeover row), the people pages (moving itself up to the
province, granting itself a role, editing a person of another district), Django's admin
(ticking is_superuser on itself, changing a published score), and the API with a body.
"""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from cchc.units.models import Unit
from tests.access_world import build_world
from tests.route_walk import answer, api_routes, page_routes, url_of

# Run apart and serially by scripts/run-tests: they walk every route over one shared world.
pytestmark = pytest.mark.walk

# Rows that change on any visit and say nothing about power: sessions, the login log.
SKIP_MODELS = {"sessions.session", "axes.accesslog", "axes.accessattempt", "admin.logentry"}
SKIP_FIELDS = {"last_login", "last_used_at"}


def snapshot() -> dict[str, dict]:
    """Every row of every model (history tables included), as plain values."""
    state = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in SKIP_MODELS:
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in SKIP_FIELDS]
        for row in model.objects.values_list(*fields):
            state[f"{label}:{row[0]}"] = dict(zip(fields, row, strict=True))
    return state


def changes(before: dict, after: dict, own: set[str]) -> list[str]:
    out = []
    for key in sorted(set(before) | set(after)):
        if key in own:
            continue
        if key not in after:
            out.append(f"deleted {key}")
        elif key not in before:
            out.append(f"created {key}: {after[key]}")
        elif before[key] != after[key]:
            diff = {
                k: (before[key][k], after[key][k])
                for k in before[key]
                if before[key][k] != after[key][k]
            }
            out.append(f"changed {key}: {diff}")
    return out


def units_csv(*rows: str) -> io.BytesIO:
    header = "scheme,code,name,kind,parent_scheme,parent_code,valid_from"
    data = io.BytesIO(("\n".join([header, *rows]) + "\n").encode())
    data.name = "don-vi.csv"
    return data


@pytest.mark.django_db
def test_a_district_administrator_changes_nothing_outside_its_district(cast, settings, tmp_path):
    from django.test import Client

    settings.MEDIA_ROOT = tmp_path
    world = build_world(cast)
    admin = world.people["dx"]
    client = Client()
    client.force_login(admin)
    before = snapshot()

    # 1. every route, every method, empty body
    for route in page_routes():
        if route.template.startswith("/api/"):
            continue
        url = url_of(world, route)
        answer(client, "GET", url, False)
        if not route.key.startswith("admin:") and route.key not in {"logout", "login"}:
            answer(client, "POST", url, False, admin)
    for route in api_routes():
        answer(client, route.method, url_of(world, route), True, admin)

    # 2. the takeover of issue 12: move and rename Đồng Tâm under Gia Lộc by import
    dong_tam = cast.dong_tam
    client.post(
        "/units/import/",
        {
            "file": units_csv(
                f"{dong_tam.scheme},{dong_tam.code},Xã Đồng Tâm (đổi tên),commune,2008,288,2025-07-01"
            )
        },
    )
    #    and a new unit under another district
    client.post(
        "/units/import/",
        {"file": units_csv("local,MOI,Xã Mới,commune,2008,299,2025-07-01")},
    )
    #    and pull Gia Lộc itself up to the top (no parent)
    client.post("/units/import/", {"file": units_csv("2008,288,Huyện Gia Lộc,district,,,")})

    # 3. the people pages: move itself to the province, edit a person of another district
    own = admin.profile
    client.post(
        f"/units/people/{own.pk}/",
        {"full_name": own.full_name, "unit": cast.province.pk, "roles": ["administrator"]},
    )
    client.post(
        f"/units/people/{cast.officer.profile.pk}/",
        {"full_name": "Đổi tên", "unit": world.gia_loc.pk, "roles": ["administrator"]},
    )
    client.post(
        "/units/people/new/",
        {
            "username": "tay.trong",
            "password": "mat-khau-dai-du",
            "full_name": "Người Mới",
            "unit": cast.province.pk,
            "roles": ["administrator"],
        },
    )
    client.post(f"/units/people/{own.pk}/assignments/", {"unit": dong_tam.pk})

    # 4. Django's admin: make itself superuser; change a published score
    client.post(
        f"/admin/auth/user/{admin.pk}/change/",
        {"username": admin.username, "is_active": "on", "is_staff": "on", "is_superuser": "on"},
    )
    score = world.ids["score"]
    published_score = world.ids["published_score"]
    client.post(
        f"/admin/evaluations/score/{published_score}/change/",
        {"self_score": "15", "appraised_score": "15"},
    )

    # 5. the API with real bodies on Đồng Tâm's objects
    for method, path, body in [
        ("PUT", f"/api/evaluations/scores/{score}/self", '{"value": "1", "note": "x"}'),
        ("PATCH", f"/api/plans/items/{world.ids['item']}/status", '{"status": "done"}'),
        ("POST", f"/api/evaluations/cycle-units/{world.ids['cycle_unit']}/submit", "{}"),
    ]:
        client.generic(method, path, body, content_type="application/json")

    after = snapshot()
    admin.refresh_from_db()
    assert not admin.is_superuser and not admin.is_staff
    assert admin.profile.unit_id == world.gia_loc.pk
    assert set(admin.profile.roles.values_list("role", flat=True)) == {"administrator"}
    assert not get_user_model().objects.filter(username="tay.trong").exists()
    dong_tam.refresh_from_db()
    assert dong_tam.parent_id == cast.district.pk and dong_tam.name == "Xã Đồng Tâm"
    assert not Unit.objects.filter(code="MOI").exists()
    # Nothing changed anywhere; the administrator's own user row, own API tokens and own
    # background jobs (an upload page answers with a job, here each a refused import) aside.
    own_rows = {f"auth.user:{admin.pk}"} | {
        key
        for key, row in after.items()
        if (key.startswith("core.apitoken:") and row["user_id"] == admin.pk)
        or (key.startswith("core.job:") and row["created_by_id"] == admin.pk)
    }
    refused = [row for key, row in after.items() if key in own_rows and key.startswith("core.job")]
    assert refused and all(row["status"] == "failed" for row in refused)
    changed = changes(before, after, own_rows)
    assert not changed, f"{len(changed)} rows changed:\n" + "\n".join(changed[:50])
