"""Faults injected for real: the database killed and restarted under load, the service killed,
concurrent duplicate writes, timeouts, limits, revoked keys, leaks, backup and restore.

These tests run their own embedded PostgreSQL (whatever DATABASE_URL says) so they can kill it.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import os
import re
import shutil
import signal
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from service.db.embedded import EmbeddedPostgres
from tests.conftest import _plain, cli_env, problem, run_cli, start_server, stop_server


class Database:
    """An embedded PostgreSQL this module may kill."""

    def __init__(self) -> None:
        self.home = Path(tempfile.mkdtemp(prefix="fdr-"))
        self.pg = EmbeddedPostgres(self.home)
        self.pg.start()
        self.pg.ensure_database()
        self.url = self.pg.url()

    def kill(self) -> None:
        """pg_ctl stop -m immediate: no checkpoint, like a crash."""
        self.pg._run("pg_ctl", "stop", "-m", "immediate", "-w", "-D", str(self.pg.pgdata), check=False)

    def start(self) -> None:
        self.pg.start()

    def close(self) -> None:
        self.pg.stop()
        shutil.rmtree(self.home, ignore_errors=True)


@pytest.fixture(scope="module")
def db() -> Iterator[Database]:
    database = Database()
    from service.cli import prepare
    from service.settings import Settings

    prepare(database.url, Settings.from_env({}), seed=True)
    yield database
    database.close()


@pytest.fixture(scope="module")
def served(db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = cli_env(DATABASE_URL=db.url, FACTDESK_WRITE_RATE_PER_MINUTE="100000")
    proc, base = start_server(env, tmp_path_factory.mktemp("res") / "serve.log", "--no-access-log")
    yield base
    stop_server(proc)


def new_key(url: str) -> str:
    result = run_cli("keys", "create", f"res-{uuid.uuid4().hex[:8]}", env=cli_env(DATABASE_URL=url))
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_database_outage_is_503_and_recovers_without_restart(db: Database, served: str) -> None:
    with httpx.Client(base_url=served, timeout=10) as c:
        assert c.get("/readyz").status_code == 200
        db.kill()
        try:
            for path in ("/readyz", "/claims?metric=arrests", "/metrics/arrests", "/actors/tokayev"):
                started = time.monotonic()
                r = c.get(path)
                elapsed = time.monotonic() - started
                body = problem(r, 503)
                assert int(r.headers["retry-after"]) >= 1
                assert elapsed < 2.0, f"{path} took {elapsed:.2f}s while the database was down"
                assert "database" in body["detail"]
            assert c.get("/healthz").status_code == 200
        finally:
            db.start()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if c.get("/claims", params={"metric": "arrests"}).status_code == 200:
                break
            time.sleep(0.1)
        else:
            pytest.fail("requests did not succeed within 5 s of the database coming back")
        assert c.get("/readyz").status_code == 200


def _server_processes(db: Database) -> list[int]:
    postmaster = int((db.pg.pgdata / "postmaster.pid").read_text().split()[0])
    children = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _parent(p) == postmaster]
    return [postmaster, *children]


def _parent(proc: Path) -> int | None:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def test_a_hung_database_is_503_within_2_s_and_recovers(db: Database, served: str) -> None:
    """SIGSTOP on the server and its backends: connections stay open but nothing answers and
    PostgreSQL's statement timeout cannot fire. Reads and writes still get 503 in < 2 s."""
    key = new_key(db.url)
    with httpx.Client(base_url=served, timeout=20) as c:
        doc = c.get("/documents/1").json()
        quote = doc["text"].split(". ")[2].strip()
        for _ in range(3):
            assert c.get("/claims", params={"metric": "arrests"}).status_code == 200

        def one(method: str, path: str) -> tuple[str, int, float, httpx.Response]:
            started = time.monotonic()
            if method == "POST":
                r = c.post(path, json={"document_id": 1, "quote": quote, "group": f"hang {uuid.uuid4().hex[:6]}"},
                           headers={"Authorization": f"Bearer {key}"})
            else:
                r = c.get(path)
            return path, r.status_code, time.monotonic() - started, r

        pids = _server_processes(db)
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        try:
            paths = [("GET", "/claims?metric=arrests"), ("GET", "/metrics/arrests"), ("GET", "/claims/2"),
                     ("GET", "/readyz"), ("POST", "/claims"), ("GET", "/actors/tokayev/statements")]
            with cf.ThreadPoolExecutor(len(paths)) as pool:
                answers = list(pool.map(lambda mp: one(*mp), paths))
                answers += list(pool.map(lambda mp: one(*mp), paths))  # once the hang is known
            assert c.get("/healthz").status_code == 200
        finally:
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)
        for path, status, elapsed, r in answers:
            problem(r, 503)
            assert r.headers["retry-after"], path
            assert elapsed < 2.0, f"{path} took {elapsed:.2f}s while the database was hung"
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if c.get("/claims", params={"metric": "arrests"}).status_code == 200 and c.get("/readyz").status_code == 200:
                break
            time.sleep(0.1)
        else:
            pytest.fail("requests did not succeed within 5 s of the database waking up")


def test_acknowledged_writes_survive_a_crash_and_nothing_else_fails(db: Database, served: str) -> None:
    key = new_key(db.url)
    doc = httpx.get(f"{served}/documents/1").json()
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", doc["text"]) if 20 < len(s) < 400 and s in doc["text"]]
    acked: dict[str, int] = {}
    statuses: list[int] = []
    unexpected: list[str] = []  # asserted in the main thread: an assert in a thread only warns
    slowest = 0.0
    stop = threading.Event()
    lock = threading.Lock()

    def writer(n: int) -> None:
        nonlocal slowest
        i = 0
        with httpx.Client(base_url=served, timeout=10, headers={"Authorization": f"Bearer {key}"}) as c:
            while not stop.is_set():
                group = f"crash-{n}-{i}"
                i += 1
                started = time.monotonic()
                try:
                    r = c.post("/claims", json={"document_id": 1, "quote": sentences[i % len(sentences)], "group": group})
                except httpx.HTTPError:
                    continue  # the client gave up: nothing acknowledged
                elapsed = time.monotonic() - started
                with lock:
                    slowest = max(slowest, elapsed)
                    statuses.append(r.status_code)
                    if r.status_code == 201:
                        acked[group] = r.json()["id"]
                    elif r.status_code != 503 or not r.headers["content-type"].startswith("application/problem+json"):
                        unexpected.append(f"POST {r.status_code} {r.text[:300]}")

    def reader() -> None:
        with httpx.Client(base_url=served, timeout=10) as c:
            while not stop.is_set():
                try:
                    r = c.get("/claims", params={"metric": "deaths"})
                except httpx.HTTPError as exc:
                    with lock:
                        unexpected.append(f"GET failed: {exc!r}")
                    continue
                with lock:
                    statuses.append(r.status_code)
                    if r.status_code not in (200, 503):
                        unexpected.append(f"GET {r.status_code} {r.text[:300]}")

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)] + [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    db.kill()
    time.sleep(1.0)
    db.start()
    time.sleep(2.0)
    stop.set()
    for t in threads:
        t.join(timeout=30)

    assert not unexpected, unexpected[:5]
    assert 500 not in statuses and all(s in (200, 201, 503) for s in statuses)
    assert 503 in statuses, "the crash was not noticed at all"
    assert len(acked) > 10
    with psycopg.connect(_plain(db.url)) as conn:
        found = dict(conn.execute("SELECT group_name, id FROM claims WHERE group_name LIKE 'crash-%'").fetchall())
    missing = {g: i for g, i in acked.items() if found.get(g) != i}
    assert not missing, f"{len(missing)} acknowledged writes were lost: {list(missing)[:5]}"
    print(f"crash test: {len(acked)} acknowledged writes, {len(acked) - len(missing)} found; slowest request {slowest:.2f}s")
    assert slowest < 10


def test_fifty_identical_posts_make_one_document_and_one_claim(db: Database, served: str) -> None:
    key = new_key(db.url)
    headers = {"Authorization": f"Bearer {key}"}
    text = (
        f"Officials in Ruritania said on Monday that 412 people were evacuated ({uuid.uuid4().hex}). "
        "According to the police, at least 3 people died in the floods."
    )
    doc_body = {"title": "Floods", "outlet": "Test Wire", "published": "2024-05-06", "text": text}

    def post(path: str, body: dict) -> httpx.Response:
        return httpx.post(f"{served}{path}", json=body, headers=headers, timeout=30)

    with cf.ThreadPoolExecutor(50) as pool:
        answers = list(pool.map(lambda _: post("/documents", doc_body), range(50)))
    assert all(a.status_code in (200, 201) for a in answers), [(a.status_code, a.text[:200]) for a in answers if a.status_code >= 300][:3]
    assert sum(a.status_code == 201 for a in answers) == 1
    ids = {a.json()["document"]["id"] for a in answers}
    assert len(ids) == 1
    claim_sets = {tuple(c["id"] for c in a.json()["claims"]) for a in answers}
    assert len(claim_sets) == 1
    doc_id = ids.pop()

    claim_body = {"document_id": doc_id, "quote": "412 people were evacuated", "group": "concurrency"}
    with cf.ThreadPoolExecutor(50) as pool:
        answers = list(pool.map(lambda _: post("/claims", claim_body), range(50)))
    assert sum(a.status_code == 201 for a in answers) == 1
    assert all(a.status_code in (200, 201) for a in answers)
    assert len({a.json()["id"] for a in answers}) == 1
    with psycopg.connect(_plain(db.url)) as conn:
        n = conn.execute("SELECT count(*) FROM claims WHERE group_name = 'concurrency'").fetchone()[0]
        docs = conn.execute("SELECT count(*) FROM documents WHERE title = 'Floods' AND text = %s", (text,)).fetchone()[0]
    assert n == 1 and docs == 1


def test_statement_timeout_is_503_not_500(db: Database, tmp_path: Path) -> None:
    env = cli_env(DATABASE_URL=db.url, FACTDESK_STATEMENT_TIMEOUT_MS="300")
    proc, base = start_server(env, tmp_path / "slow.log", "--no-access-log")
    try:
        # Another session holds a lock the query needs: it waits until the statement timeout.
        with psycopg.connect(_plain(db.url)) as blocker:
            blocker.execute("LOCK TABLE claims IN ACCESS EXCLUSIVE MODE")
            started = time.monotonic()
            r = httpx.get(f"{base}/claims", params={"metric": "arrests"}, timeout=10)
            elapsed = time.monotonic() - started
            body = problem(r, 503)
            assert "timeout" in body["detail"] and r.headers["retry-after"]
            assert elapsed < 2
            blocker.rollback()
        assert httpx.get(f"{base}/claims", params={"metric": "arrests"}).status_code == 200
    finally:
        stop_server(proc)


def test_a_summary_may_outlast_the_statement_timeout_other_requests_may_not(db: Database, tmp_path: Path) -> None:
    """A metric's summary aggregates every figure (seconds at ten million claims); computed once
    per data version, it runs under a longer timeout, and the usual one is back afterwards."""
    env = cli_env(DATABASE_URL=db.url, FACTDESK_STATEMENT_TIMEOUT_MS="300")
    proc, base = start_server(env, tmp_path / "summary.log", "--no-access-log", "--workers", "1")
    try:
        with psycopg.connect(_plain(db.url), autocommit=True) as admin:
            admin.execute("UPDATE data_version SET version = version + 1 WHERE id = 1")  # the summary is stale
        with psycopg.connect(_plain(db.url)) as blocker:
            blocker.execute("LOCK TABLE claims IN ACCESS EXCLUSIVE MODE")
            release = threading.Timer(1.5, blocker.rollback)  # the summary's statements wait 1.5 s, > 300 ms
            release.start()
            started = time.monotonic()
            r = httpx.get(f"{base}/metrics/arrests", timeout=30)
            release.join()
            assert r.status_code == 200, r.text
            assert time.monotonic() - started >= 1.4
        with psycopg.connect(_plain(db.url)) as blocker:
            blocker.execute("LOCK TABLE claims IN ACCESS EXCLUSIVE MODE")
            problem(httpx.get(f"{base}/claims", params={"metric": "arrests"}, timeout=10), 503)
            blocker.rollback()
    finally:
        stop_server(proc)


def test_writes_are_rate_limited_per_key(db: Database, tmp_path: Path) -> None:
    env = cli_env(DATABASE_URL=db.url, FACTDESK_WRITE_RATE_PER_MINUTE="3")
    proc, base = start_server(env, tmp_path / "rate.log", "--no-access-log")
    try:
        key, other = new_key(db.url), new_key(db.url)
        body = {"document_id": 1, "quote": "As night fell, the shooting stopped again."}
        codes = []
        for i in range(4):
            r = httpx.post(f"{base}/claims", json={**body, "group": f"rate-{i}"}, headers={"Authorization": f"Bearer {key}"})
            codes.append(r.status_code)
        if codes[:3] == [201, 201, 201]:  # all four in one clock minute
            r429 = problem(r, 429)
            assert 1 <= int(r.headers["retry-after"]) <= 60 and "3" in r429["detail"]
        else:  # the minute turned over between requests: the window restarted
            assert 429 not in codes[:3]
        r = httpx.post(f"{base}/claims", json={**body, "group": "rate-other"}, headers={"Authorization": f"Bearer {other}"})
        assert r.status_code == 201  # limits are per key
    finally:
        stop_server(proc)


LEAK_PATTERNS = re.compile(r"Traceback|File \"|/work/|site-packages|sqlalchemy|psycopg|litestar|uvicorn|SELECT |INSERT |\d+\.\d+\.\d+", re.I)


def test_no_error_leaks_internals(served: str) -> None:
    with httpx.Client(base_url=served) as c:
        responses = [
            c.get("/claims", params={"limit": "x"}),
            c.get("/claims", params={"q": "a\x00"}),
            c.get("/claims/99999999"),
            c.get("/nope"),
            c.delete("/claims/1"),
            c.post("/claims", content=b"{", headers={"Content-Type": "application/json"}),
            c.post("/claims", json={"document_id": 1, "quote": "x" * 2_000_000}, headers={"Authorization": "Bearer x"}),
            c.get("/metrics/zzz"),
        ]
    for r in responses:
        assert 400 <= r.status_code < 500
        assert not LEAK_PATTERNS.search(r.text), r.text
        for name, value in r.headers.items():
            assert name.lower() not in ("server", "x-powered-by"), (name, value)
        assert r.headers["x-request-id"]


def test_request_id_is_echoed(served: str) -> None:
    r = httpx.get(f"{served}/healthz", headers={"X-Request-ID": "trace-42"})
    assert r.headers["x-request-id"] == "trace-42"
    r = httpx.get(f"{served}/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert r.headers["x-request-id"] != "bad id with spaces" and len(r.headers["x-request-id"]) == 32


def test_service_sigkill_then_restart_loses_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = cli_env(FACTDESK_HOME=str(home))
    env.pop("DATABASE_URL", None)
    proc, base = start_server(env, tmp_path / "k1.log")
    key_env = dict(env)
    created = run_cli("keys", "create", "killer", env=key_env)
    key = created.stdout.strip().splitlines()[-1]
    r = httpx.post(f"{base}/claims", json={"document_id": 1, "quote": "As night fell, the shooting stopped again.", "group": "sigkill"},
                   headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 201
    claim_id = r.json()["id"]
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    proc, base = start_server(env, tmp_path / "k2.log")
    try:
        assert httpx.get(f"{base}/claims/{claim_id}").json()["group"] == "sigkill"
    finally:
        assert stop_server(proc) == 0
    assert not EmbeddedPostgres(home).running(), "the adopted embedded PostgreSQL was not stopped"


def test_backup_and_restore_round_trip(db: Database, served: str, tmp_path: Path) -> None:
    env = cli_env(DATABASE_URL=db.url)
    paths = ["/claims?metric=arrests", "/metrics/arrests", "/actors/tokayev/statements", "/documents", "/documents/2"]
    before = {p: httpx.get(f"{served}{p}").json() for p in paths}
    backup = tmp_path / "factdesk.dump"
    result = run_cli("backup", str(backup), env=env)
    assert result.returncode == 0, result.stderr
    assert backup.stat().st_size > 10_000
    # change something after the backup, then restore
    key = new_key(db.url)
    r = httpx.post(f"{served}/claims", json={"document_id": 2, "quote": "Internet services were cut off", "group": "after-backup"},
                   headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 201
    result = run_cli("restore", str(backup), env=env)
    assert result.returncode == 0, result.stderr
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        after = {p: httpx.get(f"{served}{p}").json() for p in paths}
        if after == before:
            break
        time.sleep(0.2)
    assert after == before
    assert httpx.get(f"{served}/claims", params={"group": "after-backup"}).json()["items"] == []


def test_busy_pool_answers_503_after_a_bounded_wait(db: Database, tmp_path: Path) -> None:
    env = cli_env(DATABASE_URL=db.url, FACTDESK_POOL_SIZE="1", FACTDESK_STATEMENT_TIMEOUT_MS="4000")
    proc, base = start_server(env, tmp_path / "pool.log", "--no-access-log")
    try:
        with psycopg.connect(_plain(db.url)) as blocker:
            blocker.execute("LOCK TABLE claims IN ACCESS EXCLUSIVE MODE")
            with cf.ThreadPoolExecutor(2) as pool:
                # the first request takes the only pooled connection and waits on the lock
                first = pool.submit(httpx.get, f"{base}/claims", timeout=20)
                time.sleep(0.5)
                started = time.monotonic()
                second = httpx.get(f"{base}/claims", timeout=20)
                waited = time.monotonic() - started
                problem(second, 503)
                assert second.headers["retry-after"]
                assert waited < 3.5, f"waited {waited:.1f}s for a connection"
                blocker.rollback()  # release: the first one completes
                assert first.result().status_code == 200
    finally:
        stop_server(proc)


def test_sigterm_finishes_requests_in_flight_then_exits_0(db: Database, tmp_path: Path) -> None:
    env = cli_env(DATABASE_URL=db.url)
    proc, base = start_server(env, tmp_path / "term.log", "--no-access-log")
    with psycopg.connect(_plain(db.url)) as blocker:
        blocker.execute("LOCK TABLE claims IN ACCESS EXCLUSIVE MODE")
        with cf.ThreadPoolExecutor(1) as pool:
            in_flight = pool.submit(httpx.get, f"{base}/claims", timeout=20)
            time.sleep(0.5)  # the request is now waiting inside the service
            proc.send_signal(signal.SIGTERM)
            time.sleep(1.0)
            blocker.rollback()  # let it finish
            assert in_flight.result().status_code == 200
    assert proc.wait(timeout=15) == 0
