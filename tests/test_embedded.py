"""``factdesk serve`` with no DATABASE_URL: the embedded PostgreSQL, from an empty home to the
first answer, a clean SIGTERM, and a restart on the same data."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
import pytest

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


def test_serve_starts_its_embedded_postgresql_again_when_it_dies(tmp_path: Path) -> None:
    """The embedded server killed (as the OOM killer would): `serve` starts it again on the same
    data and address, requests get 503 meanwhile and 200 again, and serve still stops cleanly."""
    home = tmp_path / "home"
    env = cli_env(FACTDESK_HOME=str(home))
    env.pop("DATABASE_URL", None)
    proc, base = start_server(env, tmp_path / "serve.log")
    try:
        assert httpx.get(f"{base}/claims", params={"metric": "arrests"}).status_code == 200
        postmaster = int((home / "pgdata" / "postmaster.pid").read_text().split()[0])
        os.kill(postmaster, signal.SIGKILL)
        saw_503 = False
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            r = httpx.get(f"{base}/claims", params={"metric": "arrests"}, timeout=10)
            if r.status_code == 200:
                break
            assert r.status_code == 503 and r.headers["content-type"].startswith("application/problem+json"), r.text
            saw_503 = True
            time.sleep(0.2)
        else:
            pytest.fail("the embedded PostgreSQL did not come back within 20 s")
        assert saw_503 or int((home / "pgdata" / "postmaster.pid").read_text().split()[0]) != postmaster
        assert "starting it again" in (tmp_path / "serve.log").read_text()
    finally:
        assert stop_server(proc) == 0
    assert not EmbeddedPostgres(home).running(), "SIGTERM left the embedded PostgreSQL running"
