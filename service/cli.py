"""The ``factdesk`` command: serve the API, manage the database, keys and the OpenAPI document.

Without DATABASE_URL every command uses the embedded PostgreSQL under FACTDESK_HOME, starting it
when needed and stopping it again when the command started it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

from service import __version__
from service.settings import Settings

T = TypeVar("T")
log = logging.getLogger("factdesk")


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


def _run_async(url: str, settings: Settings, fn: Callable[..., Awaitable[T]]) -> T:
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

    summary = _run_async(url, settings, seed_if_empty)
    if summary is not None:
        print(
            f"factdesk: loaded seeds: {summary.documents} documents, {summary.metrics} metrics, "
            f"{summary.actors} actors, {summary.claims} claims",
            file=sys.stderr,
        )


# -- commands ----------------------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    started = time.monotonic()

    # uvicorn re-raises SIGTERM after its graceful shutdown; turning it into SystemExit(0) lets
    # the embedded server stop cleanly and the process exit 0.
    def _terminate(signum: int, _frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, _terminate)
    with database(settings, own=True) as url:
        prepare(url, settings, seed=not args.no_seed)
        os.environ["DATABASE_URL"] = url
        os.environ["FACTDESK_ACCESS_LOG"] = "0" if args.no_access_log else "1"
        print(
            f"factdesk {__version__}: serving on http://{args.host}:{args.port} "
            f"(ready in {time.monotonic() - started:.1f}s; API reference at /openapi, pages at /)",
            file=sys.stderr,
        )
        try:
            uvicorn.run(
                "service.app:create_app",
                factory=True,
                host=args.host,
                port=args.port,
                workers=args.workers,
                log_level=settings.log_level,
                access_log=False,  # ours is JSON with the request id (service.observability)
                server_header=False,
                timeout_graceful_shutdown=10,
                timeout_keep_alive=5,  # an idle connection is closed after 5 s
                limit_concurrency=settings.max_connections,  # past this, 503 at once rather than a queue
                http="service.limits:HeaderTimeoutProtocol",  # headers, too, must arrive in time
            )
        except KeyboardInterrupt:
            pass
    return 0


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
            summary = _run_async(url, settings, load)
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
                key = _run_async(url, settings, create)
            except Exception as exc:  # the name is taken: say so without a traceback
                if "uq_api_keys_name" in str(exc):
                    print(f"factdesk keys create: a key named {args.name!r} exists already", file=sys.stderr)
                    return 1
                raise
            role = " (curator)" if args.curator else ""
            print(f"created API key {args.name!r}{role}; it is shown only once:", file=sys.stderr)
            print(key)
        elif args.keys_command == "list":
            rows = _run_async(url, settings, keys.list_keys)
            print(f"{'NAME':<24} {'PREFIX':<10} {'CREATED':<20} {'LAST USED':<20} REVOKED")
            for k in rows:
                fmt = lambda t: t.strftime("%Y-%m-%d %H:%M:%S") if t else "-"  # noqa: E731
                print(f"{k.name:<24} {k.prefix:<10} {fmt(k.created_at):<20} {fmt(k.last_used_at):<20} {fmt(k.revoked_at)}")
        else:

            async def revoke(conn):  # type: ignore[no-untyped-def]
                async with conn.begin():
                    return await keys.revoke_key(conn, args.name)

            if not _run_async(url, settings, revoke):
                print(f"factdesk keys revoke: no active key named {args.name!r}", file=sys.stderr)
                return 1
            print(f"revoked {args.name!r}")
    return 0


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    import msgspec

    from service.claims.queries import get_claims
    from service.documents.ingest import DocumentCreate, ingest_document

    if os.path.isdir(args.file):
        from pathlib import Path

        from service.cli_ingest import ingest_folder

        return ingest_folder(Path(args.file), args, settings)
    if args.published is None:
        print("factdesk ingest: --published YYYY-MM-DD (or YYYY-MM, YYYY) is required for a single file", file=sys.stderr)
        return 2
    try:
        with open(args.file, encoding="utf-8", newline="") as f:
            body_text = f.read()
    except (OSError, UnicodeDecodeError) as exc:
        print(f"factdesk ingest: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    title = args.title or next((line.strip() for line in body_text.splitlines() if line.strip()), args.file)[:1000]
    from service.partial_dates import parse_partial

    try:
        parse_partial(args.published)
    except ValueError as exc:
        print(f"factdesk ingest: --published: {exc}", file=sys.stderr)
        return 2
    try:
        body = msgspec.convert(
            {
                "title": title, "outlet": args.outlet, "url": args.url, "language": args.language,
                "published": args.published.strip(), "text": body_text,
            },
            DocumentCreate,
        )
    except (ValueError, msgspec.ValidationError) as exc:
        print(f"factdesk ingest: {exc}", file=sys.stderr)
        return 2

    with database(settings, quiet=True) as url:
        prepare(url, settings, seed=True)  # an empty database gets the metric vocabulary first

        async def run(conn):  # type: ignore[no-untyped-def]
            async with conn.begin():
                doc_id, created, ids = await ingest_document(conn, body, api_key_id=None)
            return doc_id, created, await get_claims(conn, ids)

        from service.errors import ProblemError

        try:
            doc_id, created, claims = _run_async(url, settings, run)
        except ProblemError as exc:
            print(f"factdesk ingest: {exc.detail}", file=sys.stderr)
            return 1
    figures = [c for c in claims if c.metric]
    print(
        f"document {doc_id} ({'new' if created else 'already archived: nothing added'}): "
        f"{len(figures)} figures, {len(claims) - len(figures)} statements"
    )
    for c in claims:
        who = c.claimant.name if c.claimant else "(no named source)"
        chain = f" via {', '.join(c.via)}" if c.via else ""
        what = f"{c.metric:<14} {c.value.text:<20}" if c.metric and c.value else f"{'statement':<14} {'':<20}"
        scope = " ".join(x for x in (c.group, c.location, str(c.as_of or "")) if x)
        print(f"  #{c.id:<6} {what} {c.confidence:.2f}  {who}{chain}  {scope}")
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


def cmd_openapi(args: argparse.Namespace, settings: Settings) -> int:
    from service.app import create_app
    from service.openapi import COMMITTED, openapi_document, render

    content = render(openapi_document(create_app(settings, database_url="postgresql+psycopg://unused/unused")))
    if args.output == "-":
        sys.stdout.write(content)
    else:
        path = args.output or str(COMMITTED)
        with open(path, "w", encoding="utf-8") as f:
            f.write(content)
        print(f"wrote {path}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factdesk",
        description="factdesk: every competing figure, who said it, and a verbatim citation.",
        epilog="Without DATABASE_URL, commands use an embedded PostgreSQL under FACTDESK_HOME. "
               "`factdesk COMMAND --help` tells more.",
    )
    parser.add_argument("--version", action="version", version=f"factdesk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("serve", help="migrate, load seeds if empty, and serve the API", description="Migrate the database, load seeds/ if nothing is loaded, and serve the HTTP API.")
    p.add_argument("--host", default=None, help="address to listen on (default FACTDESK_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default FACTDESK_PORT or 8000)")
    p.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--no-seed", action="store_true", help="do not load seeds/ into an empty database")
    p.add_argument("--no-access-log", action="store_true", help="do not write the JSON access log line of each request")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("migrate", help="upgrade (or downgrade) the schema with Alembic", description="Run Alembic migrations.")
    p.add_argument("revision", nargs="?", default="head", help="target revision (default head)")
    p.add_argument("--downgrade", action="store_true", help="downgrade to REVISION instead (default: one step; 'base' removes everything)")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("seed", help="load seeds/ (idempotent: loading twice changes nothing)", description="Load seeds/; offsets are checked, and a bad claim stops the load.")
    p.set_defaults(func=cmd_seed)

    p = sub.add_parser("keys", help="create, list or revoke API keys for writes", description="API keys for the write endpoints.")
    ks = p.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    k = ks.add_parser("create", help="create a key and print it (last line; shown once)")
    k.add_argument("name", type=key_name, help="a name to recognise the key by (1-100 characters, unique)")
    k.add_argument("--curator", action="store_true",
                   help="a curator's key: may also retract or supersede curated claims another key (or the seeds) wrote")
    ks.add_parser("list", help="names, creation and last use (never the key)")
    k = ks.add_parser("revoke", help="revoke a key: requests with it get 401")
    k.add_argument("name", help="the name the key was created with (see `factdesk keys list`)")
    p.set_defaults(func=cmd_keys)

    p = sub.add_parser(
        "ingest",
        help="archive an article file, or a folder of them, and extract their claims",
        description=(
            "Archive a text file as a document (idempotent by content) and print the figures and\n"
            "statements extracted from it.\n\n"
            "Given a FOLDER, archive every *.txt and *.md in it but a README, by name, with a progress bar on stderr,\n"
            "and print a summary: documents new, already archived and failed (a bad file is skipped\n"
            "and reported, and the exit status is then 1), the claims extracted by metric and the top\n"
            "claimants. A manifest.json in the folder (the shape of seeds/manifest.json) gives each\n"
            "file it lists its title, outlet, url, published and language; other files take the\n"
            "options below, and their first line as the title."
        ),
        epilog="examples:\n  factdesk ingest article.txt --published 2024-05-07 --outlet 'Test Wire'\n"
               "  factdesk ingest articles/ --published 2024-05-07",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", metavar="FILE|FOLDER", help="a UTF-8 text file, or a folder of *.txt / *.md files")
    p.add_argument("--published", default=None, help="publication date, YYYY-MM-DD, or YYYY-MM or YYYY when only the month or year is known (required for a file; for a folder, for files the manifest does not list)")
    p.add_argument("--title", default=None, help="headline (default: the first line; a single file only)")
    p.add_argument("--outlet", default="unknown", help="publishing outlet (default: unknown)")
    p.add_argument("--url", default=None, help="the article's URL (a single file only)")
    p.add_argument("--language", default="en", help="language code (default en)")
    p.set_defaults(func=cmd_ingest)

    from service.cli_read import add_parsers

    add_parsers(sub, dict(os.environ))

    p = sub.add_parser("backup", help="write a backup of the database to FILE (pg_dump)", description="Back up the whole database (pg_dump custom format).")
    p.add_argument("file", help="where to write the backup (overwritten if it exists)")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="replace the database's contents with a backup FILE (pg_restore)", description="Restore a backup made by `factdesk backup`, replacing what the database holds, in one transaction.")
    p.add_argument("file", help="a file written by `factdesk backup`")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("demo-data", help="add a synthetic corpus of N claims for benchmarks and demos", description="Add a realistic synthetic corpus to the database: N claims in about N/20 documents whose text holds every quote, N/500 actors with aliases, every metric; loaded with COPY in one transaction. The same seed gives the same data.")
    p.add_argument("--claims", type=int, required=True, metavar="N", help="how many claims to add")
    p.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default 1); a seed can be loaded once per database")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_demo_data)

    p = sub.add_parser("openapi", help="write the OpenAPI document (default openapi/openapi.json)", description="Write the OpenAPI document the app serves.")
    p.add_argument("--output", "-o", default=None, help="file to write, or - for stdout")
    p.set_defaults(func=cmd_openapi)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "serve":
        args.host = args.host or settings.host
        args.port = args.port or settings.port
    sys.exit(args.func(args, settings))


if __name__ == "__main__":
    main()
