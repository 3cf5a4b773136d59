"""HTTP conventions for people and caches: indented JSON for curl (or ``?pretty``), and
cache headers on public reads."""

from __future__ import annotations

import json

from litestar.types import ASGIApp, Message, Receive, Scope, Send

_JSON_TYPES = (b"application/json", b"application/problem+json", b"application/vnd.oai.openapi+json")
_NO_STORE_PATHS = {"/healthz", "/readyz"}
READ_MAX_AGE = 30  # seconds a public read may be reused by browsers and proxies


def wants_pretty(scope: Scope) -> bool:
    query = scope.get("query_string", b"")
    if query and any(part.split(b"=", 1)[0] == b"pretty" for part in query.split(b"&")):
        return True
    for name, value in scope.get("headers", []):
        if name == b"user-agent":
            return value.startswith(b"curl/")
    return False


def pretty_json_middleware(app: ASGIApp) -> ASGIApp:
    """Re-indents JSON bodies for a terminal. Only whole (non-streamed) JSON bodies are
    touched; everything else passes through unchanged."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not wants_pretty(scope):
            await app(scope, receive, send)
            return
        start: Message | None = None

        async def send_pretty(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                content_type = dict(message.get("headers", [])).get(b"content-type", b"")
                if content_type.split(b";")[0] in _JSON_TYPES:
                    start = message  # hold it: the length changes
                    return
                await send(message)
            elif start is not None and message["type"] == "http.response.body":
                body = message.get("body", b"")
                held, start = start, None
                if message.get("more_body"):
                    await send(held)
                    await send(message)
                    return
                try:
                    body = json.dumps(json.loads(body), indent=2, ensure_ascii=False).encode() + b"\n"
                except ValueError:
                    pass
                headers = [(k, v) for k, v in held.get("headers", []) if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(body)).encode()))
                await send({**held, "headers": headers})
                await send({"type": "http.response.body", "body": body})
            else:
                await send(message)

        await app(scope, receive, send_pretty)

    return middleware


# What a browser may load for each answer. The pages run no script and load only their own
# styles and images; an API answer loads nothing. The interactive reference (Swagger UI, served
# by the app itself) runs its own scripts.
CSP_PAGES = "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
CSP_REFERENCE = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
CSP_DATA = "default-src 'none'; frame-ancestors 'none'"
_REFERENCE_PATHS = ("/openapi", "/schema")


def security_headers(headers: list[tuple[bytes, bytes]], path: str) -> None:
    """nosniff everywhere (a JSON or CSV answer is never run as a script or a page), and a
    Content-Security-Policy that fits what the answer is."""
    names = {k.lower() for k, _ in headers}
    if b"x-content-type-options" not in names:
        headers.append((b"x-content-type-options", b"nosniff"))
    if b"content-security-policy" in names:
        return
    content_type = dict((k.lower(), v) for k, v in headers).get(b"content-type", b"").split(b";")[0]
    if path.startswith(_REFERENCE_PATHS) and not path.endswith(".json"):
        policy = CSP_REFERENCE
    elif content_type in (b"text/html", b"image/svg+xml"):
        policy = CSP_PAGES
    else:
        policy = CSP_DATA
    headers.append((b"content-security-policy", policy.encode()))


def csv_file_name(headers: list[tuple[bytes, bytes]], path: str) -> None:
    """A CSV answer names its file, so a browser or a spreadsheet saves it as claims.csv,
    document-1-claims.csv, actor-tokayev-statements.csv rather than as the URL."""
    content_type = dict((k.lower(), v) for k, v in headers).get(b"content-type", b"")
    if not content_type.startswith(b"text/csv") or any(k.lower() == b"content-disposition" for k, _ in headers):
        return
    parts = [p for p in path.strip("/").split("/") if p]
    singular = {"documents": "document", "actors": "actor", "events": "event", "claims": "claim", "metrics": "metric"}
    words = [singular.get(p, p) if i + 1 < len(parts) else p for i, p in enumerate(parts)]
    stem = "-".join(words) or "export"
    stem = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "-" for ch in stem)[:100].strip("-.") or "export"
    headers.append((b"content-disposition", f'attachment; filename="{stem}.csv"'.encode()))


async def cache_headers(message: Message, scope: Scope) -> None:
    """Before-send hook: successful GETs may be cached briefly by anyone (the data is public);
    health answers and everything else are not cached. Every answer gets its security headers."""
    if scope["type"] != "http" or message["type"] != "http.response.start":
        return
    headers = message.setdefault("headers", [])
    security_headers(headers, scope.get("path", ""))
    csv_file_name(headers, scope.get("path", ""))
    if any(k.lower() == b"cache-control" for k, _ in headers):
        return
    path = scope.get("path", "")
    if scope.get("method") in ("GET", "HEAD") and message["status"] in (200, 304) and path not in _NO_STORE_PATHS:
        headers.append((b"cache-control", f"public, max-age={READ_MAX_AGE}".encode()))
        headers.append((b"vary", b"Accept"))  # CSV or JSON; compression adds its own Vary
    else:
        headers.append((b"cache-control", b"no-store"))
