"""/documents: archived texts, one with its full text, and the claims citing it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Controller, MediaType, Request, Response, get, post
from litestar.di import Provide
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncConnection

from service.claims.params import IdCursor, Limit, claim_filters, claim_page_response
from service.claims.queries import ClaimFilters, get_claims_json
from service.claims.schemas import MAX_ID, ClaimPage
from service.csvout import Format, csv_response, next_page_url, wants_csv
from service.db.engine import GENERIC_PLANS
from service.documents.ingest import DocumentCreate, differences, ingest_document
from service.documents.queries import (
    document_exists,
    get_document,
    get_document_meta,
    list_documents,
)
from service.documents.schemas import Document, DocumentPage, IngestedDocument
from service.errors import NotFound, problems
from service.events.queries import document_assignments, resolve_event
from service.keys import require_api_key
from service.params import text_param

DocumentId = Annotated[int, Parameter(ge=1, le=MAX_ID, description="Document id")]

CSV_HEADER = ("id", "title", "outlet", "url", "published", "language", "original_language", "content_hash", "length", "claims", "events")


class DocumentController(Controller):
    path = "/documents"
    tags = ["documents"]

    @get(
        "/",
        operation_id="listDocuments",
        summary="Archived documents (metadata only)",
        description="Oldest id first; filter by outlet and publication date. `Accept: text/csv` for CSV.",
        responses=problems(400, 404, 503),
    )
    async def list_documents(
        self,
        conn: AsyncConnection,
        request: Request[Any, Any, Any],
        outlet: Annotated[str | None, text_param("Outlet name, any case")] = None,
        event: Annotated[str | None, text_param("Event: slug, name or alias; unknown → 404 with the nearest")] = None,
        since: Annotated[dt.date | None, Parameter(description="Published on or after (YYYY-MM-DD)")] = None,
        until: Annotated[dt.date | None, Parameter(description="Published on or before (YYYY-MM-DD)")] = None,
        limit: Limit = 100,
        cursor: IdCursor = None,
        format: Format = None,
    ) -> DocumentPage:
        note = f"since ({since}) is after until ({until}): no document can be in that range; swap them?" if (
            since is not None and until is not None and since > until) else None
        event_id = (await resolve_event(conn, event))[0] if event is not None else None
        items, next_cursor = await list_documents(conn, outlet=outlet, event_id=event_id, since=since, until=until, limit=limit, cursor=cursor)
        next_url = next_page_url(request, next_cursor)
        if wants_csv(request):
            rows = ((d.id, d.title, d.outlet, d.url, d.published, d.language, d.original_language, d.content_hash, d.length, d.claims,
                     "; ".join(e.slug for e in d.events)) for d in items)
            return csv_response(CSV_HEADER, rows, next_url)  # type: ignore[return-value]
        page = DocumentPage(items=items, next_cursor=next_cursor, note=note)
        if next_url:
            return Response(page, headers={"Link": f'<{next_url}>; rel="next"'})  # type: ignore[return-value]
        return page

    @get("/{document_id:int}", operation_id="getDocument", summary="One document with its full text", responses=problems(400, 404, 503))
    async def get_document(self, conn: AsyncConnection, document_id: DocumentId) -> Document:
        doc = await get_document(conn, document_id)
        if doc is None:
            raise NotFound(f"no document has id {document_id}")
        return doc

    @get(
        "/{document_id:int}/claims",
        operation_id="listDocumentClaims",
        summary="The claims that cite this document",
        dependencies={"filters": Provide(claim_filters)},
        opt=GENERIC_PLANS,
        responses=problems(400, 404, 503),
    )
    async def list_document_claims(
        self,
        conn: AsyncConnection,
        request: Request[Any, Any, Any],
        document_id: DocumentId,
        filters: ClaimFilters,
        limit: Limit = 100,
        cursor: IdCursor = None,
        format: Format = None,
    ) -> ClaimPage:
        if not await document_exists(conn, document_id):
            raise NotFound(f"no document has id {document_id}")
        # ?document= narrows as every filter does: another document than the path's leaves nothing
        filters.contradictory = filters.document_id is not None and filters.document_id != document_id
        filters.document_id = document_id
        return await claim_page_response(conn, request, filters, limit=limit, cursor=cursor)  # type: ignore[return-value]

    @post(
        "/",
        operation_id="createDocument",
        summary="Archive an article and extract its claims (API key)",
        description=(
            "Stores the text exactly as sent and runs the extractor in the same transaction: the "
            "answer is the document with every figure and attributed statement found, as unreviewed "
            "claims with citations and confidence factors. Idempotent by content: the same text "
            "again (white space aside: a trailing space, CRLF or a non-breaking space make no new article) "
            "answers 200 with the existing document and its claims, adding nothing, and `notes` says what the "
            "post gave differently (title, url, date). "
            "`text` is at most 200,000 characters."
        ),
        security=[{"BearerAuth": []}],
        guards=[require_api_key],
        status_code=201,
        responses={
            200: ResponseSpec(IngestedDocument, description="The same text was archived before: nothing was added", generate_examples=False),
            **problems(400, 401, 413, 415, 422, 429, 503),
        },
    )
    async def create_document(
        self, conn: AsyncConnection, request: Request[Any, Any, Any], data: DocumentCreate
    ) -> Response[IngestedDocument]:
        async with conn.begin():
            doc_id, created, claim_ids = await ingest_document(conn, data, api_key_id=request.state.api_key_id)
        meta = await get_document_meta(conn, doc_id)
        assert meta is not None
        # The claims as PostgreSQL wrote them (numbers as in every other answer): the shape of IngestedDocument.
        events = msgspec.json.encode(await document_assignments(conn, doc_id))
        notes = msgspec.json.encode([] if created else await differences(conn, doc_id, data))
        body = b'{"document":%s,"events":%s,"claims":%s,"notes":%s}' % (
            msgspec.json.encode(meta), events, await get_claims_json(conn, claim_ids), notes)
        return Response(  # type: ignore[return-value]
            body, media_type=MediaType.JSON, status_code=201 if created else 200, headers={"Location": f"/documents/{doc_id}"}
        )
