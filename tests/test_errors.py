"""How errors from the database driver reach the client when no SQLAlchemy wraps them: the
COPY behind CSV pages and the pages sent with their values written in run on psycopg's own
connection. Each maps as its SQLAlchemy-wrapped twin does (tests/test_resilience.py drives the
real server into the unavailable and timeout cases). Then the served API's answers to small
mistakes, and the headers every answer carries."""

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


@pytest.mark.parametrize(
    ("path", "wrong", "nearest"),
    [("/claims", "metrc", "metric"), ("/metrics/arrests", "evnt", "event"), ("/documents", "outlett", "outlet"),
     ("/events", "zzz", None), ("/actors/Tokayev/statements", "limt", "limit"), ("/claims/2", "x", None)],
)
def test_a_misspelt_query_parameter_is_named_not_ignored(client: httpx.Client, path: str, wrong: str, nearest: str | None) -> None:
    from tests.conftest import problem

    body = problem(client.get(path, params={wrong: "1"}), 400)
    assert body["errors"][0]["field"] == wrong and repr(wrong) in body["detail"]
    assert body.get("suggestions") == ([nearest] if nearest else None)
    assert client.get(path, params={"pretty": "1"}).status_code == 200


@pytest.mark.parametrize(("path", "name"), [("/claims", "claims.csv"), ("/documents/1/claims", "document-1-claims.csv"),
                                            ("/actors/Tokayev/statements", "actor-Tokayev-statements.csv"), ("/events", "events.csv")])
def test_a_csv_answer_names_its_file_and_charset(client: httpx.Client, path: str, name: str) -> None:
    r = client.get(path, params={"format": "csv"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"] == f'attachment; filename="{name}"'


def test_small_mistakes_get_plain_answers(client: httpx.Client) -> None:
    from tests.conftest import problem

    body = problem(client.get("/claims/abc"), 400)
    assert "whole number" in body["detail"] and body["errors"][0]["field"] == "claim_id"
    problem(client.get("/documents/x1/claims"), 400)
    assert problem(client.get("/actors/Putin"), 404).get("suggestions") is None
    r = client.get("/no/such/path", headers={"User-Agent": "curl/8.0"})
    assert r.text.startswith('{\n  "title"')  # indented for curl, like every other answer


@pytest.mark.parametrize(
    ("path", "field", "words"),
    [
        ("/claims?min_confidence=high", "min_confidence", "expected a number from 0 to 1, not 'high'"),
        ("/claims?limit=0", "limit", "expected a whole number from 1 to 500, not '0'"),
        ("/claims?status=foo", "status", "'foo' is not one of the values this parameter takes: unreviewed, accepted, retracted, superseded"),
        ("/claims?format=xlsx", "format", "'xlsx' is not one of the values this parameter takes: json, csv"),
        ("/metrics/arrests?known_at=yesterday", "known_at", "expected a date as YYYY-MM-DD, e.g. 2022-01-06"),
    ],
)
def test_a_wrong_value_is_answered_with_what_was_expected(client: httpx.Client, path: str, field: str, words: str) -> None:
    response = client.get(path)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == f"{field}: {words}"
    assert "`" not in body["detail"]  # none of the decoder's type notation
    assert body["errors"] == [{"field": field, "message": words}]
