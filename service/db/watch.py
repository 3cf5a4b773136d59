"""A database that hangs (frozen, swapping, a network path that drops packets) answers no
error: a query on an open connection would wait as long as the hang lasts, and PostgreSQL's own
statement timeout cannot fire in a server that does not run. This watch gives every request a
bounded answer anyway.

Each worker keeps one ``DatabaseWatch`` per engine. Requests note when they start needing the
database; while one has been waiting longer than ``STUCK_AFTER`` seconds, the watch asks the
server ``SELECT 1`` on a connection of its own. A server that is merely busy (a slow query
running under the statement timeout) answers at once and nothing happens. A server that does
not answer within ``PROBE_TIMEOUT`` is *hung*: every request still waiting on it is answered
503 problem+json with Retry-After right away (its task is left to finish or fail by itself
when the server wakes; anything it tries to send then is dropped), and new requests get 503
without touching the pool until a probe succeeds again (probes every ``RETRY_EVERY`` seconds).

A write answered 503 this way may still commit when the server wakes: writes are idempotent by
content, so the client's retry answers 200 with what was stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from typing import Any

import msgspec
import psycopg
from litestar.types import Message, Send
from sqlalchemy.ext.asyncio import AsyncEngine

from service.errors import PROBLEM_JSON, RETRY_AFTER_SECONDS, Problem

log = logging.getLogger("factdesk.db")

STUCK_AFTER = 0.4  # a request waiting on the database this long makes the watch probe
PROBE_TIMEOUT = 0.9  # a server that does not answer SELECT 1 within this is hung
RETRY_EVERY = 0.25  # how often a hung server is probed again
TICK = 0.1


class Waiter:
    """One request's use of the database, as the watch sees it."""

    __slots__ = ("answered", "send", "since", "started")

    def __init__(self, send: Send) -> None:
        self.send = send
        self.since: float | None = None  # when the request first needed the database
        self.started = False  # the response has begun: the watch can no longer answer it
        self.answered = False  # the watch answered it: what the request sends later is dropped

    async def forward(self, message: Message) -> None:
        if self.answered:
            return
        if message["type"] == "http.response.start":
            self.started = True
        await self.send(message)


class DatabaseWatch:
    """The watch runs in threads of its own, with a blocking connection: its clock and its
    probe go on while the event loop is busy (extracting a long article, say), so a loop that
    is merely slow is never taken for a database that is hung."""

    def __init__(self, engine: AsyncEngine) -> None:
        sync = engine.sync_engine
        args, kwargs = sync.dialect.create_connect_args(sync.url)
        self._connect_args = (args, {**kwargs, "autocommit": True, "connect_timeout": 2, "application_name": "factdesk-watch"})
        self._waiting: dict[int, Waiter] = {}
        self._conn: psycopg.Connection[Any] | None = None
        self._probe_thread: threading.Thread | None = None  # a probe still waiting on the server
        self._last_answer = 0.0  # when the server last answered a probe
        self.hung_since: float | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def hung(self) -> bool:
        return self.hung_since is not None

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._thread = threading.Thread(target=self._run, name="factdesk-database-watch", daemon=True)
        self._thread.start()

    async def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            await asyncio.to_thread(self._thread.join, 2)
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()

    def enter(self, waiter: Waiter) -> None:
        self._waiting[id(waiter)] = waiter

    def leave(self, waiter: Waiter) -> None:
        self._waiting.pop(id(waiter), None)

    def _run(self) -> None:
        while not self._stop.wait(RETRY_EVERY if self.hung else TICK):
            try:
                self._check()
            except Exception:  # the watch must outlive anything a probe does
                log.exception("database watch check failed")

    def _snapshot(self) -> list[Waiter]:
        for _ in range(10):
            try:
                return list(self._waiting.values())
            except RuntimeError:  # the loop thread changed it meanwhile
                continue
        return []

    def _check(self) -> None:
        now = time.monotonic()
        if not self.hung:
            stuck = any(w.since is not None and not w.answered and now - w.since >= STUCK_AFTER for w in self._snapshot())
            if not stuck or now - self._last_answer < STUCK_AFTER:
                return
        if self._probe():
            self._last_answer = time.monotonic()
            if self.hung:
                log.warning("the database answers again after %.1f s", time.monotonic() - (self.hung_since or now))
                self.hung_since = None
            return
        if not self.hung:
            self.hung_since = now
            log.warning("the database does not answer: requests waiting on it get 503 until it does")
        if self._loop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop is shutting down
                asyncio.run_coroutine_threadsafe(self._answer_waiting(), self._loop)

    def _probe(self) -> bool:
        """Whether the server answers SELECT 1 within PROBE_TIMEOUT, on a thread of its own.
        An error is an answer too (a server that is down refuses at once, and requests get
        their 503 from the error itself); only silence is a hang. A probe that does not answer
        in time is left to finish by itself; no other probe starts until it has."""
        if self._probe_thread is not None and self._probe_thread.is_alive():
            return False
        thread = threading.Thread(target=self._select_one, name="factdesk-database-probe", daemon=True)
        self._probe_thread = thread
        thread.start()
        thread.join(PROBE_TIMEOUT)
        return not thread.is_alive()

    def _select_one(self) -> None:
        conn, self._conn = self._conn, None
        for attempt in (1, 2):  # the kept connection may be stale (the server restarted): then a new one
            try:
                if conn is None or conn.closed:
                    args, kwargs = self._connect_args
                    conn = psycopg.connect(*args, **kwargs)
                conn.execute("SELECT 1")
                self._conn = conn
                return
            except Exception:
                if conn is not None:
                    with contextlib.suppress(Exception):
                        conn.close()
                conn = None
                if attempt == 2:
                    return

    async def _answer_waiting(self) -> None:
        for waiter in [w for w in self._snapshot() if w.since is not None and not w.started and not w.answered]:
            waiter.answered = True
            with contextlib.suppress(Exception):  # the client may be gone
                await answer_unavailable(waiter.send)


HUNG_DETAIL = "the database is not answering right now; retry shortly"
UNAVAILABLE = msgspec.json.encode(Problem(title="Service Unavailable", status=503, detail=HUNG_DETAIL))


async def answer_unavailable(send: Send) -> None:
    await send({
        "type": "http.response.start",
        "status": 503,
        "headers": [
            (b"content-type", PROBLEM_JSON.encode()),
            (b"content-length", str(len(UNAVAILABLE)).encode()),
            (b"retry-after", str(RETRY_AFTER_SECONDS).encode()),
            (b"cache-control", b"no-store"),
        ],
    })
    await send({"type": "http.response.body", "body": UNAVAILABLE, "more_body": False})
