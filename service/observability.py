"""Request ids and the structured access log.

Every response carries ``X-Request-ID``: the client's own when it sends a sane one, else a new
one. The same id is in the JSON access log line written when the response is finished, so a
user's report ("request 5f2c… failed") leads straight to the log.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from typing import Any

from litestar.types import ASGIApp, Empty, Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

access_log = logging.getLogger("factdesk.access")
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_service_log() -> None:
    """The service's own warnings and errors (a database outage, an unexpected error with its
    traceback) as JSON lines on stderr, like the access log, so one parser reads the stream."""
    service_log = logging.getLogger("factdesk")
    service_log.handlers.clear()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    service_log.addHandler(handler)
    service_log.propagate = False
    if service_log.level == logging.NOTSET:
        service_log.setLevel(logging.INFO)


_SECRET_PARAMS = re.compile(r"(?i)(^|&)((?:api[_-]?)?key|token|access_token|auth|authorization|bearer|password|secret)=[^&]*")


def redact_query(query: str) -> str:
    """The query string as the access log keeps it: a key sent there by mistake (it is refused)
    is not written to the log."""
    return _SECRET_PARAMS.sub(lambda m: f"{m.group(1)}{m.group(2)}=[redacted]", query)


def configure_access_log(enabled: bool) -> None:
    access_log.handlers.clear()
    access_log.propagate = False
    if enabled:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        access_log.addHandler(handler)
        access_log.setLevel(logging.INFO)
    else:
        access_log.setLevel(logging.CRITICAL + 1)


def request_id(scope: Scope) -> str:
    """The request's id: the client's X-Request-ID when it is sane, else a new one (once)."""
    state = scope.setdefault("state", {})
    rid = state.get("request_id")
    if rid is None:
        sent = ""
        for name, value in scope.get("headers", []):
            if name == b"x-request-id":
                sent = value.decode("latin-1")
                break
        rid = sent if _SANE_ID.match(sent) else uuid.uuid4().hex
        state["request_id"] = rid
        state["request_started"] = time.perf_counter()
    return rid


async def before_send(message: Message, scope: Scope) -> None:
    """Litestar's app-level send hook: it sees every response, routed or not (404, 405 and
    errors raised before a handler included), so the header and the log line are never missed."""
    if scope["type"] != "http":
        return
    rid = request_id(scope)
    if message["type"] == "http.response.start":
        headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
        headers.append((b"x-request-id", rid.encode()))
        message["headers"] = headers
        scope["state"]["response_status"] = message["status"]
    elif message["type"] == "http.response.body" and not message.get("more_body", False):
        if access_log.isEnabledFor(logging.INFO):
            state = scope["state"]
            client = scope.get("client") or ("", 0)
            access_log.info(
                "request",
                extra={
                    "fields": {
                        "request_id": rid,
                        "method": scope.get("method"),
                        "path": scope.get("path"),
                        "query": redact_query(scope.get("query_string", b"").decode("latin-1"))[:500],
                        "status": state.get("response_status", 0),
                        "duration_ms": round((time.perf_counter() - state.get("request_started", time.perf_counter())) * 1000, 2),
                        "client": client[0],
                    }
                },
            )


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    """Fixes the request id (and its start time) before any handler or error handler runs."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            _drop_refused_encodings(scope)
            request_id(scope)
        await app(scope, receive, send)

    return middleware


def _drop_refused_encodings(scope: Scope) -> None:
    """Litestar's compression looks for "gzip" in Accept-Encoding and ignores q-values, so
    ``gzip;q=0`` (RFC 9110: not acceptable) would still get gzip: such codings are removed
    from the header before it looks."""
    headers = scope["headers"]
    for i, (name, value) in enumerate(headers):
        if name == b"accept-encoding" and b"q=0" in value.replace(b" ", b""):
            kept = [part for part in value.split(b",") if not re.search(rb";\s*q=0(\.0*)?\s*$", part.strip())]
            scope["headers"] = [*headers[:i], (name, b",".join(kept)), *headers[i + 1:]]
            ScopeState.from_scope(scope).headers = Empty  # Litestar's CORS middleware read (and cached) them already
            return