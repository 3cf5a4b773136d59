"""The newsroom's pages (server-rendered HTML, nothing loaded from outside the app) and the
disagreement chart, also served as an API at ``/metrics/{slug}/chart.svg``."""

from service.web.pages import route_handlers

__all__ = ["route_handlers"]
