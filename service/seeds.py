"""Load ``seeds/``: documents (manifest), metrics, actors and curated claims.

Claims go through :func:`service.claims.write.create_claim`, the same code as ``POST /claims``.
Before that, each claim's recorded offsets are checked against its document's text, and a
mismatch stops the load with a message naming the claim. Everything loads in one transaction,
and every insert is idempotent, so loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import msgspec
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from service.actors.queries import add_names
from service.actors.schemas import ActorKind
from service.claims.schemas import ClaimCreate, FigureValueIn


class SeedError(Exception):
    """The seed files are inconsistent; the message names the file and the entry."""


class SeedDocument(msgspec.Struct, forbid_unknown_fields=True):
    key: str
    file: str
    title: str
    outlet: str
    published: dt.date
    language: str = "en"
    url: str | None = None
    published_note: str | None = None
    original_language: str | None = None
    note: str | None = None


class Manifest(msgspec.Struct, forbid_unknown_fields=True):
    documents: list[SeedDocument]


class SeedMetric(msgspec.Struct, forbid_unknown_fields=True):
    slug: str
    label: str
    unit: str = "people"
    description: str | None = None
    synonyms: list[str] = []


class SeedActor(msgspec.Struct, forbid_unknown_fields=True):
    slug: str
    name: str
    kind: ActorKind = "other"
    role: str | None = None
    aliases: list[str] = []


class SeedClaim(msgspec.Struct, forbid_unknown_fields=True):
    id: str
    document: str
    quote: str
    start: int
    end: int
    confidence: float
    metric: str | None = None
    value: FigureValueIn | None = None
    group: str | None = None
    location: str | None = None
    as_of: dt.date | None = None
    as_of_note: str | None = None
    claimant: str | None = None
    via: list[str] = []
    note: str | None = None


class SeedSummary(msgspec.Struct):
    documents: int
    metrics: int
    actors: int
    claims: int
    new_claims: int


def _read(path: Path, typ: type) -> object:
    try:
        return msgspec.json.decode(path.read_bytes(), type=typ)
    except (OSError, msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise SeedError(f"{path}: {exc}") from exc


def read_text(path: Path) -> str:
    # newline="" keeps \r\n as stored: offsets index the exact file contents.
    with path.open(encoding="utf-8", newline="") as f:
        return f.read()


async def load_seeds(conn: AsyncConnection, seeds_dir: Path) -> SeedSummary:
    """Load everything in ``seeds_dir`` inside the caller's transaction."""
    # Two processes seeding one database at once (two `serve` starting together) take turns.
    await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('factdesk:seeds'))"))
    manifest: Manifest = _read(seeds_dir / "manifest.json", Manifest)  # type: ignore[assignment]
    metrics: list[SeedMetric] = _read(seeds_dir / "metrics.json", list[SeedMetric])  # type: ignore[assignment]
    actors: list[SeedActor] = _read(seeds_dir / "actors.json", list[SeedActor])  # type: ignore[assignment]
    claims: list[SeedClaim] = _read(seeds_dir / "claims.json", list[SeedClaim])  # type: ignore[assignment]

    for m in metrics:
        row = (
            await conn.execute(
                text(
                    """
                    INSERT INTO metrics (slug, label, unit, description) VALUES (:slug, :label, :unit, :description)
                    ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug RETURNING id
                    """
                ),
                {"slug": m.slug, "label": m.label, "unit": m.unit, "description": m.description},
            )
        ).one()
        for synonym in [m.slug, *m.synonyms]:
            await conn.execute(
                text("INSERT INTO metric_synonyms (metric_id, synonym) VALUES (:id, :s) ON CONFLICT (norm) DO NOTHING"),
                {"id": row.id, "s": synonym},
            )

    for a in actors:
        row = (
            await conn.execute(
                text(
                    """
                    INSERT INTO actors (slug, name, kind, role) VALUES (:slug, :name, :kind, :role)
                    ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug RETURNING id
                    """
                ),
                {"slug": a.slug, "name": a.name, "kind": a.kind, "role": a.role},
            )
        ).one()
        await add_names(conn, int(row.id), [(a.name, False), (a.slug, False), *((alias, True) for alias in a.aliases)])

    doc_ids: dict[str, int] = {}
    texts: dict[str, str] = {}
    for d in manifest.documents:
        body = read_text(seeds_dir / d.file)
        texts[d.key] = body
        digest = hashlib.sha256(body.encode()).digest()
        await conn.execute(
            text(
                """
                INSERT INTO documents (title, outlet, url, published, language, original_language, text, content_hash, note)
                VALUES (:title, :outlet, :url, :published, :language, :original_language, :text, :hash, :note)
                ON CONFLICT (content_hash) DO NOTHING
                """
            ),
            {
                "title": d.title, "outlet": d.outlet, "url": d.url, "published": d.published, "language": d.language,
                "original_language": d.original_language, "text": body, "hash": digest,
                "note": "; ".join(x for x in (d.published_note, d.note) if x) or None,
            },
        )
        doc_ids[d.key] = (
            await conn.execute(text("SELECT id FROM documents WHERE content_hash = :h"), {"h": digest})
        ).scalar_one()

    from service.events.backfill import seed_events
    from service.events.store import kinds, run_async, seed_event_steps

    for k in kinds():
        await conn.execute(text("INSERT INTO event_kinds (slug, label) VALUES (:s, :l) ON CONFLICT DO NOTHING"),
                           {"s": k.slug, "l": k.label})
    by_hash = {hashlib.sha256(t.encode()).digest(): doc_ids[k] for k, t in texts.items()}
    for event, hashes in seed_events(seeds_dir):
        await run_async(conn, seed_event_steps(event, [by_hash[h] for h in hashes if h in by_hash]))

    from service.claims.write import create_claim

    seen: set[str] = set()
    new_claims = 0
    for c in claims:
        if c.id in seen:
            raise SeedError(f"claims.json: claim {c.id!r} appears twice")
        seen.add(c.id)
        if c.document not in doc_ids:
            raise SeedError(f"claims.json: claim {c.id!r} cites document {c.document!r}, which the manifest lacks")
        actual = texts[c.document][c.start : c.end]
        if actual != c.quote:
            raise SeedError(
                f"claims.json: claim {c.id!r}: document {c.document} text[{c.start}:{c.end}] is {actual!r}, "
                f"not the quote {c.quote!r}"
            )
        body = ClaimCreate(
            document_id=doc_ids[c.document], quote=c.quote, start=c.start, metric=c.metric, value=c.value,
            group=c.group, location=c.location, as_of=c.as_of, claimant=c.claimant, via=c.via,
            confidence=c.confidence,
        )
        try:
            _, created = await create_claim(conn, body, origin="curated", status="accepted", create_actors=False)
        except Exception as exc:
            raise SeedError(f"claims.json: claim {c.id!r}: {exc}") from exc
        new_claims += created
    return SeedSummary(
        documents=len(doc_ids), metrics=len(metrics), actors=len(actors), claims=len(claims), new_claims=new_claims
    )


async def is_seeded(conn: AsyncConnection) -> bool:
    await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('factdesk:seeds'))"))
    return (await conn.execute(text("SELECT EXISTS (SELECT 1 FROM documents)"))).scalar_one()
