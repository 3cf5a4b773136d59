"""Event shapes on the wire."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec

from service.events.ref import EventRef  # noqa: F401 - re-exported
from service.metrics.schemas import MetricSummary
from service.params import VISIBLE_TEXT


class Event(msgspec.Struct, kw_only=True):
    """A happening the desk follows. ``first``/``last`` are the first and last publication
    dates of its documents; ``onset`` the day it began as its articles tell it. A merged event
    names the event it went into (``merged_into``) and holds nothing itself."""

    slug: str
    name: str
    kind: str
    countries: list[str]  # ISO 3166-1 alpha-2
    places: list[str]
    aliases: list[str]
    onset: dt.date
    first: dt.date | None = None
    last: dt.date | None = None
    documents: int
    claims: int
    figures: int
    claimants: int
    merged_into: EventRef | None = None


class EventPage(msgspec.Struct):
    """Events, the latest to begin first; pass ``next_cursor`` as ``cursor`` for more."""

    items: list[Event]
    next_cursor: str | None = None


class Assignment(msgspec.Struct, kw_only=True):
    """Why a document is in an event: the shared evidence and how sure (0..1)."""

    event: EventRef
    main: bool
    created: bool = False  # the event was made for this document
    confidence: float
    evidence: dict  # score, kind, countries, places, names, days_apart; or why no event matched


Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=VISIBLE_TEXT)]
EventName = Annotated[str, msgspec.Meta(min_length=1, max_length=300, pattern=VISIBLE_TEXT)]


class DocumentMove(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Put a document in this event, with a reason. ``role`` "main" (default): as its main event,
    with the claims that followed its old main event; "also": beside its main event."""

    document_id: Annotated[int, msgspec.Meta(ge=1, le=2**53 - 1)]
    reason: Reason
    role: Literal["main", "also"] = "main"


class ClaimMove(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Put one claim in this event, with a reason."""

    claim_id: Annotated[int, msgspec.Meta(ge=1, le=2**53 - 1)]
    reason: Reason


class EventMerge(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Merge the event named ``event`` (slug, name or alias) into this one, with a reason: its
    documents, claims and names come here; it stays, pointing at this event."""

    event: EventName
    reason: Reason


class HistoryEntry(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One assignment, move or merge; ``document_id``/``claim_id``/``from_event`` are left out
    when the entry has none."""

    action: str  # assigned | moved_document | moved_claim | merged
    document_id: int | None = None
    claim_id: int | None = None
    from_event: str | None = None
    to_event: str
    reason: str
    at: dt.datetime


class EventHistory(msgspec.Struct):
    items: list[HistoryEntry]


class EventDetail(msgspec.Struct, kw_only=True):
    """An event and, per metric reported in it, the disagreement at a glance for this event
    only (the shape of ``/metrics/{slug}?event=``), the most reported metric first."""

    event: Event
    metrics: list[MetricSummary]
