"""The async engine and the per-request connection.

Handlers get an ``AsyncConnection`` (SQLAlchemy Core, psycopg 3). Reads run in the connection's
implicit transaction, rolled back when the request ends; writes open their own transaction with
``conn.begin()`` and commit before the handler returns, so a 2xx is only sent for what is stored.

The connection is opened lazily on first use and closed by an ASGI middleware in a ``finally``
block: a generator dependency would not be cleaned up when a later dependency raises (an
unknown metric in a filter, say), and each such request would leak a pooled connection.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from litestar import Request
from litestar.types import ASGIApp, Receive, Scope, Send
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from service.settings import Settings, normalize_database_url

_STATE_KEY = "factdesk_connection"
log = logging.getLogger("factdesk.db")


def make_engine(url: str, settings: Settings) -> AsyncEngine:
    return create_async_engine(
        normalize_database_url(url),
        pool_size=settings.pool_size,
        max_overflow=0,
        pool_timeout=2,
        pool_pre_ping=True,
        pool_recycle=1800,
        connect_args={
            "connect_timeout": 2,
            "options": f"-c statement_timeout={settings.statement_timeout_ms} -c idle_in_transaction_session_timeout=60000",
            "application_name": "factdesk",
        },
    )


class RequestConnection:
    """At most one pooled connection per request, opened when a handler first asks for it.
    Safe methods (GET, HEAD) read from the read engine (a replica when
    FACTDESK_READ_DATABASE_URL is set); everything else uses the primary, so a write and the
    read that answers it see the same data."""

    __slots__ = ("_conn", "_engine")

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._conn: AsyncConnection | None = None

    async def get(self) -> AsyncConnection:
        if self._conn is None:
            conn = self._engine.connect()
            await conn.start()
            self._conn = conn
        return self._conn

    async def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                await conn.close()
            except Exception:  # the server went away mid-request: the pool discards the connection
                log.debug("closing a broken database connection", exc_info=True)
                with contextlib.suppress(Exception):
                    await conn.invalidate()


def connection_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        state = scope["litestar_app"].state
        engine = state.read_engine if scope.get("method") in ("GET", "HEAD") else state.engine
        holder = RequestConnection(engine)
        scope.setdefault("state", {})[_STATE_KEY] = holder
        try:
            await app(scope, receive, send)
        finally:
            await holder.close()

    return middleware


async def provide_connection(request: Request[Any, Any, Any]) -> AsyncConnection:
    return await request.scope["state"][_STATE_KEY].get()
