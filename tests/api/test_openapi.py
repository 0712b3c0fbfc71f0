"""The OpenAPI schema lists every route and hangs together; the docs page is self-hosted."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import get_resolver

ROUTES = {
    ("get", "/api/v1/children/{child_id}/findings"),
    ("get", "/api/v1/children/{child_id}/ledger"),
    ("get", "/api/v1/children/{child_id}/export.csv"),
    ("get", "/api/v1/children/{child_id}/export.json"),
    ("get", "/api/v1/children/{child_id}/reports/{kind}.pdf"),
    ("post", "/api/v1/children/{child_id}/entries"),
    ("get", "/api/v1/children/{child_id}/entries"),
    ("get", "/api/v1/entries/{entry_id}"),
    ("patch", "/api/v1/entries/{entry_id}"),
    ("delete", "/api/v1/entries/{entry_id}"),
    ("get", "/api/v1/entries/{entry_id}/history"),
    ("post", "/api/v1/entries/{entry_id}/evidence"),
    ("get", "/api/v1/evidence/{evidence_id}"),
    ("delete", "/api/v1/evidence/{evidence_id}"),
    ("get", "/api/v1/children/{child_id}/verify"),
    ("get", "/api/v1/children/{child_id}/days/{day}/facts"),
    ("put", "/api/v1/children/{child_id}/days/{day}/facts"),
    ("get", "/api/v1/households"),
    ("get", "/api/v1/households/{household_id}"),
    ("get", "/api/v1/children"),
    ("post", "/api/v1/children"),
    ("get", "/api/v1/children/{child_id}"),
    ("patch", "/api/v1/children/{child_id}"),
    ("delete", "/api/v1/children/{child_id}"),
    ("get", "/api/v1/children/{child_id}/plan-in-force"),
    ("get", "/api/v1/children/{child_id}/plans"),
    ("post", "/api/v1/children/{child_id}/plans"),
    ("get", "/api/v1/plans/{plan_id}"),
    ("patch", "/api/v1/plans/{plan_id}"),
    ("delete", "/api/v1/plans/{plan_id}"),
    ("post", "/api/v1/plans/{plan_id}/copy"),
    ("post", "/api/v1/plans/{plan_id}/document"),
    ("get", "/api/v1/plans/{plan_id}/document"),
    ("get", "/api/v1/plans/{plan_id}/provisions"),
    ("post", "/api/v1/plans/{plan_id}/provisions"),
    ("put", "/api/v1/plans/{plan_id}/provisions/order"),
    ("get", "/api/v1/provisions/{provision_id}"),
    ("patch", "/api/v1/provisions/{provision_id}"),
    ("get", "/api/v1/provisions/{provision_id}/changes"),
    ("delete", "/api/v1/provisions/{provision_id}"),
    ("post", "/api/v1/provisions/{provision_id}/end"),
    ("get", "/api/v1/children/{child_id}/calendars"),
    ("post", "/api/v1/children/{child_id}/calendars"),
    ("get", "/api/v1/calendars/{calendar_id}"),
    ("patch", "/api/v1/calendars/{calendar_id}"),
    ("delete", "/api/v1/calendars/{calendar_id}"),
    ("post", "/api/v1/calendars/{calendar_id}/events"),
    ("patch", "/api/v1/calendar-events/{event_id}"),
    ("delete", "/api/v1/calendar-events/{event_id}"),
    ("post", "/api/v1/calendars/{calendar_id}/import"),
    ("get", "/api/v1/children/{child_id}/school-days"),
    ("get", "/api/v1/children/{child_id}/school-days/{day}"),
    ("get", "/api/v1/children/{child_id}/contacts"),
    ("post", "/api/v1/children/{child_id}/contacts"),
    ("get", "/api/v1/contacts/{contact_id}"),
    ("patch", "/api/v1/contacts/{contact_id}"),
    ("delete", "/api/v1/contacts/{contact_id}"),
}
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def schema(client, db) -> dict[str, Any]:
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    return r.json()  # type: ignore[no-any-return]


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def test_it_lists_every_route(schema):
    listed = {(m, p) for p, ops in schema["paths"].items() for m in ops if m in METHODS}
    assert listed == ROUTES


def test_it_is_a_well_formed_openapi_3_document(schema):
    assert re.fullmatch(r"3\.\d+\.\d+", schema["openapi"])
    assert schema["info"]["title"] == "IEP Right API"
    components = schema["components"]["schemas"]
    for ref in _refs(schema):
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[1] in components, ref
    for name in components:
        assert re.fullmatch(r"[A-Za-z0-9._-]+", name), name
    operation_ids = [op["operationId"] for ops in schema["paths"].values() for op in ops.values()]
    assert len(operation_ids) == len(set(operation_ids))
    security = schema["components"]["securitySchemes"]
    assert {s["type"] for s in security.values()} == {"http", "apiKey"}
    for path, operations in schema["paths"].items():
        in_path = set(re.findall(r"{(\w+)}", path))
        for method, op in operations.items():
            declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert declared == in_path, (method, path)
            assert op["responses"], (method, path)
            assert op.get("security"), (method, path)
            assert "401" in op["responses"], (method, path)


def test_it_documents_ids_as_uuids_and_never_integer_keys(schema):
    for name, component in schema["components"]["schemas"].items():
        props = component.get("properties", {})
        assert "pk" not in props, name
        if "id" in props:
            assert props["id"] == {"format": "uuid", "title": "Id", "type": "string"}, name


def test_the_docs_page_loads_everything_from_our_own_server(client, db):
    r = client.get("/api/v1/docs")
    assert r.status_code == 200
    html = r.content.decode()
    assert "swagger-ui" in html
    sources = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert sources
    for url in sources:
        assert not re.match(r"(?i)(https?:)?//", url), url
        assert client.get(url).status_code == 200, url
    assert "http://" not in html and "https://" not in html
    assert '"validatorUrl": null' in html


def test_the_api_is_mounted_under_api_v1():
    assert any(str(p.pattern) == "api/v1/" for p in get_resolver().url_patterns)
