"""The Litestar application: routes, error handling, the database engine's lifetime."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Request, Response
from litestar.config.compression import CompressionConfig
from litestar.config.cors import CORSConfig
from litestar.di import Provide
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.compression import CompressionMiddleware
from litestar.routes import HTTPRoute
from litestar.types import Receive, Scope, Send

from service import web
from service.actors.controller import ActorController
from service.claims.controller import ClaimController
from service.conventions import cache_headers, pretty_json_middleware
from service.db.engine import connection_middleware, make_engine, provide_connection
from service.db.watch import DatabaseWatch
from service.documents.controller import DocumentController
from service.events.controller import EventController
from service.events.features import warm_up
from service.errors import EXCEPTION_HANDLERS, Problem, problem_response
from service.health import healthz, readyz
from service.limits import make_body_limits
from service.metrics.controller import MetricController
from service.observability import before_send, configure_access_log, configure_service_log, request_id_middleware
from service.openapi import openapi_config, openapi_document
from service.query_check import known_query_parameters, non_json_body, unknown_query_parameters
from service.settings import Settings

log = logging.getLogger("factdesk")
COMPRESSION = CompressionConfig(backend="gzip", minimum_size=2048, gzip_compress_level=5)


# Cross-origin requests may read; writes carry an API key, which belongs on a server, not in a page.
CORS = CORSConfig(allow_origins=["*"], allow_methods=["GET", "HEAD", "OPTIONS"], expose_headers=["ETag", "Link", "X-Request-ID", "Retry-After"])


class Factdesk(Litestar):
    """Litestar, answering HEAD wherever GET is answered (RFC 9110 §9.3.2): the request is
    handled as a GET and the server (uvicorn, which still sees HEAD) sends the headers with
    Content-Length but no body. Litestar alone answers HEAD on a GET route with 405.

    A CORS preflight for a method other origins may not use is refused as problem+json, like
    every other wrong request (Litestar's own refusal is a text/plain "Disallowed CORS method")."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "HEAD":
            scope = {**scope, "method": "GET"}  # type: ignore[assignment]
        elif scope["type"] == "http" and scope["method"] == "OPTIONS":
            headers = dict(scope["headers"])
            wanted = headers.get(b"access-control-request-method", b"").decode("latin-1").strip()
            if b"origin" in headers and wanted and wanted not in CORS.allow_methods:
                await _refuse_preflight(self, scope, receive, send, wanted)
                return
        await super().__call__(scope, receive, send)


async def _refuse_preflight(app: Litestar, scope: Scope, receive: Receive, send: Send, method: str) -> None:
    reads = ", ".join(m for m in CORS.allow_methods if m != "OPTIONS")
    request = app.request_class(scope=scope, receive=receive, send=send)
    detail = f"other origins may only read ({reads}), not {method}: send writes from a server, with your API key"
    response = problem_response(request, Problem(title="Bad Request", status=400, detail=detail), {"Vary": "Origin"})
    await response.to_asgi_response(app=None, request=request)(scope, receive, send)


def create_app(settings: Settings | None = None, database_url: str | None = None) -> Litestar:
    """The app. ``database_url`` defaults to DATABASE_URL; ``factdesk serve`` sets it to the
    embedded server's URL before starting workers, so every worker finds the same database."""
    settings = settings or Settings.from_env()
    url = database_url or settings.database_url or os.environ.get("DATABASE_URL")

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
        configure_service_log()
        configure_access_log(os.environ.get("FACTDESK_ACCESS_LOG", "1") != "0")
        if not url:
            raise RuntimeError("no database URL: start the service with `factdesk serve`")
        app.state.settings = settings
        app.state.engine = make_engine(url, settings)
        app.state.read_engine = make_engine(settings.read_database_url or url, settings, autocommit=True)
        app.state.page_engine = make_engine(settings.read_database_url or url, settings, autocommit=True, generic_plans=True)
        app.state.replica = bool(settings.read_database_url)
        app.state.watch = DatabaseWatch(app.state.engine)
        app.state.read_watch = DatabaseWatch(app.state.read_engine)
        app.state.watch.start()
        app.state.read_watch.start()
        openapi_document(app)  # generate and post-process once, before the first request
        known_query_parameters(app)  # each operation's query parameters, read off that document once
        # the gazetteer (about a second to build) is loaded off the event loop now, so that the
        # worker's first ingest does not hold its transaction (and the posts waiting on it) meanwhile
        app.state.warm_up = asyncio.get_running_loop().run_in_executor(None, warm_up)
        try:
            yield
        finally:
            await app.state.watch.stop()
            await app.state.read_watch.stop()
            await app.state.engine.dispose()
            await app.state.read_engine.dispose()
            await app.state.page_engine.dispose()

    allow_by_path: dict[str, str] = {}

    async def answer_options(request: Request[Any, Any, Any]) -> Response[None] | None:
        # Litestar builds a path's OPTIONS handler before every method of a controller is
        # registered, so its Allow header can miss some; answer OPTIONS from the final routes.
        if request.method in ("POST", "PATCH", "PUT"):
            refused = non_json_body(request)
            if refused is not None:
                return refused
        if request.method != "OPTIONS":
            return unknown_query_parameters(request)
        allow = allow_by_path.get(request.scope.get("path_template", ""))
        return Response(None, status_code=204, headers={"Allow": allow}) if allow else None

    app = Factdesk(
        route_handlers=[ClaimController, MetricController, ActorController, DocumentController, EventController, healthz, readyz, *web.route_handlers],
        dependencies={"conn": Provide(provide_connection)},
        # Compression wraps the pretty-printer so that it sees (and squeezes) the final JSON.
        middleware=[request_id_middleware, make_body_limits(settings.body_timeout_s, settings.max_body_bytes),
                    DefineMiddleware(CompressionMiddleware, config=COMPRESSION), pretty_json_middleware, connection_middleware],
        cors_config=CORS,
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=openapi_config(),
        lifespan=[lifespan],
        request_max_body_size=settings.max_body_bytes,
        debug=False,
        before_request=answer_options,
        before_send=[before_send, cache_headers],
    )
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            methods = set(route.methods) | ({"HEAD"} if "GET" in route.methods else set())
            allow_by_path[route.path_format] = ", ".join(sorted(methods))
    return app
