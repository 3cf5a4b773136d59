"""/metrics: the vocabulary with counts, and one metric's disagreement at a glance."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Controller, MediaType, Request, Response, get
from litestar.datastructures import State
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncConnection

from service.csvout import Format, csv_response, wants_csv
from service.errors import problems
from service.metrics.cache import cached_json, primary_engine, summary_timeout
from service.metrics.queries import list_metrics, metric_summary, resolve_metric
from service.metrics.schemas import MetricList, MetricSummary
from service.events.queries import resolve_event
from service.params import text_param

EventParam = Annotated[
    str | None,
    text_param("Event: slug, name or alias, any case or accents; without it, figures are split by event"),
]
KnownAt = Annotated[
    dt.date | None,
    Parameter(description="Time travel: as of the end of this day (YYYY-MM-DD): only claims published by then, with their review state as it was"),
]


METRIC_CSV_HEADER = ("slug", "label", "unit", "description", "synonyms", "claims", "claimants", "documents", "events", "low", "high")


def _metrics_csv(listed: MetricList) -> Response[bytes]:
    def number(v: float | None) -> float | int | None:  # 2000, as the JSON writes it, not 2000.0
        return int(v) if v is not None and float(v).is_integer() else v

    rows = ([m.slug, m.label, m.unit, m.description, "; ".join(m.synonyms), m.claims, m.claimants, m.documents, m.events,
             number(m.low), number(m.high)] for m in listed.items)
    return csv_response(METRIC_CSV_HEADER, rows, None)


class MetricController(Controller):
    path = "/metrics"
    tags = ["metrics"]

    @get(
        "/",
        operation_id="listMetrics",
        summary="The metric vocabulary with counts",
        description="Every metric with its synonyms and how many figures, claimants and documents it has. `Accept: text/csv` returns the same rows as CSV.",
        responses=problems(400, 404, 503),
    )
    async def list_metrics(
        self, conn: AsyncConnection, state: State, request: Request[Any, Any, Any], known_at: KnownAt = None,
        event: EventParam = None, format: Format = None,
    ) -> MetricList:
        event_id = (await resolve_event(conn, event))[0] if event is not None else None
        if known_at is not None:
            listed = MetricList(items=await list_metrics(conn, known_at, event_id))
            return _metrics_csv(listed) if wants_csv(request) else listed  # type: ignore[return-value]

        async def compute() -> MetricList:
            async with summary_timeout(conn, state.settings.statement_timeout_ms):
                return MetricList(items=await list_metrics(conn, None, event_id))

        # an event's counts aggregate every claim as the whole vocabulary's do: cached alike
        key = "metrics" if event_id is None else f"metrics:event:{event_id}"
        body = await cached_json(conn, primary_engine(state), key, compute)
        if wants_csv(request):  # the same cached list, as rows
            return _metrics_csv(msgspec.json.decode(body, type=MetricList))  # type: ignore[return-value]
        return Response(body, media_type=MediaType.JSON)  # type: ignore[return-value]

    @get(
        "/{slug:str}",
        operation_id="getMetric",
        summary="The disagreement at a glance",
        description=(
            "Every visible figure for the metric, split by event (`events`, one range each; `event=` keeps one), "
            "grouped by scope (event, group, location) with its range "
            "and each claimant's latest figure, and a timeline by event and as_of date. `slug` may also be a "
            "synonym (`detained`); an unknown one is a 404 naming the nearest metric."
        ),
        responses=problems(400, 404, 503),
    )
    async def get_metric(
        self,
        conn: AsyncConnection,
        state: State,
        slug: Annotated[str, text_param("Metric slug, label or synonym")],
        known_at: KnownAt = None,
        event: EventParam = None,
    ) -> MetricSummary:
        metric_id, _ = await resolve_metric(conn, slug)
        event_id = (await resolve_event(conn, event))[0] if event is not None else None
        if known_at is not None:
            return await metric_summary(conn, metric_id, known_at, event_id=event_id)

        async def compute() -> MetricSummary:
            async with summary_timeout(conn, state.settings.statement_timeout_ms):
                return await metric_summary(conn, metric_id, event_id=event_id)

        key = f"metric:{metric_id}" if event_id is None else f"metric:{metric_id}:event:{event_id}"
        body = await cached_json(conn, primary_engine(state), key, compute)
        return Response(body, media_type=MediaType.JSON)  # type: ignore[return-value]
