"""Half-sent writes: a body that trickles in is cut off with a 408, a client that leaves half
way is let go without an error in the log, and neither holds the server."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import PgServer, cli_env, start_server, stop_server


@pytest.fixture(scope="module")
def served(pg: PgServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    from service.cli import prepare
    from service.settings import Settings

    url = pg.create_database()
    prepare(url, Settings.from_env({}), seed=True)
    log = tmp_path_factory.mktemp("limits") / "serve.log"
    proc, base = start_server(cli_env(DATABASE_URL=url, FACTDESK_BODY_TIMEOUT_S="1.5"), log)
    yield base, log
    stop_server(proc)


def _half_sent(base: str, body: bytes, length: int) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    s = socket.create_connection((host, int(port)), timeout=10)
    s.sendall(b"POST /claims HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Authorization: Bearer nope\r\nContent-Length: %d\r\n\r\n" % length + body)
    return s


def test_a_trickling_body_gets_a_408_in_time(served: tuple[str, Path]) -> None:
    base, _ = served
    s = _half_sent(base, b'{"document_id": ', 400)
    started = time.monotonic()
    answer = s.recv(65536).decode("latin-1")
    s.close()
    assert answer.startswith("HTTP/1.1 408"), answer[:200]
    assert "application/problem+json" in answer and "did not arrive within 1.5 s" in answer
    assert time.monotonic() - started < 5
    assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200


def test_a_client_that_leaves_half_way_is_no_error(served: tuple[str, Path]) -> None:
    base, log = served
    for _ in range(5):
        _half_sent(base, b'{"document_id": 1, "quo', 400).close()
    time.sleep(0.5)
    assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200
    text = log.read_text(errors="replace")
    assert "Traceback" not in text and '"status": 500' not in text and '"status":500' not in text
