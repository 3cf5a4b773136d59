"""How errors from the database driver reach the client when no SQLAlchemy wraps them: the
COPY behind CSV pages and the pages sent with their values written in run on psycopg's own
connection. Each maps as its SQLAlchemy-wrapped twin does (tests/test_resilience.py drives the
real server into the unavailable and timeout cases)."""

from __future__ import annotations

import psycopg
import pytest
from litestar import get
from litestar.testing import create_test_client

from service.errors import EXCEPTION_HANDLERS


@pytest.mark.parametrize(
    ("error", "status", "detail"),
    [
        (psycopg.DataError("value out of range"), 400, "a parameter has a value the database cannot store or compare"),
        (psycopg.errors.QueryCanceled("canceling statement due to statement timeout"), 503, "statement timeout"),
        (psycopg.OperationalError("server closed the connection unexpectedly"), 503, "not reachable"),
        (psycopg.ProgrammingError("syntax error"), 500, "unexpected error"),
    ],
)
def test_psycopg_errors_unwrapped_are_problems_like_wrapped_ones(error: Exception, status: int, detail: str) -> None:
    @get("/boom")
    async def boom() -> None:
        raise error

    with create_test_client([boom], exception_handlers=EXCEPTION_HANDLERS) as client:
        response = client.get("/boom")
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    assert detail in response.json()["detail"]


@pytest.mark.parametrize("path", ["/", "/metric/arrests", "/metrics/arrests", "/claims?format=csv", "/metrics/arrests/chart.svg",
                                  "/document/1", "/no/such/path"])
def test_every_answer_says_what_a_browser_may_do_with_it(client: httpx.Client, path: str) -> None:
    r = client.get(path)
    assert r.headers["x-content-type-options"] == "nosniff"
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src" not in csp  # no page or answer of the API runs a script
