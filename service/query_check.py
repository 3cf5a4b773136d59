"""A misspelt query parameter is a 400 that names it, not a silent 200 with every row.

``/claims?metrc=arrests`` would otherwise answer every claim. The parameters an operation takes
are read from the served OpenAPI document (so the check and the contract cannot disagree);
``pretty`` (indented JSON) is taken everywhere. Pages and the API's own documentation pages are
not checked.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from litestar import Request, Response

from service.errors import FieldError, Problem, problem_response

ALWAYS = frozenset({"pretty"})
_TEMPLATE_TYPE = re.compile(r"\{([^}:]+):[^}]+\}")


def known_query_parameters(app: Any) -> dict[tuple[str, str], frozenset[str]]:
    """Per (path template, method): the query parameters the served OpenAPI document gives the
    operation. Built at start-up (app lifespan) and kept on ``app.state``."""
    cached = getattr(app.state, "query_names", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    from service.openapi import openapi_document

    out: dict[tuple[str, str], frozenset[str]] = {}
    schemas: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for path, item in openapi_document(app).get("paths", {}).items():
        for method, op in item.items():
            if isinstance(op, dict):
                params = {p["name"]: p.get("schema", {}) for p in op.get("parameters", []) if p.get("in") == "query"}
                out[(path, method.upper())] = frozenset(params) | ALWAYS
                schemas[(path, method.upper())] = params
    app.state.query_names = out
    app.state.query_schemas = schemas
    return out


def query_schema(request: Request[Any, Any, Any], name: str) -> dict[str, Any] | None:
    """The OpenAPI schema of one query parameter of the request's operation (None if unknown):
    what an error message reads the valid values and bounds from."""
    template = _TEMPLATE_TYPE.sub(r"{\1}", request.scope.get("path_template", "") or "")
    method = "GET" if request.method == "HEAD" else request.method
    table = getattr(request.app.state, "query_schemas", None) or {}
    return (table.get((template, method)) or {}).get(name)


def unknown_query_parameters(request: Request[Any, Any, Any]) -> Response[bytes] | None:
    """A 400 problem naming every query parameter the operation does not take, with the
    nearest one it does; None when all are known (or the route is not an API operation)."""
    if not request.scope.get("query_string"):
        return None
    template = _TEMPLATE_TYPE.sub(r"{\1}", request.scope.get("path_template", "") or "")
    method = "GET" if request.method == "HEAD" else request.method
    known = known_query_parameters(request.app).get((template, method))
    if known is None:
        return None
    unknown = [k for k in dict.fromkeys(request.query_params.keys()) if k not in known]
    if not unknown:
        return None
    errors, suggestions = [], []
    for name in unknown:
        near = difflib.get_close_matches(name.lower(), sorted(known - ALWAYS), n=1, cutoff=0.6)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        suggestions += near
        errors.append(FieldError(name, f"unknown query parameter{hint}"))
    takes = ", ".join(sorted(known - ALWAYS)) or "no query parameters"
    shown = ", ".join(repr(n[:60]) for n in unknown[:5])
    first_hint = f"did you mean {suggestions[0]!r}? " if suggestions else ""
    detail = f"unknown query parameter{'s' if len(unknown) > 1 else ''} {shown}: {first_hint}{method} {template} takes {takes}"
    return problem_response(request, Problem(title="Bad Request", status=400, detail=detail, errors=errors,
                                             suggestions=list(dict.fromkeys(suggestions)) or None))


def non_json_body(request: Request[Any, Any, Any]) -> Response[bytes] | None:
    """A write's body is JSON: one sent as another type (text/plain, a form) is a 415 that says
    which type to send, rather than parsed as JSON anyway."""
    content_type = request.headers.get("content-type")
    if content_type is None:
        return None  # no type given: the body is read as JSON (or is missing, which the handler says)
    media = content_type.split(";")[0].strip().lower()
    if media == "application/json" or (media.startswith("application/") and media.endswith("+json")):
        return None
    detail = f"the body is sent as {media[:80]!r}: send it as JSON, with Content-Type: application/json"
    return problem_response(request, Problem(title="Unsupported Media Type", status=415, detail=detail))
