"""Claim shapes on the wire (responses and the POST body)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec

from service.actors.schemas import ActorRef
from service.events.ref import EventRef
from service.params import VISIBLE_TEXT

Qualifier = Literal["exact", "approximately", "at_least", "more_than", "nearly", "at_most", "less_than", "vague"]
Status = Literal["unreviewed", "accepted", "retracted", "superseded"]
VISIBLE_STATUSES: tuple[Status, ...] = ("unreviewed", "accepted")

# Ids stay within JSON's exactly representable integers (2^53 - 1), which every client can parse.
MAX_ID = 2**53 - 1
# Figures are counts of people, aircraft, buildings: bounded so that any accepted value is storable.
MAX_FIGURE = 1e15


class FigureValue(msgspec.Struct, kw_only=True):
    """An interval plus the words that produced it: "more than 3,000" is low 3000, no high,
    qualifier more_than. At least one bound is set and low <= high."""

    low: float | None = None
    high: float | None = None
    qualifier: Qualifier
    text: str


class Citation(msgspec.Struct, kw_only=True):
    """Where the quote stands: ``document.text[start:end] == quote``. ``prefix`` and ``suffix``
    are the characters either side (as in a W3C TextQuoteSelector), to find the quote in
    another copy of the article."""

    document_id: int
    outlet: str
    title: str
    url: str | None = None
    published: dt.date
    quote: str
    start: int
    end: int
    prefix: str
    suffix: str


class Corroboration(msgspec.Struct, kw_only=True):
    """How widely the same figure (metric and bounds) is reported among visible claims:
    ``documents`` that carry it, distinct named ``claimants`` behind it (two outlets relaying
    the Interior Ministry are one claimant), and claims of it with no named source."""

    documents: int
    claimants: int
    unattributed: int


class ConfidenceFactor(msgspec.Struct, kw_only=True):
    """One reason for a claim's confidence and its signed effect."""

    name: str
    effect: float


class Claim(msgspec.Struct, kw_only=True):
    """One attributed assertion in one document. A figure has a metric and a value; a
    statement has neither."""

    id: int
    event: EventRef | None = None
    metric: str | None = None
    value: FigureValue | None = None
    group: str | None = None
    location: str | None = None
    as_of: dt.date | None = None
    claimant: ActorRef | None = None
    via: list[str]
    citation: Citation
    confidence: float
    confidence_factors: list[ConfidenceFactor] | None = None
    corroboration: Corroboration | None = None
    origin: str
    status: Status


class ClaimPage(msgspec.Struct):
    """A page of claims; pass ``next_cursor`` as ``cursor`` for the next one (null: last page)."""

    items: list[Claim]
    next_cursor: str | None = None
    note: str | None = None  # present when the filters cannot match anything, saying why


# A name or label: some visible character, and no NUL (PostgreSQL text cannot hold one).
ShortText = Annotated[str, msgspec.Meta(min_length=1, max_length=300, pattern=VISIBLE_TEXT)]


class FigureValueIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A figure's value as posted; ``text`` must occur in the quote."""

    low: Annotated[float, msgspec.Meta(ge=-MAX_FIGURE, le=MAX_FIGURE)] | None = None
    high: Annotated[float, msgspec.Meta(ge=-MAX_FIGURE, le=MAX_FIGURE)] | None = None
    qualifier: Qualifier
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class ClaimCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A curated claim. The server finds the quote in the document (``start`` picks one
    occurrence when it appears more than once). ``claimant`` and ``via`` are actor names, slugs
    or aliases; an unknown claimant becomes a new actor. ``confidence`` defaults to 0.5.
    ``event`` (slug, name or alias) defaults to the document's main event."""

    document_id: Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]
    quote: Annotated[str, msgspec.Meta(min_length=1, max_length=10_000)]
    start: Annotated[int, msgspec.Meta(ge=0, le=2**31 - 1)] | None = None
    metric: ShortText | None = None
    value: FigureValueIn | None = None
    group: ShortText | None = None
    location: ShortText | None = None
    as_of: dt.date | None = None
    claimant: ShortText | None = None
    via: Annotated[list[ShortText], msgspec.Meta(max_length=10)] = []
    confidence: Annotated[float, msgspec.Meta(ge=0, le=1)] = 0.5
    event: ShortText | None = None  # slug, name or alias; default: the document's main event
