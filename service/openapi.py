"""The OpenAPI document: Litestar generates it from the handlers; this module adds what
Litestar cannot express (a second media type on list responses) and writes the committed copy.

The served document and ``openapi/openapi.json`` come from the same function, and a test
fails when they differ.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme, Tag

from service import __version__
from service.schema_page import SchemaPagePlugin

COMMITTED = Path(__file__).resolve().parent.parent / "openapi" / "openapi.json"
CSV_OPERATIONS = {"listClaims", "listDocuments", "listDocumentClaims", "listActorStatements", "listActors", "listMetrics", "listEvents"}

DESCRIPTION = (
    "Source-attributed fact lookup: every competing figure and attributed statement about an "
    "event, each with who said it, who reported it, when, a confidence and a verbatim quote "
    "that can be checked against the archived document text. Reads are public; writes need "
    "`Authorization: Bearer <key>`. Errors are RFC 9457 application/problem+json."
)


_CLAIM_LINKS = {
    "GetClaim": {"operationId": "getClaim", "parameters": {"claim_id": "$response.body#/id"}},
    "GetClaimHistory": {"operationId": "getClaimHistory", "parameters": {"claim_id": "$response.body#/id"}},
    "GetCitedDocument": {"operationId": "getDocument", "parameters": {"document_id": "$response.body#/citation/document_id"}},
}
_DOCUMENT_LINKS = {
    "GetDocument": {"operationId": "getDocument", "parameters": {"document_id": "$response.body#/document/id"}},
    "ListDocumentClaims": {"operationId": "listDocumentClaims", "parameters": {"document_id": "$response.body#/document/id"}},
}
LINKS = [
    ("createClaim", ("200", "201"), _CLAIM_LINKS),
    ("getClaim", ("200",), {k: v for k, v in _CLAIM_LINKS.items() if k != "GetClaim"}),
    ("reviewClaim", ("200",), _CLAIM_LINKS),
    ("createDocument", ("200", "201"), _DOCUMENT_LINKS),
]


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="factdesk",
        version=__version__,
        description=DESCRIPTION,
        path="/schema",
        render_plugins=[SchemaPagePlugin(path="/"), JsonRenderPlugin(path="/openapi.json")],
        components=Components(
            security_schemes={
                "BearerAuth": SecurityScheme(
                    type="http", scheme="bearer", description="An API key from `factdesk keys create NAME`"
                )
            }
        ),
        tags=[
            Tag(name="claims", description="Attributed figures and statements with citations"),
            Tag(name="metrics", description="What figures count, and how sources disagree"),
            Tag(name="actors", description="Who says things, by any name"),
            Tag(name="documents", description="Archived source texts"),
            Tag(name="events", description="The happenings stories are about: figures only compete within one"),
            Tag(name="health", description="Liveness and readiness"),
        ],
        use_handler_docstrings=False,
        create_examples=False,
    )


def _postprocess(doc: dict[str, Any]) -> None:
    # Request bodies are validated by msgspec, so their schemas are msgspec's own: Litestar's
    # generator drops falsy constraints (minimum 0) and those on list items, and does not say
    # that unknown fields are rejected.
    import msgspec

    from service.claims.review import ClaimReview
    from service.claims.schemas import ClaimCreate
    from service.documents.ingest import DocumentCreate
    from service.events.schemas import ClaimMove, DocumentMove, EventMerge

    _, components = msgspec.json.schema_components(
        [ClaimCreate, ClaimReview, DocumentCreate, DocumentMove, ClaimMove, EventMerge], ref_template="#/components/schemas/{name}"
    )
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in components.items():
        struct_schema = dict(schema)
        struct_schema["additionalProperties"] = False
        schemas[name] = struct_schema
    # Links (Litestar's ResponseSpec has none) let clients and schemathesis's stateful phase
    # follow what a response names: a posted document to its claims, a claim to its history.
    by_operation = {
        op.get("operationId"): op
        for item in doc.get("paths", {}).values()
        for op in item.values()
        if isinstance(op, dict)
    }
    for operation_id, statuses, links in LINKS:
        op = by_operation.get(operation_id)
        for status in statuses if op else ():
            if status in op["responses"]:
                op["responses"][status]["links"] = links

    for item in doc.get("paths", {}).values():
        for op in item.values():
            if not isinstance(op, dict):
                continue
            ok = op.get("responses", {}).get("200")
            if op.get("operationId") in CSV_OPERATIONS and ok and "content" in ok:
                ok["content"]["text/csv"] = {
                    "schema": {"type": "string", "description": "The same rows as CSV, one header line"}
                }


def openapi_document(app: Litestar) -> dict[str, Any]:
    """The document as served (generated once, post-processed in place, cached by Litestar)."""
    from litestar._openapi.plugin import OpenAPIPlugin

    plugin = app.plugins.get(OpenAPIPlugin)
    doc = plugin.provide_openapi_schema()
    if not doc.get("x-factdesk-finalized"):
        _postprocess(doc)
        doc["x-factdesk-finalized"] = True
    return doc


def render(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
