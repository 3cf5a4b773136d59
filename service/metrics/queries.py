"""SQL for metrics: resolution by slug or synonym, the vocabulary, and the disagreement summary."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from service.actors.schemas import ActorRef
from service.claims.queries import corroboration_join, known_at_bound, visible_sql
from service.claims.schemas import Corroboration, FigureValue
from service.errors import NotFound, Unprocessable
from service.memo import NameMemory
from service.events.ref import EventRef
from service.metrics.schemas import EventSpan, Figure, Metric, MetricSummary, Scope, TimelineDay

_RESOLVE = text(
    """
    SELECT m.id, m.slug FROM metrics m WHERE m.slug = :name
    UNION ALL
    SELECT m.id, m.slug FROM metric_synonyms s JOIN metrics m ON m.id = s.metric_id
    WHERE s.norm = fd_norm(:name)
    UNION ALL
    SELECT m.id, m.slug FROM metrics m WHERE fd_norm(m.slug) = fd_norm(:name) OR fd_norm(m.label) = fd_norm(:name)
    LIMIT 1
    """
)

_NEAREST = text(
    """
    SELECT slug FROM (
      SELECT m.slug, greatest(similarity(fd_norm(m.slug), q.norm), similarity(fd_norm(m.label), q.norm),
                              coalesce(max(similarity(s.norm, q.norm)), 0)) AS score
      FROM (SELECT fd_norm(:name) AS norm) q CROSS JOIN metrics m
      LEFT JOIN metric_synonyms s ON s.metric_id = m.id
      GROUP BY m.slug, m.label, q.norm
    ) scored
    WHERE score > 0.2
    ORDER BY score DESC, slug
    LIMIT 3
    """
)


async def nearest_metrics(conn: AsyncConnection, name: str) -> list[str]:
    return [r.slug for r in (await conn.execute(_NEAREST, {"name": name})).all()]


# The vocabulary changes only when curated data is loaded: a resolved name is kept a minute.
_resolved: NameMemory[tuple[int, str]] = NameMemory(ttl=60.0)


async def find_metric(conn: AsyncConnection, name: str) -> tuple[int, str] | None:
    if (hit := _resolved.get(conn, name)) is not None:
        return hit
    row = (await conn.execute(_RESOLVE, {"name": name})).first()
    return _resolved.put(conn, name, (int(row.id), row.slug)) if row else None


def _unknown_message(name: str, nearest: list[str]) -> str:
    hint = f"; did you mean {nearest[0]!r}?" if nearest else ""
    return f"unknown metric {name!r}{hint} (GET /metrics or `factdesk metrics` lists them all)"


async def resolve_metric(conn: AsyncConnection, name: str) -> tuple[int, str]:
    """A metric by slug, label or synonym ('arrested' -> arrests); 404 naming the nearest."""
    found = await find_metric(conn, name)
    if found is None:
        nearest = await nearest_metrics(conn, name)
        raise NotFound(_unknown_message(name, nearest), suggestions=nearest)
    return found


async def resolve_metric_for_write(conn: AsyncConnection, name: str) -> tuple[int, str]:
    found = await find_metric(conn, name)
    if found is None:
        nearest = await nearest_metrics(conn, name)
        raise Unprocessable("metric", _unknown_message(name, nearest), suggestions=nearest)
    return found


# -- the vocabulary and the disagreement summary ------------------------------------------------

# A summary stays small whatever the data: the largest scopes, each claimant's latest figure
# in them (most recent claimants first), and a sample of each day's figures. Counts and ranges
# always cover everything; /claims?metric=… lists every figure.
# (At a million claims: about 300 KB, against 1.7 MB with 50 scopes x 20 and 20 figures a day.)
FIGURES_PER_DAY = 10
MAX_SCOPES = 20
MAX_EVENTS = 20  # without event=: the events listed, and those whose days make the timeline
LATEST_PER_SCOPE = 10


class _Queries(msgspec.Struct, frozen=True):
    metrics: Any
    events: Any
    scopes: Any
    latest: Any
    days: Any
    day_figures: Any


@functools.cache
def _queries(known_at: bool) -> _Queries:
    EV = "(CAST(:event_id AS bigint) IS NULL OR c.event_id = :event_id)"  # noqa: N806 - one event, or every event
    # the timeline's days: of the one event, or of the MAX_EVENTS events with the most figures
    # (a day per event per date; at 500 events that was tens of thousands of days)
    TOP = f"""(CAST(:event_id AS bigint) IS NOT NULL OR c.event_id IS NULL OR c.event_id = ANY(ARRAY(
      SELECT t.event_id FROM claims t JOIN documents td ON td.id = t.document_id
      WHERE t.metric_id = :metric_id AND {visible_sql(known_at, "t", "td")} AND t.event_id IS NOT NULL
      GROUP BY t.event_id ORDER BY count(*) DESC, t.event_id LIMIT {MAX_EVENTS})))"""  # noqa: N806
    """The summary's statements, now or as of ``:known_at`` (time travel). Every one joins the
    documents, whose publication date decides what could be known by then."""
    visible = visible_sql(known_at)
    figure_columns = """
    c.id, c.value_low, c.value_high, c.qualifier, c.value_text, c.as_of, c.group_name, c.location,
    c.document_id, d.outlet, d.published, a.slug AS claimant_slug, a.name AS claimant_name, c.event_id,
    corr.documents AS corr_documents, corr.claimants AS corr_claimants, corr.unattributed AS corr_unattributed
"""
    return _Queries(
        metrics=text(
            f"""
            SELECT m.slug, m.label, m.unit, m.description,
                   ARRAY(SELECT s.synonym FROM metric_synonyms s WHERE s.metric_id = m.id ORDER BY s.synonym) AS synonyms,
                   count(c.id) AS claims, count(DISTINCT c.claimant_id) AS claimants,
                   count(DISTINCT c.document_id) AS documents, count(DISTINCT c.event_id) AS events,
                   CASE WHEN count(DISTINCT c.event_id) <= 1 THEN min(coalesce(c.value_low, c.value_high)) END AS low,
                   CASE WHEN count(DISTINCT c.event_id) <= 1 THEN max(coalesce(c.value_high, c.value_low)) END AS high
            FROM metrics m
            LEFT JOIN (claims c JOIN documents d ON d.id = c.document_id) ON c.metric_id = m.id AND {visible}
              AND {EV}
            WHERE (CAST(:metric_id AS bigint) IS NULL OR m.id = :metric_id)
            GROUP BY m.id
            ORDER BY count(c.id) DESC, m.slug
            """
        ),
        events=text(
            f"""
            SELECT c.event_id, e.slug, e.name, count(*) AS claims, count(DISTINCT c.claimant_id) AS claimants,
                   count(DISTINCT c.document_id) AS documents,
                   min(coalesce(c.value_low, c.value_high)) AS low, max(coalesce(c.value_high, c.value_low)) AS high
            FROM claims c JOIN documents d ON d.id = c.document_id LEFT JOIN events e ON e.id = c.event_id
            WHERE c.metric_id = :metric_id AND {visible} AND {EV}
            GROUP BY c.event_id, e.slug, e.name
            ORDER BY count(*) DESC, c.event_id
            LIMIT {MAX_EVENTS}
            """
        ),
        scopes=text(
            f"""
            SELECT c.event_id, c.group_name, c.location, count(*) AS claims, count(DISTINCT c.claimant_id) AS claimants,
                   min(coalesce(c.value_low, c.value_high)) AS low, max(coalesce(c.value_high, c.value_low)) AS high
            FROM claims c JOIN documents d ON d.id = c.document_id
            WHERE c.metric_id = :metric_id AND {visible} AND {EV}
            GROUP BY c.event_id, c.group_name, c.location
            ORDER BY count(*) DESC, c.event_id, c.group_name NULLS LAST, c.location NULLS LAST
            LIMIT {MAX_SCOPES}
            """
        ),
        latest=text(
            f"""
            WITH latest AS (
              SELECT DISTINCT ON (c.event_id, c.group_name, c.location, c.claimant_id)
                     c.id, c.event_id, c.group_name, c.location, c.sort_date, d.published
              FROM claims c JOIN documents d ON d.id = c.document_id
              WHERE c.metric_id = :metric_id AND {visible} AND {EV}
              ORDER BY c.event_id, c.group_name, c.location, c.claimant_id, c.sort_date DESC, d.published DESC, c.id DESC
            ), ranked AS (
              SELECT id, row_number() OVER (PARTITION BY event_id, group_name, location
                                            ORDER BY sort_date DESC, published DESC, id DESC) AS n
              FROM latest
            )
            SELECT {figure_columns}
            FROM ranked r JOIN claims c ON c.id = r.id
            JOIN documents d ON d.id = c.document_id LEFT JOIN actors a ON a.id = c.claimant_id
            {corroboration_join(known_at)}
            WHERE r.n <= {LATEST_PER_SCOPE}
            """
        ),
        days=text(
            f"""
            SELECT c.event_id, c.as_of, count(*) AS claims,
                   -- a bound no figure of the day gives stays open: "more than 3,000" has no high
                   CASE WHEN bool_and(c.value_low IS NOT NULL) THEN min(c.value_low) END AS low,
                   CASE WHEN bool_and(c.value_high IS NOT NULL) THEN max(c.value_high) END AS high
            FROM claims c JOIN documents d ON d.id = c.document_id
            WHERE c.metric_id = :metric_id AND {visible} AND {EV} AND {TOP}
            GROUP BY c.event_id, c.as_of ORDER BY c.as_of NULLS LAST, c.event_id
            """
        ),
        day_figures=text(
            f"""
            WITH sample AS (
              SELECT c.id, row_number() OVER (PARTITION BY c.event_id, c.as_of ORDER BY c.id) AS n
              FROM claims c JOIN documents d ON d.id = c.document_id
              WHERE c.metric_id = :metric_id AND {visible} AND {EV} AND {TOP}
            )
            SELECT {figure_columns}
            FROM sample s JOIN claims c ON c.id = s.id
            JOIN documents d ON d.id = c.document_id LEFT JOIN actors a ON a.id = c.claimant_id
            {corroboration_join(known_at)}
            WHERE s.n <= {FIGURES_PER_DAY}
            ORDER BY c.as_of NULLS LAST, c.id
            """
        ),
    )


def to_number(v: Decimal | None) -> float | int | None:
    if v is None:
        return None
    return int(v) if v == v.to_integral_value() else float(v)


def corroboration(r: Any) -> Corroboration | None:
    """Counts for a figure row with ``corr_*`` columns (zeros when none of its kind is
    visible); None for a statement."""
    if r.qualifier is None:
        return None
    if r.corr_documents is None:
        return Corroboration(documents=0, claimants=0, unattributed=0)
    return Corroboration(documents=r.corr_documents, claimants=r.corr_claimants, unattributed=r.corr_unattributed)


def _metric(r: object) -> Metric:
    return Metric(
        slug=r.slug, label=r.label, unit=r.unit, description=r.description, synonyms=list(r.synonyms),  # type: ignore[attr-defined]
        claims=r.claims, claimants=r.claimants, documents=r.documents,  # type: ignore[attr-defined]
        low=to_number(r.low), high=to_number(r.high), events=r.events,  # type: ignore[attr-defined]
    )


def _figure(r: object) -> Figure:
    return Figure(
        claim_id=r.id,  # type: ignore[attr-defined]
        value=FigureValue(qualifier=r.qualifier, text=r.value_text, low=to_number(r.value_low), high=to_number(r.value_high)),  # type: ignore[attr-defined]
        document_id=r.document_id, outlet=r.outlet, published=r.published, as_of=r.as_of,  # type: ignore[attr-defined]
        claimant=ActorRef(slug=r.claimant_slug, name=r.claimant_name) if r.claimant_slug else None,  # type: ignore[attr-defined]
        group=r.group_name, location=r.location,  # type: ignore[attr-defined]
        corroboration=corroboration(r),  # type: ignore[arg-type]
    )


async def list_metrics(conn: AsyncConnection, known_at: dt.date | None = None, event_id: int | None = None) -> list[Metric]:
    q = _queries(known_at is not None)
    params = {"metric_id": None, "known_at": known_at_bound(known_at), "event_id": event_id}
    return [_metric(r) for r in (await conn.execute(q.metrics, params)).all()]


async def metric_summary(
    conn: AsyncConnection, metric_id: int, known_at: dt.date | None = None, *, event_id: int | None = None
) -> MetricSummary:
    """The disagreement at a glance for one metric: in one event, or (``event_id`` None)
    split by event first, so that no range spans two events."""
    q = _queries(known_at is not None)
    params = {"metric_id": metric_id, "known_at": known_at_bound(known_at), "event_id": event_id}
    info = _metric((await conn.execute(q.metrics, params)).one())
    refs: dict[int | None, EventRef | None] = {}
    spans = []
    for r in (await conn.execute(q.events, params)).all():
        ref = EventRef(slug=r.slug, name=r.name) if r.slug else None
        refs[r.event_id] = ref
        spans.append(EventSpan(event=ref, claims=r.claims, claimants=r.claimants, documents=r.documents,
                               low=to_number(r.low), high=to_number(r.high)))
    latest: dict[tuple[int | None, str | None, str | None], list[Figure]] = {}
    for r in (await conn.execute(q.latest, params)).all():
        latest.setdefault((r.event_id, r.group_name, r.location), []).append(_figure(r))
    scopes = [
        Scope(
            event=refs.get(r.event_id), group=r.group_name, location=r.location, claims=r.claims, claimants=r.claimants,
            low=to_number(r.low), high=to_number(r.high),
            latest_by_claimant=sorted(
                latest.get((r.event_id, r.group_name, r.location), []),
                key=lambda f: (f.as_of or f.published, f.claim_id), reverse=True,
            ),
        )
        for r in (await conn.execute(q.scopes, params)).all()
    ]
    by_day: dict[object, list[Figure]] = {}
    for r in (await conn.execute(q.day_figures, params)).all():
        by_day.setdefault((r.event_id, r.as_of), []).append(_figure(r))
    timeline = [
        TimelineDay(event=refs.get(r.event_id), as_of=r.as_of, claims=r.claims, low=to_number(r.low), high=to_number(r.high),
                    figures=by_day.get((r.event_id, r.as_of), []))
        for r in (await conn.execute(q.days, params)).all()
    ]
    return MetricSummary(metric=info, events=spans, scopes=scopes, timeline=timeline)
