"""The claim lists reuse one plan per statement (service/db/engine.py). That plan is made
without the values, so it must suit all of them: a page of the rarest metric, actor or
document must read about the rows it lists, as a page of the commonest does. A plan that
walks the primary key and filters out the other metrics' claims is right for a metric holding
a quarter of the claims and reads the whole table for a rare one: these tests fail on it.

The data: ``factdesk demo-data`` (skewed like real news: a few metrics and actors hold most
claims), large enough that the planner weighs indexes as it does at a million claims."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

import psycopg
import pytest

from service import pagination
from service.claims.queries import ClaimFilters, _json_page_sql, _one_plan, _psycopg_placeholders
from service.db import migrate
from service.db.engine import plan_options
from service.demo import load_demo_data
from service.settings import Settings
from tests.conftest import _plain

N = 30_000
LIMIT = 100


@pytest.fixture(scope="module")
def corpus(pg) -> str:  # type: ignore[no-untyped-def]
    url = pg.create_database("factdesk_plans")
    migrate.upgrade(url)
    load_demo_data(url, N, 3, seeds_dir=Settings.from_env({}).seeds_dir, progress=False)
    return url


def _generic_plan(conn: psycopg.Connection[Any], sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """EXPLAIN ANALYZE of the statement prepared with its values as parameters, as the page
    engine's connections run it: one plan, made before any value is known."""
    names = list(dict.fromkeys(n for n in params if f"%({n})s" in sql))
    text = sql
    for i, name in enumerate(names, 1):
        text = text.replace(f"%({name})s", f"${i}")
    conn.execute("DEALLOCATE ALL")
    conn.execute(f"PREPARE page AS {text}")
    args = ", ".join(psycopg.sql.Literal(params[n]).as_string(conn) for n in names)
    (plan,) = conn.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE page({args})" if names else "EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE page").fetchone()
    return (plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"]


def _claim_rows_read(node: dict[str, Any]) -> tuple[int, int]:
    """(rows kept, rows read) by the scans of ``claims`` in the plan: the page's, and the probe
    for a claim past it (the subplans that write a claim's JSON read other tables)."""
    kept = read = 0
    if node.get("Relation Name") == "claims":
        loops = node.get("Actual Loops", 1)
        kept += int(node["Actual Rows"] * loops)
        read += int((node["Actual Rows"] + node.get("Rows Removed by Filter", 0) + node.get("Rows Removed by Index Recheck", 0)) * loops)
    for child in node.get("Plans", []):
        k, r = _claim_rows_read(child)
        kept, read = kept + k, read + r
    return kept, read


def _extremes(conn: psycopg.Connection[Any], column: str) -> list[int]:
    """The rarest and the commonest value of a claims column."""
    rows = conn.execute(
        f"SELECT {column} FROM claims WHERE {column} IS NOT NULL AND status IN ('unreviewed', 'accepted') "
        f"GROUP BY 1 ORDER BY count(*), 1"
    ).fetchall()
    return [rows[0][0], rows[-1][0]]


SHAPES: list[tuple[str | None, Literal["id", "newest"]]] = [("metric_id", "id"), ("claimant_id", "newest"), ("document_id", "id"), (None, "id")]


@pytest.mark.parametrize(("column", "order"), SHAPES, ids=[f"{c or 'no filter'}, {o}" for c, o in SHAPES])
def test_one_plan_reads_about_the_rows_it_lists_for_rare_and_common_values(corpus: str, column: str | None, order: Literal["id", "newest"]) -> None:
    order_by = "c.id" if order == "id" else "c.sort_date DESC, c.id DESC"
    with psycopg.connect(_plain(corpus), autocommit=True, options=plan_options(generic=True)) as conn:
        for value in _extremes(conn, column) if column else [None]:
            filters = ClaimFilters(**({column: value} if column else {}))
            where = f"c.{column} = %(v)s AND " if column else ""
            keys = conn.execute(
                f"SELECT c.id, c.sort_date FROM claims c WHERE {where}c.status IN ('unreviewed', 'accepted') ORDER BY {order_by}", {"v": value}
            ).fetchall()
            middle_id, middle_date = keys[len(keys) // 2]
            deep = pagination.encode_id(middle_id) if order == "id" else pagination.encode_dated(middle_date, middle_id)
            for cursor in (None, deep):
                sql, params = _json_page_sql(filters, cursor, order, LIMIT)
                assert _one_plan(params, order)
                plan = _generic_plan(conn, _psycopg_placeholders(sql), params)
                kept, read = _claim_rows_read(plan)
                remaining = len(keys) if cursor is None else len(keys) - len(keys) // 2 - 1
                # the page's claims, and the first claim past them if there is one
                expected = min(LIMIT, remaining) + (remaining > LIMIT)
                assert kept == expected, plan
                # a page may read a few retracted or superseded claims besides those it lists
                assert read <= 2 * expected + 10, f"{column}={value} ({order}, cursor {cursor}): read {read} claims to list {expected}"


@pytest.mark.parametrize(
    ("filters", "order", "cursor", "one_plan"),
    [
        (ClaimFilters(metric_id=1), "id", None, True),
        (ClaimFilters(metric_id=1), "id", "500", True),
        (ClaimFilters(claimant_id=1), "newest", "19000_500", True),
        (ClaimFilters(document_id=1), "id", None, True),
        (ClaimFilters(), "id", None, True),
        # another index suits other values: planned for them each time
        (ClaimFilters(metric_id=1, location="Almaty"), "id", None, False),
        (ClaimFilters(claimant_id=1), "id", None, False),
        (ClaimFilters(), "newest", None, False),
        (ClaimFilters(metric_id=1, claimant_id=1), "newest", None, False),
        (ClaimFilters(metric_id=1, statuses=("retracted",)), "id", None, False),
        (ClaimFilters(metric_id=1, q="police"), "id", None, False),
        (ClaimFilters(metric_id=1, min_confidence=0.5), "id", None, False),
        (ClaimFilters(metric_id=1, known_at=dt.date(2022, 1, 9)), "id", None, False),
    ],
)
def test_only_pages_one_plan_suits_share_one(filters: ClaimFilters, order: Literal["id", "newest"], cursor: str | None, one_plan: bool) -> None:
    _, params = _json_page_sql(filters, cursor, order, LIMIT)
    assert _one_plan(params, order) is one_plan
