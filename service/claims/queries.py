"""SQL for reading claims: one statement per page, filters composed from fixed fragments."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Generator
from typing import Any, Literal, NamedTuple

import msgspec
import psycopg
from psycopg.rows import namedtuple_row
from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncConnection

from service import pagination
from service.claims.schemas import VISIBLE_STATUSES, Claim, Status
from service.csvout import safe_sql

CONTEXT_CHARS = 32  # prefix / suffix length in citations (kept in claims.prefix/suffix, migration 0008)


def status_sql(known_at: bool) -> str:
    """A claim's review status now, or as it stood at ``:known_at`` (time travel)."""
    return "fd_status_at(c.id, :known_at)" if known_at else "c.status"


def visible_sql(known_at: bool, claim: str = "c", document: str = "d") -> str:
    """The claim is listed by default: not retracted or superseded (then), and, when
    travelling in time, published by then (the caller joins ``documents``)."""
    if not known_at:
        return f"{claim}.status IN ('unreviewed', 'accepted')"
    return (
        f"fd_status_at({claim}.id, :known_at) IN ('unreviewed', 'accepted') AND {document}.published < :known_at"
    )


def corroboration_join(known_at: bool) -> str:
    """The same figure = same metric and bounds. Now: the counts kept by triggers in
    ``figure_stats`` (one primary-key lookup per row). As of a past day: counted from the
    claims visible then (NaN stands for a missing bound, as in the index that answers it)."""
    if not known_at:
        return """
LEFT JOIN figure_stats corr ON c.metric_id IS NOT NULL AND corr.metric_id = c.metric_id
  AND corr.low_key = coalesce(c.value_low, 'NaN') AND corr.high_key = coalesce(c.value_high, 'NaN')
"""
    return f"""
LEFT JOIN LATERAL (
  SELECT count(DISTINCT o.document_id) AS documents,
         count(DISTINCT o.claimant_id) AS claimants,
         count(*) FILTER (WHERE o.claimant_id IS NULL) AS unattributed
  FROM claims o JOIN documents od ON od.id = o.document_id
  WHERE o.metric_id = c.metric_id
    AND coalesce(o.value_low, 'NaN') = coalesce(c.value_low, 'NaN')
    AND coalesce(o.value_high, 'NaN') = coalesce(c.value_high, 'NaN')
    AND {visible_sql(known_at, "o", "od")}
) corr ON c.metric_id IS NOT NULL
"""


def _js(expr: str) -> str:
    """A value as JSON text (strings escaped, dates ISO 8601 whatever DateStyle says), null for NULL."""
    return f"coalesce(to_json({expr})::text, 'null')"


def _corroboration_sql(known_at: bool) -> str:
    """The corroboration object of a figure (see ``corroboration_join``)."""
    def counts(d: str, c: str, u: str) -> str:  # (no ':' before a digit: SQLAlchemy would see a parameter)
        return f"""concat('{{"documents":', {d}, ',"claimants":', {c}, ',"unattributed":', {u}, '}}')"""

    if not known_at:
        return f"""coalesce((SELECT {counts("f.documents", "f.claimants", "f.unattributed")}
       FROM figure_stats f WHERE f.metric_id = c.metric_id
         AND f.low_key = coalesce(c.value_low, 'NaN') AND f.high_key = coalesce(c.value_high, 'NaN')),
     {counts("0", "0", "0")})"""
    agg = counts("count(DISTINCT o.document_id)", "count(DISTINCT o.claimant_id)", "count(*) FILTER (WHERE o.claimant_id IS NULL)")
    return f"""(SELECT {agg}
       FROM claims o JOIN documents od ON od.id = o.document_id
       WHERE o.metric_id = c.metric_id
         AND coalesce(o.value_low, 'NaN') = coalesce(c.value_low, 'NaN')
         AND coalesce(o.value_high, 'NaN') = coalesce(c.value_high, 'NaN')
         AND {visible_sql(known_at, "o", "od")})"""


def claim_json_sql(known_at: bool) -> str:
    """One claim as compact JSON text, written by PostgreSQL in the shape and key order of
    ``Claim``: the read paths send these bytes as they are, without a Python object per row.

    Built with concat() and one-row subqueries rather than json_build_object() over joins:
    the planner then plans a scan of ``claims`` alone (0.5 ms instead of 2 ms, paid on every
    execution since each is planned for its parameters) and the JSON costs a quarter less.
    tests/test_claims.py checks the text against the ``Claim`` type."""
    return f"""concat('{{"id":', c.id,
  ',"event":', coalesce((SELECT concat('{{"slug":', to_json(ev.slug)::text, ',"name":', to_json(ev.name)::text, '}}')
                         FROM events ev WHERE ev.id = c.event_id), 'null'),
  ',"metric":', coalesce((SELECT to_json(m.slug)::text FROM metrics m WHERE m.id = c.metric_id), 'null'),
  ',"value":', CASE WHEN c.qualifier IS NULL THEN 'null' ELSE concat(
     '{{"low":', coalesce(trim_scale(c.value_low)::text, 'null'), ',"high":', coalesce(trim_scale(c.value_high)::text, 'null'),
     ',"qualifier":', to_json(c.qualifier)::text, ',"text":', to_json(c.value_text)::text, '}}') END,
  ',"group":', {_js("c.group_name")}, ',"location":', {_js("c.location")}, ',"as_of":', {_js("c.as_of")},
  ',"claimant":', coalesce((SELECT concat('{{"slug":', to_json(a.slug)::text, ',"name":', to_json(a.name)::text, '}}')
                            FROM actors a WHERE a.id = c.claimant_id), 'null'),
  ',"via":', to_json(c.via_names)::text,
  ',"citation":{{"document_id":', c.document_id,
  (SELECT concat(',"outlet":', to_json(cd.outlet)::text, ',"title":', to_json(cd.title)::text, ',"url":', {_js("cd.url")},
                 ',"published":', to_json(cd.published)::text) FROM documents cd WHERE cd.id = c.document_id),
  ',"quote":', to_json(c.quote)::text, ',"start":', c.start_offset, ',"end":', c.end_offset,
  ',"prefix":', to_json(c.prefix)::text, ',"suffix":', to_json(c.suffix)::text, '}}',
  ',"confidence":', to_json(c.confidence)::text, ',"confidence_factors":', coalesce(c.confidence_factors::text, 'null'),
  ',"corroboration":', CASE WHEN c.qualifier IS NULL THEN 'null' ELSE {_corroboration_sql(known_at)} END,
  ',"origin":', to_json(c.origin)::text, ',"status":', to_json({status_sql(known_at)})::text, '}}')"""


# One claim by id: ``version`` makes its ETag.
_SELECT = f"SELECT c.id, c.sort_date, c.version, {claim_json_sql(False)} AS claim FROM claims c"
_BY_ID = text(f"{_SELECT} WHERE c.id = :id")
_BY_IDS = text(f"{_SELECT} WHERE c.id = ANY(:ids)")


@functools.lru_cache(maxsize=256)
def _statement(sql: str) -> TextClause:
    """text() parses the SQL for parameters on every call; a list's statement is one of a few
    hundred filter combinations, so each is parsed once."""
    return text(sql)


def known_at_bound(day: dt.date | None) -> dt.datetime | None:
    """``known_at=YYYY-MM-DD`` means 'by the end of that day' (UTC)."""
    if day is None:
        return None
    if day == dt.date.max:  # the day after 9999-12-31 is past what Python's dates can hold
        return dt.datetime.max.replace(tzinfo=dt.timezone.utc)
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=dt.timezone.utc)


class ClaimFilters(msgspec.Struct, kw_only=True):
    """Resolved filters (names already turned into ids)."""

    metric_id: int | None = None
    event_id: int | None = None
    claimant_id: int | None = None
    document_id: int | None = None
    outlet: str | None = None
    location: str | None = None
    group: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    min_confidence: float | None = None
    q: str | None = None
    statuses: tuple[Status, ...] = VISIBLE_STATUSES
    known_at: dt.date | None = None  # answer as of the end of this day
    contradictory: bool = False  # two filters that no claim can meet at once (the path's actor and ?actor=another)
    note: str | None = None  # why no claim can match, said in the answer (since after until)


def _where(f: ClaimFilters) -> tuple[list[str], dict[str, Any]]:
    travelling = f.known_at is not None
    params: dict[str, Any] = {}
    if f.statuses == VISIBLE_STATUSES and not travelling:
        # written in, as ix_claims_metric_visible's predicate is, so that a plan made for any
        # value (service/db/engine.py) can use that index (and ``_one_plan`` sees no parameter)
        clauses = ["c.status IN ('unreviewed', 'accepted')"]
    else:
        clauses = [f"{status_sql(travelling)} = ANY(:statuses)"]
        params["statuses"] = list(f.statuses)
    if f.contradictory:
        clauses.append("false")
    if travelling:
        clauses.append("d.published < :known_at")
        params["known_at"] = known_at_bound(f.known_at)
    simple = (
        (f.metric_id, "c.metric_id = :metric_id", "metric_id"),
        (f.event_id, "c.event_id = :event_id", "event_id"),
        (f.claimant_id, "c.claimant_id = :claimant_id", "claimant_id"),
        (f.document_id, "c.document_id = :document_id", "document_id"),
        (f.outlet, "fd_norm(d.outlet) = fd_norm(:outlet)", "outlet"),
        (f.location, "fd_norm(c.location) = fd_norm(:location)", "location"),
        (f.group, "fd_norm(c.group_name) = fd_norm(:group)", "group"),
        (f.since, "c.as_of >= :since", "since"),
        (f.until, "c.as_of <= :until", "until"),
        (f.min_confidence, "c.confidence >= :min_confidence", "min_confidence"),
    )
    for value, clause, name in simple:
        if value is not None:
            clauses.append(clause)
            params[name] = value
    if f.q:
        # ILIKE with the pattern characters escaped: q is literal text, found by the trigram index.
        escaped = f.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append("c.quote ILIKE :q_pattern")
        params["q_pattern"] = f"%{escaped}%"
    return clauses, params


_decode_claims = msgspec.json.Decoder(list[Claim])


def decode_claims(items: str) -> list[Claim]:
    """Claims from the JSON texts PostgreSQL built (see ``claim_json_sql``), joined by commas."""
    return _decode_claims.decode(json_array(items))


def json_array(items: str) -> bytes:
    """A JSON array of the claims' JSON texts joined by commas."""
    return f"[{items}]".encode()


# The values a page's statement may carry as parameters and still be planned once for all of
# them (service/db/engine.py), by keyset order: its only filter, each with an index in that
# order (ix_claims_metric_visible, ix_claims_document, ix_claims_claimant_sort), and the cursor.
# Any other parameter (another filter, a status other than the default, known_at, q) means
# another index may suit other values.
_ONE_PLAN_FILTERS: dict[str, tuple[frozenset[str], ...]] = {
    "id": (frozenset(), frozenset({"metric_id"}), frozenset({"document_id"}), frozenset({"event_id"}),
           frozenset({"event_id", "metric_id"})),
    "newest": (frozenset({"claimant_id"}),),
}
_CURSOR_PARAMS = frozenset({"after_id", "after_date"})


def _one_plan(params: dict[str, Any], order: Literal["id", "newest"]) -> bool:
    """Whether a page's statement (with these parameters) can be sent with its
    values as parameters. Decided from the parameters the statement actually has, so a filter
    added to ``_where`` is planned for its values until it is shown to suit one plan."""
    return frozenset(params) - _CURSOR_PARAMS in _ONE_PLAN_FILTERS[order]


def keyset_order(order: Literal["id", "newest"], table: str = "c") -> str:
    """A page's order: oldest id first, or newest (``sort_date``) first."""
    return f"{table}.id" if order == "id" else f"{table}.sort_date DESC, {table}.id DESC"


class _Page(NamedTuple):
    """What a page's statement is made of."""

    clauses: list[str]  # the filters'
    after: str | None  # the cursor's (None on the first page)
    params: dict[str, Any]  # of both
    join: str  # the join the filters need
    order_by: str  # the keyset order

    def select(self, columns: str, rows: int) -> str:
        """The first ``rows`` claims of the page (the number written in, so that a plan made
        once knows how few rows are wanted)."""
        where = " AND ".join([*self.clauses, self.after] if self.after else self.clauses)
        return f"SELECT {columns} FROM claims c {self.join} WHERE {where} ORDER BY {self.order_by} LIMIT {int(rows)}"


def _page(filters: ClaimFilters, cursor: str | None, order: Literal["id", "newest"]) -> _Page:
    clauses, params = _where(filters)
    after = None
    if order == "id":
        after_id = pagination.decode_id(cursor)
        if after_id is not None:
            after = "c.id > :after_id"
            params["after_id"] = after_id
    else:
        position = pagination.decode_dated(cursor)
        if position is not None:
            after = "(c.sort_date, c.id) < (:after_date, :after_id)"
            params["after_date"], params["after_id"] = position
    join = "JOIN documents d ON d.id = c.document_id" if filters.known_at is not None or filters.outlet is not None else ""
    return _Page(clauses, after, params, join, keyset_order(order))


def _page_sql(filters: ClaimFilters, cursor: str | None, order: Literal["id", "newest"], columns: str, rows: int) -> tuple[str, dict[str, Any]]:
    """The statement for the first ``rows`` claims of a page, and its parameters."""
    page = _page(filters, cursor, order)
    return page.select(columns, rows), page.params


def _json_page_sql(filters: ClaimFilters, cursor: str | None, order: Literal["id", "newest"], limit: int) -> tuple[str, dict[str, Any]]:
    """One row for one page: its claims' JSON joined by commas (``items``, NULL when none),
    the keyset position of its last claim, and whether any claim follows (``more``).

    The page comes as one value rather than a row per claim: PostgreSQL sends it in one
    piece, where rows went out 8 kB at a time while the page was being made, each waking the
    service to read it (0.30 -> 0.08 ms of service CPU for 100 claims at a million claims).
    Whether a next page exists is one index probe past the last claim, in keyset order (as an
    EXISTS, whose order PostgreSQL drops, a plan made once for every value scanned the table
    for it); PostgreSQL spends no more on this than on the 101 rows it sent before (pgbench:
    0.95-1.03 -> 0.84-0.88 ms)."""
    page = _page(filters, cursor, order)
    claims = page.select(f"c.id, c.sort_date, {claim_json_sql(filters.known_at is not None)} AS claim", limit)
    if order == "id":
        last = "max(p.id) AS last_id, NULL::date AS last_date"
        beyond = "c.id > a.last_id"
    else:
        last = "(array_agg(p.id ORDER BY p.sort_date, p.id))[1] AS last_id, min(p.sort_date) AS last_date"
        beyond = "(c.sort_date, c.id) < (a.last_date, a.last_id)"
    sql = f"""SELECT a.items, a.last_id, a.last_date,
  (SELECT 1 FROM claims c {page.join} WHERE {" AND ".join(page.clauses)} AND {beyond}
   ORDER BY {page.order_by} LIMIT 1) IS NOT NULL AS more
FROM (SELECT string_agg(p.claim, ',' ORDER BY {keyset_order(order, "p")}) AS items, {last} FROM ({claims}) p) a"""
    return sql, page.params


async def list_claims_json(
    conn: AsyncConnection,
    filters: ClaimFilters,
    *,
    limit: int,
    cursor: str | None,
    order: Literal["id", "newest"] = "id",
) -> tuple[str, str | None]:
    """One page of claims as JSON texts joined by commas (empty for no claim), and the cursor
    of the next page (None on the last)."""
    sql, params = _json_page_sql(filters, cursor, order, limit)
    if _one_plan(params, order):
        row: Any = (await conn.execute(_statement(sql), params)).one()
    else:
        (row,) = await _run_with_values_written_in(conn, sql, params)
    if not row.more:
        return row.items or "", None
    next_cursor = pagination.encode_id(row.last_id) if order == "id" else pagination.encode_dated(row.last_date, row.last_id)
    return row.items, next_cursor


async def _run_with_values_written_in(conn: AsyncConnection, sql: str, params: dict[str, Any]) -> list[Any]:
    """Rows of a statement whose values psycopg writes into its text (client-side binding), so
    that PostgreSQL plans it for them, whatever the connection's plan_cache_mode."""
    pg = (await conn.get_raw_connection()).driver_connection
    async with psycopg.AsyncClientCursor(pg, row_factory=namedtuple_row) as cur:  # type: ignore[arg-type]
        await cur.execute(_psycopg_placeholders(sql), params)
        return await cur.fetchall()


# The claims' own columns a CSV row needs, read by the keyset page itself: joining the page's
# keys back to ``claims`` cost a primary-key lookup per row (0.5 of 3.5 ms for 500 rows).
_CSV_PAGE_COLUMNS = (
    "c.id, c.sort_date, c.metric_id, c.value_low, c.value_high, c.qualifier, c.value_text, c.group_name, c.location, "
    "c.as_of, c.claimant_id, c.document_id, c.quote, c.start_offset, c.end_offset, c.confidence, c.origin, c.status, c.via_names, "
    "c.event_id"
)


def _csv_select(known_at: bool, page_sql: str, order: Literal["id", "newest"]) -> str:
    """The CSV columns of the claims of one keyset page (``page_sql`` selects
    ``_CSV_PAGE_COLUMNS``), in the page's order. psycopg's placeholders (see
    ``_psycopg_placeholders``).

    The claimant is looked up row by row (OFFSET 0 keeps the subquery from becoming a join):
    as a join, the planner hashed every actor (2,000 at a million claims, 20,000 at ten) and
    then sorted the page again; 3.2 -> 2.8 ms of PostgreSQL CPU for 500 rows. The metric's
    slug too, by its primary key: as a scalar subquery it scanned the metrics for every row
    (3.0 -> 2.6 ms)."""
    return f"""
SELECT c.id, m.slug AS metric,
       trim_scale(c.value_low) AS value_low, trim_scale(c.value_high) AS value_high, c.qualifier, {safe_sql("c.value_text")} AS value_text,
       {safe_sql("c.group_name")} AS "group", {safe_sql("c.location")} AS location, c.as_of, a.slug AS claimant_slug,
       {safe_sql("a.name")} AS claimant_name, {safe_sql("nullif(array_to_string(c.via_names, '; '), '')")} AS via,
       c.document_id, {safe_sql("d.outlet")} AS outlet, {safe_sql("d.title")} AS title, {safe_sql("d.url")} AS url, d.published,
       {safe_sql("c.quote")} AS quote, c.start_offset AS "start", c.end_offset AS "end",
       c.confidence, c.origin, {"fd_status_at(c.id, %(known_at)s)" if known_at else "c.status"} AS status,
       ev.slug AS event_slug, {safe_sql("ev.name")} AS event_name
FROM ({page_sql}) c
JOIN documents d ON d.id = c.document_id
LEFT JOIN LATERAL (SELECT m.slug FROM metrics m WHERE m.id = c.metric_id OFFSET 0) m ON true
LEFT JOIN LATERAL (SELECT a.slug, a.name FROM actors a WHERE a.id = c.claimant_id OFFSET 0) a ON true
LEFT JOIN LATERAL (SELECT ev.slug, ev.name FROM events ev WHERE ev.id = c.event_id OFFSET 0) ev ON true
ORDER BY {keyset_order(order)}"""


_BIND = re.compile(r"(?<![:\w]):([a-z_]+)")


def _psycopg_placeholders(sql: str) -> str:
    """``:name`` (SQLAlchemy's parameters, as the page fragments are written) as psycopg's
    ``%(name)s``: COPY takes no server-side parameters, so psycopg binds them client-side."""
    assert "%" not in sql, "a literal % would need escaping"
    return _BIND.sub(r"%(\1)s", sql)


async def claims_csv(
    conn: AsyncConnection,
    filters: ClaimFilters,
    *,
    limit: int,
    cursor: str | None,
    order: Literal["id", "newest"] = "id",
) -> tuple[bytes, str | None]:
    """One page as CSV (with a header line), written by PostgreSQL's COPY in one statement:
    the keyset page (``limit + 1`` rows, to know whether another follows) joined to the
    other tables' columns. COPY sends each row as its own message, so the extra row is dropped whole."""
    page_sql, params = _page_sql(filters, cursor, order, _CSV_PAGE_COLUMNS, limit + 1)
    params.setdefault("known_at", known_at_bound(filters.known_at))
    select = _csv_select(filters.known_at is not None, _psycopg_placeholders(page_sql), order)
    pg = (await conn.get_raw_connection()).driver_connection
    try:
        async with pg.cursor() as cur, cur.copy(f"COPY ({select}) TO STDOUT WITH (FORMAT csv, HEADER)", params) as copy:  # type: ignore[union-attr]
            header, *rows = await pg.wait(_copy_rows(copy))  # type: ignore[union-attr]
    except Exception:
        await conn.invalidate()  # the pool cannot tell what state a failed COPY left it in
        raise
    if len(rows) <= limit:
        return header + b"".join(rows), None
    last_id = int(rows[limit - 1].split(b",", 1)[0])  # the id column comes first, a bare integer
    if order == "id":
        next_cursor = pagination.encode_id(last_id)
    else:
        day = (await conn.execute(_SORT_DATE, {"id": last_id})).scalar_one()
        next_cursor = pagination.encode_dated(day, last_id)
    return header + b"".join(rows[:limit]), next_cursor


_SORT_DATE = text("SELECT sort_date FROM claims WHERE id = :id")


def _copy_rows(copy: Any) -> Generator[Any, Any, list[bytes]]:
    """Every row of a COPY TO, read in one wait on the connection. psycopg's ``read()`` waits
    once per row, three coroutines each time, which cost more than the rows themselves (0.6 ms
    of a 500-row page's 2.4 ms in the service). This drives the generator psycopg's ``read()``
    drives, row after row, and waits only when no row has arrived. psycopg is pinned in
    uv.lock; tests/test_claims.py reads CSV pages through this."""
    rows = []
    while data := (yield from copy._read_gen()):
        rows.append(bytes(data))
    return rows


async def list_claims(
    conn: AsyncConnection,
    filters: ClaimFilters,
    *,
    limit: int,
    cursor: str | None,
    order: Literal["id", "newest"] = "id",
) -> tuple[list[Claim], str | None]:
    """One page of claims and the cursor of the next page (None on the last page)."""
    items, next_cursor = await list_claims_json(conn, filters, limit=limit, cursor=cursor, order=order)
    return decode_claims(items), next_cursor


async def get_claim_json(conn: AsyncConnection, claim_id: int) -> tuple[bytes, int] | None:
    """A claim's JSON as PostgreSQL wrote it (the bytes /claims lists send, so a figure reads
    ``2298`` here as it does there) and its version (the review counter its ETag is made of)."""
    row = (await conn.execute(_BY_ID, {"id": claim_id})).first()
    return (row.claim.encode(), row.version) if row else None


async def get_claims_json(conn: AsyncConnection, claim_ids: list[int]) -> bytes:
    """Claims by id, in the order given, as one JSON array."""
    if not claim_ids:
        return b"[]"
    rows = (await conn.execute(_BY_IDS, {"ids": claim_ids})).all()
    by_id = {r.id: r.claim for r in rows}
    return json_array(",".join(by_id[i] for i in claim_ids if i in by_id))


async def get_claim(conn: AsyncConnection, claim_id: int) -> Claim | None:
    found = await get_claim_json(conn, claim_id)
    return msgspec.json.decode(found[0], type=Claim) if found else None


async def get_claims(conn: AsyncConnection, claim_ids: list[int]) -> list[Claim]:
    """Claims by id, in the order given."""
    return _decode_claims.decode(await get_claims_json(conn, claim_ids))
