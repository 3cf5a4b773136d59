"""SQL for reading events: resolution by slug, name or alias, the list, one event."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from service import pagination
from service.claims.queries import known_at_bound
from service.errors import NotFound, Unprocessable
from service.events.schemas import Assignment, Event, EventRef
from service.memo import NameMemory

_RESOLVE = text(
    """
    SELECT e.id, e.slug, e.merged_into FROM events e WHERE e.slug = :name
    UNION ALL
    SELECT DISTINCT e.id, e.slug, e.merged_into FROM event_names n JOIN events e ON e.id = n.event_id
    WHERE n.norm = fd_norm(:name)
    LIMIT 10
    """
)
_FOLLOW = text("SELECT id, slug, merged_into FROM events WHERE id = :id")
_NEAREST = text(
    """
    SELECT e.slug, max(greatest(similarity(n.norm, q.norm), word_similarity(q.norm, n.norm))) AS score
    FROM (SELECT fd_norm(:name) AS norm) q CROSS JOIN event_names n JOIN events e ON e.id = n.event_id
    WHERE e.merged_into IS NULL
    GROUP BY e.slug
    HAVING max(greatest(similarity(n.norm, q.norm), word_similarity(q.norm, n.norm))) > 0.3
    ORDER BY score DESC, e.slug LIMIT 3
    """
)


async def _find(conn: AsyncConnection, name: str) -> tuple[int, str] | None | list[str]:
    rows = (await conn.execute(_RESOLVE, {"name": name})).all()
    if not rows:
        return None
    live = {r.id: r for r in rows if r.merged_into is None}
    if len(live) > 1 and rows[0].slug != name:
        return sorted(r.slug for r in live.values())
    row = rows[0] if rows[0].slug == name or not live else next(iter(live.values()))
    for _ in range(20):  # a merged event answers as the event it went into
        if row.merged_into is None:
            return int(row.id), row.slug
        row = (await conn.execute(_FOLLOW, {"id": row.merged_into})).one()
    return int(row.id), row.slug


async def _nearest(conn: AsyncConnection, name: str) -> list[str]:
    return [r.slug for r in (await conn.execute(_NEAREST, {"name": name})).all()]


# A name that resolved is kept ten seconds per worker (a merge redirects it within that time):
# a page filtered by event= is then one statement, as one filtered by metric= is.
_resolved: NameMemory[tuple[int, str]] = NameMemory(ttl=10.0)


async def resolve_event(conn: AsyncConnection, name: str) -> tuple[int, str]:
    """An event by slug, name or alias, any case or accents; 404 with the nearest ones."""
    if (hit := _resolved.get(conn, name)) is not None:
        return hit
    found = await _find(conn, name)
    if isinstance(found, list):
        raise NotFound(f"{name!r} names {len(found)} events; use a slug", suggestions=found)
    if found is None:
        nearest = await _nearest(conn, name)
        hint = f"; did you mean {nearest[0]!r}?" if nearest else ""
        raise NotFound(f"no event is called {name!r}{hint} (GET /events lists them)", suggestions=nearest)
    return _resolved.put(conn, name, found)


async def resolve_event_for_write(conn: AsyncConnection, name: str, field: str = "event") -> tuple[int, str]:
    """As ``resolve_event``, for a name in a request body: 422."""
    try:
        return await resolve_event(conn, name)
    except NotFound as exc:
        raise Unprocessable(field, exc.detail, suggestions=getattr(exc, "suggestions", None)) from exc


@functools.cache
def _event_sql(known_at: bool) -> str:
    published = "AND d.published < :known_at" if known_at else ""
    status = "fd_status_at(c.id, :known_at)" if known_at else "c.status"
    return f"""
SELECT e.id, e.slug, e.name, e.kind, e.countries, e.places, e.onset,
       ARRAY(SELECT n.name FROM event_names n WHERE n.event_id = e.id AND n.is_alias ORDER BY n.id) AS aliases,
       dd.first, dd.last, coalesce(dd.documents, 0) AS documents,
       coalesce(cc.claims, 0) AS claims, coalesce(cc.figures, 0) AS figures, coalesce(cc.claimants, 0) AS claimants,
       mi.slug AS merged_slug, mi.name AS merged_name
FROM events e
LEFT JOIN events mi ON mi.id = e.merged_into
LEFT JOIN LATERAL (
  SELECT min(d.published) AS first, max(d.published) AS last, count(*) AS documents
  FROM document_events de JOIN documents d ON d.id = de.document_id
  WHERE de.event_id = e.id {published}) dd ON true
LEFT JOIN LATERAL (
  SELECT count(*) AS claims, count(*) FILTER (WHERE c.metric_id IS NOT NULL) AS figures,
         count(DISTINCT c.claimant_id) AS claimants
  FROM claims c JOIN documents d ON d.id = c.document_id
  WHERE c.event_id = e.id AND {status} IN ('unreviewed', 'accepted') {published}) cc ON true
"""


def _event(r: Any) -> Event:
    return Event(
        slug=r.slug, name=r.name, kind=r.kind, countries=list(r.countries), places=list(r.places),
        aliases=list(r.aliases), onset=r.onset, first=r.first, last=r.last, documents=r.documents,
        claims=r.claims, figures=r.figures, claimants=r.claimants,
        merged_into=EventRef(slug=r.merged_slug, name=r.merged_name) if r.merged_slug else None,
    )


async def get_event(conn: AsyncConnection, event_id: int, known_at: dt.date | None = None) -> Event:
    sql = _event_sql(known_at is not None) + " WHERE e.id = :id"
    row = (await conn.execute(text(sql), {"id": event_id, "known_at": known_at_bound(known_at)})).one()
    return _event(row)


async def list_events(
    conn: AsyncConnection, *, q: str | None, kind: str | None, country: str | None, limit: int,
    cursor: str | None, known_at: dt.date | None,
) -> tuple[list[Event], str | None]:
    """Events, the latest onset first (then the newest id), merged ones left out; ``q`` finds
    names and aliases containing it (or close to it). With ``known_at``, only events with a
    document published by then."""
    clauses = ["e.merged_into IS NULL"]
    params: dict[str, Any] = {"known_at": known_at_bound(known_at), "limit": limit + 1}
    if q:
        clauses.append(
            "EXISTS (SELECT 1 FROM event_names n WHERE n.event_id = e.id AND "
            "(n.norm LIKE '%' || fd_norm(:q) || '%' OR similarity(n.norm, fd_norm(:q)) > 0.4))"
        )
        params["q"] = q
    if kind:
        clauses.append("e.kind = :kind")
        params["kind"] = kind
    if country:
        clauses.append("(upper(:country) = ANY(e.countries) OR EXISTS (SELECT 1 FROM unnest(e.places) p WHERE fd_norm(p) = fd_norm(:country)))")
        params["country"] = country
    if known_at is not None:
        clauses.append(
            "EXISTS (SELECT 1 FROM document_events de JOIN documents d ON d.id = de.document_id "
            "WHERE de.event_id = e.id AND d.published < :known_at)"
        )
    position = pagination.decode_dated(cursor)
    if position is not None:
        clauses.append("(e.onset, e.id) < (:after_date, :after_id)")
        params["after_date"], params["after_id"] = position
    sql = f"{_event_sql(known_at is not None)} WHERE {' AND '.join(clauses)} ORDER BY e.onset DESC, e.id DESC LIMIT :limit"
    rows = (await conn.execute(text(sql), params)).all()
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = pagination.encode_dated(last.onset, int(last.id))
    return [_event(r) for r in rows[:limit]], next_cursor


async def event_metric_ids(conn: AsyncConnection, event_id: int, known_at: dt.date | None) -> list[int]:
    """The metrics with visible figures in this event, the most reported first."""
    published = "AND d.published < :known_at" if known_at else ""
    status = "fd_status_at(c.id, :known_at)" if known_at else "c.status"
    sql = f"""
    SELECT c.metric_id FROM claims c JOIN documents d ON d.id = c.document_id
    WHERE c.event_id = :id AND c.metric_id IS NOT NULL AND {status} IN ('unreviewed', 'accepted') {published}
    GROUP BY c.metric_id ORDER BY count(*) DESC, c.metric_id
    """
    rows = (await conn.execute(text(sql), {"id": event_id, "known_at": known_at_bound(known_at)})).all()
    return [int(r.metric_id) for r in rows]


_ASSIGNMENTS = text(
    """
    SELECT e.slug, e.name, de.is_main, de.confidence, de.evidence,
           EXISTS (SELECT 1 FROM event_history h WHERE h.to_event_id = e.id AND h.document_id = de.document_id
                   AND h.action = 'assigned' AND h.reason LIKE 'a new event%') AS created
    FROM document_events de JOIN events e ON e.id = de.event_id
    WHERE de.document_id = :doc ORDER BY de.is_main DESC, e.id
    """
)


async def document_assignments(conn: AsyncConnection, document_id: int) -> list[Assignment]:
    rows = (await conn.execute(_ASSIGNMENTS, {"doc": document_id})).all()
    return [
        Assignment(event=EventRef(slug=r.slug, name=r.name), main=r.is_main, created=r.created,
                   confidence=r.confidence, evidence=r.evidence or {})
        for r in rows
    ]
