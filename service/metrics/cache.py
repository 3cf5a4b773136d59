"""Cached JSON for the metric summaries (see migration 0007).

A hit is one indexed read of the data version, then the body this worker already holds in
memory for that version, or else the stored JSON bytes as they are. A miss computes the
summary, answers with it and stores it in its own short transaction on the primary. While one
request recomputes a stale summary (it holds an advisory lock for the key), others answer
with the stale copy rather than piling onto the same aggregate. Behind a read replica the
database cache is bypassed (a replica cannot take the lock or store the result); each worker's
memory, keyed by the replica's data version, still serves repeats.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import msgspec
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from service.errors import ServiceUnavailable

_LOOKUP = text(
    """
    SELECT v.version, c.version = v.version AS fresh, c.key IS NOT NULL AS stored
    FROM data_version v LEFT JOIN summary_cache c ON c.key = :key
    WHERE v.id = 1
    """
)
_BODY = text("SELECT body FROM summary_cache WHERE key = :key")
# Session-level: reads run in autocommit, where a transaction lock would end with the statement.
_TRY_LOCK = text("SELECT pg_try_advisory_lock(hashtext(:key))")
_UNLOCK = text("SELECT pg_advisory_unlock(hashtext(:key))")
_STORE = text(
    """
    INSERT INTO summary_cache (key, version, body) VALUES (:key, :version, :body)
    ON CONFLICT (key) DO UPDATE SET version = EXCLUDED.version, body = EXCLUDED.body, computed_at = now()
    WHERE summary_cache.version < EXCLUDED.version
    """
)


# Each worker also keeps the bodies it served, by key, with the data version they were made
# at: a hit then costs one primary-key read of data_version instead of fetching the body.
_MEMORY: dict[str, tuple[int, bytes]] = {}
_MEMORY_KEYS = 256
WAIT_FOR_FIRST_SECONDS = 30.0
_VERSION = text("SELECT version FROM data_version WHERE id = 1")


def _held(key: str, version: int) -> bytes | None:
    """This worker's copy of the body, if it was made at ``version``."""
    entry = _MEMORY.get(key)
    return entry[1] if entry is not None and entry[0] == version else None


def _remember(key: str, version: int, body: bytes) -> bytes:
    _MEMORY.pop(key, None)
    _MEMORY[key] = (version, body)
    while len(_MEMORY) > _MEMORY_KEYS:
        del _MEMORY[next(iter(_MEMORY))]  # the least recently stored
    return body


def primary_engine(state: Any) -> AsyncEngine | None:
    """The engine to store cached summaries with, or None when reads come from a replica."""
    return None if state.replica else state.engine  # type: ignore[no-any-return]


async def cached_json(
    conn: AsyncConnection,
    primary: AsyncEngine | None,
    key: str,
    compute: Callable[[], Awaitable[Any]],
) -> bytes:
    """The JSON of ``compute()``, from the cache when nothing changed since it was stored.
    ``primary`` is None when ``conn`` reads from a replica: the replica's own data version then
    keys this worker's memory, and nothing is stored in the database."""
    if primary is None:
        version = (await conn.execute(_VERSION)).scalar_one()
        if (held := _held(key, version)) is not None:
            return held
        return _remember(key, version, msgspec.json.encode(await compute()))
    row = (await conn.execute(_LOOKUP, {"key": key})).one()
    if (held := _held(key, row.version)) is not None:
        return held
    if row.fresh:
        return _remember(key, row.version, await _stored(conn, key))
    # One computation per key at a time, across workers and instances.
    got = (await conn.execute(_TRY_LOCK, {"key": key})).scalar()
    if not got:
        if row.stored:
            return await _stored(conn, key)  # someone else is refreshing it: the previous answer will do
        return await _wait_for_first(conn, key)
    try:
        return await _compute_and_store(primary, key, row.version, compute)
    finally:
        await conn.execute(_UNLOCK, {"key": key})


async def _wait_for_first(conn: AsyncConnection, key: str) -> bytes:
    """Nothing is stored yet and another request is computing it (a metric's first summary
    takes seconds at a million claims): wait for that one rather than pile on."""
    deadline = time.monotonic() + WAIT_FOR_FIRST_SECONDS
    while time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        body = (await conn.execute(_BODY, {"key": key})).scalar()
        if body is not None:
            return bytes(body)
    raise ServiceUnavailable(f"the summary for {key!r} is being computed; retry in a few seconds")


# A summary aggregates every figure of a metric: seconds of SQL at ten million claims, where
# the statement timeout that guards every other request would cancel it on every attempt and
# the summary would never be stored. It is computed by one request at a time per data version
# (see ``cached_json``), so that one request may take longer.
SUMMARY_STATEMENT_TIMEOUT_MS = 120_000


@contextlib.asynccontextmanager
async def summary_timeout(conn: AsyncConnection, usual_ms: int) -> AsyncIterator[None]:
    """Let the summary's statements run up to SUMMARY_STATEMENT_TIMEOUT_MS on ``conn``, then
    put the connection's usual timeout back (it goes back to the pool)."""
    limit = max(usual_ms, SUMMARY_STATEMENT_TIMEOUT_MS)
    await conn.execute(text(f"SET statement_timeout = {int(limit)}"))
    try:
        yield
    finally:
        await conn.execute(text(f"SET statement_timeout = {int(usual_ms)}"))


async def _stored(conn: AsyncConnection, key: str) -> bytes:
    return bytes((await conn.execute(_BODY, {"key": key})).scalar_one())


async def _compute_and_store(primary: AsyncEngine, key: str, version: int, compute: Callable[[], Awaitable[Any]]) -> bytes:
    body = msgspec.json.encode(await compute())
    async with primary.begin() as write:
        await write.execute(_STORE, {"key": key, "version": version, "body": body})
    return _remember(key, version, body)
