"""The async engine and the per-request connection.

Handlers get an ``AsyncConnection`` (SQLAlchemy Core, psycopg 3). Reads run in the connection's
implicit transaction, rolled back when the request ends; writes open their own transaction with
``conn.begin()`` and commit before the handler returns, so a 2xx is only sent for what is stored.

Reads (GET and HEAD) use an engine whose connections are in autocommit mode: a page is one
statement, so a BEGIN before it and a ROLLBACK after it would be two more round trips for
nothing. A pooled connection is pinged only when it has sat idle (see ``_ping_if_idle``).

Plans. PostgreSQL plans a statement for the values it is given, or reuses one plan made for
any value (a generic plan). Most statements here are planned for their values on every run
(``force_custom_plan``): a generic plan once read 200 times the rows for a rare metric in a
common place. The claim lists are the exception. Their routes say ``opt=GENERIC_PLANS``
and get connections from a third engine that keeps one plan per statement: planning
the page statement (its JSON has a subquery per field) cost 0.3 ms of the 1.5 ms it took at a
million claims, on every request. Those routes' statements are written so that one plan fits
every value: a page filtered by metric, actor or document alone (the common case) has an
index in its keyset order for each (``ix_claims_metric_visible``, ``ix_claims_claimant_sort``,
``ix_claims_document``) and its LIMIT written in; any other page is sent with its values
written in (psycopg binds them client-side), so PostgreSQL plans it for them as before. These
connections also tell the planner that a random read costs little more than a sequential one
(``random_page_cost=1.1``, the usual setting for data in memory or on SSD): with the default 4,
the one plan for "a metric's claims in id order" walked the primary key and filtered, which is
right for a metric holding a quarter of the claims and reads the whole table for a rare one.
``tests/test_plans.py`` checks the plans for rare and common values.

The connection is opened lazily on first use and closed by an ASGI middleware in a ``finally``
block: a generator dependency would not be cleaned up when a later dependency raises (an
unknown metric in a filter, say), and each such request would leak a pooled connection.
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import Any

from litestar import Request
from litestar.types import ASGIApp, Receive, Scope, Send
from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from service.db.watch import HUNG_DETAIL, DatabaseWatch, Waiter
from service.errors import ServiceUnavailable
from service.settings import Settings, normalize_database_url

_STATE_KEY = "factdesk_connection"
log = logging.getLogger("factdesk.db")


# A route's ``opt`` that sends its reads to the engine whose connections keep one plan per
# statement (see the module's docstring): only for routes whose statements are written for it.
GENERIC_PLANS = {"generic_plans": True}

# A connection back in the pool for longer than this is pinged before it is handed out again.
IDLE_PING_SECONDS = 1.0


def make_engine(url: str, settings: Settings, *, autocommit: bool = False, generic_plans: bool = False) -> AsyncEngine:
    """``generic_plans``: for the routes whose statements are written to be planned once (see
    the module's docstring); every other engine plans each statement for its values."""
    engine = create_async_engine(
        normalize_database_url(url),
        pool_size=settings.pool_size,
        max_overflow=0,
        pool_timeout=2,
        pool_recycle=1800,
        pool_use_lifo=True,  # the connection just returned is warm (and needs no idle ping); extra ones idle out
        connect_args={
            "connect_timeout": 2,
            # force_custom_plan: psycopg prepares a statement run five times on a connection, and
            # PostgreSQL may then switch it to a generic plan, blind to the values: for a filter
            # on a rare metric in a common place that plan read 200 times the rows. Our queries
            # plan in about half a millisecond, so every execution is planned for its values
            # (except on the engine for the claim lists: see the module's docstring).
            "options": (
                f"-c statement_timeout={settings.statement_timeout_ms} -c idle_in_transaction_session_timeout=60000"
                f" {plan_options(generic_plans)}"
            ),
            "application_name": "factdesk",
        },
        **({"isolation_level": "AUTOCOMMIT"} if autocommit else {}),
    )
    event.listen(engine.sync_engine, "checkin", _mark_checkin)
    event.listen(engine.sync_engine, "checkout", _ping_if_idle)
    return engine


def plan_options(generic: bool) -> str:
    """The server options that decide how statements are planned (see the module's docstring)."""
    if generic:
        return "-c plan_cache_mode=force_generic_plan -c random_page_cost=1.1"
    return "-c plan_cache_mode=force_custom_plan"


def _mark_checkin(dbapi_connection: Any, record: Any) -> None:
    record.info["checked_in"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    """SQLAlchemy's pre-ping costs a round trip on every checkout. Under load a connection is
    back in use within milliseconds and its last statement proved it alive; one that sat idle
    (the database may have restarted meanwhile) is pinged, and a dead one is replaced before
    the request uses it (DisconnectionError makes the pool retry with a fresh connection)."""
    if time.monotonic() - record.info.get("checked_in", 0.0) < IDLE_PING_SECONDS:
        return
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
    except Exception as e:  # the server closed it, or restarted
        raise exc.DisconnectionError(str(e)) from e


class RequestConnection:
    """At most one pooled connection per request, opened when a handler first asks for it.
    Safe methods (GET, HEAD) read from the read engine (a replica when
    FACTDESK_READ_DATABASE_URL is set); everything else uses the primary, so a write and the
    read that answers it see the same data. The request is shown to the engine's
    ``DatabaseWatch`` from the moment it needs the database (see service/db/watch.py)."""

    __slots__ = ("_conn", "_engine", "_watch", "_waiter")

    def __init__(self, engine: AsyncEngine, watch: DatabaseWatch | None, waiter: Waiter) -> None:
        self._engine = engine
        self._watch = watch
        self._waiter = waiter
        self._conn: AsyncConnection | None = None

    def needs_database(self) -> None:
        """Called before any use of the database in this request: a hung server means 503 now."""
        if self._watch is not None and self._watch.hung:
            raise ServiceUnavailable(HUNG_DETAIL)
        if self._waiter.since is None:
            self._waiter.since = time.monotonic()

    async def get(self) -> AsyncConnection:
        if self._conn is None:
            self.needs_database()
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
        read = scope.get("method") in ("GET", "HEAD")
        if read:
            handler = scope.get("route_handler")
            engine = state.page_engine if handler is not None and handler.opt.get("generic_plans", False) else state.read_engine
        else:
            engine = state.engine
        watch: DatabaseWatch | None = getattr(state, "read_watch" if read else "watch", None)
        waiter = Waiter(send)
        holder = RequestConnection(engine, watch, waiter)
        scope.setdefault("state", {})[_STATE_KEY] = holder
        if watch is not None:
            watch.enter(waiter)
        try:
            await app(scope, receive, waiter.forward)
        finally:
            if watch is not None:
                watch.leave(waiter)
            await holder.close()

    return middleware


async def provide_connection(request: Request[Any, Any, Any]) -> AsyncConnection:
    return await request.scope["state"][_STATE_KEY].get()


def needs_database(scope: Scope) -> None:
    """For code that uses an engine directly (the API key guard, /readyz): see
    ``RequestConnection.needs_database``."""
    holder = scope.get("state", {}).get(_STATE_KEY)
    if holder is not None:
        holder.needs_database()
