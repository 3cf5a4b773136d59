"""/healthz (the process answers) and /readyz (the database answers too)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get
from litestar.datastructures import State
from sqlalchemy import text

from service.db.engine import needs_database
from service.errors import ServiceUnavailable, problems


class Health(msgspec.Struct, omit_defaults=True):
    status: str
    database: str | None = None
    migration: str | None = None


@get("/healthz", operation_id="healthz", summary="Liveness: the process answers", tags=["health"])
async def healthz() -> Health:
    return Health(status="ok")


@get(
    "/readyz",
    operation_id="readyz",
    summary="Readiness: the database answers",
    tags=["health"],
    responses=problems(503),
)
async def readyz(state: State, request: Request[Any, Any, Any]) -> Health:
    needs_database(request.scope)
    try:
        async with state.engine.connect() as conn:
            revision = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar()
    except Exception as exc:  # any failure to reach the database means "not ready"
        raise ServiceUnavailable("the database is not reachable") from exc
    return Health(status="ready", database="ok", migration=revision)

