"""``factdesk claims``, ``factdesk actors`` and ``factdesk documents``: the API's lists as a
readable table (or CSV, or JSON), read from a running server or straight from the database.

Both sources produce the same msgspec structs (the API's response shapes), and one renderer
prints them, so the same data gives the same table either way:

- ``--server URL`` (or FACTDESK_URL): GET the HTTP API with the stdlib's urllib.
- otherwise the database ``factdesk serve`` uses (DATABASE_URL, or the embedded PostgreSQL
  under FACTDESK_HOME, started if needed), through the same query functions the API calls.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import shutil
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any

import msgspec

from service import __version__
from service.actors.schemas import Actor, ActorMatch, ActorPage
from service.claims.schemas import Claim, ClaimPage
from service.csvout import safe_cell
from service.documents.schemas import DocumentMeta, DocumentPage
from service.events.schemas import Event, EventPage
from service.metrics.schemas import Metric, MetricList
from service.settings import Settings

PAGE = 500  # the API's largest page
DEFAULT_WIDTH = 160  # table width when stdout is not a terminal (and no --width)
STATUSES = ("unreviewed", "accepted", "retracted", "superseded")


class ReadError(Exception):
    """Something the person running the command should read: one line, no traceback."""


# -- where the rows come from ----------------------------------------------------------------


class HttpSource:
    """Reads through a running factdesk server's HTTP API."""

    def __init__(self, base: str) -> None:
        base = base.strip().rstrip("/")
        if "://" not in base:
            base = "http://" + base
        self.base = base

    def _get(self, path: str, params: Sequence[tuple[str, Any]] = ()) -> bytes:
        query = urllib.parse.urlencode([(k, str(v)) for k, v in params if v is not None])
        url = f"{self.base}{path}" + (f"?{query}" if query else "")
        request = urllib.request.Request(
            url, headers={"Accept": "application/json", "User-Agent": f"factdesk-cli/{__version__}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            raise ReadError(_problem_detail(exc)) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            reason = getattr(reason, "strerror", None) or reason
            raise ReadError(f"cannot reach the server at {self.base} ({reason}); is `factdesk serve` running there?") from None

    def claims(self, filters: dict[str, Any], limit: int) -> tuple[list[Claim], bool]:
        items: list[Claim] = []
        cursor = None
        params = [(k, x) for k, v in filters.items() for x in (v if isinstance(v, list) else [v])]
        while True:
            size = min(limit - len(items), PAGE)
            page = msgspec.json.decode(
                self._get("/claims", [*params, ("limit", size), ("cursor", cursor)]), type=ClaimPage
            )
            items += [_whole_bounds(c) for c in page.items]
            cursor = page.next_cursor
            if cursor is None or len(items) >= limit:
                return items, cursor is not None

    def actors(self, q: str | None, limit: int) -> tuple[list[tuple[ActorMatch, Actor]], bool]:
        matches, more = self._actor_matches(q, limit)
        out = []
        for m in matches:
            detail = msgspec.json.decode(self._get(f"/actors/{urllib.parse.quote(m.slug, safe='')}"), type=Actor)
            out.append((m, detail))
        return out, more

    def _actor_matches(self, q: str | None, limit: int) -> tuple[list[ActorMatch], bool]:
        if q is not None:
            page = msgspec.json.decode(self._get("/actors", [("q", q), ("limit", min(limit, PAGE))]), type=ActorPage)
            return page.items, False
        items: list[ActorMatch] = []
        cursor = None
        while True:
            page = msgspec.json.decode(
                self._get("/actors", [("limit", min(limit - len(items), PAGE)), ("cursor", cursor)]), type=ActorPage
            )
            items += page.items
            cursor = page.next_cursor
            if cursor is None or len(items) >= limit:
                return items, cursor is not None

    def documents(self, filters: dict[str, Any], limit: int) -> tuple[list[DocumentMeta], bool]:
        items: list[DocumentMeta] = []
        cursor = None
        while True:
            params = [*filters.items(), ("limit", min(limit - len(items), PAGE)), ("cursor", cursor)]
            page = msgspec.json.decode(self._get("/documents", params), type=DocumentPage)
            items += page.items
            cursor = page.next_cursor
            if cursor is None or len(items) >= limit:
                return items, cursor is not None


    def metrics(self, event: str | None) -> list[Metric]:
        return msgspec.json.decode(self._get("/metrics", [("event", event)]), type=MetricList).items

    def events(self, q: str | None, limit: int) -> tuple[list[Event], bool]:
        items: list[Event] = []
        cursor = None
        while True:
            params = [("q", q), ("limit", min(limit - len(items), PAGE)), ("cursor", cursor)]
            page = msgspec.json.decode(self._get("/events", params), type=EventPage)
            items += page.items
            cursor = page.next_cursor
            if cursor is None or len(items) >= limit:
                return items, cursor is not None


def _problem_detail(exc: urllib.error.HTTPError) -> str:
    """The problem+json ``detail`` of an error answer, or its status line."""
    try:
        body = json.loads(exc.read() or b"{}")
    except ValueError:
        body = {}
    detail = body.get("detail") if isinstance(body, dict) else None
    return str(detail) if detail else f"the server answered {exc.code} {exc.reason}"


def _whole_bounds(claim: Claim) -> Claim:
    """Decoding JSON gives 2298.0 for a whole bound in a float field, and a row may give the
    int 2298: make whole bounds ints, so that both sources give equal structs and print 2298."""
    v = claim.value
    if v is not None:
        for name in ("low", "high"):
            x = getattr(v, name)
            if isinstance(x, float) and x.is_integer():
                setattr(v, name, int(x))
    return claim


class DatabaseSource:
    """Reads the database directly, through the functions the API's controllers call."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def _run(self, fn: Callable[[Any], Any]) -> Any:
        from service.cli import _run_async, database, prepare
        from service.errors import ProblemError

        with database(self.settings, quiet=True) as url:
            prepare(url, self.settings, seed=True)  # like `serve`: an empty database gets the seeds
            try:
                return _run_async(url, self.settings, fn)
            except ProblemError as exc:
                raise ReadError(exc.detail) from None

    def claims(self, filters: dict[str, Any], limit: int) -> tuple[list[Claim], bool]:
        from service.claims.params import claim_filters
        from service.claims.queries import list_claims

        async def run(conn: Any) -> tuple[list[Claim], bool]:
            resolved = await claim_filters(conn, **filters)
            items: list[Claim] = []
            cursor = None
            while True:
                page, cursor = await list_claims(conn, resolved, limit=min(limit - len(items), PAGE), cursor=cursor)
                items += [_whole_bounds(c) for c in page]
                if cursor is None or len(items) >= limit:
                    return items, cursor is not None

        return self._run(run)  # type: ignore[no-any-return]

    def actors(self, q: str | None, limit: int) -> tuple[list[tuple[ActorMatch, Actor]], bool]:
        from service.actors.queries import actor_detail, resolve_actor, search_actors

        async def run(conn: Any) -> tuple[list[tuple[ActorMatch, Actor]], bool]:
            matches: list[ActorMatch] = []
            more = False
            if q is not None:
                matches, _ = await search_actors(conn, q, min(limit, PAGE), None)
            else:
                cursor = None
                while True:
                    page, cursor = await search_actors(conn, None, min(limit - len(matches), PAGE), cursor)
                    matches += page
                    if cursor is None or len(matches) >= limit:
                        more = cursor is not None
                        break
            # The same lookup as GET /actors/{slug}, for the counts.
            return [(m, await actor_detail(conn, await resolve_actor(conn, m.slug))) for m in matches], more

        return self._run(run)  # type: ignore[no-any-return]

    def documents(self, filters: dict[str, Any], limit: int) -> tuple[list[DocumentMeta], bool]:
        from service.documents.queries import list_documents

        async def run(conn: Any) -> tuple[list[DocumentMeta], bool]:
            from service.events.queries import resolve_event

            items: list[DocumentMeta] = []
            cursor = None
            wanted = {k: v for k, v in filters.items() if k != "event"}
            if filters.get("event") is not None:
                wanted["event_id"] = (await resolve_event(conn, filters["event"]))[0]
            while True:
                page, cursor = await list_documents(conn, **wanted, limit=min(limit - len(items), PAGE), cursor=cursor)
                items += page
                if cursor is None or len(items) >= limit:
                    return items, cursor is not None

        return self._run(run)  # type: ignore[no-any-return]

    def metrics(self, event: str | None) -> list[Metric]:
        from service.events.queries import resolve_event
        from service.metrics.queries import list_metrics

        async def run(conn: Any) -> list[Metric]:
            event_id = (await resolve_event(conn, event))[0] if event is not None else None
            return await list_metrics(conn, None, event_id)

        return self._run(run)  # type: ignore[no-any-return]

    def events(self, q: str | None, limit: int) -> tuple[list[Event], bool]:
        from service.events.queries import list_events

        async def run(conn: Any) -> tuple[list[Event], bool]:
            items: list[Event] = []
            cursor = None
            while True:
                page, cursor = await list_events(conn, q=q, kind=None, country=None, limit=min(limit - len(items), PAGE),
                                                 cursor=cursor, known_at=None)
                items += page
                if cursor is None or len(items) >= limit:
                    return items, cursor is not None

        return self._run(run)  # type: ignore[no-any-return]


# -- the table ---------------------------------------------------------------------------------


class Column(msgspec.Struct):
    header: str
    right: bool = False  # right-aligned (numbers)
    max: int | None = None  # longer cells are cut with …
    flex: bool = False  # takes what is left of the width (at least ``min``)
    min: int = 20


def cell(value: object) -> str:
    """One line of text: runs of whitespace (newlines in quotes) become one space."""
    return " ".join(str(value).split()) if value is not None else ""


def cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)].rstrip() + "…"


def render_table(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int) -> str:
    """A fixed-width table, two spaces between columns: each column as wide as its content, up
    to its ``max``; when that is wider than ``width``, the widest text columns give way first
    (down to ``min`` for the flexible one, 10 for the others), and their text is cut with …"""
    widths = []
    for i, col in enumerate(columns):
        natural = max([len(col.header), *(len(r[i]) for r in rows)])
        widths.append(min(natural, col.max) if col.max else natural)
    floors = [
        (col.min if col.flex else max(len(col.header), 10)) if col.max else widths[i]
        for i, col in enumerate(columns)
    ]
    total = sum(widths) + 2 * (len(columns) - 1)
    while total > width:
        i = max(range(len(columns)), key=lambda j: (widths[j] - floors[j] > 0, widths[j], columns[j].flex))
        if widths[i] <= floors[i]:
            break
        widths[i] -= 1
        total -= 1
    lines = []
    for r in [[c.header for c in columns], *rows]:
        parts = []
        for text, col, w in zip(r, columns, widths):
            text = cut(text, w)
            parts.append(text.rjust(w) if col.right else text.ljust(w))
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines) + "\n"


def number(x: float | int | None) -> str:
    if x is None:
        return ""
    if isinstance(x, int) or float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.2f}".rstrip("0")


_LOW_ONLY = {"more_than": ">", "at_least": "≥", "vague": "≥"}
_HIGH_ONLY = {"less_than": "<", "nearly": "<", "at_most": "≤"}


def value_range(claim: Claim) -> str:
    """The interval: 2,298 · 2,000–2,500 · >3,000 · <6,000."""
    v = claim.value
    if v is None:
        return ""
    low, high = v.low, v.high
    if low is not None and high is not None:
        return number(low) if low == high else f"{number(low)}–{number(high)}"
    if low is not None:
        return _LOW_ONLY.get(v.qualifier, "≥") + number(low)
    if high is not None:
        return _HIGH_ONLY.get(v.qualifier, "≤") + number(high)
    return ""


CLAIM_COLUMNS = [
    Column("id", right=True),
    Column("metric", max=16),
    Column("value", max=20),
    Column("range", right=True),
    Column("claimant", max=28),
    Column("via", max=16),
    Column("as_of"),
    Column("outlet", max=20),
    Column("quote", flex=True, max=100, min=24),
]


def claim_row(c: Claim) -> list[str]:
    return [
        str(c.id),
        c.metric or "statement",
        cell(c.value.text if c.value else ""),
        value_range(c),
        cell(c.claimant.name if c.claimant else "(unnamed)"),
        cell(", ".join(c.via)),
        cell(c.as_of),
        cell(c.citation.outlet),
        cell(c.citation.quote),
    ]


ACTOR_COLUMNS = [
    Column("slug", max=40),
    Column("name", flex=True, max=60),
    Column("kind"),
    Column("claims", right=True),
    Column("figures", right=True),
    Column("statements", right=True),
]


def actor_row(pair: tuple[ActorMatch, Actor]) -> list[str]:
    _, a = pair
    return [a.slug, cell(a.name), a.kind, str(a.claims), str(a.figures), str(a.statements)]


DOCUMENT_COLUMNS = [
    Column("id", right=True),
    Column("published"),
    Column("outlet", max=36),
    Column("title", flex=True, max=100),
    Column("claims", right=True),
]


def document_row(d: DocumentMeta) -> list[str]:
    return [str(d.id), str(d.published), cell(d.outlet), cell(d.title), str(d.claims)]


METRIC_COLUMNS = [
    Column("slug", max=24),
    Column("figures", right=True),
    Column("claimants", right=True),
    Column("documents", right=True),
    Column("events", right=True),
    Column("low", right=True),
    Column("high", right=True),
    Column("label", flex=True, max=60),
]


def metric_row(m: Metric) -> list[str]:
    return [m.slug, str(m.claims), str(m.claimants), str(m.documents), str(m.events), number(m.low), number(m.high), cell(m.label)]


EVENT_COLUMNS = [
    Column("slug", max=40),
    Column("kind", max=16),
    Column("onset"),
    Column("first"),
    Column("last"),
    Column("documents", right=True),
    Column("claims", right=True),
    Column("name", flex=True, max=80),
]


def event_row(e: Event) -> list[str]:
    return [e.slug, e.kind, str(e.onset), str(e.first or ""), str(e.last or ""), str(e.documents), str(e.claims), cell(e.name)]


def _json_item(item: Any) -> Any:
    if isinstance(item, tuple):  # an actor: the detail (GET /actors/{slug}) with the matched name
        match, detail = item
        return {**msgspec.to_builtins(detail), "matched": match.matched, "score": match.score}
    return msgspec.to_builtins(item)


def emit(
    items: Sequence[Any],
    more: bool,
    columns: Sequence[Column],
    row: Callable[[Any], list[str]],
    args: argparse.Namespace,
    noun: str,
) -> None:
    out = sys.stdout
    if args.format == "json":
        out.write(json.dumps([_json_item(i) for i in items], ensure_ascii=False, indent=2) + "\n")
    elif args.format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([c.header for c in columns])
        writer.writerows([safe_cell(v) for v in row(i)] for i in items)
    elif items:
        width = args.width or (shutil.get_terminal_size().columns if out.isatty() else DEFAULT_WIDTH)
        out.write(render_table(columns, [row(i) for i in items], width))
    else:
        print(f"no {noun} match", file=sys.stderr)
    if more:
        print(f"factdesk {args.command}: showing the first {len(items)} {noun}; more match (raise --limit)", file=sys.stderr)


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


def _common(p: argparse.ArgumentParser, default_limit: int, env: dict[str, str]) -> None:
    p.add_argument("--limit", type=positive, default=default_limit, metavar="N", help=f"at most N rows (default {default_limit})")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table",
                   help="table (default: fixed-width, long text cut with …), csv (the same columns, uncut) or json (the API's objects)")
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
                    "Filters combine; names resolve in any spelling.",
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
    _common(p, 20, env)
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
