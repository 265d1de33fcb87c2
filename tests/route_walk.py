"""Machinery of the route walk (tests/test_route_walk.py): every URL pattern and every
OpenAPI operation, with its path parameters filled from the access world."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.access_world import CAST, MISSING, World

PARAM = re.compile(
    r"<(?:(?P<conv>[a-z]+):)?(?P<name>\w+)>|\{(?P<api>\w+)\}|\(\?P<(?P<re>\w+)>[^)]*\)"
)


@dataclass(frozen=True)
class Route:
    key: str  # URL name ("plans:plan-edit"), or "/api/..." for an API operation
    method: str
    template: str  # "/plans/<int:pk>/edit/" or "/api/plans/{plan_id}"


def page_routes() -> list[Route]:
    """Every URL pattern of the project (admin and API patterns are walked their own way)."""

    def walk(patterns, prefix="", namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                name = f"{namespace}:{p.name}" if namespace else (p.name or str(p.pattern))
                yield name, "/" + prefix + str(p.pattern)

    return [Route(name, "", path) for name, path in walk(get_resolver().url_patterns)]


def api_routes() -> list[Route]:
    from cchc.api.urls import api

    schema = api.get_openapi_schema()
    return [
        Route(path, method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    ]


def _value(world: World, key: str, name: str):
    ids = world.ids
    cast = world.cast
    if key.startswith("admin:"):
        return {"app_label": "units", "content_type_id": 1}.get(name, "1")
    if name in {"unit_pk", "unit_id"}:
        return cast.dong_tam.pk
    if name == "year":
        return ids["staffing_year"]
    if name == "event_pk":
        return ids["apology"]
    if name == "to_state":
        return "draft"
    if name == "kind":
        return "bar"
    if name == "fmt":
        return "csv"
    if name == "action":
        return "assign"
    if name == "assignment_pk":
        return MISSING
    if key.startswith("outlines:"):
        return MISSING if key == "outlines:download" else ids["outline_report"]
    if name == "job_pk":
        return ids["batch"]
    if name == "code":
        return ids["procedure_code"] if "procedure" in key else ids["framework"]
    # API parameters name their object
    api = {
        "cycle_id": ids["published"] if "/public/" in key or "/surveys/" in key else ids["cycle"],
        "cycle_unit_id": ids["cycle_unit"],
        "score_id": ids["score"],
        "evidence_id": ids["evidence"],
        "dossier_id": ids["dossier"],
        "job_id": ids["job"],
        "plan_id": ids["plan"],
        "item_id": ids["item"],
        "inspection_id": ids["inspection"],
        "recommendation_id": ids["recommendation"],
        "report_id": ids["report"],
        "file_id": ids["report_file"],
        "feedback_id": ids["feedback"],
        "outline_report_id": ids["outline_report"],
    }
    if name in api:
        return api[name]
    # pages: "pk" means the route's own object
    by_prefix = [
        ("token-revoke", "token"),
        ("job-detail", "job"),
        ("person-", "person"),
        ("cycle-unit-remove", "cycle_unit"),
        ("cycle-correct", "published"),
        ("cycle-", "cycle"),
        ("self-assessment", "cycle_unit"),
        ("evidence-add", "cycle_unit"),
        ("unit-refresh-measures", "cycle_unit"),
        ("appraisal", "cycle_unit"),
        ("unit-result", "published_unit"),
        ("unit-chart", "published_unit"),
        ("unit-history", "cycle_unit"),
        ("unit-", None),
        ("score-", "score"),
        ("evidence-", "evidence"),
        ("remediation-", "remediation"),
        ("public-", "published"),
        ("survey-", "published"),
        ("dossiers:procedure", "procedure"),
        ("dossiers:swap-", "swap"),
        ("dossiers:", "dossier"),
        ("plans:item-create", "plan"),
        ("plans:plan-", "plan"),
        ("plans:item-", "item"),
        ("plans:evidence-add", "item"),
        ("plans:evidence-download", "plan_evidence"),
        ("plans:call-", "call"),
        ("plans:registration-", "registration"),
        ("plans:inspection-", "inspection"),
        ("plans:finding-add", "inspection"),
        ("plans:recommendation-add", "inspection"),
        ("plans:recommendation-", "recommendation"),
        ("plans:report-download", "remediation_report"),
        ("plans:member-", "member"),
        ("reports:download", "report_file"),
        ("reports:", "report"),
        ("service_index:unit", None),
        ("service_index:ranking", None),
        ("service_index:feedback-list", None),
        ("service_index:feedback-new", None),
        ("service_index:feedback-import", None),
        ("service_index:feedback-template", None),
        ("service_index:feedback", "feedback"),
    ]
    if name == "pk":
        # A prefix with a namespace matches that app's routes only, one without matches
        # routes without a namespace only: "evidence-add" (an evaluation's unit) must not
        # catch "plans:evidence-add" (a plan item), whose id it would fill with another
        # kind's pk (same number on SQLite by chance, another object on PostgreSQL).
        for prefix, kind in by_prefix:
            if key.startswith(prefix) and (":" in prefix or ":" not in key):
                if kind is None:
                    return cast.dong_tam.pk
                if kind == "person":
                    return cast.officer.profile.pk
                return ids[kind]
    raise KeyError(f"no value for <{name}> of {key}")


def url_of(world: World, route: Route) -> str:
    def fill(match):
        name = match.group("name") or match.group("api") or match.group("re")
        return str(_value(world, route.key, name))

    path = route.template
    if path.startswith("/^") or "(?P<" in path or "^" in path:
        path = path.replace("^", "").replace("$", "").replace("\\Z", "")
    return PARAM.sub(fill, path) + query_of(world, route)


def query_of(world: World, route: Route) -> str:
    """The query string some routes need to answer at all (a unit, a period, a block)."""
    unit = world.cast.dong_tam.pk
    return {
        "/api/dossiers/stats": f"?unit={unit}&period=2023",
        "/api/reports/": f"?unit={unit}",
        "cycle-ranking-chart": "?" + urlencode({"block": "Khối xã"}),
        "public-ranking-chart": "?" + urlencode({"block": "Khối xã"}),
    }.get(route.key, "")


class Clients:
    """One test client per member of the cast, signed in once."""

    def __init__(self, world: World):
        self.clients = {}
        for code in CAST:
            client = Client()
            user = world.people[code]
            if user is not None:
                client.force_login(user)
            self.clients[code] = client

    def __getitem__(self, code: str) -> Client:
        return self.clients[code]


def body_of(world: World, route: Route, method: str) -> dict:
    """The API body of a write: empty (invalid) except the id of the object the operation
    acts on when that id travels in the body, so that the answer is the one for that object
    (the permission check comes before the rest of the body is validated)."""
    unit = world.cast.dong_tam.pk
    return {("/api/reports/", "POST"): {"unit": unit}}.get((route.key, method), {})


def answer(client: Client, method: str, url: str, api: bool, user=None, body=None):
    if method == "GET":
        return client.get(url)
    if api:
        response = client.generic(
            method, url, json.dumps(body or {}), content_type="application/json"
        )
    else:
        response = client.generic(method, url, "")
    if user is not None:
        client.force_login(user)  # a write may have been a logout: stay the same person
    return response


def outcome(response, api: bool) -> str:
    """The answer as the table writes it: L for 'go and sign in', else the status code."""
    status = response.status_code
    if status == 302 and not api:
        location = response.get("Location", "")
        if location.startswith("/login/"):
            return "L"
        if location.startswith("/admin/login/"):
            return "AL"
    if api and status == 401:
        return "L"
    return str(status)
