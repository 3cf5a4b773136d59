"""/events: the happenings the desk follows, one with its metrics, and a person's moves."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import Parameter
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from service.claims.params import DatedCursor, Limit
from service.claims.queries import get_claim_json
from service.csvout import Format, csv_response, next_page_url, wants_csv
from service.errors import problems
from service.events.moves import merge_events, move_claim, move_document
from service.events.queries import event_metric_ids, get_event, list_events, resolve_event, resolve_event_for_write
from service.events.schemas import ClaimMove, DocumentMove, Event, EventDetail, EventHistory, EventMerge, EventPage, HistoryEntry
from service.keys import require_api_key
from service.metrics.cache import cached_json, primary_engine
from service.metrics.queries import metric_summary
from service.params import text_param

EventName = Annotated[str, text_param("Event slug, name or alias, any case or accents")]
KnownAt = Annotated[
    dt.date | None,
    Parameter(description="Time travel: as of the end of this day (YYYY-MM-DD): only documents published by then"),
]
EVENT_CSV_HEADER = ("slug", "name", "kind", "countries", "places", "onset", "first", "last", "documents", "claims", "figures", "claimants")

_HISTORY = text(
    """
    SELECT h.action, h.document_id, h.claim_id, f.slug AS from_slug, t.slug AS to_slug, h.reason, h.created_at
    FROM event_history h JOIN events t ON t.id = h.to_event_id LEFT JOIN events f ON f.id = h.from_event_id
    WHERE h.to_event_id = :id OR h.from_event_id = :id
    ORDER BY h.id LIMIT 1000
    """
)


class EventController(Controller):
    path = "/events"
    tags = ["events"]

    @get(
        "/",
        operation_id="listEvents",
        summary="The events the desk follows, the latest to begin first",
        description=(
            "Each event with its kind, places, first and last publication date and how many documents, "
            "claims and claimants it holds. `q` finds names and aliases. `Accept: text/csv` for CSV."
        ),
        responses=problems(400, 503),
    )
    async def list_events(
        self,
        conn: AsyncConnection,
        request: Request[Any, Any, Any],
        q: Annotated[str | None, text_param("Part of an event's name or alias", max_length=200)] = None,
        kind: Annotated[str | None, text_param("Event kind, e.g. earthquake", max_length=60)] = None,
        country: Annotated[str | None, text_param("A country code (PH) or place name", max_length=200)] = None,
        known_at: KnownAt = None,
        limit: Limit = 100,
        cursor: DatedCursor = None,
        format: Format = None,
    ) -> EventPage:
        items, next_cursor = await list_events(conn, q=q, kind=kind, country=country, limit=limit, cursor=cursor, known_at=known_at)
        next_url = next_page_url(request, next_cursor)
        if wants_csv(request):
            rows = ([e.slug, e.name, e.kind, "; ".join(e.countries), "; ".join(e.places), e.onset, e.first, e.last,
                     e.documents, e.claims, e.figures, e.claimants] for e in items)
            return csv_response(EVENT_CSV_HEADER, rows, next_url)  # type: ignore[return-value]
        page = EventPage(items=items, next_cursor=next_cursor)
        if next_url:
            return Response(page, headers={"Link": f'<{next_url}>; rel="next"'})  # type: ignore[return-value]
        return page

    @get(
        "/{name:str}",
        operation_id="getEvent",
        summary="One event, with the disagreement on each of its metrics",
        description="Unknown names are a 404 whose `suggestions` list the closest events' slugs. A merged event answers as the event it went into.",
        responses=problems(400, 404, 503),
    )
    async def get_event(self, conn: AsyncConnection, state: State, name: EventName, known_at: KnownAt = None) -> EventDetail:
        event_id, _ = await resolve_event(conn, name)

        async def compute() -> EventDetail:
            metrics = [await metric_summary(conn, m, known_at, event_id=event_id) for m in await event_metric_ids(conn, event_id, known_at)]
            return EventDetail(event=await get_event(conn, event_id, known_at), metrics=metrics)

        if known_at is not None:
            return await compute()
        # one summary per metric: cached per data version, as /metrics/{slug} is
        body = await cached_json(conn, primary_engine(state), f"event:{event_id}", compute)
        return Response(body, media_type=MediaType.JSON)  # type: ignore[return-value]

    @get("/{name:str}/history", operation_id="getEventHistory", summary="Assignments, moves and merges into or out of an event, oldest first",
         responses=problems(400, 404, 503))
    async def get_history(self, conn: AsyncConnection, name: EventName) -> EventHistory:
        event_id, _ = await resolve_event(conn, name)
        rows = (await conn.execute(_HISTORY, {"id": event_id})).all()
        return EventHistory(items=[
            HistoryEntry(action=r.action, document_id=r.document_id, claim_id=r.claim_id, from_event=r.from_slug,
                         to_event=r.to_slug, reason=r.reason, at=r.created_at) for r in rows
        ])

    @post(
        "/{name:str}/documents",
        operation_id="moveDocumentToEvent",
        summary="Put a document in this event, with a reason (API key)",
        description=(
            "As its main event (`role: main`, the default): the document leaves its old main event, and its claims "
            "that were there come along. With `role: also` the event is added beside the main one. Kept in the event's history."
        ),
        security=[{"BearerAuth": []}],
        guards=[require_api_key],
        status_code=200,
        responses=problems(400, 401, 404, 413, 415, 422, 429, 503),
    )
    async def move_document(self, conn: AsyncConnection, request: Request[Any, Any, Any], name: EventName, data: DocumentMove) -> Event:
        async with conn.begin():
            event_id, _ = await resolve_event(conn, name)
            await move_document(conn, event_id, data.document_id, data.reason, main=data.role == "main", api_key_id=request.state.api_key_id)
        return await get_event(conn, event_id)

    @post(
        "/{name:str}/claims",
        operation_id="moveClaimToEvent",
        summary="Put one claim in this event, with a reason (API key)",
        security=[{"BearerAuth": []}],
        guards=[require_api_key],
        status_code=200,
        responses=problems(400, 401, 404, 413, 415, 422, 429, 503),
    )
    async def move_claim(self, conn: AsyncConnection, request: Request[Any, Any, Any], name: EventName, data: ClaimMove) -> Response[Any]:
        async with conn.begin():
            event_id, _ = await resolve_event(conn, name)
            await move_claim(conn, event_id, data.claim_id, data.reason, api_key_id=request.state.api_key_id)
        found = await get_claim_json(conn, data.claim_id)
        assert found is not None
        return Response(found[0], media_type=MediaType.JSON)

    @post(
        "/{name:str}/merge",
        operation_id="mergeEvent",
        summary="Merge another event into this one, with a reason (API key)",
        description="The other event's documents, claims and names come here; it stays, pointing at this one, and its slug resolves here.",
        security=[{"BearerAuth": []}],
        guards=[require_api_key],
        status_code=200,
        responses=problems(400, 401, 404, 413, 415, 422, 429, 503),
    )
    async def merge(self, conn: AsyncConnection, request: Request[Any, Any, Any], name: EventName, data: EventMerge) -> Event:
        async with conn.begin():
            target, _ = await resolve_event(conn, name)
            source, _ = await resolve_event_for_write(conn, data.event)
            await merge_events(conn, target, source, data.reason, api_key_id=request.state.api_key_id)
        return await get_event(conn, target)
