"""What every ``factdesk`` command module shares: the database a command uses, running a
coroutine on one connection to it, and preparing it (migrations, seeds).

The command modules import this one and never ``service.cli``, which imports them:
``service.cli`` -> ``service.cli_read`` / ``cli_ingest`` / ``cli_db`` -> ``service.cli_common``.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

from service.settings import Settings

T = TypeVar("T")


@contextlib.contextmanager
def database(settings: Settings, *, quiet: bool = False, own: bool = False) -> Iterator[str]:
    """The database URL to use: DATABASE_URL, or the embedded server (started if needed, and
    stopped afterwards if this command started it or, with ``own``, adopted it)."""
    if settings.database_url:
        from service.settings import normalize_database_url

        yield normalize_database_url(settings.database_url)
        return
    from service.db.embedded import EmbeddedPostgres

    embedded = EmbeddedPostgres(settings.home)
    if not quiet:
        print(f"factdesk: embedded PostgreSQL in {embedded.pgdata}", file=sys.stderr)
    embedded.start(own=own)
    end_watch = embedded.supervise() if own and embedded.started_here else None
    try:
        embedded.ensure_database()
        yield embedded.url()
    finally:
        if end_watch is not None:
            end_watch()
        if embedded.started_here:
            embedded.stop()


def run_async(url: str, settings: Settings, fn: Callable[..., Awaitable[T]]) -> T:
    """``fn(conn)`` on one connection of a fresh engine, disposed of afterwards."""
    from service.db.engine import make_engine

    async def main() -> T:
        engine = make_engine(url, settings)
        try:
            async with engine.connect() as conn:
                return await fn(conn)
        finally:
            await engine.dispose()

    return asyncio.run(main())


def prepare(url: str, settings: Settings, *, seed: bool) -> None:
    """Migrate to head and, when ``seed`` and nothing is loaded yet, load the seeds."""
    from service.db import migrate
    from service.seeds import is_seeded, load_seeds

    migrate.upgrade(url)
    if not seed:
        return

    async def seed_if_empty(conn):  # type: ignore[no-untyped-def]
        async with conn.begin():
            if await is_seeded(conn):
                return None
            return await load_seeds(conn, settings.seeds_dir)

    summary = run_async(url, settings, seed_if_empty)
    if summary is not None:
        print(
            f"factdesk: loaded seeds: {summary.documents} documents, {summary.metrics} metrics, "
            f"{summary.actors} actors, {summary.claims} claims",
            file=sys.stderr,
        )
