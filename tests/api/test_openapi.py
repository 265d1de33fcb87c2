"""The published API description: each component name stands for one shape.

django-ninja merges every operation's definitions into one `components.schemas` dict by
class name, so two classes with one name silently overwrite each other and an operation is
documented with another operation's body (issue 13: POST /api/plans/recommendations/{id}/
reports was documented with the reports app's ReportIn)."""

from __future__ import annotations

import pytest
from ninja.openapi.schema import OpenAPISchema

from cchc.api.urls import api
from cchc.core.bounds import MAX_INT64


class _Recording(OpenAPISchema):
    """ninja's own generator, recording where a name is defined twice differently."""

    def add_schema_definitions(self, definitions: dict) -> None:
        for name, definition in definitions.items():
            seen = self.schemas.get(name)
            if seen is not None and seen != definition:
                self.clashes.setdefault(name, []).append(definition)
        super().add_schema_definitions(definitions)


def _generate() -> _Recording:
    _Recording.clashes = {}
    return _Recording(api, "/api/")


def test_no_component_name_stands_for_two_shapes():
    schema = _generate()
    assert schema.clashes == {}, f"tên schema trùng: {sorted(schema.clashes)}"


def test_recommendation_report_documents_its_own_body(client):
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/plans/recommendations/{recommendation_id}/reports"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(body["properties"]) == {"text", "reported_on"}


def _integer_parameters(schema: dict):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                types = [parameter["schema"], *parameter["schema"].get("anyOf", [])]
                for t in types:
                    if t.get("type") == "integer":
                        yield f"{method.upper()} {path} {parameter['name']}", t


def test_every_integer_parameter_fits_the_database(client):
    schema = client.get("/api/openapi.json").json()
    unbounded = [
        name
        for name, t in _integer_parameters(schema)
        if "maximum" not in t or t["maximum"] > MAX_INT64 or "minimum" not in t
    ]
    assert unbounded == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        f"/api/units/{MAX_INT64 + 1}",
        f"/api/units/?parent={MAX_INT64 + 1}",
        f"/api/dossiers/units/{{unit}}/dossiers?offset={MAX_INT64 + 1}",
        "/api/plans/coverage/{unit}/99999",
        "/api/reports/filing/{unit}?year=0",
        "/api/dossiers/units/{unit}/dossiers?received_from=0001-01-01",
    ],
)
def test_out_of_range_input_is_a_422_naming_the_field(cast, client_for, url):
    # a real unit's id (ids are not 1 on PostgreSQL, whose sequences outlive rollbacks)
    response = client_for(cast.administrator).get(url.replace("{unit}", str(cast.dong_tam.pk)))
    assert response.status_code == 422, response.content[:300]
    body = response.json()
    assert body["errors"][0]["field"]
