from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from cchc.core.bounds import Id
from cchc.units.permissions import get_unit_for, home_unit, roles_of, visible_units

router = Router(tags=["Đơn vị"])


class UnitOut(Schema):
    id: int
    scheme: str
    code: str
    name: str
    kind: str
    parent_id: int | None
    valid_from: dt.date | None
    valid_to: dt.date | None


class MeOut(Schema):
    username: str
    full_name: str | None
    unit: UnitOut | None
    roles: list[str]


@router.get("/me", response=MeOut, summary="Người dùng hiện tại, đơn vị và vai trò")
def me(request: HttpRequest):
    user = request.user
    profile = getattr(user, "profile", None)
    return {
        "username": user.get_username(),
        "full_name": profile.full_name if profile else None,
        "unit": home_unit(user),
        "roles": sorted(roles_of(user)),
    }


@router.get("/", response=list[UnitOut], summary="Các đơn vị người dùng được xem")
def unit_list(request: HttpRequest, kind: str | None = None, parent: Id | None = None):
    units = visible_units(request.user)
    if kind:
        units = units.filter(kind=kind)
    if parent is not None:
        units = units.filter(parent_id=parent)
    return units.order_by("path")


@router.get("/{unit_id}", response=UnitOut, summary="Một đơn vị")
def unit_detail(request: HttpRequest, unit_id: Id):
    return get_unit_for(request.user, unit_id, "view")
