"""The schema: built by migrations, reversible, and it enforces DESIGN.md's invariants itself.
Seeds: loading twice changes nothing, and a wrong offset fails naming the claim."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import psycopg
import pytest

from service.db import migrate
from service.seeds import SeedError, load_seeds
from service.settings import Settings
from tests.conftest import VIA_NAMES_DRIFT, PgServer, _plain
from tests.seeddata import CLAIMS, SEEDS

TABLES = ["actor_names", "actors", "api_keys", "claim_reviews", "claim_via", "claims", "documents", "metric_synonyms", "metrics"]


def tables(url: str) -> set[str]:
    with psycopg.connect(_plain(url)) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    return {r[0] for r in rows}


def counts(url: str) -> dict[str, int]:
    with psycopg.connect(_plain(url)) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def seed(url: str, seeds_dir: Path = SEEDS):
    from service.db.engine import make_engine

    async def run():
        engine = make_engine(url, Settings.from_env({}))
        try:
            async with engine.begin() as conn:
                return await load_seeds(conn, seeds_dir)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_migrations_upgrade_downgrade_upgrade(pg: PgServer) -> None:
    url = pg.create_database()
    migrate.upgrade(url)
    assert set(TABLES) <= tables(url)
    assert migrate.current(url) is not None
    migrate.downgrade(url, "base")
    assert tables(url) == {"alembic_version"}
    assert migrate.current(url) is None
    migrate.upgrade(url)
    assert set(TABLES) <= tables(url)
    summary = seed(url)
    assert summary.claims == len(CLAIMS)


def test_seeding_twice_changes_nothing(pg: PgServer) -> None:
    url = pg.create_database()
    migrate.upgrade(url)
    first = seed(url)
    assert first.new_claims == len(CLAIMS)
    after_first = counts(url)
    second = seed(url)
    assert second.new_claims == 0
    assert counts(url) == after_first
    assert after_first["claims"] == len(CLAIMS)
    assert after_first["documents"] == 5


def test_a_wrong_offset_fails_the_load_naming_the_claim(pg: PgServer, tmp_path: Path) -> None:
    bad = tmp_path / "seeds"
    shutil.copytree(SEEDS, bad)
    claims = json.loads((bad / "claims.json").read_text())
    victim = claims[3]
    victim["start"] += 1
    victim["end"] += 1
    (bad / "claims.json").write_text(json.dumps(claims))
    url = pg.create_database()
    migrate.upgrade(url)
    with pytest.raises(SeedError, match=victim["id"]):
        seed(url, bad)
    assert counts(url)["claims"] == 0  # one transaction: nothing half-loaded


def test_an_unknown_claimant_in_seeds_fails_rather_than_inventing_an_actor(pg: PgServer, tmp_path: Path) -> None:
    bad = tmp_path / "seeds"
    shutil.copytree(SEEDS, bad)
    claims = json.loads((bad / "claims.json").read_text())
    claims[0]["claimant"] = "no-such-actor-slug"
    (bad / "claims.json").write_text(json.dumps(claims))
    url = pg.create_database()
    migrate.upgrade(url)
    with pytest.raises(SeedError, match=claims[0]["id"]):
        seed(url, bad)


@pytest.fixture(scope="module")
def seeded(pg: PgServer) -> str:
    url = pg.create_database()
    migrate.upgrade(url)
    seed(url)
    return url


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("UPDATE claims SET quote = 'not in the text' WHERE id = (SELECT min(id) FROM claims)", "cannot be edited"),
        ("INSERT INTO claims (document_id, start_offset, end_offset, quote, confidence, origin, status, sort_date, content_key)"
         " SELECT d.id, 0, 5, 'xxxxx', 0.5, 'curated', 'accepted', d.published, '\\x01' FROM documents d LIMIT 1", "not verbatim"),
        ("UPDATE documents SET text = text || ' edited' WHERE id = (SELECT min(id) FROM documents)", "never edited"),
        ("DELETE FROM claims WHERE id = (SELECT min(id) FROM claims)", "never deleted"),
        ("DELETE FROM documents WHERE id = (SELECT max(id) FROM documents)", "never deleted"),
        ("DELETE FROM claim_reviews WHERE id = (SELECT min(id) FROM claim_reviews)", "append-only"),
        ("UPDATE claims SET confidence = 0.1 WHERE id = (SELECT min(id) FROM claims)", "cannot be edited"),
        ("INSERT INTO claims (document_id, start_offset, end_offset, quote, confidence, origin, status, sort_date, content_key)"
         " SELECT d.id, 0, 5, substr(d.text, 1, 5), 1.5, 'curated', 'accepted', d.published, '\\x02' FROM documents d LIMIT 1",
         "ck_claims_confidence"),
        ("UPDATE claims SET status = 'deleted' WHERE id = (SELECT min(id) FROM claims)", "ck_claims_status"),
        ("UPDATE claims SET via_names = '{Someone Else}' WHERE id = (SELECT min(id) FROM claims)", "cannot be edited"),
    ],
)
def test_the_database_itself_refuses_to_break_invariants(seeded: str, sql: str, message: str) -> None:
    with psycopg.connect(_plain(seeded)) as conn:
        with pytest.raises(psycopg.errors.IntegrityError, match=message):
            conn.execute(sql)


def test_review_state_can_change_and_history_is_kept(seeded: str) -> None:
    with psycopg.connect(_plain(seeded)) as conn:
        claim_id = conn.execute("SELECT min(id) FROM claims").fetchone()[0]
        conn.execute("UPDATE claims SET status = 'retracted' WHERE id = %s", (claim_id,))
        history = conn.execute("SELECT status, reason FROM claim_reviews WHERE claim_id = %s ORDER BY id", (claim_id,)).fetchall()
        assert history[0] == ("accepted", "created (curated)")
        conn.rollback()


def test_every_stored_quote_is_verbatim(seeded: str) -> None:
    with psycopg.connect(_plain(seeded)) as conn:
        bad = conn.execute(
            "SELECT count(*) FROM claims c JOIN documents d ON d.id = c.document_id"
            " WHERE substr(d.text, c.start_offset + 1, c.end_offset - c.start_offset) <> c.quote"
        ).fetchone()[0]
    assert bad == 0


def test_via_names_kept_on_claims_are_their_chains(seeded: str, pg: PgServer) -> None:
    with psycopg.connect(_plain(seeded)) as conn:
        assert conn.execute("SELECT count(*) FROM claims WHERE cardinality(via_names) > 0").fetchone()[0] > 0
        assert conn.execute(VIA_NAMES_DRIFT).fetchone()[0] == 0
    # the migration that added them fills them in for claims written before it
    url = pg.create_database()
    migrate.upgrade(url)
    seed(url)
    migrate.downgrade(url, "0010")
    migrate.upgrade(url)
    with psycopg.connect(_plain(url)) as conn:
        assert conn.execute("SELECT count(*) FROM claims WHERE cardinality(via_names) > 0").fetchone()[0] > 0
        assert conn.execute(VIA_NAMES_DRIFT).fetchone()[0] == 0


def test_corroboration_counts_kept_by_triggers_match_a_recount(seeded: str) -> None:
    recount = """
        SELECT metric_id, coalesce(value_low, 'NaN')::text AS lo, coalesce(value_high, 'NaN')::text AS hi,
               count(DISTINCT document_id), count(DISTINCT claimant_id), count(*) FILTER (WHERE claimant_id IS NULL)
        FROM claims WHERE metric_id IS NOT NULL AND status IN ('unreviewed', 'accepted') GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    """
    kept = """
        SELECT metric_id, low_key::text, high_key::text, documents, claimants, unattributed FROM figure_stats
        WHERE documents > 0 OR claimants > 0 OR unattributed > 0 ORDER BY 1, 2, 3
    """
    with psycopg.connect(_plain(seeded)) as conn:
        assert conn.execute(kept).fetchall() == conn.execute(recount).fetchall()
        # reviews move the counts both ways
        ids = [r[0] for r in conn.execute("SELECT id FROM claims WHERE metric_id IS NOT NULL ORDER BY id LIMIT 6").fetchall()]
        for i in ids[:4]:
            conn.execute("UPDATE claims SET status = 'retracted' WHERE id = %s", (i,))
        conn.execute("UPDATE claims SET status = 'accepted' WHERE id = %s", (ids[0],))
        conn.execute("UPDATE claims SET status = 'superseded', superseded_by = %s WHERE id = %s", (ids[5], ids[4]))
        assert conn.execute(kept).fetchall() == conn.execute(recount).fetchall()
        conn.execute("SELECT fd_rebuild_figure_stats()")
        assert conn.execute(kept).fetchall() == conn.execute(recount).fetchall()
        conn.rollback()
