"""The async engine and the per-request connection.

Handlers get an ``AsyncConnection`` (SQLAlchemy Core, psycopg 3). Reads run in the connection's
implicit transaction, rolled back when the request ends; writes open their own transaction with
``conn.begin()`` and commit before the handler returns, so a 2xx is only sent for what is stored.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

from litestar.datastructures import State
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from service.settings import Settings, normalize_database_url


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


async def provide_connection(state: State) -> AsyncGenerator[AsyncConnection, None]:
    engine: AsyncEngine = state.engine
    async with engine.connect() as conn:
        yield conn
