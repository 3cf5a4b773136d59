"""Cached JSON for the metric summaries (see migration 0007).

A hit is one indexed read that returns the stored JSON bytes as they are. A miss computes the
summary, answers with it and stores it in its own short transaction on the primary. While one
request recomputes a stale summary (it holds an advisory lock for the key), others answer
with the stale copy rather than piling onto the same aggregate. Behind a read replica the
cache is bypassed: a replica cannot take the lock or store the result.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

_LOOKUP = text(
    """
    SELECT v.version, c.body, c.version = v.version AS fresh
    FROM data_version v LEFT JOIN summary_cache c ON c.key = :key
    WHERE v.id = 1
    """
)
_STORE = text(
    """
    INSERT INTO summary_cache (key, version, body) VALUES (:key, :version, :body)
    ON CONFLICT (key) DO UPDATE SET version = EXCLUDED.version, body = EXCLUDED.body, computed_at = now()
    WHERE summary_cache.version < EXCLUDED.version
    """
)


async def cached_json(
    conn: AsyncConnection,
    primary: AsyncEngine | None,
    key: str,
    compute: Callable[[], Awaitable[Any]],
) -> bytes:
    """The JSON of ``compute()``, from the cache when nothing changed since it was stored.
    ``primary`` is None when ``conn`` reads from a replica (no caching then)."""
    if primary is None:
        return msgspec.json.encode(await compute())
    row = (await conn.execute(_LOOKUP, {"key": key})).one()
    if row.fresh:
        return bytes(row.body)
    if row.body is not None:
        got = (await conn.execute(text("SELECT pg_try_advisory_xact_lock(hashtext(:key))"), {"key": key})).scalar()
        if not got:
            return bytes(row.body)  # someone else is refreshing it: the previous answer will do
    body = msgspec.json.encode(await compute())
    async with primary.begin() as write:
        await write.execute(_STORE, {"key": key, "version": row.version, "body": body})
    return body
