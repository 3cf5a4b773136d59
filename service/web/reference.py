"""``/openapi``: an interactive API reference (Swagger UI) for the app's own OpenAPI document
(``/schema/openapi.json``), with "try it out" against this same server.

Every file the page loads is served by the app, never by a CDN:

- Swagger UI's build (``swagger-ui-bundle.js``, ``swagger-ui.css``) comes from the installed
  ``flask-swagger-ui`` wheel, which repackages swagger-ui-dist at each upstream release. Only
  its ``dist/`` files are read; nothing here imports it or Flask.
- The page's start-up script and frame styles are ``service/web/static/openapi.{js,css}``.

The assets live under a path that names a hash of their content, so they are cached for a year
(``immutable``) and an upgrade changes the path. The page itself has a Content-Security-Policy
that allows scripts, styles and requests from this origin only: there is no inline script (the
configuration is in ``openapi.js``) and no inline style. Neither the page nor the assets are in
the OpenAPI document.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

from litestar import MediaType, Response, Router, get
from litestar.connection import ASGIConnection
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import NotFoundException
from litestar.handlers import BaseRouteHandler
from litestar.static_files import create_static_files_router

from service.web.text import esc

SPEC_URL = "/schema/openapi.json"
OWN_DIR = Path(__file__).resolve().parent / "static"
OWN_FILES = ("openapi.js", "openapi.css")
SWAGGER_FILES = ("swagger-ui-bundle.js", "swagger-ui.css")
ASSET_MAX_AGE = 365 * 24 * 3600

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",  # swagger-ui.css draws its icons as data: SVGs
        "font-src 'self'",
        "connect-src 'self'",  # the document, and "try it out" requests
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _swagger_dist() -> Path:
    """swagger-ui-dist's files inside the installed flask-swagger-ui, found without importing
    the package (its ``__init__`` imports Flask)."""
    spec = importlib.util.find_spec("flask_swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("flask-swagger-ui is not installed: `uv sync` installs it")
    dist = Path(next(iter(spec.submodule_search_locations))) / "dist"
    missing = [name for name in SWAGGER_FILES if not (dist / name).is_file()]
    if missing:
        raise RuntimeError(f"flask-swagger-ui has no {', '.join(missing)} in {dist}")
    return dist


SWAGGER_DIST = _swagger_dist()


def _content_token() -> str:
    digest = hashlib.sha256()
    for directory, names in ((SWAGGER_DIST, SWAGGER_FILES), (OWN_DIR, OWN_FILES)):
        for name in names:
            digest.update(name.encode() + b"\0" + (directory / name).read_bytes())
    return digest.hexdigest()[:12]


ASSETS = f"/openapi/assets/{_content_token()}"
SERVED = frozenset(SWAGGER_FILES + OWN_FILES)


def _listed_files_only(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """The two directories hold more (licences, an OAuth redirect page, other builds); only the
    files the page uses are served."""
    name = str(connection.path_params.get("file_path", "")).lstrip("/")
    if name not in SERVED:
        raise NotFoundException(f"no asset {name!r}")


assets_router: Router = create_static_files_router(
    path=ASSETS,
    directories=[OWN_DIR, SWAGGER_DIST],
    name="openapi-assets",
    cache_control=CacheControlHeader(public=True, max_age=ASSET_MAX_AGE, immutable=True),
    guards=[_listed_files_only],
    include_in_schema=False,
)


def render_page() -> str:
    a = esc(ASSETS)
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        "<title>API reference — factdesk</title>"
        f'<link rel="stylesheet" href="{a}/swagger-ui.css">'
        f'<link rel="stylesheet" href="{a}/openapi.css">'
        "</head><body>"
        '<header class="site"><div class="in">'
        '<a class="brand" href="/">factdesk <span>API reference</span></a>'
        f'<nav><a href="/schema">plain page</a><a href="{esc(SPEC_URL)}">OpenAPI document</a></nav>'
        "</div></header>"
        "<noscript><p>This reference needs JavaScript. "
        f'<a href="/schema">/schema</a> lists every operation without it, and '
        f'<a href="{esc(SPEC_URL)}">{esc(SPEC_URL)}</a> is the document itself.</p></noscript>'
        f'<div id="swagger-ui" data-spec-url="{esc(SPEC_URL)}"></div>'
        f'<script src="{a}/swagger-ui-bundle.js"></script>'
        f'<script src="{a}/openapi.js"></script>'
        "</body></html>\n"
    )


PAGE = render_page()


@get(["/openapi", "/openapi/"], include_in_schema=False)
async def openapi_page() -> Response[str]:
    return Response(
        PAGE,
        media_type=MediaType.HTML,
        headers={"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"},
    )


route_handlers = [openapi_page, assets_router]
