"""SQL for documents."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from service import pagination
from service.documents.schemas import Document, DocumentMeta
from service.events.ref import EventRef

_META = """
    d.id, d.title, d.outlet, d.url, d.published, d.published_precision, d.language, d.original_language,
    encode(d.content_hash, 'hex') AS content_hash, length(d.text) AS length,
    (SELECT count(*) FROM claims c WHERE c.document_id = d.id AND c.status IN ('unreviewed', 'accepted')) AS claims,
    ARRAY(SELECT e.slug || chr(31) || e.name FROM document_events de JOIN events e ON e.id = de.event_id
          WHERE de.document_id = d.id ORDER BY de.is_main DESC, e.id) AS events
"""


def _meta(r: Any) -> DocumentMeta:
    return DocumentMeta(
        id=r.id, title=r.title, outlet=r.outlet, url=r.url, published=r.published, language=r.language,
        original_language=r.original_language, content_hash=r.content_hash, length=r.length, claims=r.claims,
        events=[EventRef(*e.split(chr(31), 1)) for e in r.events], published_precision=r.published_precision,
    )


async def list_documents(
    conn: AsyncConnection,
    *,
    outlet: str | None,
    event_id: int | None = None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[DocumentMeta], str | None]:
    clauses = ["TRUE"]
    params: dict[str, Any] = {"limit": limit + 1}
    if outlet is not None:
        clauses.append("fd_norm(d.outlet) = fd_norm(:outlet)")
        params["outlet"] = outlet
    if event_id is not None:
        clauses.append("EXISTS (SELECT 1 FROM document_events de WHERE de.document_id = d.id AND de.event_id = :event_id)")
        params["event_id"] = event_id
    if since is not None:
        clauses.append("d.published >= :since")
        params["since"] = since
    if until is not None:
        clauses.append("d.published <= :until")
        params["until"] = until
    after = pagination.decode_id(cursor)
    if after is not None:
        clauses.append("d.id > :after")
        params["after"] = after
    sql = f"SELECT {_META} FROM documents d WHERE {' AND '.join(clauses)} ORDER BY d.id LIMIT :limit"
    rows = (await conn.execute(text(sql), params)).all()
    next_cursor = pagination.encode_id(rows[limit - 1].id) if len(rows) > limit else None
    return [_meta(r) for r in rows[:limit]], next_cursor


async def get_document(conn: AsyncConnection, document_id: int) -> Document | None:
    r = (
        await conn.execute(text(f"SELECT {_META}, d.text, d.note FROM documents d WHERE d.id = :id"), {"id": document_id})
    ).first()
    if r is None:
        return None
    return Document(**msgspec.structs.asdict(_meta(r)), note=r.note, text=r.text)


async def get_document_meta(conn: AsyncConnection, document_id: int) -> DocumentMeta | None:
    r = (await conn.execute(text(f"SELECT {_META} FROM documents d WHERE d.id = :id"), {"id": document_id})).first()
    return _meta(r) if r else None


async def document_exists(conn: AsyncConnection, document_id: int) -> bool:
    return (await conn.execute(text("SELECT 1 FROM documents WHERE id = :id"), {"id": document_id})).first() is not None
