"""The committed OpenAPI document is exactly what the app serves, and it tells the truth about
errors (problem+json) and CSV."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.conftest import problem

from service.openapi import COMMITTED


def test_committed_document_is_what_the_app_serves(client: httpx.Client) -> None:
    served = client.get("/schema/openapi.json")
    assert served.status_code == 200
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert served.json() == committed, (
        "openapi/openapi.json is stale: regenerate it with `uv run factdesk openapi`"
    )


def test_every_error_response_is_declared_as_problem_json(client: httpx.Client) -> None:
    doc = client.get("/schema/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    checked = 0
    for path, item in doc["paths"].items():
        for method, op in item.items():
            assert op.get("operationId"), (method, path)
            for status, response in op["responses"].items():
                if status.startswith(("4", "5")):
                    assert list(response["content"]) == ["application/problem+json"], (method, path, status)
                    checked += 1
    assert checked >= 20


def test_list_endpoints_declare_csv(client: httpx.Client) -> None:
    doc = client.get("/schema/openapi.json").json()
    for path in ("/claims", "/documents", "/documents/{document_id}/claims", "/actors/{name}/statements", "/actors", "/metrics"):
        assert "text/csv" in doc["paths"][path]["get"]["responses"]["200"]["content"], path


def test_writes_declare_bearer_auth(client: httpx.Client) -> None:
    doc = client.get("/schema/openapi.json").json()
    assert doc["components"]["securitySchemes"]["BearerAuth"]["scheme"] == "bearer"
    assert doc["paths"]["/claims"]["post"]["security"] == [{"BearerAuth": []}]
    assert "401" in doc["paths"]["/claims"]["post"]["responses"]


def test_browsable_page_lists_every_operation_without_external_assets(client: httpx.Client) -> None:
    r = client.get("/schema")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    doc = client.get("/schema/openapi.json").json()
    for path in doc["paths"]:
        assert path in r.text
    assert "http://" not in r.text and "https://" not in r.text and "<script" not in r.text


@pytest.mark.parametrize("path", ["/schema/foo", "/schema/swagger", "/schema/openapi.yaml"])
def test_unknown_schema_paths_are_problems_not_html(client: httpx.Client, path: str) -> None:
    assert "/schema/openapi.json" in problem(client.get(path), 404)["detail"]
