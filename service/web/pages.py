"""The pages people browse (``/``, ``/event/{name}``, ``/metric/{slug}``, ``/actor/{name}``,
``/document/{id}``) and the chart API (``/metrics/{slug}/chart.svg``).

Figures of different events are never pooled on a page: ``/`` lists the events, an event page
holds a chart per metric drawn from that event's figures only (so its axis spans the event's
days), and a metric page shows one panel per event (or one event, with ``?event=``).

Pages are HTML built on the server from the same queries the JSON API uses; they are left out
of the OpenAPI document. A page's own errors (an unknown metric, a bad cursor) answer as small
HTML pages with the right status, not as problem+json; the chart is API and answers problems.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, NamedTuple
from urllib.parse import quote as urlquote

from litestar import MediaType, Response, get
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from service import pagination
from service.actors.queries import actor_detail, closest_actors, resolve_actor, search_actors
from service.claims.queries import ClaimFilters, get_claim, list_claims
from service.claims.schemas import MAX_ID, Claim
from service.documents.queries import get_document, list_documents
from service.errors import BadRequest, NotFound, ProblemError, problems
from service.events.queries import event_metric_ids, get_event, list_events, resolve_event
from service.events.ref import EventRef
from service.events.schemas import Event
from service.metrics.queries import list_metrics, metric_summary, resolve_metric, to_number
from service.metrics.schemas import Metric, MetricSummary, Scope
from service.params import NAME_MAX, text_param
from service.web.chart import (
    claim_href,
    claimant_colours,
    claimant_key,
    claimant_order,
    render_chart,
)
from service.web.templates import error_page, page
from service.web.text import (
    described,
    esc,
    fmt_day,
    fmt_days,
    fmt_number,
    plural,
    scope_label,
    spread,
    spread_tail,
)

SVG_MEDIA_TYPE = "image/svg+xml"
MAX_FIGURES = 2000  # marks on one chart; beyond this the chart says how many it leaves out
PAGE_SIZE = 100  # claims per actor page
_PAGE_BATCH = 500  # list_claims' largest page


# -- loading ------------------------------------------------------------------------------------


async def load_claims(conn: AsyncConnection, filters: ClaimFilters, *, cap: int) -> tuple[list[Claim], int | None]:
    """Every visible claim matching ``filters`` (oldest id first), at most ``cap``; the second
    value is None when all were loaded, else a lower bound of how many there are."""
    out: list[Claim] = []
    cursor: str | None = None
    while True:
        batch, cursor = await list_claims(conn, filters, limit=min(_PAGE_BATCH, cap - len(out) + 1), cursor=cursor)
        out.extend(batch)
        if cursor is None or len(out) > cap:
            break
    if len(out) > cap:
        return out[:cap], len(out)
    return out, None


async def metric_figures(
    conn: AsyncConnection, metric_id: int, event_id: int | None = None
) -> tuple[MetricSummary, list[Claim], int | None]:
    summary = await metric_summary(conn, metric_id, event_id=event_id)
    claims, more = await load_claims(conn, ClaimFilters(metric_id=metric_id, event_id=event_id), cap=MAX_FIGURES)
    return summary, claims, (summary.metric.claims if more is not None else None)


def chart_for(summary: MetricSummary, claims: Sequence[Claim], truncated_from: int | None) -> str:
    m = summary.metric
    return render_chart(
        label=m.label,
        unit=m.unit,
        claims=claims,
        summary=described(m.label, claims),
        truncated_from=truncated_from,
    )


# -- the chart, as API --------------------------------------------------------------------------


@get(
    "/metrics/{slug:str}/chart.svg",
    operation_id="getMetricChart",
    tags=["metrics"],
    summary="The disagreement as a chart (SVG)",
    description=(
        "Every visible figure for the metric as one mark (`data-claim-id`) by the day it describes "
        "and its value: a dot for one number, a bar for a range, an arrow for an open end. Colour is "
        "the claimant; each mark links to its quote. The same SVG the page `/metric/{slug}` shows. "
        "`slug` may be a synonym; an unknown one is a 404 naming the nearest metric."
    ),
    media_type=SVG_MEDIA_TYPE,
    response_description="An SVG image, deterministic for the same data",
    responses=problems(400, 404, 503),
)
async def metric_chart(
    conn: AsyncConnection,
    slug: Annotated[str, text_param("Metric slug, label or synonym")],
    event: Annotated[str | None, text_param("Event: slug, name or alias; the axis then spans its days")] = None,
) -> Response[str]:
    metric_id, _ = await resolve_metric(conn, slug)
    event_id = (await resolve_event(conn, event))[0] if event is not None else None
    summary, claims, truncated_from = await metric_figures(conn, metric_id, event_id)
    svg = '<?xml version="1.0" encoding="UTF-8"?>\n' + chart_for(summary, claims, truncated_from) + "\n"
    return Response(svg, media_type=SVG_MEDIA_TYPE)


# -- page plumbing ------------------------------------------------------------------------------


def _html(content: str, status: int = 200, headers: dict[str, str] | None = None) -> Response[str]:
    return Response(content, status_code=status, media_type=MediaType.HTML, headers=headers)


async def _answer(build: Awaitable[str], suggestion_href: Callable[[str], str] | None = None) -> Response[str]:
    """The page, or a small HTML error page for the error a client caused."""
    try:
        return _html(await build)
    except ProblemError as exc:
        links = getattr(exc, "links", None)  # set where the suggestions are not of the page's own kind
        if links is None:
            links = [(s, suggestion_href(s)) for s in exc.suggestions or []] if suggestion_href else []
        return _html(error_page(exc.status, exc.title, exc.detail, links), exc.status, exc.headers)


def _name_ok(name: str) -> bool:
    return 0 < len(name) <= NAME_MAX and "\x00" not in name


def _metric_href(slug: str) -> str:
    return f"/metric/{urlquote(slug, safe='')}"


def _actor_href(slug: str) -> str:
    return f"/actor/{urlquote(slug, safe='')}"


def _event_href(slug: str) -> str:
    return f"/event/{urlquote(slug, safe='')}"


def _event_links(events: Sequence[EventRef]) -> str:
    return ", ".join(f'<a href="{esc(_event_href(e.slug))}">{esc(e.name)}</a>' for e in events)


def _status_badge(c: Claim) -> str:
    return "" if c.status == "accepted" else f' <span class="badge {esc(c.status)}">{esc(c.status)}</span>'


def _claimant_html(c: Claim, colours: dict[str, str] | None = None) -> str:
    dot = f'<span class="dot" style="background:{colours[claimant_key(c)]}"></span>' if colours else ""
    if c.claimant is None:
        return f'{dot}<span class="meta">no named source</span>'
    return f'{dot}<a href="{esc(_actor_href(c.claimant.slug))}">{esc(c.claimant.name)}</a>'


def _chain_html(c: Claim) -> str:
    """Who relayed the claim → the article that carries it (the claimant has a column of its own)."""
    arrow = '<span class="arrow" aria-label="via">→</span>'
    steps = [esc(v) for v in c.via]
    cit = c.citation
    outlet = "" if cit.outlet.strip().lower() in ("", "unknown") else f"{esc(cit.outlet)}, "
    steps.append(
        f'{outlet}<a href="/document/{cit.document_id}">{esc(cit.title)}</a> ({esc(fmt_day(cit.published))})'
    )
    return f'<span class="chain">{arrow.join(steps)}</span>'


def _quote_html(c: Claim) -> str:
    return (
        f'<span class="quote">{esc(c.citation.quote)}</span> '
        f'<a class="ui" href="{esc(claim_href(c))}">in context</a>'
    )


# -- / ------------------------------------------------------------------------------------------

HOME_EVENTS = 50  # events listed on /; /events has them all

# Per event, per metric: how many figures and how far apart the lowest and the highest are,
# with the words of each (the lowest and highest chosen as ``text.spread`` chooses them).
_EVENT_METRICS = text(
    """
    SELECT e.slug AS event_slug, m.slug, m.label, m.unit, count(*) AS claims,
           count(DISTINCT c.claimant_id) AS claimants, count(*) FILTER (WHERE c.claimant_id IS NULL) AS unattributed,
           count(DISTINCT coalesce(c.value_low::text, '-') || '/' || coalesce(c.value_high::text, '-')) AS distinct_values,
           min(coalesce(c.value_low, c.value_high)) AS low, max(coalesce(c.value_high, c.value_low)) AS high,
           (array_agg(c.value_text ORDER BY coalesce(c.value_low, c.value_high), c.value_low IS NOT NULL, c.id))[1] AS low_text,
           (array_agg(c.value_text ORDER BY coalesce(c.value_high, c.value_low) DESC, c.value_high IS NULL DESC, c.id))[1]
             AS high_text
    FROM claims c JOIN events e ON e.id = c.event_id JOIN metrics m ON m.id = c.metric_id
    WHERE c.status IN ('unreviewed', 'accepted') AND e.slug = ANY(:slugs)
      AND (c.value_low IS NOT NULL OR c.value_high IS NOT NULL)
    GROUP BY e.slug, m.id
    ORDER BY e.slug, count(*) DESC, m.slug
    """
)


class _Line(NamedTuple):
    slug: str
    label: str
    unit: str
    claims: int
    claimants: int
    unattributed: int
    distinct_values: int
    low: float | None
    high: float | None
    low_text: str
    high_text: str


async def _event_metric_lines(conn: AsyncConnection, slugs: Sequence[str]) -> dict[str, list[_Line]]:
    out: dict[str, list[_Line]] = {}
    if not slugs:
        return out
    for r in (await conn.execute(_EVENT_METRICS, {"slugs": list(slugs)})).all():
        out.setdefault(r.event_slug, []).append(
            _Line(r.slug, r.label, r.unit, r.claims, r.claimants, r.unattributed, r.distinct_values,
                  to_number(r.low), to_number(r.high), r.low_text or "", r.high_text or "")
        )
    return out


def _as_written(text: str) -> str:
    return text[0].lower() + text[1:] if len(text) > 1 and text[0].isupper() and text[1].islower() else text


def _line_html(line: _Line, event_slug: str) -> str:
    """'People arrested: 2,298 to nearly 6,000 people · highest 2.6× the lowest · 12 figures, 4 claimants'."""
    href = f"{_metric_href(line.slug)}?event={urlquote(event_slug, safe='')}"
    named = plural(line.claimants, "claimant") if line.claimants else ""
    unnamed = plural(line.unattributed, "unattributed report") if line.unattributed else ""
    if line.claims == 1:
        sources = named or "no named source"
    else:
        sources = " + ".join(x for x in (named, unnamed) if x)
    if line.claims == 1:
        values, how = _as_written(line.low_text), "one figure"
    elif line.distinct_values == 1:
        values, how = _as_written(line.low_text), f"all {line.claims:,} figures agree"
    else:
        if line.low == line.high:
            values = f"{_as_written(line.low_text)} / {_as_written(line.high_text)}"
        else:
            values = f"{_as_written(line.low_text)} to {_as_written(line.high_text)}"
        how = plural(line.claims, "figure")
        if line.low is not None and line.high is not None and line.low > 0 and line.high / line.low >= 1.1:
            ratio = line.high / line.low
            how = f"the highest {ratio:.0f}× the lowest" if ratio >= 10 else f"the highest {ratio:.1f}× the lowest"
            how += f" · {plural(line.claims, 'figure')}"
    return (
        f'<li><a href="{esc(href)}">{esc(line.label)}</a>: <b>{esc(values)}</b> {esc(line.unit)}'
        f' <span class="meta">· {esc(how)} from {esc(sources)}</span></li>'
    )


def _where(e: Event) -> str:
    return ", ".join(e.places) if e.places else ", ".join(e.countries)


def _event_card(e: Event, lines: Sequence[_Line]) -> str:
    what = [esc(e.kind)]
    if _where(e):
        what.append(esc(_where(e)))
    if e.first and e.last:
        what.append(f"articles {esc(fmt_days(e.first, e.last))}")
    counts = (
        f'{plural(e.documents, "article")} · {plural(e.figures, "figure")} · {plural(e.claimants, "source")} quoted'
    )
    figures = (
        f'<ul class="plain lines">{"".join(_line_html(line, e.slug) for line in lines)}</ul>'
        if lines
        else '<p class="meta">No figures yet.</p>'
    )
    return (
        f'<li id="event-{esc(e.slug)}"><a class="title" href="{esc(_event_href(e.slug))}">{esc(e.name)}</a>'
        f'<p class="meta">{" · ".join(what)}</p><p class="meta counts">{counts}</p>{figures}</li>'
    )


def _metric_card(m: Metric) -> str:
    if m.events > 1:
        spread = f'<span class="meta">in {m.events} events, never added up: see each</span>'
    elif m.low is None and m.high is None:
        spread = ""
    elif m.low == m.high:
        spread = f"{fmt_number(m.low)} {esc(m.unit)}"
    else:
        spread = f"{fmt_number(m.low)} to {fmt_number(m.high)} {esc(m.unit)}"
    return (
        f'<li><a class="title" href="{esc(_metric_href(m.slug))}">{esc(m.label)}</a>'
        f'<div class="range">{spread}</div>'
        f'<p class="meta">{plural(m.claims, "figure")} · {plural(m.claimants, "claimant")} · '
        f'{plural(m.documents, "document")}</p></li>'
    )


async def _home(conn: AsyncConnection) -> str:
    events, more_events = await list_events(
        conn, q=None, kind=None, country=None, limit=HOME_EVENTS, cursor=None, known_at=None
    )
    lines = await _event_metric_lines(conn, [e.slug for e in events])
    metrics = await list_metrics(conn)
    documents, more_documents = await list_documents(conn, outlet=None, since=None, until=None, limit=100, cursor=None)
    counted = [m for m in metrics if m.claims]
    empty = [m for m in metrics if not m.claims]
    figures = sum(m.claims for m in metrics)
    body = [
        "<h1>Who said which number</h1>",
        '<p class="lede">News about an event carries competing figures. factdesk keeps every one of them '
        "as a claim: who said it, who passed it on, on which day, and the verbatim quote in the archived "
        "article. Pick an event to see how its sources disagree; figures of different events are never "
        "added up.</p>",
        f'<ul class="facts"><li><b>{fmt_number(len(events))}{"+" if more_events else ""}</b> event{"" if len(events) == 1 and not more_events else "s"}</li>'
        f"<li><b>{fmt_number(figures)}</b> figures</li><li><b>{fmt_number(len(counted))}</b> "
        f'metrics with figures</li><li><b>{fmt_number(len(documents))}{"+" if more_documents else ""}</b> archived articles</li></ul>',
        "<h2>Events, the latest first</h2>",
    ]
    if events:
        body.append(f'<ul class="events">{"".join(_event_card(e, lines.get(e.slug, [])) for e in events)}</ul>')
    else:
        body.append("<p>No events yet: articles posted to the API are put in one.</p>")
    if more_events:
        body.append(f'<p class="note">The latest {HOME_EVENTS} are listed; <a href="/events">/events</a> has them all.</p>')
    body.append("<h2>What is counted</h2>")
    body.append(f'<ul class="cards">{"".join(_metric_card(m) for m in counted)}</ul>')
    if empty:
        links = ", ".join(f'<a href="{esc(_metric_href(m.slug))}">{esc(m.label)}</a>' for m in empty)
        body.append(f'<p class="note">No figures yet for: {links}.</p>')
    body.append(
        "<h2>Find a source</h2>"
        '<form method="get" action="/actor" role="search"><label for="q" class="meta">A person, ministry, agency or outlet, '
        'in any spelling</label><br><input type="search" id="q" name="q" placeholder="Tokayev, Interior Ministry, TASS…"> '
        '<button type="submit">Search</button> <a class="meta" href="/actor">or list them all</a></form>'
    )
    rows = "".join(
        f'<tr><td class="day">{esc(fmt_day(d.published))}</td><td>{esc(d.outlet)}</td>'
        f'<td><a href="/document/{d.id}">{esc(d.title)}</a></td>'
        f"<td>{_event_links(d.events[:1])}</td>"
        f'<td class="num">{fmt_number(d.claims)}</td></tr>'
        for d in documents
    )
    body.append(
        "<h2>Archived articles</h2>"
        '<div class="wrap"><table><thead><tr><th>Published</th><th>Outlet</th><th>Title</th><th>Event</th>'
        '<th class="num">Claims</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )
    if more_documents:
        body.append('<p class="note">The first 100 are listed; <a href="/documents">/documents</a> has them all.</p>')
    body.append(
        "<h2>The same data as an API</h2>"
        '<p>Every event, figure, source and article here is also JSON (or CSV): the <a href="/openapi">interactive '
        "API reference</a> lists each operation and sends requests to it from your browser; "
        '<a href="/schema">/schema</a> is the same list as plain HTML and '
        '<a href="/schema/openapi.json">/schema/openapi.json</a> the OpenAPI document. '
        '<a href="/events">/events</a> lists the events.</p>'
    )
    return page("Who said which number", "".join(body))


@get("/", include_in_schema=False)
async def home_page(conn: AsyncConnection) -> Response[str]:
    return await _answer(_home(conn))


# -- figures of one metric in one event: the block the metric and event pages share -------------


def _scope_lines(scopes: Sequence[Scope], claims: Sequence[Claim]) -> str:
    by_scope: dict[tuple[str | None, str | None], list[Claim]] = {}
    for c in claims:
        by_scope.setdefault((c.group, c.location), []).append(c)
    items: list[str] = []
    for s in scopes:
        figures = by_scope.get((s.group, s.location), [])
        label = scope_label(s.group, s.location) or "scope not given"
        latest = " · ".join(
            f"{esc(f.claimant.name if f.claimant else 'no named source')}: <b>{esc(f.value.text)}</b>"
            f" ({esc(fmt_day(f.as_of, year=False) if f.as_of else 'date not given')})"
            for f in s.latest_by_claimant
        )
        sp = spread(figures)
        tail = f"{plural(sp.figures, 'figure')} from {sp.sources}" if sp.kind == "range" else spread_tail(sp)
        items.append(
            f"<li><b>{esc(label)}</b>: <b>{esc(sp.values)}</b> — {esc(tail)}"
            + (f'<br><span class="meta">Latest from each: {latest}</span>' if latest and sp.kind != "one" else "")
            + "</li>"
        )
    return f'<ul class="plain scopes ui">{"".join(items)}</ul>'


def _figure_rows(claims: Sequence[Claim], colours: dict[str, str]) -> str:
    rank = {key: i for i, (key, _, _) in enumerate(claimant_order(claims))}
    ordered = sorted(
        claims, key=lambda c: (c.as_of is None, c.as_of or c.citation.published, rank[claimant_key(c)], c.id)
    )
    rows = []
    for c in ordered:
        rows.append(
            f'<tr id="figure-{c.id}"><td class="day">{esc(fmt_day(c.as_of))}</td>'
            f'<td class="fig">{esc(c.value.text if c.value else "")}{_status_badge(c)}</td>'
            f"<td>{_claimant_html(c, colours)}</td>"
            f"<td>{esc(scope_label(c.group, c.location))}</td>"
            f"<td>{_chain_html(c)}</td>"
            f"<td>{_quote_html(c)}</td></tr>"
        )
    return "".join(rows)


def _figures_block(
    m: Metric,
    scopes: Sequence[Scope],
    claims: Sequence[Claim],
    truncated_from: int | None,
    *,
    h: int,
    ids: str,
    links: str,
    table: bool,
    total: int | None = None,
    chart_first: bool = False,
) -> str:
    """What a metric's figures in one event say: the spread in words, the counts, the scope
    lines, the chart (only these figures, so its axis spans their days), links, and the table."""
    colours = claimant_colours(claims)
    days = sorted({c.as_of for c in claims if c.as_of})
    when = f", describing {esc(fmt_days(days[0], days[-1]))}" if days else ""
    sp = spread(claims)
    if sp.kind == "none":
        lede = "No figures recorded yet."
    else:
        tail = spread_tail(sp)
        lede = f"<strong>{esc(sp.values)}</strong> {esc(m.unit)}{' ' if sp.kind == 'range' else ': '}{esc(tail)}."
        if len(scopes) > 1:
            lede += f" They count {len(scopes)} different groups or places: see below."
    figures = total if total is not None else len(claims)
    claimants = len({c.claimant.slug for c in claims if c.claimant})
    articles = len({c.citation.document_id for c in claims})
    out = [
        f'<p class="lede">{lede}</p>',
        f'<ul class="facts"><li>{_fact(figures, "figure")}</li><li>{_fact(claimants, "named claimant")}</li>'
        f'<li>{_fact(articles, "article")}{when}</li></ul>',
    ]
    by_scope = ""
    if claims:
        by_scope = (
            f"<h{h}>Who is counted, where</h{h}>"
            '<p class="note">Figures only compete when they count the same people in the same place; '
            "here they are by scope.</p>" + _scope_lines(scopes, claims)
        )
    chart = render_chart(
        label=m.label, unit=m.unit, claims=claims, summary=described(m.label, claims), truncated_from=truncated_from, ids=ids
    )
    figure = (
        f"<h{h}>The figures, by the day they describe</h{h}>"
        '<p class="note">Each mark is one figure as one source gave it; hover for the quote, click to read it in the article.</p>'
        f'<figure class="chart" aria-label="Chart of every figure">{chart}</figure>'
    )
    out.extend([figure, by_scope] if chart_first else [by_scope, figure])
    out.append(f'<p class="note">{links}</p>')
    if claims and table:
        out.append(f"<h{h}>Every figure, with its source</h{h}>")
        out.append(
            '<div class="wrap"><table><thead><tr><th>As of</th><th>Figure</th><th>Claimant</th><th>Counted</th>'
            "<th>Reported through</th><th>Quote</th></tr></thead>"
            f"<tbody>{_figure_rows(claims, colours)}</tbody></table></div>"
        )
    return "".join(out)


def _fact(n: int, one: str) -> str:
    """'<b>3</b> figures', '<b>1</b> figure'."""
    return f"<b>{fmt_number(n)}</b> {esc(one if n == 1 else one + 's')}"


def _api_links(metric_slug: str, event_slug: str | None) -> str:
    m = urlquote(metric_slug, safe="")
    if event_slug is None:
        return (
            f'The same chart as an image: <a href="/metrics/{esc(m)}/chart.svg">/metrics/{esc(m)}/chart.svg</a> · '
            f'as data: <a href="/metrics/{esc(m)}">/metrics/{esc(m)}</a>, '
            f'<a href="/claims?metric={esc(m)}&amp;limit=500">/claims?metric={esc(m)}</a>'
        )
    e = urlquote(event_slug, safe="")
    chart = f"/metrics/{m}/chart.svg?event={e}"
    data = f"/metrics/{m}?event={e}"
    claims = f"/claims?metric={m}&event={e}"
    return (
        f'The same chart as an image: <a href="{esc(chart)}">{esc(chart)}</a> · '
        f'as data: <a href="{esc(data)}">{esc(data)}</a>, <a href="{esc(claims + "&limit=500")}">{esc(claims)}</a>'
    )


# -- /metric/{slug} -----------------------------------------------------------------------------


def _unscoped(figures: Sequence[Claim]) -> list[Claim]:
    return [c for c in figures if c.event is None]


async def _metric_page(conn: AsyncConnection, slug: str, event: str | None) -> str:
    if not _name_ok(slug):
        raise NotFound("no metric has that name (GET / lists them all)")
    metric_id, canonical = await resolve_metric(conn, slug)
    if event:  # ?event= (empty) is every event
        event_id, event_slug = await _page_event(
            conn, event, lambda s: f"{_metric_href(canonical)}?event={urlquote(s, safe='')}"
        )
        return await _metric_in_event_page(conn, metric_id, canonical, event_id, event_slug)
    overall = await metric_summary(conn, metric_id)
    m = overall.metric
    body = [f"<h1>{esc(m.label)}</h1>"]
    spans = overall.events
    named = [s for s in spans if s.event is not None]
    if len(spans) > 1:
        body.append(
            f'<p class="lede">Figures from {plural(len(named), "event")}'
            + (" and some in none yet" if len(named) < len(spans) else "")
            + ". Each event has its own panel: figures of different events are never put on one chart or in one range.</p>"
        )
        body.append(
            f'<ul class="facts"><li>{_fact(m.claims, "figure")}</li><li>{_fact(m.claimants, "named claimant")}</li>'
            f'<li>{_fact(m.documents, "article")}</li><li>{_fact(len(named), "event")}</li></ul>'
        )
    if m.description:
        body.append(f'<p class="meta">{esc(m.description)}</p>')
    if len(spans) > 1:
        toc = "".join(
            f'<li><a href="#{esc(_panel_id(s.event.slug if s.event else None))}">{esc(s.event.name if s.event else "In no event yet")}</a>'
            f' <span class="meta">· {plural(s.claims, "figure")}</span></li>'
            for s in spans
        )
        body.append(f'<ul class="plain toc ui">{toc}</ul>')
    if not spans:
        body.append(_figures_block(m, [], [], None, h=2, ids="", links=_api_links(canonical, None), table=True))
    for i, s in enumerate(spans):
        ids = "" if i == 0 else f"p{i}-"
        if s.event is not None:
            event_id, _ = await resolve_event(conn, s.event.slug)
            summary, claims, truncated_from = await metric_figures(conn, metric_id, event_id)
            scopes = summary.scopes
            heading = f'<a href="{esc(_event_href(s.event.slug))}">{esc(s.event.name)}</a>'
            links = (
                f'This metric in this event alone: <a href="{esc(_metric_href(canonical))}?event={esc(urlquote(s.event.slug, safe=""))}">'
                f"its own page</a> · " + _api_links(canonical, s.event.slug)
            )
        else:
            everything, more = await load_claims(conn, ClaimFilters(metric_id=metric_id), cap=MAX_FIGURES)
            claims = _unscoped(everything)
            truncated_from = s.claims if more is not None and len(claims) < s.claims else None
            scopes = [sc for sc in overall.scopes if sc.event is None]
            heading = "In no event yet"
            links = "These figures are in no event yet: a person can put their article in one (POST /events/{name}/documents)."
        if len(spans) == 1:
            if s.event is not None:
                body.append(f'<p class="meta">All in one event: {heading}.</p>')
            body.append(_figures_block(m, scopes, claims, truncated_from, h=2, ids=ids, links=_api_links(canonical, None),
                                       table=True, total=s.claims))
        else:
            body.append(
                f'<section class="panel" id="{esc(_panel_id(s.event.slug if s.event else None))}">'
                f'<h2 class="event">{heading}</h2>'
                + _figures_block(m, scopes, claims, truncated_from, h=3, ids=ids, links=links, table=True, total=s.claims)
                + "</section>"
            )
    return page(m.label, "".join(body), crumbs=[("All events", "/"), (m.label, None)])


def _panel_id(event_slug: str | None) -> str:
    return f"in-{event_slug}" if event_slug else "in-no-event"


async def _metric_in_event_page(conn: AsyncConnection, metric_id: int, canonical: str, event_id: int, event_slug: str) -> str:
    summary, claims, truncated_from = await metric_figures(conn, metric_id, event_id)
    ev = await get_event(conn, event_id)
    m = summary.metric
    body = [
        f"<h1>{esc(m.label)}</h1>",
        f'<p class="meta">In <a href="{esc(_event_href(ev.slug))}">{esc(ev.name)}</a> only · '
        f'<a href="{esc(_metric_href(canonical))}">every event</a></p>',
    ]
    if m.description:
        body.append(f'<p class="meta">{esc(m.description)}</p>')
    body.append(
        _figures_block(m, summary.scopes, claims, truncated_from, h=2, ids="", links=_api_links(canonical, event_slug),
                       table=True, total=m.claims)
    )
    return page(f"{m.label} — {ev.name}", "".join(body),
                crumbs=[("All events", "/"), (ev.name, _event_href(ev.slug)), (m.label, None)])


@get("/metric/{slug:str}", include_in_schema=False)
async def metric_page(conn: AsyncConnection, slug: str, event: str | None = None) -> Response[str]:
    return await _answer(_metric_page(conn, slug, event), _metric_href)


# -- /event/{name} ------------------------------------------------------------------------------


async def _page_event(conn: AsyncConnection, name: str, href: Callable[[str], str]) -> tuple[int, str]:
    """The event a page names, or a 404 whose suggestions link with ``href``."""
    if not _name_ok(name):
        raise NotFound("no event has that name (GET / lists them all)")
    try:
        return await resolve_event(conn, name)
    except NotFound as exc:
        exc.links = [(s, href(s)) for s in exc.suggestions or []]  # type: ignore[attr-defined]
        raise


async def _event_page(conn: AsyncConnection, name: str) -> str:
    event_id, slug = await _page_event(conn, name, _event_href)
    ev = await get_event(conn, event_id)
    e = urlquote(ev.slug, safe="")
    body = [f"<h1>{esc(ev.name)}</h1>"]
    what = [esc(ev.kind)]
    if _where(ev):
        what.append(esc(_where(ev)))
    what.append(f"began {esc(fmt_day(ev.onset))}")
    body.append(f'<p class="meta">{" · ".join(what)}</p>')
    if ev.aliases:
        body.append(f'<p class="meta">Also called: {", ".join(esc(a) for a in ev.aliases)}</p>')
    span = f", published {esc(fmt_days(ev.first, ev.last))}" if ev.first and ev.last else ""
    body.append(
        f'<ul class="facts"><li>{_fact(ev.documents, "article")}{span}</li>'
        f'<li>{_fact(ev.figures, "figure")}</li><li>{_fact(ev.claims - ev.figures, "statement")}</li>'
        f'<li>{_fact(ev.claimants, "source")} quoted</li></ul>'
    )
    metric_ids = await event_metric_ids(conn, event_id, None)
    panels: list[tuple[Metric, str]] = []
    for i, metric_id in enumerate(metric_ids):
        summary, claims, truncated_from = await metric_figures(conn, metric_id, event_id)
        m = summary.metric
        own = f"{_metric_href(m.slug)}?event={e}"
        links = (
            f'Every figure with its source and quote: <a href="{esc(own)}">{esc(m.label)} in this event</a> · '
            f'in every event: <a href="{esc(_metric_href(m.slug))}">{esc(m.label)}</a> · ' + _api_links(m.slug, ev.slug)
        )
        block = _figures_block(m, summary.scopes, claims, truncated_from, h=3, ids="" if i == 0 else f"m{i}-",
                               links=links, table=False, total=m.claims, chart_first=True)
        panels.append((m, f'<section class="panel" id="metric-{esc(m.slug)}"><h2><a href="{esc(own)}">{esc(m.label)}</a></h2>{block}</section>'))
    if panels:
        toc = "".join(
            f'<li><a href="#metric-{esc(m.slug)}">{esc(m.label)}</a> <span class="meta">· {plural(m.claims, "figure")}</span></li>'
            for m, _ in panels
        )
        body.append(f'<p class="note">What is counted in this event, the most reported first; each chart shows '
                    f'this event\'s figures only.</p><ul class="plain toc ui">{toc}</ul>')
        body.extend(html for _, html in panels)
    else:
        body.append("<p>No figures in this event yet.</p>")
    documents, more = await list_documents(conn, outlet=None, event_id=event_id, since=None, until=None, limit=100, cursor=None)
    body.append("<h2>Its articles</h2>")
    if documents:
        rows = "".join(
            f'<tr><td class="day">{esc(fmt_day(d.published))}</td><td>{esc(d.outlet)}</td>'
            f'<td><a href="/document/{d.id}">{esc(d.title)}</a>'
            + ("" if d.events[:1] and d.events[0].slug == ev.slug else ' <span class="badge">also</span>')
            + f'</td><td class="num">{fmt_number(d.claims)}</td></tr>'
            for d in documents
        )
        body.append(
            '<div class="wrap"><table><thead><tr><th>Published</th><th>Outlet</th><th>Title</th><th class="num">Claims</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div>"
        )
        if more:
            body.append(f'<p class="note">The first 100 are listed; <a href="/documents?event={esc(e)}">/documents?event={esc(e)}</a> has them all.</p>')
    else:
        body.append("<p>No articles.</p>")
    body.append(
        f'<p class="note">As data: <a href="/events/{esc(e)}">/events/{esc(e)}</a>, '
        f'<a href="/claims?event={esc(e)}&amp;limit=500">/claims?event={esc(e)}</a>, '
        f'<a href="/documents?event={esc(e)}">/documents?event={esc(e)}</a>, '
        f'<a href="/events/{esc(e)}/history">/events/{esc(e)}/history</a></p>'
    )
    return page(ev.name, "".join(body), crumbs=[("All events", "/"), (ev.name, None)])


@get("/event/{name:str}", include_in_schema=False)
async def event_page(conn: AsyncConnection, name: str) -> Response[str]:
    return await _answer(_event_page(conn, name), _event_href)


# -- /actor and /actor/{name} -------------------------------------------------------------------


async def _actor_search(conn: AsyncConnection, q: str | None) -> str:
    q = (q or "").strip()
    if len(q) > 200 or "\x00" in q:
        raise BadRequest("search for at most 200 characters of a name")
    items, _ = await search_actors(conn, q or None, 500, None)
    if q:
        heading = f"Sources matching “{esc(q)}”"
    else:
        heading = "Every source"
    rows = "".join(
        f'<li><a href="{esc(_actor_href(a.slug))}"><b>{esc(a.name)}</b></a> <span class="meta">{esc(a.kind)}'
        + (f" · {esc(a.role)}" if a.role else "")
        + (f" · matched “{esc(a.matched)}”" if q and a.matched != a.name else "")
        + "</span></li>"
        for a in items
    )
    body = [f"<h1>{heading}</h1>"]
    if items:
        body.append(f'<ul class="plain">{rows}</ul>')
    else:
        body.append("<p>No source goes by that name.</p>")
        closest = await closest_actors(conn, q) if q else []
        if closest:
            links = ", ".join(f'<a href="{esc(_actor_href(slug))}">{esc(name)}</a>' for _, slug, name, _ in closest)
            body.append(f"<p>Closest: {links}.</p>")
    title = f"Sources matching {q}" if q else "Sources"
    return page(title, "".join(body), crumbs=[("All events", "/"), ("Sources", None)], search=q)


@get("/actor", include_in_schema=False)
async def actor_search_page(conn: AsyncConnection, q: str | None = None) -> Response[str]:
    return await _answer(_actor_search(conn, q), _actor_href)


def _said_rows(claims: Sequence[Claim], labels: dict[str, str]) -> str:
    rows = []
    for c in claims:
        if c.metric and c.value:
            what = (
                f'<a href="{esc(_metric_href(c.metric))}">{esc(labels.get(c.metric, c.metric))}</a>: '
                f"<b>{esc(c.value.text)}</b>"
                + (f' <span class="meta">({esc(scope_label(c.group, c.location))})</span>' if scope_label(c.group, c.location) else "")
                + "<br>"
            )
        else:
            what = ""
        day = c.as_of or c.citation.published
        rows.append(
            f'<tr id="said-{c.id}"><td class="day">{esc(fmt_day(day))}</td>'
            f"<td>{what}{_quote_html(c)}{_status_badge(c)}</td>"
            f"<td>{_chain_html(c)}</td></tr>"
        )
    return "".join(rows)


_CURSOR = re.compile(pagination.DATED_CURSOR_PATTERN)


async def _actor_page(conn: AsyncConnection, name: str, cursor: str | None) -> str:
    if not _name_ok(name):
        raise NotFound("no source has that name")
    if cursor is not None and not _CURSOR.fullmatch(cursor):
        raise BadRequest("that page link is broken: start again from the first page")
    actor_id = await resolve_actor(conn, name)
    actor = await actor_detail(conn, actor_id)
    claims, next_cursor = await list_claims(
        conn, ClaimFilters(claimant_id=actor_id), limit=PAGE_SIZE, cursor=cursor, order="newest"
    )
    labels = {m.slug: m.label for m in await list_metrics(conn)}
    body = [f"<h1>{esc(actor.name)}</h1>"]
    kind = esc(actor.kind) + (f" · {esc(actor.role)}" if actor.role else "")
    body.append(f'<p class="meta">{kind}</p>')
    if actor.aliases:
        body.append(f'<p class="meta">Also written: {", ".join(esc(a) for a in actor.aliases)}</p>')
    body.append(
        f'<ul class="facts"><li><b>{fmt_number(actor.claims)}</b> claims</li><li><b>{fmt_number(actor.figures)}</b> figures</li>'
        f"<li><b>{fmt_number(actor.statements)}</b> statements</li></ul>"
    )
    body.append(f"<h2>What {esc(actor.name)} said{', continued' if cursor else ''}, newest first</h2>")
    if claims:
        body.append(
            '<div class="wrap"><table><thead><tr><th>Day</th><th>Said</th><th>Reported through</th></tr></thead>'
            f"<tbody>{_said_rows(claims, labels)}</tbody></table></div>"
        )
    else:
        body.append("<p>Nothing attributed to this source yet.</p>")
    pager = []
    if cursor:
        pager.append(f'<a href="{esc(_actor_href(actor.slug))}">← newest</a>')
    if next_cursor:
        pager.append(f'<a href="{esc(_actor_href(actor.slug))}?cursor={esc(urlquote(next_cursor))}">older →</a>')
    if pager:
        body.append(f'<p class="pager">{" · ".join(pager)}</p>')
    api = esc(urlquote(actor.slug, safe=""))
    body.append(f'<p class="note">As data: <a href="/actors/{api}/statements">/actors/{api}/statements</a></p>')
    return page(actor.name, "".join(body), crumbs=[("All events", "/"), ("Sources", "/actor"), (actor.name, None)])


@get("/actor/{name:str}", include_in_schema=False)
async def actor_page(conn: AsyncConnection, name: str, cursor: str | None = None) -> Response[str]:
    return await _answer(_actor_page(conn, name, cursor), _actor_href)


# -- /document/{id} -----------------------------------------------------------------------------


MARK_TITLE_CLAIMS = 3  # a piece of text covered by many quotes names the first few


def highlighted_text(text: str, claims: Sequence[Claim], current: int | None) -> str:
    """The document's text with every claim's quote marked. Each piece of text between quote
    boundaries is one ``<mark>`` however many quotes cover it (its title names the first few and
    says how many more), and each quote's start carries an empty ``<a id="claim-N">`` anchor
    that links land on: the page grows with the number of claims, not with its square (450
    nested quotes once made an 11.7 MB page)."""
    spans = sorted(
        (c for c in claims if text[c.citation.start : c.citation.end] == c.citation.quote),
        key=lambda c: (c.citation.start, -c.citation.end, c.id),
    )
    cuts = sorted({0, len(text), *(c.citation.start for c in spans), *(c.citation.end for c in spans)})
    starting: dict[int, list[Claim]] = {}
    for c in spans:
        starting.setdefault(c.citation.start, []).append(c)
    out: list[str] = []
    active: list[Claim] = []
    for a, b in zip(cuts, cuts[1:]):
        active = [c for c in active if c.citation.end > a] + starting.get(a, [])
        out.extend(f'<a id="claim-{c.id}" class="anchor"></a>' for c in starting.get(a, []))
        piece = esc(text[a:b])
        if not active:
            out.append(piece)
            continue
        classes = " ".join(k for k, on in (("current", any(c.id == current for c in active)),
                                           ("fig", any(c.value is not None for c in active))) if on)
        cls = f' class="{classes}"' if classes else ""
        names = []
        for c in active[:MARK_TITLE_CLAIMS]:
            who = c.claimant.name if c.claimant else "no named source"
            names.append(f"{c.value.text} ({c.metric}) — {who}" if c.value else who)
        more = f" (+{len(active) - MARK_TITLE_CLAIMS} more)" if len(active) > MARK_TITLE_CLAIMS else ""
        out.append(f'<mark{cls} data-claim="{active[0].id}" title="{esc("; ".join(names) + more)}">{piece}</mark>')
    return "".join(out)


def _claim_list(claims: Sequence[Claim]) -> str:
    items = []
    for c in sorted(claims, key=lambda c: (c.citation.start, c.id)):
        what = f"<b>{esc(c.value.text)}</b> {esc(c.metric or '')} " if c.value else ""
        scope = scope_label(c.group, c.location)
        items.append(
            f'<li><a href="#claim-{c.id}" class="ui">#{c.id}</a> {what}'
            f'{_claimant_html(c)}{" · " + esc(scope) if scope and c.value else ""}'
            f'{" · via " + ", ".join(esc(v) for v in c.via) if c.via else ""}{_status_badge(c)}<br>'
            f'<span class="quote">{esc(c.citation.quote)}</span></li>'
        )
    return f'<ul class="plain">{"".join(items)}</ul>'


async def _document_page(conn: AsyncConnection, raw_id: str, raw_claim: str | None) -> str:
    document_id = int(raw_id) if raw_id.isascii() and raw_id.isdigit() and len(raw_id) <= 16 else 0
    if not 1 <= document_id <= MAX_ID:
        raise NotFound(f"no document has id {raw_id!r}")
    doc = await get_document(conn, document_id)
    if doc is None:
        raise NotFound(f"no document has id {document_id}")
    claims, _ = await load_claims(conn, ClaimFilters(document_id=document_id), cap=5000)
    current: int | None = None
    selected = ""
    if raw_claim:
        current = int(raw_claim) if raw_claim.isascii() and raw_claim.isdigit() and len(raw_claim) <= 16 else None
        claim = next((c for c in claims if c.id == current), None)
        if claim is None and current is not None and current <= MAX_ID:
            # A retracted or superseded claim is hidden from lists but still points here.
            found = await get_claim(conn, current)
            if found is not None and found.citation.document_id == document_id:
                claim = found
                claims.append(found)
        if claim is None:
            selected = f'<div class="selected ui">There is no claim {esc(raw_claim)} in this article.</div>'
        else:
            what = f"<b>{esc(claim.value.text)}</b> ({esc(claim.metric or '')}) — " if claim.value else ""
            selected = (
                f'<div class="selected"><span class="ui">Claim {claim.id}: {what}{_claimant_html(claim)}{_status_badge(claim)} · '
                f'<a href="#claim-{claim.id}">jump to the highlighted quote ↓</a></span><br>'
                f'<span class="quote">{esc(claim.citation.quote)}</span></div>'
            )
    facts = [
        f"<li>Published <b>{esc(fmt_day(doc.published))}</b></li>",
        f"<li>Outlet <b>{esc(doc.outlet)}</b></li>",
        f"<li>Language <b>{esc(doc.language)}</b>"
        + (f" (from {esc(doc.original_language)})" if doc.original_language else "")
        + "</li>",
        f"<li><b>{fmt_number(len(claims))}</b> claims highlighted</li>",
    ]
    body = [f"<h1>{esc(doc.title)}</h1>", f'<ul class="facts">{"".join(facts)}</ul>']
    if doc.events:
        also = f"; also in {_event_links(doc.events[1:])}" if len(doc.events) > 1 else ""
        body.append(f'<p class="meta events">In the event {_event_links(doc.events[:1])}{also}.</p>')
    else:
        body.append('<p class="meta events">In no event yet.</p>')
    if doc.url:
        # Shown, not linked: nothing on these pages leads a reader's browser away unasked.
        body.append(f'<p class="meta">Original address: <code>{esc(doc.url)}</code></p>')
    if doc.note:
        body.append(f'<p class="meta">{esc(doc.note)}</p>')
    body.append(selected)
    body.append("<h2>The archived text</h2>")
    body.append(
        '<p class="note">Highlighted: every quote a claim cites, figures more strongly than statements. '
        'Quotes are exact character spans of this text '
        f'(SHA-256 <code>{esc(doc.content_hash[:16])}…</code>).</p>'
    )
    body.append(f'<article class="text">{highlighted_text(doc.text, claims, current)}</article>')
    if claims:
        body.append("<h2>Claims citing this article</h2>")
        body.append(_claim_list(claims))
    body.append(f'<p class="note">As data: <a href="/documents/{doc.id}">/documents/{doc.id}</a>, '
                f'<a href="/documents/{doc.id}/claims">/documents/{doc.id}/claims</a></p>')
    trail: list[tuple[str, str | None]] = [("All events", "/")]
    if doc.events:
        trail.append((doc.events[0].name, _event_href(doc.events[0].slug)))
    return page(doc.title, "".join(body), crumbs=[*trail, (doc.outlet, None), (doc.title, None)])


@get("/document/{document_id:str}", include_in_schema=False)
async def document_page(conn: AsyncConnection, document_id: str, claim: str | None = None) -> Response[str]:
    return await _answer(_document_page(conn, document_id, claim))


route_handlers = [home_page, event_page, metric_page, actor_search_page, actor_page, document_page, metric_chart]
