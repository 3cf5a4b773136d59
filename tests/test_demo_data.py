"""``factdesk demo-data``: the synthetic corpus the benchmark loads.

Counts as asked, every quote verbatim at its offsets, the same seed giving the same data, the
schema (triggers, indexes) as the migrations left it, and the API reading the corpus."""

from __future__ import annotations

import csv as csvlib
import io

from pathlib import Path
from urllib.parse import quote as urlquote

import httpx
import psycopg
import pytest

from service.db import migrate
from service.demo import CLAIMS_PER_ACTOR, CLAIMS_PER_DOCUMENT, load_demo_data
from service.settings import Settings
from tests.conftest import VIA_NAMES_DRIFT, _plain, cli_env, run_cli, start_server, stop_server

N = 2_000
SEED = 7
SEEDS_DIR = Settings.from_env({}).seeds_dir

# Everything a load writes, ids included (fresh databases number alike); timestamps excluded.
SNAPSHOT = {
    "documents": "SELECT id, title, outlet, url, published, language, text, content_hash FROM documents ORDER BY id",
    "actors": "SELECT id, slug, name, kind, role FROM actors ORDER BY id",
    "actor_names": "SELECT actor_id, name, is_alias FROM actor_names ORDER BY actor_id, name",
    "metrics": "SELECT id, slug FROM metrics ORDER BY id",
    "claims": (
        "SELECT id, document_id, start_offset, end_offset, quote, metric_id, value_low, value_high, qualifier, "
        "value_text, group_name, location, as_of, claimant_id, confidence, origin, status, sort_date, content_key, "
        "version, via_names FROM claims ORDER BY id"
    ),
    "claim_via": "SELECT claim_id, position, actor_id FROM claim_via ORDER BY claim_id, position",
    "claim_reviews": "SELECT claim_id, status, reason FROM claim_reviews ORDER BY claim_id, id",
}


def snapshot(url: str) -> dict[str, list[tuple]]:
    with psycopg.connect(_plain(url)) as conn:
        return {name: conn.execute(sql).fetchall() for name, sql in SNAPSHOT.items()}


@pytest.fixture(scope="module")
def loaded(pg) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """Two fresh databases with the same seed: one through the CLI, one through the library."""
    by_cli = pg.create_database("factdesk_demo")
    result = run_cli("demo-data", "--claims", str(N), "--seed", str(SEED), "--quiet", env=cli_env(DATABASE_URL=by_cli))
    assert result.returncode == 0, result.stderr
    assert f"{N:,} claims" in result.stdout, result.stdout

    by_lib = pg.create_database("factdesk_demo")
    migrate.upgrade(by_lib)
    summary = load_demo_data(by_lib, N, SEED, seeds_dir=SEEDS_DIR, progress=False)
    assert summary.claims == N
    return by_cli, by_lib


def test_counts_are_as_requested(loaded: tuple[str, str]) -> None:
    with psycopg.connect(_plain(loaded[0])) as conn:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        assert one("SELECT count(*) FROM claims") == N
        assert one("SELECT count(*) FROM documents") == N // CLAIMS_PER_DOCUMENT
        assert one("SELECT count(*) FROM actors") == max(5, N // CLAIMS_PER_ACTOR)
        assert one("SELECT count(*) FROM actor_names WHERE is_alias") >= one("SELECT count(*) FROM actors")
        # every metric in the database is used, and figures and statements both occur
        assert one("SELECT count(DISTINCT metric_id) FROM claims") == one("SELECT count(*) FROM metrics") > 0
        assert 0.5 * N < one("SELECT count(*) FROM claims WHERE metric_id IS NOT NULL") < 0.9 * N
        # every claim has its first review row, as the claims_first_review trigger would write it
        assert one(
            "SELECT count(*) FROM claims c JOIN claim_reviews r ON r.claim_id = c.id "
            "AND r.status = c.status AND r.reason = 'created (' || c.origin || ')'"
        ) == N == one("SELECT count(*) FROM claim_reviews")
        assert one("SELECT count(*) FROM claims WHERE sort_date IS DISTINCT FROM coalesce(as_of, "
                   "(SELECT published FROM documents d WHERE d.id = document_id))") == 0
        assert one("SELECT count(*) FROM claim_via") > 0
        assert one(VIA_NAMES_DRIFT) == 0  # the names kept on each claim are its chain's (migration 0011)
        # as_of over several months
        assert one("SELECT max(as_of) - min(as_of) FROM claims") > 60
        # the work of the later triggers, done set-based: corroboration counts as a rebuild
        # would make them, and cached summaries made stale
        if one("SELECT to_regclass('figure_stats') IS NOT NULL"):
            assert one("SELECT count(*) FROM figure_stats") > 0
            assert one(
                """
                SELECT count(*) FROM (
                  SELECT metric_id, coalesce(value_low, 'NaN') lo, coalesce(value_high, 'NaN') hi,
                         count(DISTINCT document_id) d, count(DISTINCT claimant_id) c,
                         count(*) FILTER (WHERE claimant_id IS NULL) u
                  FROM claims WHERE metric_id IS NOT NULL AND status IN ('unreviewed', 'accepted') GROUP BY 1, 2, 3
                  EXCEPT
                  SELECT metric_id, low_key, high_key, documents, claimants, unattributed FROM figure_stats
                ) x
                """
            ) == 0
        if one("SELECT to_regclass('data_version') IS NOT NULL"):
            assert one("SELECT version FROM data_version") > 1


def test_skewed_like_news(loaded: tuple[str, str]) -> None:
    with psycopg.connect(_plain(loaded[0])) as conn:
        per_metric = [r[0] for r in conn.execute(
            "SELECT count(*) FROM claims WHERE metric_id IS NOT NULL GROUP BY metric_id ORDER BY 1 DESC")]
        top = conn.execute(
            "SELECT m.slug FROM claims c JOIN metrics m ON m.id = c.metric_id GROUP BY m.slug ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        per_actor = [r[0] for r in conn.execute(
            "SELECT count(*) FROM claims WHERE claimant_id IS NOT NULL GROUP BY claimant_id ORDER BY 1 DESC")]
    assert top == "arrests"
    assert per_metric[0] > 4 * per_metric[-1]
    assert per_actor[0] > 2 * per_actor[-1]


def test_every_quote_is_verbatim_at_its_offsets(loaded: tuple[str, str]) -> None:
    with psycopg.connect(_plain(loaded[0])) as conn:
        texts = dict(conn.execute("SELECT id, text FROM documents").fetchall())
        rows = conn.execute("SELECT document_id, start_offset, end_offset, quote, value_text FROM claims").fetchall()
    assert len(rows) == N
    for doc_id, start, end, quote, value_text in rows:
        assert texts[doc_id][start:end] == quote
        assert value_text is None or value_text in quote
    # some quotes name their claimant by an accented alias: offsets count characters, not bytes
    assert any(not q.isascii() for *_, q, _v in rows)


def test_same_seed_same_data(loaded: tuple[str, str]) -> None:
    a, b = (snapshot(url) for url in loaded)
    for table in SNAPSHOT:
        assert a[table] == b[table], table


def test_another_seed_other_data_and_a_seed_loads_once(pg, loaded: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    url = pg.create_database("factdesk_demo")
    migrate.upgrade(url)
    load_demo_data(url, 200, SEED + 1, seeds_dir=SEEDS_DIR, progress=False)
    with psycopg.connect(_plain(url)) as conn:
        other = {r[0] for r in conn.execute("SELECT content_hash FROM documents")}
    with psycopg.connect(_plain(loaded[0])) as conn:
        mine = {r[0] for r in conn.execute("SELECT content_hash FROM documents")}
    assert not other & mine
    with pytest.raises(SystemExit, match="loaded in this database already"):
        load_demo_data(url, 200, SEED + 1, seeds_dir=SEEDS_DIR, progress=False)
    # a second corpus adds to the first, with the indexes maintained row by row this time
    load_demo_data(url, 100, SEED + 2, seeds_dir=SEEDS_DIR, progress=False)
    with psycopg.connect(_plain(url)) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT content_key) FROM claims").fetchone() == (300, 300)
        assert conn.execute("SELECT count(*) FROM claim_reviews").fetchone()[0] == 300


def test_schema_is_as_the_migrations_left_it(pg, loaded: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    fresh = pg.create_database("factdesk_demo")
    migrate.upgrade(fresh)
    sql = (
        "SELECT c.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid "
        "WHERE x.indrelid IN ('claims'::regclass, 'claim_reviews'::regclass, 'claim_via'::regclass) ORDER BY 1"
    )
    triggers = "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'claims'::regclass AND NOT tgisinternal ORDER BY 1"
    with psycopg.connect(_plain(fresh)) as conn:
        want_indexes, want_triggers = conn.execute(sql).fetchall(), conn.execute(triggers).fetchall()
    with psycopg.connect(_plain(loaded[0])) as conn:
        assert conn.execute(sql).fetchall() == want_indexes
        assert conn.execute(triggers).fetchall() == want_triggers
        assert {t[1] for t in want_triggers} == {"O"}
        # the triggers work again: a quote that is not verbatim is refused, a new claim gets its review row
        doc_id, text = conn.execute("SELECT id, text FROM documents ORDER BY id LIMIT 1").fetchone()
        insert = (
            "INSERT INTO claims (document_id, start_offset, end_offset, quote, confidence, origin, status, sort_date, "
            "content_key) VALUES (%s, 0, %s, %s, 0.5, 'curated', 'accepted', '2022-01-05', %s) RETURNING id"
        )
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute(insert, (doc_id, 5, "XXXXX", b"k1"))
        conn.rollback()
        new_id = conn.execute(insert, (doc_id, 5, text[:5], b"k2")).fetchone()[0]
        assert conn.execute("SELECT count(*) FROM claim_reviews WHERE claim_id = %s", (new_id,)).fetchone()[0] == 1
        conn.rollback()
        # sequences continue after the loaded ids
        assert conn.execute("SELECT last_value FROM claims_id_seq").fetchone()[0] >= N


def test_the_api_reads_the_corpus(loaded: tuple[str, str], tmp_path: Path) -> None:
    url = loaded[0]
    with psycopg.connect(_plain(url)) as conn:
        alias = conn.execute(
            """
            SELECT n.name FROM claims c JOIN actor_names n ON n.actor_id = c.claimant_id AND n.is_alias
            WHERE NOT EXISTS (SELECT 1 FROM actor_names o WHERE o.norm = n.norm AND o.actor_id <> n.actor_id)
            GROUP BY n.name ORDER BY count(*) DESC, n.name LIMIT 1
            """
        ).fetchone()[0]
    proc, base = start_server(cli_env(DATABASE_URL=url), tmp_path / "serve.log", "--no-access-log", "--no-seed")
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            page = client.get("/claims", params={"metric": "arrests", "limit": 50})
            assert page.status_code == 200, page.text
            body = page.json()
            assert len(body["items"]) == 50 and body["next_cursor"]
            docs: dict[int, str] = {}
            for claim in body["items"]:
                assert claim["metric"] == "arrests"
                cit = claim["citation"]
                if cit["document_id"] not in docs:
                    docs[cit["document_id"]] = client.get(f"/documents/{cit['document_id']}").json()["text"]
                assert docs[cit["document_id"]][cit["start"]:cit["end"]] == cit["quote"]
                assert claim["value"]["text"] in cit["quote"]
            nxt = client.get("/claims", params={"metric": "arrests", "limit": 50, "cursor": body["next_cursor"]})
            assert nxt.status_code == 200
            assert min(c["id"] for c in nxt.json()["items"]) > max(c["id"] for c in body["items"])

            statements = client.get(f"/actors/{urlquote(alias, safe='')}/statements", params={"limit": 20})
            assert statements.status_code == 200, statements.text
            items = statements.json()["items"]
            assert items and len({c["claimant"]["slug"] for c in items}) == 1
            dates = [c["as_of"] or c["citation"]["published"] for c in items]
            assert dates == sorted(dates, reverse=True)

            summary = client.get("/metrics/arrests")
            assert summary.status_code == 200 and summary.json()["scopes"]
            counts = {m["slug"]: m["claims"] for m in client.get("/metrics").json()["items"]}
            assert all(n > 0 for n in counts.values())

            csv = client.get("/claims", params={"metric": "deaths", "limit": 500}, headers={"Accept": "text/csv"})
            assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
            rows = list(csvlib.reader(io.StringIO(csv.text)))
            assert rows[0][:3] == ["id", "metric", "value_low"] and len(rows) > 10
            assert {r[1] for r in rows[1:]} == {"deaths"}
    finally:
        stop_server(proc)


def test_an_unknown_trigger_keeps_every_trigger_on(pg) -> None:  # type: ignore[no-untyped-def]
    """A trigger added to claims later is never skipped: the loader then loads with them all on."""
    url = pg.create_database("factdesk_demo")
    migrate.upgrade(url)
    with psycopg.connect(_plain(url), autocommit=True) as conn:
        conn.execute("CREATE TABLE seen (claim_id bigint)")
        conn.execute(
            "CREATE FUNCTION note_claim() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN INSERT INTO seen VALUES (NEW.id); RETURN NULL; END $$"
        )
        conn.execute("CREATE TRIGGER claims_note AFTER INSERT ON claims FOR EACH ROW EXECUTE FUNCTION note_claim()")
    summary = load_demo_data(url, 300, SEED, seeds_dir=SEEDS_DIR, progress=False)
    with psycopg.connect(_plain(url)) as conn:
        assert conn.execute("SELECT count(*) FROM seen").fetchone()[0] == summary.claims == 300
        # the first review rows come from claims_first_review itself, one per claim
        assert conn.execute("SELECT count(*), count(DISTINCT claim_id) FROM claim_reviews").fetchone() == (300, 300)
        assert {r[0] for r in conn.execute(
            "SELECT tgenabled FROM pg_trigger WHERE tgrelid = 'claims'::regclass AND NOT tgisinternal")} == {"O"}
