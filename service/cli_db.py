"""``factdesk migrate``, ``seed``, ``keys``, ``backup``, ``restore`` and ``demo-data``: managing
the database ``serve`` uses (DATABASE_URL, or the embedded PostgreSQL under FACTDESK_HOME)."""

from __future__ import annotations

import argparse
import os
import sys

from service.cli_common import database, prepare, run_async
from service.settings import Settings


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from service.db import migrate

    from alembic.util.exc import CommandError

    with database(settings) as url:
        try:
            if args.downgrade:
                migrate.downgrade(url, "-1" if args.revision == "head" else args.revision)
            else:
                migrate.upgrade(url, args.revision)
        except CommandError as exc:  # an unknown revision, or one on the wrong side of the current one
            print(f"factdesk migrate: {exc} (the revisions are the files in migrations/versions/; 'head' and 'base' work too)", file=sys.stderr)
            return 2
        print(f"schema at revision {migrate.current(url)}")
    return 0


def key_name(value: str) -> str:
    """A key's name: 1 to 100 visible characters (it is how `keys list` and `revoke` find it)."""
    if not value.strip():
        raise argparse.ArgumentTypeError("a key name must not be empty or only spaces")
    if len(value) > 100:
        raise argparse.ArgumentTypeError(f"a key name is at most 100 characters (this one has {len(value)})")
    if any(not ch.isprintable() for ch in value):
        raise argparse.ArgumentTypeError("a key name must not contain control characters")
    return value


def cmd_seed(args: argparse.Namespace, settings: Settings) -> int:
    from service.db import migrate
    from service.seeds import SeedError, load_seeds

    with database(settings) as url:
        migrate.upgrade(url)

        async def load(conn):  # type: ignore[no-untyped-def]
            async with conn.begin():
                return await load_seeds(conn, settings.seeds_dir)

        try:
            summary = run_async(url, settings, load)
        except SeedError as exc:
            print(f"factdesk seed: {exc}", file=sys.stderr)
            return 1
    print(
        f"seeds: {summary.documents} documents, {summary.metrics} metrics, {summary.actors} actors, "
        f"{summary.claims} claims ({summary.new_claims} new)"
    )
    return 0


def cmd_keys(args: argparse.Namespace, settings: Settings) -> int:
    from service import keys

    with database(settings, quiet=True) as url:
        prepare(url, settings, seed=False)
        if args.keys_command == "create":

            async def create(conn):  # type: ignore[no-untyped-def]
                async with conn.begin():
                    return await keys.create_key(conn, args.name, curator=args.curator)

            try:
                key = run_async(url, settings, create)
            except Exception as exc:  # the name is taken: say so without a traceback
                if "uq_api_keys_name" in str(exc):
                    print(f"factdesk keys create: a key named {args.name!r} exists already", file=sys.stderr)
                    return 1
                raise
            role = " (curator)" if args.curator else ""
            print(f"created API key {args.name!r}{role}; it is shown only once:", file=sys.stderr)
            print(key)
        elif args.keys_command == "list":
            rows = run_async(url, settings, keys.list_keys)
            print(f"{'NAME':<24} {'PREFIX':<10} {'CREATED':<20} {'LAST USED':<20} REVOKED")
            for k in rows:
                fmt = lambda t: t.strftime("%Y-%m-%d %H:%M:%S") if t else "-"  # noqa: E731
                print(f"{k.name:<24} {k.prefix:<10} {fmt(k.created_at):<20} {fmt(k.last_used_at):<20} {fmt(k.revoked_at)}")
        else:

            async def revoke(conn):  # type: ignore[no-untyped-def]
                async with conn.begin():
                    return await keys.revoke_key(conn, args.name)

            if not run_async(url, settings, revoke):
                print(f"factdesk keys revoke: no active key named {args.name!r}", file=sys.stderr)
                return 1
            print(f"revoked {args.name!r}")
    return 0


def _pg_tool(name: str) -> str:
    from service.db.embedded import bin_dir

    return str(bin_dir() / name)


def _libpq_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    import subprocess

    with database(settings, quiet=True) as url:
        prepare(url, settings, seed=False)
        result = subprocess.run(
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", args.file, "--dbname", _libpq_url(url)],
            capture_output=True, text=True,
        )
    if result.returncode != 0:
        print(f"factdesk backup: pg_dump failed: {result.stderr.strip()}", file=sys.stderr)
        return 1
    print(f"wrote {args.file} ({os.path.getsize(args.file):,} bytes)")
    return 0


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    import subprocess

    if not os.path.isfile(args.file):
        print(f"factdesk restore: no such file: {args.file}", file=sys.stderr)
        return 2
    with database(settings, quiet=True) as url:
        # Replace everything in the database with the backup, in one transaction: a failed
        # restore leaves the database as it was. pg_restore writes the SQL and psql runs it, so
        # that settings newer servers know (the embedded pg_restore is PostgreSQL 18's) can be
        # dropped for an older server.
        import psycopg

        with psycopg.connect(_libpq_url(url)) as conn:
            server_version = conn.info.server_version
        script = subprocess.run(
            [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--file", "-", args.file],
            capture_output=True,
        )
        if script.returncode != 0:
            print(f"factdesk restore: {args.file} is not a factdesk backup: {script.stderr.decode().strip()}", file=sys.stderr)
            return 1
        sql = script.stdout
        if server_version < 170000:
            sql = b"\n".join(line for line in sql.split(b"\n") if not line.startswith(b"SET transaction_timeout"))
        result = subprocess.run(
            [_pg_tool("psql"), "--no-psqlrc", "--quiet", "--single-transaction", "--set", "ON_ERROR_STOP=1",
             "--dbname", _libpq_url(url), "--file", "-"],
            input=sql, capture_output=True,
        )
        result.stderr = result.stderr.decode(errors="replace")  # type: ignore[assignment]
    if result.returncode != 0:
        print(f"factdesk restore: failed, nothing was changed: {str(result.stderr).strip()}", file=sys.stderr)
        return 1
    print(f"restored {args.file}")
    return 0


def cmd_demo_data(args: argparse.Namespace, settings: Settings) -> int:
    from service.demo import load_demo_data

    if args.claims < 1:
        print("factdesk demo-data: --claims must be at least 1", file=sys.stderr)
        return 2
    with database(settings, quiet=True) as url:
        prepare(url, settings, seed=False)
        summary = load_demo_data(url, args.claims, args.seed, seeds_dir=settings.seeds_dir, progress=not args.quiet)
    print(
        f"demo-data (seed {args.seed}): {summary.claims:,} claims ({summary.figures:,} figures), "
        f"{summary.documents:,} documents, {summary.actors:,} actors ({summary.names:,} names), "
        f"{summary.via:,} via links, {summary.metrics} metrics in {summary.seconds:.1f}s"
    )
    return 0
