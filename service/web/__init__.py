"""The newsroom's pages (server-rendered HTML, nothing loaded from outside the app), the
disagreement chart, also served as an API at ``/metrics/{slug}/chart.svg``, and the interactive
API reference at ``/openapi`` (Swagger UI, served by the app itself)."""

from service.web import pages, reference

route_handlers = [*pages.route_handlers, *reference.route_handlers]

__all__ = ["route_handlers"]
