"""``factdesk demo-data``: the synthetic corpus the benchmark loads.

Counts as asked, every quote verbatim at its offsets, the same seed giving the same data, the
schema (triggers, indexes) as the migrations left it, and the API reading the corpus."""

from __future__ import annotations

import csv as csvlib
import io
import re

from pathlib import Path
from urllib.parse import quote as urlquote

import httpx
import psycopg
import pytest

from service.db import migrate
from service.demo import CLAIMS_PER_ACTOR, CLAIMS_PER_DOCUMENT, events_for, load_demo_data
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
        "version, via_names, event_id FROM claims ORDER BY id"
    ),
    "events": "SELECT id, slug, name, kind, countries, places, match_places, onset, onset_known FROM events ORDER BY id",
    "event_names": "SELECT event_id, name, is_alias FROM event_names ORDER BY event_id, name",
    "document_events": "SELECT document_id, event_id, is_main, confidence, evidence FROM document_events ORDER BY 1, 2",
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


def test_every_document_and_claim_has_an_event(loaded: tuple[str, str]) -> None:
    with psycopg.connect(_plain(loaded[0])) as conn:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        n_events = one("SELECT count(*) FROM events")
        assert n_events == events_for(N // CLAIMS_PER_DOCUMENT) >= 10
        # a million claims: about one event per hundred documents, several hundred in all
        assert 400 <= events_for(1_000_000 // CLAIMS_PER_DOCUMENT) <= 600
        # every document in exactly one event, its main one; every claim in its document's main event
        assert one("SELECT count(*) FROM document_events WHERE is_main") == one("SELECT count(*) FROM documents")
        assert one("SELECT count(*) FROM document_events WHERE NOT is_main") == 0
        assert one("SELECT count(*) FROM claims WHERE event_id IS NULL") == 0
        assert one(
            "SELECT count(*) FROM claims c JOIN document_events de ON de.document_id = c.document_id AND de.is_main "
            "WHERE c.event_id <> de.event_id"
        ) == 0
        # every event holds documents, a few hold most of them (skewed like news)
        sizes = [r[0] for r in conn.execute("SELECT count(*) FROM document_events GROUP BY event_id ORDER BY 1 DESC")]
        assert len(sizes) == n_events and sizes[0] > 3 * sizes[-1]
        # names and slugs are names (not aliases), unique across events; kinds from event_kinds
        assert one(
            "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM event_names n WHERE n.event_id = e.id "
            "AND n.name = e.name AND NOT n.is_alias) OR NOT EXISTS (SELECT 1 FROM event_names n WHERE n.event_id = e.id "
            "AND n.name = e.slug AND NOT n.is_alias)"
        ) == 0
        assert one("SELECT count(*) FROM (SELECT norm FROM event_names GROUP BY norm HAVING count(DISTINCT event_id) > 1) x") == 0
        assert one("SELECT count(DISTINCT kind) FROM events") >= 3
        assert one("SELECT count(*) FROM events WHERE kind NOT IN (SELECT slug FROM event_kinds)") == 0
        # countries as ISO codes, the country first among the places; onsets over years
        assert one("SELECT count(*) FROM events WHERE cardinality(countries) <> 1 OR countries[1] !~ '^[A-Z]{2}$' "
                   "OR cardinality(places) < 2") == 0
        assert one("SELECT max(onset) - min(onset) FROM events") > 365
        # documents are published near their event's onset (within its six months of coverage)
        assert one(
            "SELECT count(*) FROM documents d JOIN document_events de ON de.document_id = d.id JOIN events e "
            "ON e.id = de.event_id WHERE d.published < e.onset OR d.published > e.onset + 185"
        ) == 0
        names = [r[0] for r in conn.execute("SELECT name FROM events")]
    # named as the desk names events: "Earthquake in Nepal, April 2015"
    assert all(re.fullmatch(r"[A-Z][\w ]+ in [\w ,'.-]+, [A-Z][a-z]+ \d{4}( \(\d+\))?", n) for n in names), names


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
        # each load adds its own events; no name or alias names two of them
        assert conn.execute("SELECT count(*) FROM claims WHERE event_id IS NULL").fetchone()[0] == 0
        assert conn.execute(
            "SELECT count(*) FROM (SELECT norm FROM event_names GROUP BY norm HAVING count(DISTINCT event_id) > 1) x"
        ).fetchone()[0] == 0


def test_schema_is_as_the_migrations_left_it(pg, loaded: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    fresh = pg.create_database("factdesk_demo")
    migrate.upgrade(fresh)
    sql = (
        "SELECT c.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid "
        "WHERE x.indrelid IN ('claims'::regclass, 'claim_reviews'::regclass, 'claim_via'::regclass) ORDER BY 1"
    )
    triggers = (
        "SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger "
        "WHERE tgrelid IN ('claims'::regclass, 'document_events'::regclass) AND NOT tgisinternal ORDER BY 1, 2"
    )
    with psycopg.connect(_plain(fresh)) as conn:
        want_indexes, want_triggers = conn.execute(sql).fetchall(), conn.execute(triggers).fetchall()
    with psycopg.connect(_plain(loaded[0])) as conn:
        assert conn.execute(sql).fetchall() == want_indexes
        assert conn.execute(triggers).fetchall() == want_triggers
        assert {t[2] for t in want_triggers} == {"O"}
        assert {"claims_default_event", "claims_event_data_version", "document_events_data_version"} <= {t[1] for t in want_triggers}
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
        # and a claim given no event takes its document's main event
        assert conn.execute(
            "SELECT c.event_id = de.event_id FROM claims c JOIN document_events de ON de.document_id = c.document_id "
            "AND de.is_main WHERE c.id = %s", (new_id,)
        ).fetchone()[0] is True
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
        # a demo event with deaths reported, not the busiest (its filter must leave other events' claims out)
        slug, name, event_alias = conn.execute(
            """
            SELECT e.slug, e.name, (SELECT n.name FROM event_names n WHERE n.event_id = e.id AND n.is_alias LIMIT 1)
            FROM claims c JOIN metrics m ON m.id = c.metric_id AND m.slug = 'deaths' JOIN events e ON e.id = c.event_id
            WHERE c.status IN ('unreviewed', 'accepted') GROUP BY e.id ORDER BY count(*) DESC, e.id OFFSET 1 LIMIT 1
            """
        ).fetchone()
        event_docs = {r[0] for r in conn.execute(
            "SELECT de.document_id FROM document_events de JOIN events e ON e.id = de.event_id WHERE e.slug = %s AND de.is_main",
            (slug,))}
        event_deaths = conn.execute(
            "SELECT count(*) FROM claims c JOIN metrics m ON m.id = c.metric_id AND m.slug = 'deaths' "
            "WHERE c.status IN ('unreviewed', 'accepted') AND c.document_id = ANY(%s)", (list(event_docs),)
        ).fetchone()[0]
        all_events = conn.execute("SELECT slug, onset FROM events ORDER BY onset DESC, id DESC").fetchall()
    assert event_deaths > 0 and len(all_events) > 5
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
            assert rows[0][-2:] == ["event_slug", "event_name"]
            assert {r[1] for r in rows[1:]} == {"deaths"} and all(r[-2] and r[-1] for r in rows[1:])

            # every claim listed has its event
            for claim in body["items"]:
                assert claim["event"]["slug"] and claim["event"]["name"]

            # event= by slug: only the claims of that event's documents, every one of them
            seen: list[dict] = []
            params = {"event": slug, "metric": "deaths", "limit": 100}
            while True:
                got = client.get("/claims", params=params)
                assert got.status_code == 200, got.text
                seen += got.json()["items"]
                if not got.json()["next_cursor"]:
                    break
                params["cursor"] = got.json()["next_cursor"]
            assert len(seen) == event_deaths
            assert {c["citation"]["document_id"] for c in seen} <= event_docs
            assert all(c["event"]["slug"] == slug and c["event"]["name"] == name and c["metric"] == "deaths" for c in seen)
            # by its name or alias, any case, the same claims
            first_ids = [c["id"] for c in seen[:100]]
            for other in (name.upper(), event_alias):
                by_name = client.get("/claims", params={"event": other, "metric": "deaths", "limit": 100})
                assert by_name.status_code == 200, by_name.text
                assert [c["id"] for c in by_name.json()["items"]] == first_ids
            # and the event's documents
            docs = client.get("/documents", params={"event": slug, "limit": 500})
            assert docs.status_code == 200, docs.text
            assert {d["id"] for d in docs.json()["items"]} == event_docs

            # GET /events pages through every event, the latest onset first
            listed: list[dict] = []
            params = {"limit": 4}
            while True:
                got = client.get("/events", params=params)
                assert got.status_code == 200, got.text
                page = got.json()
                assert len(page["items"]) <= 4
                listed += page["items"]
                if not page["next_cursor"]:
                    break
                params["cursor"] = page["next_cursor"]
            assert [(e["slug"], e["onset"]) for e in listed] == [(s, o.isoformat()) for s, o in all_events]
            assert all(e["documents"] > 0 and e["claims"] > 0 for e in listed)
            one = client.get(f"/events/{slug}")
            assert one.status_code == 200, one.text
            assert one.json()["event"]["documents"] == len(event_docs)
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
