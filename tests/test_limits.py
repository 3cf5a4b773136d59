"""Half-sent requests: a body that trickles in is cut off with a 408, headers that trickle in
close the connection, a client that leaves half way is let go without an error in the log, and
none of them holds the server."""

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
    s.settimeout(20)
    answer = b""
    while b"did not arrive" not in answer:
        chunk = s.recv(65536)
        if not chunk:
            break
        answer += chunk
    s.close()
    text = answer.decode("latin-1")
    assert text.startswith("HTTP/1.1 408"), text[:200]
    assert "application/problem+json" in text and "did not arrive within 1.5 s" in text
    assert time.monotonic() - started < 15  # 1.5 s, with room for a machine busy with other tests
    assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200


def test_a_client_that_leaves_half_way_is_no_error(served: tuple[str, Path]) -> None:
    base, log = served
    for _ in range(5):
        _half_sent(base, b'{"document_id": 1, "quo', 400).close()
    time.sleep(0.5)
    assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200
    text = log.read_text(errors="replace")
    assert "Traceback" not in text and '"status": 500' not in text and '"status":500' not in text


def test_headers_that_trickle_in_are_cut_off(served: tuple[str, Path]) -> None:
    base, _ = served
    host, port = base.removeprefix("http://").split(":")
    s = socket.create_connection((host, int(port)), timeout=20)
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
    started = time.monotonic()
    assert s.recv(100) == b""  # closed by the server
    s.close()
    assert time.monotonic() - started < 15
    assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200
