"""A write's body must arrive whole and in time.

A client that sends its body a byte every few seconds would otherwise hold a worker's
connection for as long as it likes; one that gives up half way through used to be logged as a
500 with a traceback. This middleware reads a write's body before the app sees it: within
``body_timeout_s`` (408 problem otherwise), at most ``max_body_bytes`` (413), and a client that
disconnects meanwhile is simply let go (nothing to answer, nothing to log as an error).
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

_WRITES = {"POST", "PATCH", "PUT"}


async def _problem(send: Send, status: int, title: str, detail: str, path: str) -> None:
    body = json.dumps({"title": title, "status": status, "detail": detail, "instance": path}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"), (b"cache-control", b"no-store"), (b"x-content-type-options", b"nosniff")]})
    await send({"type": "http.response.body", "body": body})


def body_limits_middleware(app: ASGIApp, *, timeout_s: float, max_bytes: int) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in _WRITES:
            await app(scope, receive, send)
            return
        deadline = time.monotonic() + timeout_s
        chunks: list[bytes] = []
        size = 0
        while True:
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                await _problem(send, 408, "Request Timeout",
                               f"the request body did not arrive within {timeout_s:g} s: send it whole, at once", scope.get("path", ""))
                return
            if message["type"] == "http.disconnect":
                return  # the client left half way: nobody to answer
            size += len(message.get("body", b""))
            if size > max_bytes:
                await _problem(send, 413, "Content Too Large", "the request body is larger than this server accepts", scope.get("path", ""))
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await app(scope, replay, send)

    return middleware


def make_body_limits(timeout_s: float, max_bytes: int) -> Any:
    return lambda app: body_limits_middleware(app, timeout_s=timeout_s, max_bytes=max_bytes)


class HeaderTimeoutProtocol(HttpToolsProtocol):  # type: ignore[misc]
    """uvicorn's HTTP protocol (httptools), closing a connection whose request line and headers
    have not all arrived FACTDESK_BODY_TIMEOUT_S (10 s) after it opened or after its previous
    request began: a client that sends its headers a byte every few seconds no longer holds a
    socket for ever (uvicorn itself has no such timeout). ``serve`` names it by import path,
    so that every worker process loads it."""

    timeout_s: float = 10.0
    _header_timer: Any = None

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.timeout_s, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.transport is not None and not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: Any) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def _timeout_from_env() -> float:
    from service.settings import Settings

    try:
        return Settings.from_env().body_timeout_s
    except SystemExit:
        return 10.0


HeaderTimeoutProtocol.timeout_s = _timeout_from_env()
