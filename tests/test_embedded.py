"""``factdesk serve`` with no DATABASE_URL: the embedded PostgreSQL, from an empty home to the
first answer, a clean SIGTERM, and a restart on the same data."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from service.db.embedded import EmbeddedPostgres
from tests.conftest import cli_env, start_server, stop_server


def test_serve_on_a_fresh_home_then_restart_on_the_same_data(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = cli_env(FACTDESK_HOME=str(home))
    env.pop("DATABASE_URL", None)

    started = time.monotonic()
    proc, base = start_server(env, tmp_path / "serve1.log")
    cold_start = time.monotonic() - started
    try:
        r = httpx.get(f"{base}/claims", params={"metric": "arrests"})
        assert r.status_code == 200
        texts = {c["value"]["text"] for c in r.json()["items"]}
        assert {"2,298", "more than 3,000", "around 2,000", "nearly 6,000"} <= texts
        assert (home / "pgdata" / "PG_VERSION").exists()
        # the server listens on a socket in the home folder, not on TCP 5432
        assert list((home / "run").glob(".s.PGSQL.*"))
    finally:
        code = stop_server(proc)
    assert code == 0, (tmp_path / "serve1.log").read_text()
    assert not EmbeddedPostgres(home).running(), "SIGTERM left the embedded PostgreSQL running"
    print(f"cold start to first /readyz 200: {cold_start:.2f}s")

    proc, base = start_server(env, tmp_path / "serve2.log")
    try:
        docs = httpx.get(f"{base}/documents").json()["items"]
        assert len(docs) == 5  # same data, not seeded twice
        assert "loaded seeds" not in (tmp_path / "serve2.log").read_text()
    finally:
        assert stop_server(proc) == 0
