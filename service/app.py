"""The Litestar application: routes, error handling, the database engine's lifetime."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.di import Provide

from service.actors.controller import ActorController
from service.claims.controller import ClaimController
from service.db.engine import make_engine, provide_connection
from service.documents.controller import DocumentController
from service.errors import EXCEPTION_HANDLERS
from service.health import healthz, readyz
from service.metrics.controller import MetricController
from service.openapi import openapi_config, openapi_document
from service.settings import Settings

log = logging.getLogger("factdesk")


def create_app(settings: Settings | None = None, database_url: str | None = None) -> Litestar:
    """The app. ``database_url`` defaults to DATABASE_URL; ``factdesk serve`` sets it to the
    embedded server's URL before starting workers, so every worker finds the same database."""
    settings = settings or Settings.from_env()
    url = database_url or settings.database_url or os.environ.get("DATABASE_URL")

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
        if not url:
            raise RuntimeError("no database URL: start the service with `factdesk serve`")
        app.state.engine = make_engine(url, settings)
        openapi_document(app)  # generate and post-process once, before the first request
        try:
            yield
        finally:
            await app.state.engine.dispose()

    return Litestar(
        route_handlers=[ClaimController, MetricController, ActorController, DocumentController, healthz, readyz],
        dependencies={"conn": Provide(provide_connection)},
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=openapi_config(),
        lifespan=[lifespan],
        request_max_body_size=settings.max_body_bytes,
        debug=False,
    )
