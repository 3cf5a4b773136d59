"""API keys: 32 random bytes shown once, stored only as a SHA-256 hash.

A key is ``fd_`` + 43 url-safe base64 characters. Because keys carry 256 bits of entropy, a fast
hash is enough (there is nothing to brute-force); the lookup is by hash, so the stored secret is
never compared byte by byte with what a client sent.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from typing import Any

import msgspec
from litestar import Request
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from service.db.engine import needs_database
from service.errors import TooManyRequests, Unauthorized

KEY_PREFIX = "fd_"


class ApiKeyInfo(msgspec.Struct):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


def _hash(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


def new_key() -> str:
    return KEY_PREFIX + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


async def create_key(conn: AsyncConnection, name: str, *, curator: bool = False) -> str:
    """A new key (returned once; stored as a hash). A curator key may also retract or supersede
    curated claims that another key (or the seeds) wrote."""
    key = new_key()
    await conn.execute(
        text("INSERT INTO api_keys (name, key_hash, key_prefix, curator) VALUES (:name, :hash, :prefix, :curator)"),
        {"name": name, "hash": _hash(key), "prefix": key[:8], "curator": curator},
    )
    return key


async def list_keys(conn: AsyncConnection) -> list[ApiKeyInfo]:
    rows = (
        await conn.execute(
            text("SELECT id, name, key_prefix, created_at, last_used_at, revoked_at FROM api_keys ORDER BY id")
        )
    ).all()
    return [ApiKeyInfo(r.id, r.name, r.key_prefix, r.created_at, r.last_used_at, r.revoked_at) for r in rows]


async def revoke_key(conn: AsyncConnection, name: str) -> bool:
    row = (
        await conn.execute(
            text("UPDATE api_keys SET revoked_at = now() WHERE name = :name AND revoked_at IS NULL RETURNING id"),
            {"name": name},
        )
    ).first()
    return row is not None


async def authenticate(conn: AsyncConnection, request: Request[Any, Any, Any], limit_per_minute: int) -> int:
    """The id of the key in ``Authorization: Bearer …``; 401 when missing, wrong or revoked,
    429 when the key has made more than ``limit_per_minute`` writes in this clock minute."""
    header = request.headers.get("authorization")
    if not header:
        raise Unauthorized("this endpoint needs an API key: send 'Authorization: Bearer <key>' (create one with `factdesk keys create NAME`)")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("the Authorization header must be 'Bearer <key>'")
    row = (
        await conn.execute(
            text(
                """
                UPDATE api_keys SET
                  last_used_at = now(),
                  rate_window = date_trunc('minute', now()),
                  rate_count = CASE WHEN rate_window = date_trunc('minute', now()) THEN rate_count + 1 ELSE 1 END
                WHERE key_hash = :hash AND revoked_at IS NULL
                RETURNING id, rate_count,
                  ceil(extract(epoch FROM date_trunc('minute', now()) + interval '1 minute' - now()))::int AS window_left
                """
            ),
            {"hash": _hash(token)},
        )
    ).first()
    if row is None:
        raise Unauthorized("the API key is not valid (unknown or revoked)")
    if row.rate_count > limit_per_minute:
        raise TooManyRequests(
            f"this key has made more than {limit_per_minute} writes this minute; retry in {row.window_left} s",
            retry_after=max(int(row.window_left), 1),
        )
    return int(row.id)


async def require_api_key(connection: Any, _handler: Any) -> None:
    """Litestar guard: runs before the body is read, so a request without a valid key is a 401
    whatever it carries. The key's id is left in ``request.state.api_key_id``."""
    state = connection.app.state
    needs_database(connection.scope)
    async with state.engine.begin() as conn:
        connection.state.api_key_id = await authenticate(conn, connection, state.settings.write_rate_per_minute)
