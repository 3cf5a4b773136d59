"""Reviewing a claim: confirm (accepted), retract or supersede, with a reason. The claim's
content never changes; its status does, a row is appended to its history, and its version
(the ETag) goes up. Optimistic concurrency: the caller must name the version it saw."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from service.claims.schemas import MAX_ID, Status
from service.errors import NotFound, ProblemError, Unprocessable
from service.params import VISIBLE_TEXT


class PreconditionRequired(ProblemError):
    status, title = 428, "Precondition Required"


class Forbidden(ProblemError):
    status, title = 403, "Forbidden"


class PreconditionFailed(ProblemError):
    status, title = 412, "Precondition Failed"


class ClaimReview(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A review decision. ``superseded_by`` (the claim that replaces this one) is required
    with ``superseded`` and not allowed otherwise."""

    status: Literal["accepted", "retracted", "superseded"]
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=VISIBLE_TEXT)]
    superseded_by: Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)] | None = None


class ReviewEvent(msgspec.Struct, kw_only=True):
    """One entry of a claim's history (oldest first). ``key`` names the API key that made it
    (null for seeds and the first, automatic entry of extracted claims)."""

    status: Status
    reason: str
    superseded_by: int | None = None
    key: str | None = None
    at: dt.datetime


class ClaimHistory(msgspec.Struct):
    claim_id: int
    items: list[ReviewEvent]


def etag(claim_id: int, version: int) -> str:
    return f'"claim-{claim_id}-v{version}"'


def _matches(if_match: str, current: str) -> bool:
    """The caller names the version it saw. ``*`` ("any version") is not enough: a review must
    never overwrite one its author has not seen."""
    candidates = [c.strip() for c in if_match.split(",")]
    return current in candidates or f"W/{current}" in candidates


async def review_claim(
    conn: AsyncConnection, claim_id: int, review: ClaimReview, *, if_match: str | None, api_key_id: int | None
) -> int:
    """Apply ``review`` inside the caller's transaction; returns the new version."""
    row = (
        await conn.execute(
            text(
                """
                SELECT c.version, c.origin, c.api_key_id IS NOT DISTINCT FROM CAST(:key AS bigint) AS own,
                       coalesce((SELECT k.curator FROM api_keys k WHERE k.id = :key), false) AS curator
                FROM claims c WHERE c.id = :id FOR UPDATE OF c
                """
            ),
            {"id": claim_id, "key": api_key_id},
        )
    ).first()
    if row is None:
        raise NotFound(f"no claim has id {claim_id}")
    if review.status in ("retracted", "superseded") and row.origin == "curated" and not (row.own or row.curator):
        raise Forbidden(
            f"claim {claim_id} is curated: only a curator's key (factdesk keys create NAME --curator) or the key "
            "that wrote it may retract or supersede it"
        )
    current = etag(claim_id, row.version)
    if not if_match:
        raise PreconditionRequired(
            f"send If-Match: {current} (the ETag of GET /claims/{claim_id}) so that a review never overwrites one you have not seen"
        )
    if not _matches(if_match, current):
        raise PreconditionFailed(f"claim {claim_id} changed since you read it: its ETag is now {current}; read it again")
    if review.status == "superseded":
        if review.superseded_by is None:
            raise Unprocessable("superseded_by", "name the claim that supersedes this one")
        if review.superseded_by == claim_id:
            raise Unprocessable("superseded_by", "a claim cannot supersede itself")
        successor = (
            await conn.execute(
                text(
                    """
                    SELECT s.status, s.metric_id IS NOT DISTINCT FROM c.metric_id AS same_metric,
                           s.event_id IS NOT DISTINCT FROM c.event_id AS same_event,
                           EXISTS (  -- does the successor's own chain of successors lead back here?
                             WITH RECURSIVE chain(id) AS (
                               SELECT s.superseded_by UNION
                               SELECT x.superseded_by FROM claims x JOIN chain ON x.id = chain.id WHERE x.superseded_by IS NOT NULL)
                             SELECT 1 FROM chain WHERE chain.id = c.id) AS cycle
                    FROM claims s, claims c WHERE s.id = :successor AND c.id = :id
                    """
                ),
                {"successor": review.superseded_by, "id": claim_id},
            )
        ).first()
        if successor is None:
            raise Unprocessable("superseded_by", f"no claim has id {review.superseded_by}")
        if not successor.same_metric:
            raise Unprocessable("superseded_by", f"claim {review.superseded_by} counts another metric: a figure is superseded by a figure of the same metric")
        if not successor.same_event:
            raise Unprocessable("superseded_by", f"claim {review.superseded_by} is about another event")
        if successor.cycle:
            raise Unprocessable("superseded_by", f"claim {review.superseded_by} is itself superseded, through its successors, by claim {claim_id}: that would leave no live claim")
        if successor.status in ("retracted", "superseded"):
            raise Unprocessable("superseded_by", f"claim {review.superseded_by} is {successor.status}: name the claim that stands now")
    elif review.superseded_by is not None:
        raise Unprocessable("superseded_by", "only a superseded claim names its successor")

    new_version = (
        await conn.execute(
            text(
                """
                UPDATE claims SET status = :status, superseded_by = :superseded_by,
                       version = version + 1, updated_at = now()
                WHERE id = :id RETURNING version
                """
            ),
            {"id": claim_id, "status": review.status, "superseded_by": review.superseded_by},
        )
    ).scalar_one()
    await conn.execute(
        text(
            """
            INSERT INTO claim_reviews (claim_id, status, reason, superseded_by, api_key_id)
            VALUES (:id, :status, :reason, :superseded_by, :key)
            """
        ),
        {"id": claim_id, "status": review.status, "reason": review.reason.strip(), "superseded_by": review.superseded_by, "key": api_key_id},
    )
    return int(new_version)


async def claim_history(conn: AsyncConnection, claim_id: int) -> ClaimHistory | None:
    exists = (await conn.execute(text("SELECT 1 FROM claims WHERE id = :id"), {"id": claim_id})).first()
    if exists is None:
        return None
    rows = (
        await conn.execute(
            text(
                """
                SELECT r.status, r.reason, r.superseded_by, k.name AS key, r.created_at
                FROM claim_reviews r LEFT JOIN api_keys k ON k.id = r.api_key_id
                WHERE r.claim_id = :id ORDER BY r.id
                """
            ),
            {"id": claim_id},
        )
    ).all()
    return ClaimHistory(
        claim_id=claim_id,
        items=[ReviewEvent(status=r.status, reason=r.reason, superseded_by=r.superseded_by, key=r.key, at=r.created_at) for r in rows],
    )
