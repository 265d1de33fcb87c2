"""The menu and the home page's "waiting for you" list, assembled from what each app registers.

Apps call register_nav() and register_inbox() in their AppConfig.ready(), so the shell
never imports an app and an app never edits the shell; the units app gives the roles a
person holds (register_roles), which the menu items are shown by.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from cchc.core.collation import vn_sort_key
from cchc.core.people import Person


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] = field(default_factory=frozenset)  # empty: everyone signed in
    public: bool = False  # shown to anonymous visitors too
    order: int = 100


@dataclass(frozen=True)
class InboxItem:
    """One thing waiting for a person: 'Tự đánh giá Chỉ số CCHC 2025 — hạn 15/12/2025'."""

    title: str
    url: str
    detail: str = ""
    due: object | None = None  # a date, shown when present
    overdue: bool = False


_NAV: list[NavItem] = []
_INBOX: list[Callable[[Person], list[InboxItem]]] = []
_ROLES: list[Callable[[Person], frozenset[str]]] = []


def register_nav(item: NavItem) -> None:
    if item not in _NAV:
        _NAV.append(item)
        _NAV.sort(key=lambda i: (i.order, vn_sort_key(i.label)))


def register_inbox(provider: Callable[[Person], list[InboxItem]]) -> None:
    if provider not in _INBOX:
        _INBOX.append(provider)


def register_roles(roles_of: Callable[[Person], frozenset[str]]) -> None:
    """The roles a person holds (cchc.units.permissions.roles_of), given by the units app."""
    _ROLES[:] = [roles_of]


def navigation_for(request: HttpRequest) -> list[dict]:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    roles: frozenset[str] = frozenset()
    if user is not None and signed_in:
        roles = roles.union(*(roles_of(user) for roles_of in _ROLES))
    items = []
    for item in _NAV:
        if not signed_in and not item.public:
            continue
        if signed_in and item.roles and not (item.roles & roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "active": False})
    # One item is the current one: the longest menu address the page is under (issue 15:
    # "/evaluations/" and "/evaluations/appraisal/" were both highlighted for the appraiser).
    path = request.path if request is not None else ""
    under = [
        i for i in items if path == i["url"] or (i["url"] != "/" and path.startswith(i["url"]))
    ]
    if under:
        max(under, key=lambda i: len(i["url"]))["active"] = True
    return items


def inbox_for(user: Person) -> list[InboxItem]:
    items: list[InboxItem] = []
    for provider in _INBOX:
        items.extend(provider(user))
    return items
