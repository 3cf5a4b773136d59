"""Where ``factdesk claims``, ``actors``, ``documents``, ``metrics`` and ``events`` read their rows.

Both sources give the same msgspec structs (the API's response shapes), and the claims' CSV as
the API writes it (``GET /claims?format=csv``), so the same data prints the same either way:

- :class:`HttpSource` (``--server URL`` or FACTDESK_URL): GET the HTTP API with the stdlib's urllib.
- :class:`DatabaseSource`: the database ``factdesk serve`` uses (DATABASE_URL, or the embedded
  PostgreSQL under FACTDESK_HOME, started if needed), through the functions the API calls.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any

import msgspec

from service import __version__
from service.actors.schemas import Actor, ActorMatch, ActorPage
from service.claims.schemas import Claim, ClaimPage
from service.cli_common import database, prepare, run_async
from service.documents.schemas import DocumentMeta, DocumentPage
from service.events.schemas import Event, EventPage
from service.metrics.schemas import Metric, MetricList
from service.settings import Settings

PAGE = 500  # the API's largest page


class ReadError(Exception):
    """Something the person running the command should read: one line, no traceback."""


class HttpSource:
    """Reads through a running factdesk server's HTTP API."""

    def __init__(self, base: str) -> None:
        base = base.strip().rstrip("/")
        if "://" not in base:
            base = "http://" + base
        self.base = base

    def _get(self, path: str, params: Sequence[tuple[str, Any]] = ()) -> bytes:
        return self._fetch(path, params)[0]

    def _fetch(self, path: str, params: Sequence[tuple[str, Any]], accept: str = "application/json") -> tuple[bytes, str | None]:
        """The body of a GET and its ``Link: <…>; rel="next"`` URL, if any."""
        query = urllib.parse.urlencode([(k, str(v)) for k, v in params if v is not None])
        url = f"{self.base}{path}" + (f"?{query}" if query else "")
        request = urllib.request.Request(url, headers={"Accept": accept, "User-Agent": f"factdesk-cli/{__version__}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                link = response.headers.get("Link") or ""
                return response.read(), (link[1:link.index(">")] if link.startswith("<") and 'rel="next"' in link else None)
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

    def claims_csv(self, filters: dict[str, Any], limit: int) -> tuple[bytes, int, bool]:
        """The claims as GET /claims?format=csv writes them (pages joined, one header), how
        many rows that is, and whether more match."""
        pages = CsvPages(limit)
        cursor = None
        params = [(k, x) for k, v in filters.items() for x in (v if isinstance(v, list) else [v])]
        while True:
            body, next_url = self._fetch(
                "/claims", [*params, ("format", "csv"), ("limit", pages.size()), ("cursor", cursor)], accept="text/csv"
            )
            cursor = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(next_url).query)).get("cursor") if next_url else None
            if pages.add(body, cursor):
                return pages.csv(), pages.rows, cursor is not None

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


class CsvPages:
    """Pages of the API's claims CSV joined into one: the first page's header, then every
    page's rows (a page's header is its first line: the column names hold no newline)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.rows = 0

    def size(self) -> int:
        """How many rows to ask for next."""
        return min(self.limit - self.rows, PAGE)

    def add(self, body: bytes, next_cursor: str | None) -> bool:
        """Add a page; True when it was the last one wanted."""
        header, _, rows = body.partition(b"\n")
        if not self.parts:
            self.parts.append(header + b"\n")
        self.parts.append(rows)
        self.rows += sum(1 for _ in csv.reader(io.StringIO(rows.decode("utf-8"), newline="")))
        return next_cursor is None or self.rows >= self.limit

    def csv(self) -> bytes:
        return b"".join(self.parts)


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
        from service.errors import ProblemError

        with database(self.settings, quiet=True) as url:
            prepare(url, self.settings, seed=True)  # like `serve`: an empty database gets the seeds
            try:
                return run_async(url, self.settings, fn)
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

    def claims_csv(self, filters: dict[str, Any], limit: int) -> tuple[bytes, int, bool]:
        """The claims as GET /claims?format=csv writes them: through the same function."""
        from service.claims.params import claim_filters
        from service.claims.queries import claims_csv

        async def run(conn: Any) -> tuple[bytes, int, bool]:
            resolved = await claim_filters(conn, **filters)
            pages = CsvPages(limit)
            cursor = None
            while True:
                body, cursor = await claims_csv(conn, resolved, limit=pages.size(), cursor=cursor)
                if pages.add(body, cursor):
                    return pages.csv(), pages.rows, cursor is not None

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

