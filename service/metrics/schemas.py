"""Metric shapes on the wire."""

from __future__ import annotations

import datetime as dt

import msgspec

from service.actors.schemas import ActorRef
from service.claims.schemas import Corroboration, FigureValue
from service.events.ref import EventRef


class Metric(msgspec.Struct, kw_only=True):
    """A metric of the vocabulary with how many visible figures, claimants and documents it has.
    ``low``/``high`` span every figure's bounds."""

    slug: str
    label: str
    unit: str
    description: str | None = None
    synonyms: list[str]
    claims: int
    claimants: int
    documents: int
    events: int = 0
    low: float | None = None  # null when the figures belong to more than one event
    high: float | None = None


class MetricList(msgspec.Struct, kw_only=True):
    items: list[Metric]


class Figure(msgspec.Struct, kw_only=True):
    """One figure, short: enough to line it up against the others."""

    claim_id: int
    value: FigureValue
    group: str | None = None
    location: str | None = None
    as_of: dt.date | None = None
    claimant: ActorRef | None = None
    document_id: int
    outlet: str
    published: dt.date
    corroboration: Corroboration


class EventSpan(msgspec.Struct, kw_only=True):
    """A metric's figures in one event: how many, from how many claimants and documents, and
    their range. ``event`` is null for figures no event holds."""

    event: EventRef | None = None
    claims: int
    claimants: int
    documents: int
    low: float | None = None
    high: float | None = None


class Scope(msgspec.Struct, kw_only=True):
    """Figures that count the same group in the same place, their range, and each claimant's
    latest figure for it (by as_of, then publication date; the 10 most recent claimants —
    ``claimants`` counts them all). A summary lists the 20 largest scopes. Scopes of different
    events are never pooled: ``event`` names the one this scope is in."""

    event: EventRef | None = None
    group: str | None = None
    location: str | None = None
    claims: int
    claimants: int
    low: float | None = None
    high: float | None = None
    latest_by_claimant: list[Figure]


class TimelineDay(msgspec.Struct, kw_only=True):
    """Figures of one event describing one day (of the 20 events with the most figures, when
    no event is named) (``as_of``; null when no article says which day): ``claims``,
    ``low`` and ``high`` cover all of them (null when a figure leaves that end open: "more than
    3,000" gives no high), ``figures`` lists up to 10
    (the first ids of the day; /claims?metric=…&since=…&until=… lists them all), in one event."""

    event: EventRef | None = None
    as_of: dt.date | None = None
    claims: int
    low: float | None = None
    high: float | None = None
    figures: list[Figure]


class MetricSummary(msgspec.Struct, kw_only=True):
    """The disagreement at a glance."""

    metric: Metric
    events: list[EventSpan]  # the 20 events with the most figures (metric.events counts them all)
    scopes: list[Scope]
    timeline: list[TimelineDay]
