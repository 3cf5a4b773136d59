"""The claim extractor: figures and attributed statements in English news text.

Pure Python (stdlib + msgspec), no database and no network. The API compiles the vocabulary
once per process (``build_vocabulary``) and calls ``extract`` for each archived document; every
claim it stores records ``origin = "extracted:" + EXTRACTOR_VERSION``.

Modules, one concern each:

    textutil     folding (NFKD + casefold) with offsets, tokens, paragraphs, sentences
    numbers      "1,204", "six", "a thousand", "24-hundred", "18 lakh", "one and a half million",
                 "nearly 5,000", "301 or possibly 302" -> interval + qualifier
    vocabulary   metric terms and actor names from the database, compiled to token-tuple indexes
    figures      which metric a number counts, the group counted
    attribution  claimants and relay chains ("X reports with reference to Y"), back-references
    candidates   candidate mentions in a sentence: names, titles, descriptions, pronouns
    mentions     the parts of a mention: titles, qualifiers, "al-Falih", "UN human rights office"
    fallback     a last look for an unsourced figure's source ("according to X", "X said")
    release      a press release's unsourced figures are its issuer's
    naming       how a claimant is written: slug, name as written, generic body + country
    background   figures about an earlier event ("killed 257 people in 1993") are not stored
    places       place names, the dateline and the main place (never a caption or headline)
    clauses      quotation masks, clause splits, quote trimming
    signals      tallies restated ("it was still 33"), hypotheticals, the story country
    claims       the claim record, the day a figure describes, hedges, duplicates
    dates        as_of from the publication date and relative phrases
    confidence   documented confidence factors
    pipeline     the orchestration

Claimant names (naming.py). A claimant is a vocabulary slug when a name or alias matched, else
the name as written ("Levan Ioseliani"; a title written before a new name is split off into
``claimant_role``: "Public Defender"). A name that names no particular body - a common noun
("police", "officials") or a state institution made only of generic words ("Interior Ministry",
"Health Ministry", "the army") - is qualified with the adjective of the country its sentence
opens with ("In Syria, the Health Ministry ..."), else of the country the article is about (the
country named most often, at least twice or in its lead): "Georgian Interior Ministry", "Kenyan
police". The qualified name is looked up among the actor names, so "Kazakh police" is the seed
actor kazakhstan-police. A generic alias of a vocabulary actor ("Interior Ministry" of the
Kazakh seeds) is used only when the article names that actor's country; an article that names
no country leaves the name as written ("Interior Ministry"), never another country's seed actor.
A body made specific by its own words ("provincial disaster council", "local officials", "the
agency") is kept as written; a local force takes the main place when no country is named
("Tulsa police"); "police in Denver" is "Denver police".
"""

from __future__ import annotations

import datetime
import logging

from .models import (
    ActorNames,
    ConfidenceFactor,
    ExtractedClaim,
    ExtractedValue,
    MetricTerms,
    Vocabulary,
)
from .vocabulary import CompiledVocabulary

__all__ = [
    "EXTRACTOR_VERSION",
    "ActorNames",
    "CompiledVocabulary",
    "ConfidenceFactor",
    "ExtractedClaim",
    "ExtractedValue",
    "MetricTerms",
    "Vocabulary",
    "build_vocabulary",
    "extract",
]

EXTRACTOR_VERSION = "6"  # bump when output changes; origin is "extracted:" + this

log = logging.getLogger("factdesk.extract")


def build_vocabulary(metrics: list[MetricTerms], actors: list[ActorNames]) -> CompiledVocabulary:
    """Compile metric synonyms and actor names once; ``extract`` reuses the result."""
    return CompiledVocabulary(list(metrics or []), list(actors or []))


def extract(text: str, published: datetime.date, vocab: CompiledVocabulary) -> list[ExtractedClaim]:
    """Every figure and attributed statement in ``text``.

    Never raises: on any input it returns a (possibly empty) list of claims whose quotes are
    verbatim at their offsets, whose value text is part of the quote and whose bounds are
    ordered."""
    if not isinstance(text, str) or not text.strip():
        return []
    if isinstance(published, datetime.datetime):
        published = published.date()
    if not isinstance(published, datetime.date):
        return []
    if isinstance(vocab, Vocabulary):
        vocab = build_vocabulary(vocab.metrics, vocab.actors)
    try:
        from .pipeline import extract_claims

        claims = extract_claims(text, published, vocab)
    except RecursionError:  # pragma: no cover - defensive
        log.warning("extractor: recursion limit on a text of %d characters", len(text))
        return []
    except Exception:  # pragma: no cover - defensive: a bug must not fail an ingest
        log.exception("extractor failed on a text of %d characters", len(text))
        return []
    return [c for c in claims if _valid(text, c)]


def _valid(text: str, c: ExtractedClaim) -> bool:
    if not (0 <= c.start < c.end <= len(text)) or text[c.start:c.end] != c.quote:
        return False
    if not c.quote.strip():
        return False
    if not (0.0 <= c.confidence <= 1.0):
        return False
    if c.value is not None:
        v = c.value
        if v.low is None and v.high is None:
            return False
        if v.low is not None and v.high is not None and v.low > v.high:
            return False
        if not v.text or v.text not in c.quote:
            return False
        if c.metric is None:
            return False
    elif c.metric is not None:
        return False
    return True
