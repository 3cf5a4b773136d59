"""The peer: Datasette over SQLite holding the same claims.

The export is what a journalist would load into Datasette: one flat ``claims`` table with the
fields factdesk's claim JSON carries (metric slug, claimant, via chain, citation with
prefix/suffix, event slug and name, and the corroboration counts precomputed), ``documents`` with their text, and
``actor_names`` to resolve an alias. It gets the same indexes as factdesk's claims table (the
filters and the keyset orders). Two canned queries stand for factdesk endpoints that a table
page cannot express: an actor's statements (alias → actor, newest first) and a metric's
summary (scopes, each claimant's latest figure, the timeline and the first figures per day).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

CONTEXT_CHARS = 32
VISIBLE = "('unreviewed', 'accepted')"

_EXPORT_CLAIMS = f"""
WITH corr AS (
  SELECT metric_id, coalesce(value_low, 'NaN') AS lo, coalesce(value_high, 'NaN') AS hi,
         count(DISTINCT document_id) AS documents, count(DISTINCT claimant_id) AS claimants,
         count(*) FILTER (WHERE claimant_id IS NULL) AS unattributed
  FROM claims WHERE metric_id IS NOT NULL AND status IN {VISIBLE}
  GROUP BY 1, 2, 3
)
SELECT c.id, m.slug, c.value_low::float8, c.value_high::float8, c.qualifier, c.value_text, c.group_name, c.location,
       c.as_of::text, c.sort_date::text, a.slug, a.name,
       (SELECT string_agg(va.name, '; ' ORDER BY v.position) FROM claim_via v JOIN actors va ON va.id = v.actor_id
         WHERE v.claim_id = c.id),
       c.document_id, d.outlet, d.title, d.url, d.published::text, c.quote, c.start_offset, c.end_offset,
       substr(d.text, greatest(c.start_offset - {CONTEXT_CHARS}, 0) + 1,
              c.start_offset - greatest(c.start_offset - {CONTEXT_CHARS}, 0)),
       substr(d.text, c.end_offset + 1, {CONTEXT_CHARS}),
       c.confidence, c.origin, c.status, corr.documents, corr.claimants, corr.unattributed, ev.slug, ev.name
FROM claims c JOIN documents d ON d.id = c.document_id
LEFT JOIN metrics m ON m.id = c.metric_id LEFT JOIN actors a ON a.id = c.claimant_id
LEFT JOIN events ev ON ev.id = c.event_id
LEFT JOIN corr ON corr.metric_id = c.metric_id AND corr.lo = coalesce(c.value_low, 'NaN')
              AND corr.hi = coalesce(c.value_high, 'NaN') AND c.status IN {VISIBLE}
ORDER BY c.id
"""
CLAIM_COLUMNS = (
    "id INTEGER PRIMARY KEY, metric TEXT, value_low REAL, value_high REAL, qualifier TEXT, value_text TEXT, "
    "group_name TEXT, location TEXT, as_of TEXT, sort_date TEXT, claimant_slug TEXT, claimant_name TEXT, via TEXT, "
    "document_id INTEGER, outlet TEXT, title TEXT, url TEXT, published TEXT, quote TEXT, start INTEGER, "
    '"end" INTEGER, prefix TEXT, suffix TEXT, confidence REAL, origin TEXT, status TEXT, '
    "corr_documents INTEGER, corr_claimants INTEGER, corr_unattributed INTEGER, event_slug TEXT, event_name TEXT"
)
# the same indexes as factdesk's claims table (migrations/versions), on the flat columns
INDEXES = (
    "CREATE INDEX ix_claims_metric ON claims (metric, id)",
    "CREATE INDEX ix_claims_claimant_sort ON claims (claimant_slug, sort_date DESC, id DESC)",
    "CREATE INDEX ix_claims_document ON claims (document_id, id)",
    "CREATE INDEX ix_claims_location ON claims (location, id)",
    "CREATE INDEX ix_claims_group ON claims (group_name, id)",
    "CREATE INDEX ix_claims_as_of ON claims (as_of, id)",
    "CREATE INDEX ix_claims_confidence ON claims (confidence, id)",
    "CREATE INDEX ix_claims_status ON claims (status, id)",
    "CREATE INDEX ix_claims_figure ON claims (metric, value_low, value_high)",
    "CREATE INDEX ix_claims_event_metric ON claims (event_slug, metric, id)",
    "CREATE INDEX ix_claims_event ON claims (event_slug, id)",
    "CREATE INDEX ix_actor_names_name ON actor_names (name)",
    "CREATE INDEX ix_documents_published ON documents (published, id)",
)

STATEMENTS_SQL = f"""
SELECT c.* FROM claims c
WHERE c.claimant_slug = (SELECT actor_slug FROM actor_names WHERE name = :name LIMIT 1)
  AND c.status IN {VISIBLE}
ORDER BY c.sort_date DESC, c.id DESC
LIMIT 101
"""
# factdesk's /metrics/{{slug}} in one statement: the metric's totals, the scopes with their
# ranges, each claimant's latest figure per scope, the days of the timeline and up to 50
# figures per day.
METRIC_SUMMARY_SQL = f"""
WITH f AS (SELECT * FROM claims WHERE metric = :slug AND status IN {VISIBLE})
SELECT 'metric' AS part, NULL AS group_name, NULL AS location, NULL AS as_of, count(*) AS claims,
       count(DISTINCT claimant_slug) AS claimants, count(DISTINCT document_id) AS documents,
       min(coalesce(value_low, value_high)) AS low, max(coalesce(value_high, value_low)) AS high,
       NULL AS id, NULL AS value_text, NULL AS claimant_slug, NULL AS outlet, NULL AS published
FROM f
UNION ALL
SELECT 'scope', group_name, location, NULL, count(*), count(DISTINCT claimant_slug), NULL,
       min(coalesce(value_low, value_high)), max(coalesce(value_high, value_low)), NULL, NULL, NULL, NULL, NULL
FROM f GROUP BY group_name, location
UNION ALL
SELECT 'latest', group_name, location, as_of, NULL, NULL, NULL, value_low, value_high, id, value_text,
       claimant_slug, outlet, published
FROM (SELECT *, row_number() OVER (PARTITION BY group_name, location, claimant_slug
                                   ORDER BY sort_date DESC, published DESC, id DESC) AS n FROM f)
WHERE n = 1
UNION ALL
SELECT 'day', NULL, NULL, as_of, count(*), NULL, NULL, min(coalesce(value_low, value_high)),
       max(coalesce(value_high, value_low)), NULL, NULL, NULL, NULL, NULL
FROM f GROUP BY as_of
UNION ALL
SELECT 'figure', group_name, location, as_of, NULL, NULL, NULL, value_low, value_high, id, value_text,
       claimant_slug, outlet, published
FROM (SELECT *, row_number() OVER (PARTITION BY as_of ORDER BY id) AS n FROM f)
WHERE n <= 50
"""


def export(pg_url: str, path: Path, log: Any = print) -> dict[str, float]:
    """Write the SQLite file from the PostgreSQL database; returns timings."""
    import psycopg

    started = time.monotonic()
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute(f"CREATE TABLE claims ({CLAIM_COLUMNS})")
    db.execute(
        "CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT, outlet TEXT, url TEXT, published TEXT, "
        "language TEXT, content_hash TEXT, length INTEGER, claims INTEGER, text TEXT)"
    )
    db.execute("CREATE TABLE actor_names (name TEXT, actor_slug TEXT, actor_name TEXT)")
    placeholders = ", ".join("?" * 31)
    with psycopg.connect(pg_url) as conn:
        conn.execute("SET work_mem = '256MB'")
        with conn.cursor(name="export_claims") as cur:
            cur.itersize = 20_000
            cur.execute(_EXPORT_CLAIMS)
            while rows := cur.fetchmany(20_000):
                db.executemany(f"INSERT INTO claims VALUES ({placeholders})", rows)
        with conn.cursor(name="export_documents") as cur:
            cur.execute(
                f"""SELECT d.id, d.title, d.outlet, d.url, d.published::text, d.language, encode(d.content_hash, 'hex'),
                       length(d.text), (SELECT count(*) FROM claims c WHERE c.document_id = d.id AND c.status IN {VISIBLE}),
                       d.text FROM documents d ORDER BY d.id"""
            )
            while rows := cur.fetchmany(5_000):
                db.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        rows = conn.execute(
            "SELECT n.name, a.slug, a.name FROM actor_names n JOIN actors a ON a.id = n.actor_id ORDER BY n.id"
        ).fetchall()
        db.executemany("INSERT INTO actor_names VALUES (?, ?, ?)", rows)
    db.commit()
    loaded = time.monotonic()
    for ddl in INDEXES:
        db.execute(ddl)
    db.execute("ANALYZE")
    db.commit()
    db.close()
    return {"rows_s": round(loaded - started, 1), "indexes_s": round(time.monotonic() - loaded, 1)}


def metadata() -> dict[str, Any]:
    return {
        "databases": {
            "demo": {
                "queries": {
                    "statements": {"sql": STATEMENTS_SQL, "title": "An actor's statements, newest first"},
                    "metric_summary": {"sql": METRIC_SUMMARY_SQL, "title": "A metric at a glance"},
                }
            }
        }
    }


def install(venv: Path, timeout: float = 600) -> Path:
    """Datasette in its own virtualenv (never in factdesk's); returns the datasette executable."""
    exe = venv / "bin" / "datasette"
    if exe.exists():
        return exe
    subprocess.run(["uv", "venv", "--quiet", "--python", sys.executable, str(venv)], check=True, timeout=timeout)
    subprocess.run(
        ["uv", "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), "datasette"],
        check=True, timeout=timeout,
    )
    return exe


def serve_command(exe: Path, db: Path, meta: Path, port: int) -> list[str]:
    return [
        str(exe), "serve", "-i", str(db), "--metadata", str(meta), "--host", "127.0.0.1", "--port", str(port),
        # long enough for the summary query at 1M rows, and room for a 500-row page
        "--setting", "sql_time_limit_ms", "10000", "--setting", "max_returned_rows", "20000",
    ]


def write_metadata(path: Path) -> None:
    path.write_text(json.dumps(metadata(), indent=2))
