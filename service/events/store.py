"""Writing events: assignment on ingest, the seed event, and the backfill of a migration.

The steps are written once, as generators that yield SQL statements and receive their
results ("sans I/O"); ``run_async`` drives them on the service's async connections and
``run_sync`` on a migration's synchronous one, so ingest and the migration assign alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator
from typing import Any, Literal, NamedTuple

import msgspec
from sqlalchemy import text

from service.events.assign import THRESHOLD, Decision, EventState, Evidence, decide, merged_state, new_event
from service.events.features import Features, Kind, features, load_kinds


class Step(NamedTuple):
    sql: Any
    params: dict[str, Any]
    shape: Literal["all", "scalar", "scalars", "none"] = "none"


Steps = Generator[Step, Any, Any]


def _shape(result: Any, shape: str) -> Any:
    if shape == "all":
        return result.all()
    if shape == "scalar":
        return result.scalar()
    if shape == "scalars":
        return list(result.scalars().all())
    return None


async def run_async(conn: Any, steps: Steps) -> Any:
    try:
        step = next(steps)
        while True:
            step = steps.send(_shape(await conn.execute(step.sql, step.params), step.shape))
    except StopIteration as stop:
        return stop.value


def run_sync(conn: Any, steps: Steps) -> Any:
    try:
        step = next(steps)
        while True:
            step = steps.send(_shape(conn.execute(step.sql, step.params), step.shape))
    except StopIteration as stop:
        return stop.value


_CANDIDATES = text(
    """
    SELECT e.id, e.slug, e.name, e.kind, e.countries, e.match_places, e.match_names, e.onset, e.onset_known,
           min(d.published) AS first, max(d.published) AS last
    FROM events e JOIN document_events de ON de.event_id = e.id JOIN documents d ON d.id = de.document_id
    WHERE e.merged_into IS NULL AND (e.countries && CAST(:countries AS text[]) OR e.match_places && CAST(:places AS text[]))
    GROUP BY e.id
    HAVING max(d.published) >= CAST(:published AS date) - 130 AND min(d.published) <= CAST(:published AS date) + 40
    """
)
_TAKEN = text("SELECT slug FROM events WHERE slug = :slug OR slug LIKE :slug || '-%'")
_INSERT_EVENT = text(
    """
    INSERT INTO events (slug, name, kind, countries, places, match_places, match_names, onset, onset_known, api_key_id)
    VALUES (:slug, :name, :kind, :countries, :places, :match_places, :match_names, :onset, :onset_known, :key)
    RETURNING id
    """
)
_INSERT_NAME = text(
    "INSERT INTO event_names (event_id, name, is_alias) VALUES (:id, :name, :alias) ON CONFLICT (event_id, norm) DO NOTHING"
)
_UPDATE_STATE = text(
    """
    UPDATE events SET countries = :countries, match_places = :match_places, match_names = :match_names, onset = :onset,
           onset_known = :onset_known
    WHERE id = :id
    """
)
_ATTACH = text(
    """
    INSERT INTO document_events (document_id, event_id, is_main, confidence, evidence)
    VALUES (:doc, :event, :main, :confidence, CAST(:evidence AS json))
    ON CONFLICT DO NOTHING
    """
)
_HISTORY = text(
    """
    INSERT INTO event_history (action, document_id, claim_id, from_event_id, to_event_id, reason, api_key_id)
    VALUES (:action, :doc, :claim, :from_event, :to_event, :reason, :key)
    """
)


class Assigned(msgspec.Struct, kw_only=True):
    """The outcome of an assignment, as the ingest answer reports it."""

    event_id: int
    slug: str
    name: str
    created: bool
    confidence: float
    evidence: Evidence
    also: list[tuple[int, str, str, float, Evidence]] = []


def _state(r: Any) -> EventState:
    return EventState(
        id=int(r.id), slug=r.slug, name=r.name, kind=r.kind, countries=list(r.countries), places=list(r.match_places),
        names=list(r.match_names), onset=r.onset, onset_known=r.onset_known, first=r.first, last=r.last,
    )


def _unique(slug: str, taken: list[str]) -> str:
    if slug not in taken:
        return slug
    n = 2
    while f"{slug}-{n}" in taken:
        n += 1
    return f"{slug}-{n}"


def _evidence_json(e: Evidence) -> str:
    return msgspec.json.encode(e).decode()


def create_event_steps(
    *, slug: str, name: str, kind: str, countries: list[str], places: list[str], match_places: list[str],
    match_names: list[str], onset: dt.date, aliases: list[str], api_key_id: int | None, onset_known: bool = True,
) -> Steps:
    """A new event (its slug made unique) with its name and slug as names; returns (id, slug)."""
    taken = yield Step(_TAKEN, {"slug": slug}, "scalars")
    slug = _unique(slug, taken)
    event_id = yield Step(_INSERT_EVENT, {
        "slug": slug, "name": name, "kind": kind, "countries": countries, "places": places,
        "match_places": match_places, "match_names": match_names, "onset": onset, "onset_known": onset_known, "key": api_key_id,
    }, "scalar")
    for n, alias in [(name, False), (slug, False), *((a, True) for a in aliases)]:
        yield Step(_INSERT_NAME, {"id": event_id, "name": n[:300], "alias": alias})
    return int(event_id), slug


def assign_steps(
    document_id: int, title: str, body: str, published: dt.date, kinds: list[Kind], *, api_key_id: int | None,
    found: Features | None = None,
) -> Steps:
    """Put a stored document into its events: the best existing match, or a new event.
    ``found``: the article's features when the caller computed them already (off the event loop)."""
    f = found if found is not None else features(title, body, published, kinds)
    rows = yield Step(_CANDIDATES, {"countries": list(f.countries), "places": f.places, "published": published}, "all")
    decision: Decision = decide(f, [_state(r) for r in rows], kinds)
    return (yield from _apply(document_id, title, f, decision, kinds, api_key_id))


def _apply(document_id: int, title: str, f: Features, decision: Decision, kinds: list[Kind], api_key_id: int | None) -> Steps:
    if decision.main is None:
        slug, name, places = new_event(f, kinds, title)
        event_id, slug = yield from create_event_steps(
            slug=slug, name=name, kind=f.kind, countries=list(f.countries), places=places, match_places=f.places,
            match_names=f.names, onset=f.onset, aliases=[], api_key_id=api_key_id, onset_known=f.onset_explicit,
        )
        nearest = decision.nearest
        if nearest is not None:
            why = nearest.evidence.rejected or f"it scored {nearest.evidence.score}, under {THRESHOLD}"
            evidence = Evidence(score=round(1 - nearest.evidence.score, 2), nearest=nearest.event.slug,
                                reason=f"a new event: the nearest, {nearest.event.slug}, was turned down ({why})")
        else:
            evidence = Evidence(score=1.0, reason="a new event: no event in the desk shares its countries and days")
        result = Assigned(event_id=event_id, slug=slug, name=name, created=True, confidence=evidence.score, evidence=evidence)
        reason = evidence.reason or "a new event"
    else:
        e = decision.main.event
        s = merged_state(e, f)
        yield Step(_UPDATE_STATE, {"id": e.id, "countries": s.countries, "match_places": s.places,
                                   "match_names": s.names, "onset": s.onset, "onset_known": s.onset_known})
        ev = decision.main.evidence
        result = Assigned(event_id=e.id, slug=e.slug, name=e.name, created=False, confidence=ev.score, evidence=ev)
        reason = f"assigned on ingest (score {ev.score})"
    yield Step(_ATTACH, {"doc": document_id, "event": result.event_id, "main": True, "confidence": result.confidence,
                         "evidence": _evidence_json(result.evidence)})
    yield Step(_HISTORY, {"action": "assigned", "doc": document_id, "claim": None, "from_event": None,
                          "to_event": result.event_id, "reason": reason, "key": api_key_id})
    for m in decision.also:
        yield Step(_ATTACH, {"doc": document_id, "event": m.event.id, "main": False, "confidence": m.evidence.score,
                             "evidence": _evidence_json(m.evidence)})
        result.also.append((m.event.id, m.event.slug, m.event.name, m.evidence.score, m.evidence))
    return result


# -- the seed event and the migration's backfill -------------------------------------------------

class SeedEvent(msgspec.Struct, forbid_unknown_fields=True):
    slug: str
    name: str
    kind: str
    onset: dt.date
    countries: list[str] = []
    places: list[str] = []
    aliases: list[str] = []
    documents: list[str] = []


_EVENT_BY_SLUG = text("SELECT id FROM events WHERE slug = :slug")


def seed_event_steps(e: SeedEvent, document_ids: list[int]) -> Steps:
    """The curated event and its documents (idempotent: an existing slug is reused)."""
    from service.events.gazetteer import fold

    event_id = yield Step(_EVENT_BY_SLUG, {"slug": e.slug}, "scalar")
    if event_id is None:
        event_id, _ = yield from create_event_steps(
            slug=e.slug, name=e.name, kind=e.kind, countries=e.countries, places=e.places,
            match_places=[fold(p) for p in e.places], match_names=[], onset=e.onset, aliases=e.aliases, api_key_id=None,
        )
    for doc in document_ids:
        yield Step(_ATTACH, {"doc": doc, "event": event_id, "main": True, "confidence": 1.0,
                             "evidence": _evidence_json(Evidence(score=1.0, reason="curated: seeds/events.json"))})
    return int(event_id)


_UNASSIGNED = text(
    """
    SELECT d.id, d.title, d.text, d.published, d.content_hash FROM documents d
    WHERE NOT EXISTS (SELECT 1 FROM document_events de WHERE de.document_id = d.id)
    ORDER BY d.published, d.id
    """
)


def backfill_steps(seed_events: list[tuple[SeedEvent, list[bytes]]], kinds: list[Kind]) -> Steps:
    """Every document with no event: the seed ones (by content hash) into their seed event,
    the others assigned as on ingest, oldest first."""
    rows = yield Step(_UNASSIGNED, {}, "all")
    by_hash = {bytes(r.content_hash): int(r.id) for r in rows}
    seeded: set[int] = set()
    for e, hashes in seed_events:
        ids = [by_hash[h] for h in hashes if h in by_hash]
        if ids:
            yield from seed_event_steps(e, ids)
            seeded.update(ids)
    for r in rows:
        if int(r.id) not in seeded:
            yield from assign_steps(int(r.id), r.title, r.text, r.published, kinds, api_key_id=None)


_KINDS: list[Kind] | None = None


def kinds() -> list[Kind]:
    global _KINDS
    if _KINDS is None:
        _KINDS = load_kinds()
    return _KINDS
