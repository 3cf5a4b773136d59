"""``factdesk claims``, ``actors``, ``documents``, ``metrics`` and ``events``: the API's lists as
a readable table (or CSV, or JSON), read from a running server or straight from the database.

The rows come from ``cli_sources`` (the HTTP API with ``--server URL`` or FACTDESK_URL,
otherwise the database ``factdesk serve`` uses, through the query functions the API calls) and
are printed by ``cli_output``, so the same data gives the same table either way. The claims'
``--format csv`` is the API's CSV itself: the columns of ``GET /claims?format=csv``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from typing import Any

from service.cli_output import (
    ACTOR_COLUMNS,
    CLAIM_COLUMNS,
    DEFAULT_WIDTH,
    DOCUMENT_COLUMNS,
    EVENT_COLUMNS,
    METRIC_COLUMNS,
    actor_row,
    claim_row,
    document_row,
    emit,
    emit_csv,
    event_row,
    metric_row,
)
from service.cli_sources import DatabaseSource, HttpSource, ReadError
from service.settings import Settings

STATUSES = ("unreviewed", "accepted", "retracted", "superseded")


# -- the commands ----------------------------------------------------------------------------


def source(args: argparse.Namespace, settings: Settings) -> HttpSource | DatabaseSource:
    return HttpSource(args.server) if args.server else DatabaseSource(settings)


def _guarded(name: str, body: Callable[[], None]) -> int:
    try:
        body()
    except ReadError as exc:
        print(f"factdesk {name}: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `factdesk claims | head`
        sys.stderr.close()
    return 0


def claim_filters_from(args: argparse.Namespace) -> dict[str, Any]:
    """The command's options as the API's query parameters (names and values)."""
    filters: dict[str, Any] = {
        "metric": args.metric, "event": args.event, "actor": args.actor, "document": args.document, "outlet": args.outlet,
        "location": args.location, "group": args.group, "since": args.since, "until": args.until,
        "min_confidence": args.min_confidence, "q": args.q, "status": args.status, "known_at": args.known_at,
    }
    return {k: v for k, v in filters.items() if v is not None}


def cmd_claims(args: argparse.Namespace, settings: Settings) -> int:
    def body() -> None:
        if args.format == "csv":  # the API's CSV: GET /claims?format=csv, page after page
            emit_csv(*source(args, settings).claims_csv(claim_filters_from(args), args.limit), args, "claims")
            return
        items, more = source(args, settings).claims(claim_filters_from(args), args.limit)
        emit(items, more, CLAIM_COLUMNS, claim_row, args, "claims")

    return _guarded("claims", body)


def cmd_actors(args: argparse.Namespace, settings: Settings) -> int:
    def body() -> None:
        items, more = source(args, settings).actors(args.q, args.limit)
        emit(items, more, ACTOR_COLUMNS, actor_row, args, "actors")

    return _guarded("actors", body)


def cmd_documents(args: argparse.Namespace, settings: Settings) -> int:
    def body() -> None:
        filters = {"outlet": args.outlet, "event": args.event, "since": args.since, "until": args.until}
        filters = {k: v for k, v in filters.items() if v is not None or k != "event"}
        items, more = source(args, settings).documents(filters, args.limit)
        emit(items, more, DOCUMENT_COLUMNS, document_row, args, "documents")

    return _guarded("documents", body)


def cmd_metrics(args: argparse.Namespace, settings: Settings) -> int:
    def body() -> None:
        items = source(args, settings).metrics(args.event)[: args.limit]
        emit(items, False, METRIC_COLUMNS, metric_row, args, "metrics")

    return _guarded("metrics", body)


def cmd_events(args: argparse.Namespace, settings: Settings) -> int:
    def body() -> None:
        items, more = source(args, settings).events(args.q, args.limit)
        emit(items, more, EVENT_COLUMNS, event_row, args, "events")

    return _guarded("events", body)


# -- the parsers -----------------------------------------------------------------------------


def day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD") from None


def positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return n


def confidence(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        x = -1.0
    if not 0 <= x <= 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number from 0 to 1")
    return x


def _common(p: argparse.ArgumentParser, default_limit: int, env: dict[str, str], csv: str = "the same columns, uncut") -> None:
    p.add_argument("--limit", type=positive, default=default_limit, metavar="N", help=f"at most N rows (default {default_limit})")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table",
                   help=f"table (default: fixed-width, long text cut with …), csv ({csv}) or json (the API's objects)")
    p.add_argument("--width", type=positive, default=None, metavar="COLS",
                   help=f"table width (default: the terminal's, or {DEFAULT_WIDTH} when not a terminal)")
    p.add_argument("--server", default=env.get("FACTDESK_URL") or None, metavar="URL",
                   help="read from a running factdesk at URL, e.g. http://localhost:8000 (default FACTDESK_URL; "
                        "unset: read the database directly, as `serve` finds it)")


def add_parsers(sub: Any, env: dict[str, str]) -> None:
    p = sub.add_parser(
        "claims",
        help="list claims as a table: every figure and statement matching the filters",
        description="List claims like GET /claims, as a table: id, metric, value and its range, claimant, "
                    "the chain it came through (via), as_of, outlet and the start of the quote. "
                    "Filters combine; names resolve in any spelling. --format csv prints the API's CSV "
                    "(GET /claims?format=csv: id, metric, value_low, value_high, … event_name).",
        epilog="example: factdesk claims --metric arrests --location Almaty",
    )
    p.add_argument("--metric", help="metric slug or synonym: arrests, detained, deaths…")
    p.add_argument("--event", metavar="NAME", help="event: slug, name or alias (see `factdesk events`)")
    p.add_argument("--actor", "--claimant", dest="actor", metavar="NAME", help="claimant: slug, name or alias, any case or accents")
    p.add_argument("--location", help="where the figure applies, e.g. Almaty")
    p.add_argument("--group", help="who is counted, e.g. protesters")
    p.add_argument("--outlet", help="outlet of the citing document")
    p.add_argument("--document", type=positive, metavar="ID", help="claims citing this document")
    p.add_argument("--since", type=day, metavar="YYYY-MM-DD", help="as_of on or after this day")
    p.add_argument("--until", type=day, metavar="YYYY-MM-DD", help="as_of on or before this day")
    p.add_argument("--known-at", dest="known_at", type=day, metavar="YYYY-MM-DD",
                   help="time travel: what was known by the end of this day")
    p.add_argument("--min-confidence", dest="min_confidence", type=confidence, metavar="X", help="only claims at least this confident (0..1)")
    p.add_argument("--q", metavar="TEXT", help="text that must occur in the quote")
    p.add_argument("--status", action="append", choices=STATUSES,
                   help="review states to include (repeatable; default unreviewed and accepted)")
    _common(p, 20, env, csv="the API's CSV, as GET /claims?format=csv: every column, uncut")
    p.set_defaults(func=cmd_claims)

    p = sub.add_parser(
        "actors",
        help="list actors (people, governments, media) with how much each claims",
        description="List actors with their claim counts, like GET /actors: all of them by slug, or with "
                    "--q the best matches for a name or alias (any spelling).",
        epilog="example: factdesk actors --q tokaev",
    )
    p.add_argument("--q", metavar="NAME", help="part of a name or alias")
    _common(p, 20, env)
    p.set_defaults(func=cmd_actors)

    p = sub.add_parser(
        "documents",
        help="list the archived articles with how many claims cite each",
        description="List archived documents like GET /documents: id, publication date, outlet, title, claims.",
    )
    p.add_argument("--outlet", help="outlet name, any case")
    p.add_argument("--event", metavar="NAME", help="documents in this event: slug, name or alias")
    p.add_argument("--since", type=day, metavar="YYYY-MM-DD", help="published on or after this day")
    p.add_argument("--until", type=day, metavar="YYYY-MM-DD", help="published on or before this day")
    _common(p, 20, env)
    p.set_defaults(func=cmd_documents)

    p = sub.add_parser(
        "metrics",
        help="list the metric vocabulary with how many figures, claimants and documents each has",
        description="List metrics like GET /metrics: slug, figures, claimants, documents, events, and the range "
                    "(only within one event: low and high are empty when a metric's figures span several).",
        epilog="example: factdesk metrics --event 'Bloody January'",
    )
    p.add_argument("--event", metavar="NAME", help="count only this event's figures: slug, name or alias")
    _common(p, 100, env)
    p.set_defaults(func=cmd_metrics)

    p = sub.add_parser(
        "events",
        help="list the events the desk follows, the latest to begin first",
        description="List events like GET /events: slug, kind, the day it began, its first and last article, "
                    "how many documents and claims it holds, its name. --q searches names and aliases.",
        epilog="example: factdesk events --q kazakh",
    )
    p.add_argument("--q", metavar="NAME", help="part of an event's name or alias")
    _common(p, 20, env)
    p.set_defaults(func=cmd_events)
