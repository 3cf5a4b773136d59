"""Adding a claim: the one write path shared by ``POST /claims``, the seed loader and (later)
the extractor. The caller owns the transaction; everything here either all lands or not at all.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

import msgspec
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from service.actors.queries import find_actor_for_write
from service.claims.schemas import ClaimCreate, Status
from service.errors import Unprocessable
from service.metrics.queries import resolve_metric_for_write


def _locate_quote(doc_text: str, quote: str, start: int | None, document_id: int) -> int:
    if start is not None:
        if doc_text[start : start + len(quote)] != quote:
            found = doc_text.find(quote)
            hint = f"; it does occur at start={found}" if found >= 0 else ""
            raise Unprocessable("start", f"the quote does not stand at offset {start} of document {document_id}{hint}")
        return start
    found = doc_text.find(quote)
    if found < 0:
        squashed = " ".join(quote.split())
        hint = ""
        if squashed.lower() in " ".join(doc_text.split()).lower():
            hint = " (it matches only if case or white space is changed: copy it exactly)"
        raise Unprocessable("quote", f"the quote is not verbatim in document {document_id}{hint}")
    return found


def visible(value: str, field: str) -> str:
    """``value`` without surrounding white space; 422 when nothing is left (the schema admits
    Unicode spaces such as U+3000, which Python strips)."""
    stripped = value.strip()
    if not stripped:
        raise Unprocessable(field, "must contain a visible character")
    return stripped


_NAMED_IN = text(
    """
    SELECT EXISTS (
      SELECT 1 FROM actor_names n, documents d
      WHERE n.actor_id = :actor AND d.id = :doc AND n.norm <> ''
        AND strpos(' ' || fd_norm(d.text) || ' ', ' ' || n.norm || ' ') > 0)
    """
)


async def _named_in(conn: AsyncConnection, actor_id: int, document_id: int) -> bool:
    """Whether the document names the actor by one of its names or aliases (folded, whole words)."""
    return bool((await conn.execute(_NAMED_IN, {"actor": actor_id, "doc": document_id})).scalar())


_SMALL_WORDS = {"one": 1.0, "a single": 1.0, "zero": 0.0, "no": 0.0, "none": 0.0}


def _bound(x: float | None) -> str:
    return "open" if x is None else f"{x:g}"


def _check_value_words(words: str, low: float | None, high: float | None, qualifier: str) -> None:
    """Invariant 7: a figure's numbers are what its words say. ``words`` read by the extractor's
    number reader must give this low, high and qualifier ("more than 3,000" is low 3000, high
    open, more_than): a value of 999999 for the words "night" is refused, not stored."""
    from service.extract.numbers import find_numbers

    readings = [(n.low, n.high, n.qualifier) for n in find_numbers(words)]
    small = _SMALL_WORDS.get(words.strip().lower())
    if not readings and small is not None:
        readings = [(small, small, "exact")]
    if not readings:
        raise Unprocessable("value.text", f"{words!r} states no number: give the words of the figure, e.g. 'more than 3,000'")
    if (low, high, qualifier) in readings:
        return
    lo, hi, q = next(((a, b, c) for a, b, c in readings if (a, b) == (low, high)), readings[0])
    raise Unprocessable(
        "value",
        f"{words!r} reads as low {_bound(lo)}, high {_bound(hi)}, {q}; the value says low {_bound(low)}, "
        f"high {_bound(high)}, {qualifier}",
    )


def _decimal(v: float | None) -> Decimal | None:
    return None if v is None else Decimal(repr(v))


async def create_claim(
    conn: AsyncConnection,
    body: ClaimCreate,
    *,
    origin: str = "curated",
    status: Status = "accepted",
    api_key_id: int | None = None,
    create_actors: bool = True,
    confidence_factors: list[dict[str, object]] | None = None,
    document: tuple[str, object] | None = None,
    claimant_role: str | None = None,
) -> tuple[int, bool]:
    """Store a claim; returns (id, created). The same content posted again returns the
    existing claim's id with created=False, whatever its confidence or origin. Unknown claimant or
    via names become new actors unless ``create_actors`` is off (the seed loader wants typos to fail)."""
    if document is not None:  # the caller has the text and publication date already (ingest)
        doc_text, published = document
    else:
        doc = (
            await conn.execute(text("SELECT text, published FROM documents WHERE id = :id"), {"id": body.document_id})
        ).first()
        if doc is None:
            raise Unprocessable("document_id", f"no document has id {body.document_id}")
        doc_text, published = doc.text, doc.published
    start = _locate_quote(doc_text, body.quote, body.start, body.document_id)
    end = start + len(body.quote)

    if (body.metric is None) != (body.value is None):
        missing = "value" if body.value is None else "metric"
        raise Unprocessable(missing, "a figure needs both metric and value; a statement has neither")
    metric_id = None
    low = high = None
    if body.metric is not None and body.value is not None:
        metric_id, _ = await resolve_metric_for_write(conn, body.metric)
        low, high = body.value.low, body.value.high
        if low is None and high is None:
            raise Unprocessable("value", "give low, high or both")
        if low is not None and high is not None and low > high:
            raise Unprocessable("value", f"low ({low:g}) is greater than high ({high:g})")
        if body.value.text not in body.quote:
            raise Unprocessable("value.text", f"{body.value.text!r} does not occur in the quote")
        if origin == "curated":
            _check_value_words(body.value.text, low, high, body.value.qualifier)

    claimant_id = None
    if body.claimant is not None:
        claimant_id = await find_actor_for_write(
            conn, visible(body.claimant, "claimant"), "claimant", create=create_actors, role=claimant_role
        )
    via_ids = [await find_actor_for_write(conn, visible(name, "via"), "via", create=create_actors) for name in body.via]

    event_id = None
    if body.event is not None:
        from service.events.queries import resolve_event_for_write

        event_id, _ = await resolve_event_for_write(conn, visible(body.event, "event"))
    group = visible(body.group, "group") if body.group is not None else None
    location = visible(body.location, "location") if body.location is not None else None
    if origin == "curated" and api_key_id is not None:  # a person's write through the API
        for field, actor_id, given in [("claimant", claimant_id, body.claimant), *(("via", v, n) for v, n in zip(via_ids, body.via))]:
            if actor_id is not None and not await _named_in(conn, actor_id, body.document_id):
                raise Unprocessable(
                    field,
                    f"{given!r} is named nowhere in document {body.document_id} (by any of its names): "
                    "a claim's source is who the article says said it",
                )
    qualifier = body.value.qualifier if body.value else None
    value_text = body.value.text if body.value else None
    content_key = hashlib.sha256(
        msgspec.json.encode(
            [body.document_id, start, end, metric_id, low, high, qualifier, value_text, group, location,
             body.as_of, claimant_id, via_ids]
        )
    ).digest()

    row = (
        await conn.execute(
            text(
                """
                INSERT INTO claims (document_id, start_offset, end_offset, quote, metric_id, value_low,
                    value_high, qualifier, value_text, group_name, location, as_of, claimant_id,
                    confidence, origin, status, sort_date, content_key, api_key_id, confidence_factors,
                    via_names, event_id)
                VALUES (:document_id, :start, :end, :quote, :metric_id, :low, :high, :qualifier,
                    :value_text, :group, :location, :as_of, :claimant_id, :confidence, :origin,
                    :status, :sort_date, :content_key, :api_key_id, CAST(:factors AS jsonb),
                    -- the chain's names, kept on the claim for its readers (migration 0011)
                    ARRAY(SELECT a.name FROM unnest(CAST(:via_ids AS bigint[])) WITH ORDINALITY v (id, position)
                          JOIN actors a ON a.id = v.id ORDER BY v.position),
                    :event_id)  -- NULL: the document's main event (trigger claims_default_event)
                ON CONFLICT (content_key) DO NOTHING
                RETURNING id
                """
            ),
            {
                "document_id": body.document_id,
                "start": start,
                "end": end,
                "quote": body.quote,
                "metric_id": metric_id,
                "low": _decimal(low),
                "high": _decimal(high),
                "qualifier": qualifier,
                "value_text": value_text,
                "group": group,
                "location": location,
                "as_of": body.as_of,
                "claimant_id": claimant_id,
                "confidence": body.confidence,
                "origin": origin,
                "status": status,
                "sort_date": body.as_of or published,
                "factors": msgspec.json.encode(confidence_factors).decode() if confidence_factors is not None else None,
                "content_key": content_key,
                "api_key_id": api_key_id,
                "via_ids": via_ids,
                "event_id": event_id,
            },
        )
    ).first()
    if row is None:
        existing = (
            await conn.execute(text("SELECT id FROM claims WHERE content_key = :k"), {"k": content_key})
        ).one()
        return int(existing.id), False
    claim_id = int(row.id)
    if via_ids:
        await conn.execute(
            text("INSERT INTO claim_via (claim_id, position, actor_id) VALUES (:claim_id, :position, :actor_id)"),
            [{"claim_id": claim_id, "position": i, "actor_id": a} for i, a in enumerate(via_ids)],
        )
    return claim_id, True
