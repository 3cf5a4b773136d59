"""SQL for reading claims: one statement per page, filters composed from fixed fragments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

import msgspec
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from service import pagination
from service.actors.schemas import ActorRef
from service.claims.schemas import (
    VISIBLE_STATUSES,
    Citation,
    Claim,
    ConfidenceFactor,
    Corroboration,
    FigureValue,
    Status,
)

CONTEXT_CHARS = 32  # prefix / suffix length in citations


def status_sql(known_at: bool) -> str:
    """A claim's review status now, or as it stood at ``:known_at`` (time travel)."""
    return "fd_status_at(c.id, :known_at)" if known_at else "c.status"


def visible_sql(known_at: bool, claim: str = "c", document: str = "d") -> str:
    """The claim is listed by default: not retracted or superseded (then), and, when
    travelling in time, published by then (the caller joins ``documents``)."""
    if not known_at:
        return f"{claim}.status IN ('unreviewed', 'accepted')"
    return (
        f"fd_status_at({claim}.id, :known_at) IN ('unreviewed', 'accepted') AND {document}.published < :known_at"
    )


def corroboration_join(known_at: bool) -> str:
    """The same figure = same metric and bounds. Now: the counts kept by triggers in
    ``figure_stats`` (one primary-key lookup per row). As of a past day: counted from the
    claims visible then (NaN stands for a missing bound, as in the index that answers it)."""
    if not known_at:
        return """
LEFT JOIN figure_stats corr ON c.metric_id IS NOT NULL AND corr.metric_id = c.metric_id
  AND corr.low_key = coalesce(c.value_low, 'NaN') AND corr.high_key = coalesce(c.value_high, 'NaN')
"""
    return f"""
LEFT JOIN LATERAL (
  SELECT count(DISTINCT o.document_id) AS documents,
         count(DISTINCT o.claimant_id) AS claimants,
         count(*) FILTER (WHERE o.claimant_id IS NULL) AS unattributed
  FROM claims o JOIN documents od ON od.id = o.document_id
  WHERE o.metric_id = c.metric_id
    AND coalesce(o.value_low, 'NaN') = coalesce(c.value_low, 'NaN')
    AND coalesce(o.value_high, 'NaN') = coalesce(c.value_high, 'NaN')
    AND {visible_sql(known_at, "o", "od")}
) corr ON c.metric_id IS NOT NULL
"""


def select_sql(known_at: bool) -> str:
    return f"""
SELECT c.id, m.slug AS metric, c.value_low, c.value_high, c.qualifier, c.value_text,
       c.group_name, c.location, c.as_of, c.sort_date,
       a.slug AS claimant_slug, a.name AS claimant_name,
       ARRAY(SELECT va.name FROM claim_via v JOIN actors va ON va.id = v.actor_id
             WHERE v.claim_id = c.id ORDER BY v.position) AS via,
       c.document_id, d.outlet, d.title, d.url, d.published,
       c.quote, c.start_offset, c.end_offset,
       substr(d.text, greatest(c.start_offset - {CONTEXT_CHARS}, 0) + 1,
              c.start_offset - greatest(c.start_offset - {CONTEXT_CHARS}, 0)) AS prefix,
       substr(d.text, c.end_offset + 1, {CONTEXT_CHARS}) AS suffix,
       c.confidence, c.confidence_factors, c.origin, {status_sql(known_at)} AS status, c.version,
       corr.documents AS corr_documents, corr.claimants AS corr_claimants, corr.unattributed AS corr_unattributed
FROM claims c
JOIN documents d ON d.id = c.document_id
LEFT JOIN metrics m ON m.id = c.metric_id
LEFT JOIN actors a ON a.id = c.claimant_id
{corroboration_join(known_at)}
"""


_SELECT = select_sql(False)


def known_at_bound(day: dt.date | None) -> dt.datetime | None:
    """``known_at=YYYY-MM-DD`` means 'by the end of that day' (UTC)."""
    if day is None:
        return None
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=dt.timezone.utc)


class ClaimFilters(msgspec.Struct, kw_only=True):
    """Resolved filters (names already turned into ids)."""

    metric_id: int | None = None
    claimant_id: int | None = None
    document_id: int | None = None
    outlet: str | None = None
    location: str | None = None
    group: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    min_confidence: float | None = None
    q: str | None = None
    statuses: tuple[Status, ...] = VISIBLE_STATUSES
    known_at: dt.date | None = None  # answer as of the end of this day


def _where(f: ClaimFilters) -> tuple[list[str], dict[str, Any]]:
    travelling = f.known_at is not None
    clauses = [f"{status_sql(travelling)} = ANY(:statuses)"]
    params: dict[str, Any] = {"statuses": list(f.statuses)}
    if travelling:
        clauses.append("d.published < :known_at")
        params["known_at"] = known_at_bound(f.known_at)
    simple = (
        (f.metric_id, "c.metric_id = :metric_id", "metric_id"),
        (f.claimant_id, "c.claimant_id = :claimant_id", "claimant_id"),
        (f.document_id, "c.document_id = :document_id", "document_id"),
        (f.outlet, "fd_norm(d.outlet) = fd_norm(:outlet)", "outlet"),
        (f.location, "fd_norm(c.location) = fd_norm(:location)", "location"),
        (f.group, "fd_norm(c.group_name) = fd_norm(:group)", "group"),
        (f.since, "c.as_of >= :since", "since"),
        (f.until, "c.as_of <= :until", "until"),
        (f.min_confidence, "c.confidence >= :min_confidence", "min_confidence"),
    )
    for value, clause, name in simple:
        if value is not None:
            clauses.append(clause)
            params[name] = value
    if f.q:
        # ILIKE with the pattern characters escaped: q is literal text, found by the trigram index.
        escaped = f.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append("c.quote ILIKE :q_pattern")
        params["q_pattern"] = f"%{escaped}%"
    return clauses, params


def to_number(v: Decimal | None) -> float | int | None:
    if v is None:
        return None
    return int(v) if v == v.to_integral_value() else float(v)


def row_to_claim(r: Any) -> Claim:
    value = None
    if r.qualifier is not None:
        value = FigureValue(qualifier=r.qualifier, text=r.value_text, low=to_number(r.value_low), high=to_number(r.value_high))
    return Claim(
        id=r.id,
        metric=r.metric,
        value=value,
        group=r.group_name,
        location=r.location,
        as_of=r.as_of,
        claimant=ActorRef(slug=r.claimant_slug, name=r.claimant_name) if r.claimant_slug else None,
        via=list(r.via),
        citation=Citation(
            document_id=r.document_id,
            outlet=r.outlet,
            title=r.title,
            url=r.url,
            published=r.published,
            quote=r.quote,
            start=r.start_offset,
            end=r.end_offset,
            prefix=r.prefix,
            suffix=r.suffix,
        ),
        confidence=r.confidence,
        confidence_factors=[ConfidenceFactor(name=f["name"], effect=f["effect"]) for f in r.confidence_factors]
        if r.confidence_factors is not None
        else None,
        corroboration=corroboration(r),
        origin=r.origin,
        status=r.status,
    )


def corroboration(r: Any) -> Corroboration | None:
    """Counts for a figure (zeros when none of its kind is visible); None for a statement."""
    if r.qualifier is None:
        return None
    if r.corr_documents is None:
        return Corroboration(documents=0, claimants=0, unattributed=0)
    return Corroboration(documents=r.corr_documents, claimants=r.corr_claimants, unattributed=r.corr_unattributed)


async def list_claims(
    conn: AsyncConnection,
    filters: ClaimFilters,
    *,
    limit: int,
    cursor: str | None,
    order: Literal["id", "newest"] = "id",
) -> tuple[list[Claim], str | None]:
    """One page of claims and the cursor of the next page (None on the last page)."""
    clauses, params = _where(filters)
    if order == "id":
        after = pagination.decode_id(cursor)
        if after is not None:
            clauses.append("c.id > :after_id")
            params["after_id"] = after
        order_by = "c.id"
    else:
        position = pagination.decode_dated(cursor)
        if position is not None:
            clauses.append("(c.sort_date, c.id) < (:after_date, :after_id)")
            params["after_date"], params["after_id"] = position
        order_by = "c.sort_date DESC, c.id DESC"
    params["limit"] = limit + 1
    sql = f"{select_sql(filters.known_at is not None)} WHERE {' AND '.join(clauses)} ORDER BY {order_by} LIMIT :limit"
    rows = (await conn.execute(text(sql), params)).all()
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = pagination.encode_id(last.id) if order == "id" else pagination.encode_dated(last.sort_date, last.id)
        rows = rows[:limit]
    return [row_to_claim(r) for r in rows], next_cursor


async def get_claim(conn: AsyncConnection, claim_id: int) -> Claim | None:
    found = await get_claim_versioned(conn, claim_id)
    return found[0] if found else None


async def get_claim_versioned(conn: AsyncConnection, claim_id: int) -> tuple[Claim, int] | None:
    """A claim and its version (the review counter its ETag is made of)."""
    row = (await conn.execute(text(f"{_SELECT} WHERE c.id = :id"), {"id": claim_id})).first()
    return (row_to_claim(row), row.version) if row else None


async def get_claims(conn: AsyncConnection, claim_ids: list[int]) -> list[Claim]:
    """Claims by id, in the order given."""
    if not claim_ids:
        return []
    rows = (await conn.execute(text(f"{_SELECT} WHERE c.id = ANY(:ids)"), {"ids": claim_ids})).all()
    by_id = {r.id: row_to_claim(r) for r in rows}
    return [by_id[i] for i in claim_ids if i in by_id]
