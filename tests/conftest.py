"""Test fixtures: a real PostgreSQL, databases built by the migrations, a served instance.

By default the suite starts the embedded PostgreSQL (the same code ``factdesk serve`` uses) in
a temporary folder. With DATABASE_URL set it uses that server instead, creating and dropping
its own databases there. Every database is built with ``alembic upgrade head``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from service.settings import normalize_database_url

ROOT = Path(__file__).resolve().parent.parent


def _plain(url: str) -> str:
    return normalize_database_url(url).replace("postgresql+psycopg://", "postgresql://", 1)


def _with_database(url: str, name: str) -> str:
    """The same server URL with another database name (keeps ?host=… query parts)."""
    from sqlalchemy.engine import make_url

    return make_url(normalize_database_url(url)).set(database=name).render_as_string(hide_password=False)


class PgServer:
    """Creates throwaway databases on one PostgreSQL server."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.created: list[str] = []

    def create_database(self, prefix: str = "factdesk_test") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(_plain(self.admin_url), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
        self.created.append(name)
        return _with_database(self.admin_url, name)

    def drop_all(self) -> None:
        with psycopg.connect(_plain(self.admin_url), autocommit=True) as conn:
            for name in self.created:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg() -> Iterator[PgServer]:
    external = os.environ.get("DATABASE_URL")
    if external:
        server = PgServer(_with_database(external, "postgres"))
        yield server
        server.drop_all()
        return
    from service.db.embedded import EmbeddedPostgres

    home = Path(tempfile.mkdtemp(prefix="fdt-"))
    embedded = EmbeddedPostgres(home)
    embedded.start()
    try:
        yield PgServer(embedded.url("postgres"))
    finally:
        embedded.stop()
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def db_url(pg: PgServer) -> str:
    """A migrated, seeded database shared by the read-only tests and the served instance."""
    from service.cli import prepare
    from service.settings import Settings

    url = pg.create_database()
    prepare(url, Settings.from_env({}), seed=True)
    return url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTDESK_")}
    env.update(extra)
    return env


def run_cli(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
    )


def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"factdesk serve exited with {proc.returncode}")
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("factdesk serve did not become ready")


def start_server(env: dict[str, str], log_path: Path, *extra: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--port", str(port), *extra],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, proc)
    except Exception:
        proc.kill()
        raise RuntimeError(f"server failed to start; log:\n{log_path.read_text()}") from None
    return proc, base


def stop_server(proc: subprocess.Popen[bytes], timeout: float = 30) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


@pytest.fixture(scope="session")
def server(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``factdesk serve`` on a free port against the seeded test database; yields its base URL.
    Tests that use it only read, so they can rely on the database holding exactly the seeds."""
    log = tmp_path_factory.mktemp("server") / "serve.log"
    proc, base = start_server(cli_env(DATABASE_URL=db_url), log, "--no-access-log")
    yield base
    stop_server(proc)


class WritableServer:
    def __init__(self, url: str, base: str) -> None:
        self.db_url = url
        self.base = base

    def new_key(self, *, curator: bool = False) -> str:
        extra = ("--curator",) if curator else ()
        result = run_cli("keys", "create", f"tests-{uuid.uuid4().hex[:6]}", *extra, env=cli_env(DATABASE_URL=self.db_url))
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def writable(pg: PgServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WritableServer]:
    """A served instance on its own freshly seeded database, for tests that write."""
    from service.cli import prepare
    from service.settings import Settings

    url = pg.create_database()
    prepare(url, Settings.from_env({}), seed=True)
    log = tmp_path_factory.mktemp("writable") / "serve.log"
    proc, base = start_server(cli_env(DATABASE_URL=url), log, "--no-access-log")
    yield WritableServer(url, base)
    stop_server(proc)


@pytest.fixture(scope="module")
def client(request: pytest.FixtureRequest) -> Iterator[httpx.Client]:
    """An HTTP client for a served instance: the shared seeded one (read-only tests), or in
    modules marked ``writes`` the module's own instance, so the shared database stays exactly
    the seeds."""
    if request.node.get_closest_marker("writes"):
        base = request.getfixturevalue("writable").base
    else:
        base = request.getfixturevalue("server")
    with httpx.Client(base_url=base, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def auth(writable: WritableServer) -> dict[str, str]:
    """A curator's key made the way a person makes one: ``factdesk keys create NAME --curator``
    (last line): the tests review the seeds' curated claims too."""
    return {"Authorization": f"Bearer {writable.new_key(curator=True)}"}


def problem(response: httpx.Response, status: int) -> dict:
    """Assert ``response`` is an RFC 9457 problem with ``status``; return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body.get("detail"), body
    return body


# Claims whose kept via names (migration 0011) are not their via chain's actors' names, in order.
VIA_NAMES_DRIFT = """
    SELECT count(*) FROM claims c WHERE c.via_names IS DISTINCT FROM ARRAY(
      SELECT a.name FROM claim_via v JOIN actors a ON a.id = v.actor_id WHERE v.claim_id = c.id ORDER BY v.position)
"""
