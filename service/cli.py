"""The ``factdesk`` command: its parser, ``serve`` and ``openapi``; the other commands live in
``cli_db`` (migrate, seed, keys, backup, restore, demo-data), ``cli_ingest`` (ingest) and
``cli_read`` (claims, actors, documents, metrics, events).

Without DATABASE_URL every command uses the embedded PostgreSQL under FACTDESK_HOME, starting it
when needed and stopping it again when the command started it.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import time

from service import __version__
from service.cli_common import database, prepare  # prepare: tests import it from here too
from service.cli_db import cmd_backup, cmd_demo_data, cmd_keys, cmd_migrate, cmd_restore, cmd_seed, key_name
from service.cli_ingest import cmd_ingest
from service.cli_read import add_parsers as add_read_parsers
from service.settings import Settings

log = logging.getLogger("factdesk")


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

    add_read_parsers(sub, dict(os.environ))

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
