"""RFC 9457 problem details: the one shape every error response takes.

Domain code raises :class:`ProblemError` subclasses; Litestar's own exceptions (validation,
unknown route, wrong method, oversize body) and database outages are converted by the handlers
registered in ``service.app``. Nothing in an error body comes from an exception's text unless
the exception is ours, so no SQL, path or stack trace ever reaches a client.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import msgspec
import psycopg
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from service.conventions import wants_pretty
from service.wording import plain_message

log = logging.getLogger("factdesk.errors")

PROBLEM_JSON = "application/problem+json"
RETRY_AFTER_SECONDS = 2


class FieldError(msgspec.Struct):
    """One thing wrong with one input field."""

    field: str
    message: str


class Problem(msgspec.Struct, omit_defaults=True):
    """An RFC 9457 problem details body."""

    title: str
    status: int
    type: str = "about:blank"
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] | None = None
    suggestions: list[str] | None = None


class ProblemError(Exception):
    """An error a client caused (or a 503); carries its own status code."""

    status = 400
    title = "Bad Request"

    def __init__(
        self,
        detail: str,
        *,
        errors: list[FieldError] | None = None,
        suggestions: list[str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.suggestions = suggestions
        self.headers = headers or {}


class BadRequest(ProblemError):
    status, title = 400, "Bad Request"


class Unauthorized(ProblemError):
    status, title = 401, "Unauthorized"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="factdesk"'})


class NotFound(ProblemError):
    status, title = 404, "Not Found"


class Unprocessable(ProblemError):
    status, title = 422, "Unprocessable Content"

    def __init__(self, field: str, message: str, *, suggestions: list[str] | None = None) -> None:
        super().__init__(f"{field}: {message}", errors=[FieldError(field, message)], suggestions=suggestions)


class TooManyRequests(ProblemError):
    status, title = 429, "Too Many Requests"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after)})


class ServiceUnavailable(ProblemError):
    status, title = 503, "Service Unavailable"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def problem_response(request: Request[Any, Any, Any] | None, problem: Problem, headers: dict[str, str] | None = None) -> Response[bytes]:
    if request is not None and problem.instance is None:
        problem.instance = request.url.path
    body = msgspec.json.encode(problem)
    if request is not None and wants_pretty(request.scope):
        # (a path no route matches is answered outside the middleware that indents for curl)
        body = msgspec.json.format(body, indent=2) + b"\n"
    return Response(
        content=body,
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers or {},
    )


def _from_problem_error(request: Request[Any, Any, Any], exc: ProblemError) -> Response[bytes]:
    return problem_response(
        request,
        Problem(title=exc.title, status=exc.status, detail=exc.detail, errors=exc.errors, suggestions=exc.suggestions),
        exc.headers,
    )


def _validation_errors(request: Request[Any, Any, Any], exc: ValidationException) -> list[FieldError]:
    from service.query_check import query_schema

    out: list[FieldError] = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            key = str(item.get("key") or item.get("source") or "body")
            message = _plain_message(key, str(item.get("message", "invalid value")))
            if item.get("source") == "query" or key in request.query_params:
                given = request.query_params.get(key)
                message = plain_message(message, query_schema(request, key), given) or message
            else:
                message = plain_message(message) or message
            out.append(FieldError("body" if key == "data" else key, message))
    return out


# What a field's pattern asks for, in words (msgspec would show the regular expression).
_PATTERN_WORDS = {
    "url": "expected an http:// or https:// address with a host, e.g. https://example.org/story",
    "published": "expected a date as YYYY-MM-DD, or YYYY-MM or YYYY when only the month or year is known",
    "language": "expected a language code such as en, fr or pt-BR",
    "original_language": "expected a language code such as en, fr or pt-BR",
}


def _plain_message(field: str, message: str) -> str:
    """msgspec's wording where it shows machinery (a regular expression, a date standard) put
    as what to send instead."""
    if field == "data" and message == "'data'":  # Litestar's way of saying the body is missing
        return "this request needs a JSON body (see /schema/openapi.json)"
    if "matching regex" in message:
        plain = _PATTERN_WORDS.get(field.rsplit(".", 1)[-1])
        if plain:
            return plain
        if field == "cursor":
            return "not a cursor this API gave out: pass the previous page's next_cursor as it is"
        if "x00" in message:
            return "must not contain NUL characters"
        return "has a form this parameter does not take (see /schema/openapi.json)"
    if "RFC3339 encoded date" in message:
        return "expected a date as YYYY-MM-DD, e.g. 2022-01-06"
    if "RFC3339 encoded datetime" in message:
        return "expected a date and time as in 2022-01-06T12:00:00Z"
    return message


_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
}


_NOT_AN_ID = re.compile(r"^/(claims|documents)/(?![0-9]+(?:/|$))([^/]+)(?:/(?:history|claims))?/?$")


def _from_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[bytes]:
    status = exc.status_code
    if status >= 500:
        return _internal_error(request, exc)
    if isinstance(exc, ValidationException):
        errors = _validation_errors(request, exc)
        detail = "; ".join(f"{e.field}: {e.message}" for e in errors) or "the request is not valid"
        problem = Problem(title="Bad Request", status=400, detail=detail, errors=errors or None)
    elif status == 404 and (m := _NOT_AN_ID.match(request.url.path)):
        # /claims/abc: the route exists, the id is not a number
        problem = Problem(
            title="Bad Request",
            status=400,
            detail=f"a {m.group(1)[:-1]} id is a whole number (1, 2, …), not {m.group(2)[:60]!r}",
            errors=[FieldError(f"{m.group(1)[:-1]}_id", "must be a whole number of at least 1")],
        )
    elif status == 404:
        problem = Problem(
            title="Not Found",
            status=404,
            detail=f"no resource at {request.url.path}; the API is described at /schema/openapi.json",
        )
    elif status == 405:
        problem = Problem(title="Method Not Allowed", status=405, detail=f"{request.method} is not allowed on {request.url.path}")
    elif status == 413:
        problem = Problem(title="Content Too Large", status=413, detail="the request body is larger than this server accepts")
    else:
        problem = Problem(title=_TITLES.get(status, "Client Error"), status=status, detail=exc.detail or None)
    headers = {k: v for k, v in (exc.headers or {}).items() if k.lower() in {"allow", "retry-after", "www-authenticate"}}
    return problem_response(request, problem, headers)


def _is_unavailable(exc: BaseException) -> bool:
    """True for errors that mean 'the database is not answering', not 'the query is wrong'."""
    import psycopg

    if isinstance(exc, PoolTimeoutError):
        return True
    orig = getattr(exc, "orig", None)
    if isinstance(exc, DBAPIError) and (exc.connection_invalidated or isinstance(orig, psycopg.OperationalError)):
        return True
    return isinstance(exc, (psycopg.OperationalError, OSError, ConnectionError))


def _from_database_error(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    import psycopg

    orig = getattr(exc, "orig", exc)
    if isinstance(orig, psycopg.DataError):
        # Input PostgreSQL cannot take (a NUL character, a number out of range): the client's.
        detail = (
            "text parameters must not contain NUL characters"
            if "NUL" in str(orig)
            else "a parameter has a value the database cannot store or compare"
        )
        return problem_response(request, Problem(title="Bad Request", status=400, detail=detail))
    if isinstance(orig, psycopg.errors.QueryCanceled):
        log.warning("statement timeout on %s %s", request.method, request.url.path)
        return problem_response(
            request,
            Problem(title="Service Unavailable", status=503, detail="the query took longer than the statement timeout; narrow it or retry"),
            {"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    if _is_unavailable(exc):
        log.warning(
            "database unavailable on %s %s (request %s): %s",
            request.method, request.url.path, _request_id(request), type(orig).__name__,
        )
        return problem_response(
            request,
            Problem(title="Service Unavailable", status=503, detail="the database is not reachable right now; retry shortly"),
            {"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return _internal_error(request, exc)


def _request_id(request: Request[Any, Any, Any]) -> str:
    return str(request.scope.get("state", {}).get("request_id", "-"))


def _internal_error(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    log.error("unhandled error on %s %s (request %s)", request.method, request.url.path, _request_id(request), exc_info=exc)
    return problem_response(
        request,
        Problem(title="Internal Server Error", status=500, detail="an unexpected error occurred; it has been logged"),
    )


def _from_any(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    if isinstance(exc, UnicodeDecodeError):  # a body (or form) that is not UTF-8
        return problem_response(request, Problem(title="Bad Request", status=400, detail="the request body is not valid UTF-8 JSON"))
    if isinstance(exc, RecursionError):  # JSON nested thousands deep
        return problem_response(request, Problem(title="Bad Request", status=400, detail="the request body nests too deeply to be read"))
    if isinstance(exc, ProblemError):
        return _from_problem_error(request, exc)
    if isinstance(exc, HTTPException):
        return _from_http_exception(request, exc)
    # psycopg's own errors reach here unwrapped from the statements run on the driver
    # connection (COPY, and pages sent with their values written in)
    if isinstance(exc, (DBAPIError, PoolTimeoutError, OSError, psycopg.Error)) or _is_unavailable(exc):
        return _from_database_error(request, exc)
    return _internal_error(request, exc)


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    ProblemError: _from_problem_error,
    HTTPException: _from_http_exception,
    Exception: _from_any,
}


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI declarations of the problem+json responses a handler can give."""
    descriptions = {
        400: "The request is malformed (a parameter out of range, a bad cursor)",
        401: "No API key, or a wrong or revoked one",
        403: "This key may not do that (a curated claim is retracted or superseded by a curator's key)",
        404: "Nothing by that identifier or name; suggestions list the closest",
        409: "The request conflicts with stored state",
        412: "If-Match names a version that is no longer current: read the resource again",
        413: "The request body is too large",
        415: "The body is sent as another type than JSON: send Content-Type: application/json",
        422: "The body is well-formed but wrong (a quote not in its document, an unknown metric)",
        428: "This write needs If-Match with the resource's current ETag",
        429: "This API key made too many writes this minute; retry after Retry-After seconds",
        503: "The database is unreachable or the query timed out; retry after Retry-After seconds",
    }
    return {
        status: ResponseSpec(
            data_container=Problem,
            description=descriptions[status],
            media_type=PROBLEM_JSON,
            generate_examples=False,
        )
        for status in statuses
    }

