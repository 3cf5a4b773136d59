"""The public data shapes of the extractor (re-exported by ``service.extract``)."""

from __future__ import annotations

import datetime

import msgspec


class MetricTerms(msgspec.Struct):
    """One metric and the words reporters use for it (from ``metrics`` + ``metric_synonyms``)."""

    slug: str
    synonyms: list[str]  # lowercase words/phrases; the slug itself may be included


class ActorNames(msgspec.Struct):
    """One actor and every name it goes by (from ``actors`` + ``actor_names``)."""

    slug: str
    names: list[str]  # canonical name, slug and every alias
    kind: str = "other"  # person|government|organisation|media|country|other


class Vocabulary(msgspec.Struct):
    metrics: list[MetricTerms]
    actors: list[ActorNames]


class ExtractedValue(msgspec.Struct):
    """An interval plus the words that produced it (same qualifiers as the curated seeds)."""

    low: float | None
    high: float | None
    qualifier: str
    text: str


class ConfidenceFactor(msgspec.Struct):
    """One documented reason for a confidence, with its signed contribution."""

    name: str
    effect: float


class ExtractedClaim(msgspec.Struct):
    """A figure (metric + value) or a statement (neither) found in a text.

    ``text[start:end] == quote`` always holds. ``claimant`` and ``via`` are actor slugs when the
    name matched the vocabulary, else the name as written (the API creates the actor)."""

    start: int
    end: int
    quote: str
    metric: str | None
    value: ExtractedValue | None
    group: str | None
    location: str | None
    as_of: datetime.date | None
    claimant: str | None
    via: list[str]
    confidence: float
    confidence_factors: list[ConfidenceFactor]
    # the title written before a claimant first named here ("Public Defender" for "Public
    # Defender Levan Ioseliani"): for the actor's role when the write path creates it
    claimant_role: str | None = None
