"""Alembic environment: migrations are the only way factdesk's schema changes.

The URL comes from the caller (``factdesk migrate`` passes the resolved one, embedded or
DATABASE_URL) through ``config.attributes["url"]``, or from DATABASE_URL when alembic is run by
hand. Migrations run synchronously with psycopg 3, the same driver the service uses.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine, pool

from service.settings import normalize_database_url

config = context.config


def _url() -> str:
    url = config.attributes.get("url") or os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("no database URL: run `factdesk migrate`, or set DATABASE_URL for plain alembic")
    return normalize_database_url(url)


def run_migrations_offline() -> None:
    context.configure(url=_url(), literal_binds=True, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(_url(), poolclass=pool.NullPool)
    with engine.connect() as conn:
        context.configure(connection=conn, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
