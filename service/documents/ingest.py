"""Archiving a document and extracting its claims, in one transaction.

The same text posted twice is one document (its SHA-256 is unique), and the second post adds
nothing: concurrent posts of one text wait on the unique index, then all answer with the one
document and its claims. Extracted claims go through the same write path as curated ones, as
``unreviewed`` with ``origin = extracted:<version>``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import re
import urllib.parse
from typing import Annotated, Any

import msgspec
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from service.claims.schemas import ClaimCreate
from service.claims.write import create_claim, visible
from service.errors import Unprocessable
from service.events.features import features
from service.events.store import assign_steps, run_async
from service.events.store import kinds as event_kinds
from service.extract.lexicon import GENERIC_INSTITUTION_WORDS
from service.params import VISIBLE_TEXT
from service.partial_dates import EXAMPLE, PATTERN, parse_partial

log = logging.getLogger("factdesk.ingest")

EARLIEST_PUBLISHED = dt.date(1800, 1, 1)
MAX_TEXT_CHARS = 200_000  # about 30,000 words: longer than any news article

Title = Annotated[str, msgspec.Meta(min_length=1, max_length=1000, pattern=VISIBLE_TEXT)]
Outlet = Annotated[str, msgspec.Meta(min_length=1, max_length=300, pattern=VISIBLE_TEXT)]
Language = Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")]


class DocumentCreate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """An article to archive. ``text`` is stored exactly as sent (at most 200,000 characters,
    no NUL); claims' offsets index into it."""

    title: Title
    outlet: Outlet
    url: Annotated[str, msgspec.Meta(max_length=2000, pattern=r"^https?://[^\x00-\x20]+$")] | None = None
    published: Annotated[str, msgspec.Meta(pattern=PATTERN, description="Publication date: " + EXAMPLE, examples=["2015-12-03", "2015-12"])]
    language: Language = "en"
    original_language: Language | None = None
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_TEXT_CHARS, pattern=r"[^\x00-\x20]")]


class _VocabularyCache:
    """The compiled extraction vocabulary, rebuilt only when metrics or names change."""

    def __init__(self) -> None:
        self.fingerprint: tuple[Any, ...] | None = None
        self.compiled: Any = None

    async def get(self, conn: AsyncConnection) -> Any:
        from service.extract import ActorNames, MetricTerms, build_vocabulary

        fingerprint = tuple(
            (
                await conn.execute(
                    text(
                        """
                        SELECT (SELECT count(*) FROM actor_names), (SELECT max(id) FROM actor_names),
                               (SELECT count(*) FROM metric_synonyms), (SELECT max(id) FROM metric_synonyms),
                               (SELECT count(*) FROM metrics), (SELECT max(id) FROM metrics)
                        """
                    )
                )
            ).one()
        )
        if fingerprint != self.fingerprint:
            metrics = (
                await conn.execute(
                    text(
                        """
                        SELECT m.slug, array_agg(s.synonym ORDER BY s.synonym) FILTER (WHERE s.synonym IS NOT NULL) AS synonyms
                        FROM metrics m LEFT JOIN metric_synonyms s ON s.metric_id = m.id GROUP BY m.slug
                        """
                    )
                )
            ).all()
            actors = (
                await conn.execute(
                    text(
                        """
                        SELECT a.slug, a.kind, array_agg(n.name ORDER BY n.id) AS names
                        FROM actors a JOIN actor_names n ON n.actor_id = a.id GROUP BY a.slug, a.kind
                        """
                    )
                )
            ).all()
            self.compiled = build_vocabulary(
                [MetricTerms(slug=r.slug, synonyms=sorted({r.slug, *(r.synonyms or [])})) for r in metrics],
                [ActorNames(slug=r.slug, names=list(r.names), kind=r.kind) for r in actors],
            )
            self.fingerprint = fingerprint
        return self.compiled


VOCABULARY = _VocabularyCache()


async def differences(conn: AsyncConnection, document_id: int, body: DocumentCreate) -> list[str]:
    """What a post of an archived text says differently from the stored document (whose
    metadata is kept), in plain words: a re-post is never silently taken as the same."""
    r = (
        await conn.execute(
            text("SELECT title, outlet, url, published, published_precision, content_hash = :h AS same_bytes FROM documents WHERE id = :id"),
            {"id": document_id, "h": hashlib.sha256(body.text.encode()).digest()},
        )
    ).one()
    notes = []
    if not r.same_bytes:
        notes.append(f"this text differs from document {document_id}'s only in white space: it is the same article, archived once")
    try:
        published, precision = parse_partial(body.published)
    except ValueError:
        published, precision = None, None
    for field, sent, kept in (("title", body.title.strip(), r.title), ("outlet", body.outlet.strip(), r.outlet),
                              ("url", body.url, r.url), ("published", (published, precision), (r.published, r.published_precision))):
        if sent != kept:
            shown = body.published if field == "published" else sent
            stored = r.published.isoformat() if field == "published" else kept
            notes.append(f"{field}: sent {shown!r}, kept {stored!r} (the document's metadata is never changed by a re-post)")
    return notes


def _validate(body: DocumentCreate) -> tuple[str, str, dt.date, str]:
    if "\x00" in body.text:
        raise Unprocessable("text", "the text contains a NUL character, which cannot be archived")
    if body.url is not None:
        try:
            parts = urllib.parse.urlsplit(body.url)
            parts.port  # noqa: B018 - raises on a port that is not a number
        except ValueError:
            raise Unprocessable("url", f"{body.url[:200]!r} is not a valid URL") from None
        if not parts.hostname:
            raise Unprocessable("url", f"{body.url[:200]!r} names no host: expected https://host/path")
    try:
        published, precision = parse_partial(body.published)
    except ValueError as exc:
        raise Unprocessable("published", str(exc)) from None
    latest = dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=2)  # (time zones ahead of UTC)
    if not EARLIEST_PUBLISHED <= published <= latest:
        raise Unprocessable("published", f"{body.published!r} is outside {EARLIEST_PUBLISHED.year} to today: a news article's publication date")
    return visible(body.title, "title"), visible(body.outlet, "outlet"), published, precision


_BORROWED = text(
    """
    SELECT NOT EXISTS (SELECT 1 FROM actors WHERE slug = :name)
       AND EXISTS (SELECT 1 FROM actor_names WHERE norm = fd_norm(:name) AND is_alias)
    """
)


async def _own_name(conn: AsyncConnection, claimant: str | None, event_name: str) -> str | None:
    """A generic body the extractor could not place ("Interior Ministry", "police", with no
    country or city named) is named after the article's event, never filed under a curated
    actor that has that generic alias (the Kazakh Interior Ministry): "Interior Ministry
    (Floods in Valdoria, May 2024)"."""
    if not claimant:
        return claimant
    words = [w for w in re.split(r"[^\w']+", claimant.casefold()) if w]
    if not words or not all(w in GENERIC_INSTITUTION_WORDS for w in words):
        return claimant
    if not (await conn.execute(_BORROWED, {"name": claimant})).scalar():
        return claimant
    return f"{claimant} ({event_name})"[:300]


async def ingest_document(
    conn: AsyncConnection, body: DocumentCreate, *, api_key_id: int | None
) -> tuple[int, bool, list[int]]:
    """Store ``body`` and its extracted claims in the caller's transaction.
    Returns (document id, created, claim ids in text order)."""
    from service.extract import EXTRACTOR_VERSION, extract

    title, outlet, published, precision = _validate(body)
    digest = hashlib.sha256(body.text.encode()).digest()
    # One article is one document however its white space was sent (migration 0014): posts of
    # texts with one key take turns, and the second finds the first.
    await conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(encode(fd_text_key(:t), 'hex'), 0))"), {"t": body.text})
    same = (
        await conn.execute(
            text("SELECT id FROM documents WHERE text_key = fd_text_key(:t) ORDER BY (content_hash = :h) DESC, id LIMIT 1"),
            {"t": body.text, "h": digest},
        )
    ).scalar()
    row = None if same is not None else (
        await conn.execute(
            text(
                """
                INSERT INTO documents (title, outlet, url, published, published_precision, language, original_language, text,
                                       content_hash, api_key_id)
                VALUES (:title, :outlet, :url, :published, :precision, :language, :original_language, :text, :hash, :key)
                ON CONFLICT (content_hash) DO NOTHING
                RETURNING id
                """
            ),
            {
                "title": title, "outlet": outlet, "url": body.url, "published": published, "precision": precision,
                "language": body.language, "original_language": body.original_language, "text": body.text,
                "hash": digest, "key": api_key_id,
            },
        )
    ).first()
    if row is None:
        doc_id = same if same is not None else (
            await conn.execute(text("SELECT id FROM documents WHERE content_hash = :h"), {"h": digest})
        ).scalar_one()
        ids = (
            await conn.execute(
                text("SELECT id FROM claims WHERE document_id = :id ORDER BY start_offset, id"), {"id": doc_id}
            )
        ).scalars().all()
        return int(doc_id), False, [int(i) for i in ids]

    doc_id = int(row.id)
    # its events first: every claim then takes the document's main event (claims_default_event)
    # The article is read off the event loop (a long text takes a while; other requests, and
    # /healthz, go on meanwhile).
    kinds = event_kinds()
    article = await asyncio.to_thread(features, title, body.text, published, kinds)
    assigned = await run_async(conn, assign_steps(doc_id, title, body.text, published, kinds, api_key_id=api_key_id, found=article))
    vocabulary = await VOCABULARY.get(conn)
    origin = f"extracted:{EXTRACTOR_VERSION}"
    claim_ids: list[int] = []
    for found in await asyncio.to_thread(extract, body.text, published, vocabulary):
        raw = {
            "document_id": doc_id,
            "quote": found.quote,
            "start": found.start,
            "metric": found.metric,
            "value": msgspec.to_builtins(found.value) if found.value is not None else None,
            "group": found.group,
            "location": found.location,
            "as_of": found.as_of,
            "claimant": await _own_name(conn, found.claimant, assigned.name),
            "via": [v for v in found.via if v and v.strip()][:10],
            "confidence": min(max(found.confidence, 0.0), 1.0),
        }
        try:
            claim = msgspec.convert(raw, ClaimCreate, from_attributes=False)
        except msgspec.ValidationError as exc:
            # An extractor output the write path would refuse (a name too long, say): keep the
            # document and the other claims, and say so in the log.
            log.warning("skipped an extracted claim in document %s: %s", doc_id, exc)
            continue
        try:
            async with conn.begin_nested():
                claim_id, _ = await create_claim(
                    conn,
                    claim,
                    origin=origin,
                    status="unreviewed",
                    api_key_id=api_key_id,
                    confidence_factors=[msgspec.to_builtins(f) for f in found.confidence_factors],
                    document=(body.text, published),
                    claimant_role=found.claimant_role,
                )
        except Unprocessable as exc:
            log.warning("skipped an extracted claim in document %s: %s", doc_id, exc.detail)
            continue
        if claim_id not in claim_ids:
            claim_ids.append(claim_id)
    return doc_id, True, claim_ids
