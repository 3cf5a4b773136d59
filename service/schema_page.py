"""A browsable page at /schema, rendered on the server from the OpenAPI document.

No JavaScript and nothing loaded from a CDN: it works offline and in a terminal browser.
"""

from __future__ import annotations

import html
from typing import Any

import msgspec
from litestar import Request, Response, Router
from litestar.openapi.plugins import OpenAPIRenderPlugin

from service.errors import PROBLEM_JSON, Problem

_STYLE = """
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h2{margin-top:2rem;border-bottom:1px solid #ddd}.op{margin:1rem 0 1.5rem}
.m{display:inline-block;min-width:4rem;font-weight:bold;font-family:monospace}
code{background:#f4f4f4;padding:0 .2rem}table{border-collapse:collapse;margin:.3rem 0}
td{padding:.1rem .6rem;border-bottom:1px solid #eee;vertical-align:top}.d{color:#555}
"""


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "oneOf" in schema or "anyOf" in schema:
        return " | ".join(_type(s) for s in schema.get("oneOf", schema.get("anyOf", [])))
    t = schema.get("type", "")
    if t == "array":
        return f"list of {_type(schema.get('items', {}))}"
    if "enum" in schema:
        return " | ".join(map(str, schema["enum"]))
    fmt = schema.get("format")
    return f"{t} ({fmt})" if fmt else str(t)


def render_page(schema: dict[str, Any]) -> str:
    e = html.escape
    info = schema.get("info", {})
    out = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>{e(info.get('title', 'API'))} — API</title><style>{_STYLE}</style></head><body>",
        f"<h1>{e(info.get('title', ''))} <small>{e(info.get('version', ''))}</small></h1>",
        f"<p>{e(info.get('description', ''))}</p>",
        "<p>Machine-readable: <a href='/schema/openapi.json'>/schema/openapi.json</a> · "
        "Interactive, with requests sent from the browser: <a href='/openapi'>/openapi</a></p>",
    ]
    by_tag: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    for path, item in schema.get("paths", {}).items():
        for method, op in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                by_tag.setdefault((op.get("tags") or ["other"])[0], []).append((path, method, op))
    for tag, ops in by_tag.items():
        out.append(f"<h2>{e(tag)}</h2>")
        for path, method, op in ops:
            out.append(f"<div class='op'><span class='m'>{method.upper()}</span> <code>{e(path)}</code>")
            out.append(f" — {e(op.get('summary', ''))}")
            if op.get("description"):
                out.append(f"<div class='d'>{e(op['description'])}</div>")
            params = op.get("parameters", [])
            if params:
                out.append("<table>")
                for p in params:
                    req = " (required)" if p.get("required") else ""
                    out.append(
                        f"<tr><td><code>{e(p['name'])}</code></td><td>{e(p['in'])}{req}</td>"
                        f"<td>{e(_type(p.get('schema', {})))}</td><td class='d'>{e(p.get('description', ''))}</td></tr>"
                    )
                out.append("</table>")
            codes = ", ".join(e(code) for code in op.get("responses", {}))
            out.append(f"<div class='d'>Responses: {codes}</div></div>")
    out.append("</body></html>")
    return "".join(out)


class SchemaPagePlugin(OpenAPIRenderPlugin):
    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return render_page(openapi_schema).encode()

    def receive_router(self, router: Router) -> None:
        """Litestar answers an unknown path under /schema with its own HTML 404 page; this API
        answers every error as problem+json."""
        router.after_request = _schema_not_found_as_problem


async def _schema_not_found_as_problem(response: Response[Any]) -> Response[Any]:
    if response.status_code != 404:
        return response
    return Response(
        content=msgspec.json.encode(Problem(
            title="Not Found", status=404,
            detail="nothing by that name under /schema: the document is /schema/openapi.json, the page /schema",
        )),
        status_code=404,
        media_type=PROBLEM_JSON,
    )
