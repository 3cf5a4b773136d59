"""Query parameters shared by every endpoint that lists claims, and the list response
(JSON page or CSV). Used by /claims, /documents/{id}/claims and /actors/{name}/statements."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import msgspec
from litestar import MediaType, Request, Response
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncConnection

from service import pagination
from service.actors.queries import resolve_actor
from service.claims.queries import ClaimFilters, claims_csv, json_array, list_claims_json
from service.claims.schemas import MAX_ID, VISIBLE_STATUSES, ClaimPage, Status
from service.events.queries import resolve_event
from service.csvout import csv_bytes_response, next_page_url, wants_csv
from service.metrics.queries import resolve_metric
from service.params import text_param


async def claim_filters(
    conn: AsyncConnection,
    metric: Annotated[
        str | None,
        text_param("Metric slug or synonym (`arrests`, `detained`); unknown → 404 with the nearest"),
    ] = None,
    actor: Annotated[
        str | None,
        text_param("Claimant: slug, name or alias, any case or accents"),
    ] = None,
    event: Annotated[
        str | None,
        text_param("Event: slug, name or alias, any case or accents; unknown → 404 with the nearest"),
    ] = None,
    document: Annotated[int | None, Parameter(ge=1, le=MAX_ID, description="Document id")] = None,
    outlet: Annotated[str | None, text_param("Outlet of the citing document")] = None,
    location: Annotated[str | None, text_param("Where the figure applies, e.g. Almaty")] = None,
    group: Annotated[str | None, text_param("Who is counted, e.g. protesters")] = None,
    since: Annotated[dt.date | None, Parameter(description="as_of on or after this day (YYYY-MM-DD)")] = None,
    until: Annotated[dt.date | None, Parameter(description="as_of on or before this day (YYYY-MM-DD)")] = None,
    min_confidence: Annotated[float | None, Parameter(ge=0, le=1, schema_extra={"minimum": 0}, description="Only claims at least this confident (0..1)")] = None,
    q: Annotated[str | None, text_param("Text that must occur in the quote (case-insensitive)", max_length=200)] = None,
    status: Annotated[
        list[Status] | None,
        Parameter(description="Review states to include (repeat the parameter); default unreviewed and accepted"),
    ] = None,
    known_at: Annotated[
        dt.date | None,
        Parameter(description="Time travel: answer as of the end of this day (YYYY-MM-DD): only claims published by then, with their review state as it was"),
    ] = None,
) -> ClaimFilters:
    note = None
    if since is not None and until is not None and since > until:
        note = f"since ({since}) is after until ({until}): no claim can be in that range; swap them?"
    return ClaimFilters(
        note=note,
        metric_id=(await resolve_metric(conn, metric))[0] if metric is not None else None,
        event_id=(await resolve_event(conn, event))[0] if event is not None else None,
        claimant_id=await resolve_actor(conn, actor) if actor is not None else None,
        document_id=document,
        outlet=outlet,
        location=location,
        group=group,
        since=since,
        until=until,
        min_confidence=min_confidence,
        q=q,
        statuses=tuple(dict.fromkeys(status)) if status else VISIBLE_STATUSES,
        known_at=known_at,
    )


Limit = Annotated[int, Parameter(ge=1, le=500, description="Page size (1..500)")]
IdCursor = Annotated[
    str | None,
    Parameter(pattern=pagination.ID_CURSOR_PATTERN, description="`next_cursor` of the previous page"),
]
DatedCursor = Annotated[
    str | None,
    Parameter(pattern=pagination.DATED_CURSOR_PATTERN, description="`next_cursor` of the previous page"),
]

async def claim_page_response(
    conn: AsyncConnection,
    request: Request[Any, Any, Any],
    filters: ClaimFilters,
    *,
    limit: int,
    cursor: str | None,
    order: Literal["id", "newest"] = "id",
) -> ClaimPage | Response[bytes]:
    if wants_csv(request):
        body, next_cursor = await claims_csv(conn, filters, limit=limit, cursor=cursor, order=order)
        return csv_bytes_response(body, next_page_url(request, next_cursor))
    items, next_cursor = await list_claims_json(conn, filters, limit=limit, cursor=cursor, order=order)
    next_url = next_page_url(request, next_cursor)
    # The page is assembled from the claims' JSON as PostgreSQL wrote it (the shape of ClaimPage).
    body = b'{"items":%s,"next_cursor":%s}' % (json_array(items), msgspec.json.encode(next_cursor))
    if filters.note:
        body = body[:-1] + b',"note":%s}' % msgspec.json.encode(filters.note)
    headers = {"Link": f'<{next_url}>; rel="next"'} if next_url else None
    return Response(body, media_type=MediaType.JSON, headers=headers)
