"""The disagreement chart: every figure of one metric as a mark on a server-made SVG.

x is the day a figure describes (``as_of``; figures that name no day stand in a column of their
own at the right), y its value. A point value is a dot; an interval is a bar; an open-ended
figure ("more than 3,000", "nearly 6,000") is a dot with a fading arrow towards the side it leaves
open. Colour is the claimant; shape is the scope (who is counted, where) when there are few
enough scopes to tell apart. Each mark is a link to the quote in its document, carries its
claim id in ``data-claim-id`` and explains itself in a ``<title>``.

The output depends only on the claims given (no clock, no randomness), so the same data always
gives the same bytes. Every piece of text is escaped: quotes come from articles.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from service.claims.schemas import Claim
from service.web.text import esc, fmt_day, fmt_number, scope_label

# Tableau 10 without its grey, which is kept for figures nobody is named for.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#ff9da7")
UNATTRIBUTED_COLOUR = "#7f7f7f"
UNATTRIBUTED = "unattributed"
SHAPES = ("circle", "square", "diamond", "triangle", "triangle-down", "hexagon")

WIDTH = 960
PLOT_HEIGHT = 360
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP = 84, 24, 28
ARROW = 34  # pixels an open-ended figure's arrow reaches beyond its bound
FONT = "system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif"
# Values are written beside the marks unless there are too many, or the days too narrow, to
# read them; then the titles and the table below the chart carry them.
MAX_LABELS = 60
MIN_LABEL_BAND = 90


def claimant_key(c: Claim) -> str:
    return c.claimant.slug if c.claimant else UNATTRIBUTED


def claimant_order(claims: Sequence[Claim]) -> list[tuple[str, str, int]]:
    """(key, display name, figures) per claimant: most figures first, then by name; the
    unattributed last."""
    counts: dict[str, int] = {}
    names: dict[str, str] = {}
    for c in claims:
        key = claimant_key(c)
        counts[key] = counts.get(key, 0) + 1
        names[key] = c.claimant.name if c.claimant else "No named source"
    named = sorted((k for k in counts if k != UNATTRIBUTED), key=lambda k: (-counts[k], names[k].casefold(), k))
    if UNATTRIBUTED in counts:
        named.append(UNATTRIBUTED)
    return [(k, names[k], counts[k]) for k in named]


def claimant_colours(claims: Sequence[Claim]) -> dict[str, str]:
    colours: dict[str, str] = {}
    for i, (key, _, _) in enumerate(k for k in claimant_order(claims) if k[0] != UNATTRIBUTED):
        colours[key] = PALETTE[i % len(PALETTE)]
    colours[UNATTRIBUTED] = UNATTRIBUTED_COLOUR
    return colours


def scope_order(claims: Sequence[Claim]) -> list[tuple[str | None, str | None]]:
    counts: dict[tuple[str | None, str | None], int] = {}
    for c in claims:
        counts[(c.group, c.location)] = counts.get((c.group, c.location), 0) + 1
    return sorted(counts, key=lambda s: (-counts[s], s[0] or "\uffff", s[1] or "\uffff"))


def claim_href(c: Claim) -> str:
    """Where a figure links: its quote, highlighted, in the archived document."""
    return f"/document/{c.citation.document_id}?claim={c.id}#claim-{c.id}"


def bounds(c: Claim) -> tuple[float | None, float | None]:
    v = c.value
    return (v.low, v.high) if v else (None, None)


def mark_title(c: Claim) -> str:
    """What a mark says on hover: the figure, who says it, through whom, where, and the quote."""
    who = c.claimant.name if c.claimant else "No named source"
    value = c.value.text if c.value else "?"
    scope = scope_label(c.group, c.location)
    day = fmt_day(c.as_of) if c.as_of else "date not given"
    chain = " → ".join([who, *c.via])
    cit = c.citation
    lines = [
        f"{value} — {who}",
        f"{scope}, as of {day}" if scope else f"as of {day}",
        f"Chain: {chain} → {cit.outlet}, {fmt_day(cit.published)}",
        f"“{cit.quote}”",
    ]
    if c.status != "accepted":
        lines.append(f"({c.status})")
    return "\n".join(lines)


# -- scales -------------------------------------------------------------------------------------


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 times a power of ten) covering lo..hi."""
    if hi <= lo:
        hi = lo + 1
    span = hi - lo
    magnitude = 10 ** math.floor(math.log10(span / count))
    step = magnitude * 10
    for m in (1, 2, 2.5, 5, 10):
        if span / (m * magnitude) <= count:
            step = m * magnitude
            break
    first = math.floor(lo / step) * step
    last = math.ceil(hi / step) * step
    n = int(round((last - first) / step))
    return [first + i * step for i in range(n + 1)]


def _f(x: float) -> str:
    """A coordinate, short and stable."""
    s = f"{x:.1f}"
    return s[:-2] if s.endswith(".0") else s


# -- marks --------------------------------------------------------------------------------------


def shape_svg(shape: str, cx: float, cy: float, colour: str, size: float = 6.0, extra: str = "") -> str:
    attrs = f'fill="{colour}" stroke="#fff" stroke-width="1.5"{extra}'
    if shape == "square":
        s = size * 0.9
        return f'<rect x="{_f(cx - s)}" y="{_f(cy - s)}" width="{_f(2 * s)}" height="{_f(2 * s)}" {attrs}/>'
    if shape == "diamond":
        s = size * 1.25
        pts = [(cx, cy - s), (cx + s, cy), (cx, cy + s), (cx - s, cy)]
    elif shape == "triangle":
        s = size * 1.2
        pts = [(cx, cy - s), (cx + s, cy + s * 0.8), (cx - s, cy + s * 0.8)]
    elif shape == "triangle-down":
        s = size * 1.2
        pts = [(cx, cy + s), (cx + s, cy - s * 0.8), (cx - s, cy - s * 0.8)]
    elif shape == "hexagon":
        s = size * 1.1
        pts = [(cx + s * math.cos(math.pi / 3 * i), cy + s * math.sin(math.pi / 3 * i)) for i in range(6)]
    else:
        return f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="{_f(size)}" {attrs}/>'
    return f'<polygon points="{" ".join(f"{_f(x)},{_f(y)}" for x, y in pts)}" {attrs}/>'


def _arrow(cx: float, y: float, direction: int, colour: str, colour_index: str, ids: str = "") -> str:
    """A fading stem from ``y`` ``ARROW`` pixels up (direction -1) or down (+1), and its head."""
    tip = y + direction * ARROW
    top, height = (tip, ARROW) if direction < 0 else (y, ARROW)
    gradient = f"{ids}fade-{'up' if direction < 0 else 'down'}-{colour_index}"
    head = [(cx, tip + direction * 2), (cx - 5, tip - direction * 6), (cx + 5, tip - direction * 6)]
    return (
        f'<rect x="{_f(cx - 2)}" y="{_f(top)}" width="4" height="{_f(height)}" fill="url(#{gradient})"/>'
        f'<polygon points="{" ".join(f"{_f(a)},{_f(b)}" for a, b in head)}" fill="{colour}" fill-opacity="0.4"/>'
    )


class _Layout:
    """Positions: one column per day from the first to the last as_of, plus 'date not given'."""

    def __init__(self, claims: Sequence[Claim]) -> None:
        days = sorted({c.as_of for c in claims if c.as_of is not None})
        self.first: dt.date | None = days[0] if days else None
        self.span_days = (days[-1] - days[0]).days + 1 if days else 0
        self.undated = any(c.as_of is None for c in claims)
        columns = self.span_days + (1 if self.undated else 0)
        self.columns = max(columns, 1)
        self.plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
        self.band = self.plot_w / self.columns
        values = [v for c in claims for v in bounds(c) if v is not None]
        lo = min([0.0, *values])
        hi = max([0.0, *values])
        open_up = any(c.value and c.value.high is None for c in claims)
        # Room above the highest figure for its arrow (or just to breathe).
        hi = hi * (1.12 if open_up else 1.05) if hi > 0 else 1.0
        self.ticks = nice_ticks(lo, hi)
        self.y_lo, self.y_hi = self.ticks[0], self.ticks[-1]

    def column(self, c: Claim) -> int:
        if c.as_of is None or self.first is None:
            return self.span_days
        return (c.as_of - self.first).days

    def x(self, column: int) -> float:
        return MARGIN_LEFT + (column + 0.5) * self.band

    def y(self, v: float) -> float:
        return MARGIN_TOP + PLOT_HEIGHT * (1 - (v - self.y_lo) / (self.y_hi - self.y_lo))


def _label_width(text: str, size: float = 12) -> float:
    return len(text) * size * 0.56 + 4


def render_chart(
    *, label: str, unit: str, claims: Sequence[Claim], summary: str, truncated_from: int | None = None, ids: str = ""
) -> str:
    """The ``<svg>`` element (no XML prolog, so it can also stand inline in a page). ``ids``
    prefixes every id inside it, so that several charts can stand in one page."""
    claims = [c for c in claims if c.value is not None]
    layout = _Layout(claims)
    order = claimant_order(claims)
    colours = claimant_colours(claims)
    colour_index = {key: str(i) for i, key in enumerate(colours)}
    scopes = scope_order(claims)
    shaped = 1 < len(scopes) <= len(SHAPES)
    shape_of = {s: (SHAPES[i] if shaped else "circle") for i, s in enumerate(scopes)}
    rank = {key: i for i, (key, _, _) in enumerate(order)}

    out: list[str] = []
    body_bottom = MARGIN_TOP + PLOT_HEIGHT

    # Axes and grid.
    grid: list[str] = []
    for t in layout.ticks:
        y = layout.y(t)
        grid.append(
            f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{_f(y)}" y2="{_f(y)}" class="{"base" if t == 0 else "grid"}"/>'
            f'<text x="{MARGIN_LEFT - 8}" y="{_f(y + 4)}" text-anchor="end" class="tick">{esc(fmt_number(t))}</text>'
        )
    day_step = max(1, math.ceil(layout.span_days / 12))
    if layout.first is not None:
        for i in range(0, layout.span_days, day_step):
            day = layout.first + dt.timedelta(days=i)
            x = layout.x(i)
            text = fmt_day(day, year=(i == 0 or (day.month == 1 and day.day == 1)))
            grid.append(
                f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{body_bottom}" y2="{body_bottom + 5}" class="axis"/>'
                f'<text x="{_f(x)}" y="{body_bottom + 20}" text-anchor="middle" class="tick">{esc(text)}</text>'
            )
    if layout.undated:
        x = layout.x(layout.span_days)
        left = MARGIN_LEFT + layout.span_days * layout.band
        if layout.span_days:
            grid.append(f'<line x1="{_f(left)}" x2="{_f(left)}" y1="{MARGIN_TOP}" y2="{body_bottom}" class="sep"/>')
        grid.append(f'<text x="{_f(x)}" y="{body_bottom + 20}" text-anchor="middle" class="tick">date not given</text>')
    out.append(f'<g class="axes">{"".join(grid)}</g>')
    out.append(
        f'<line x1="{MARGIN_LEFT}" x2="{MARGIN_LEFT}" y1="{MARGIN_TOP}" y2="{body_bottom}" class="axis"/>'
        f'<text transform="translate(18 {_f(MARGIN_TOP + PLOT_HEIGHT / 2)}) rotate(-90)" text-anchor="middle" class="axis-label">'
        f"{esc(label)} ({esc(unit)})</text>"
        f'<text x="{_f(MARGIN_LEFT + layout.plot_w / 2)}" y="{body_bottom + 44}" text-anchor="middle" class="axis-label">'
        "Day the figure describes (as of)</text>"
    )

    # Marks: within a day, side by side, grouped by claimant.
    by_column: dict[int, list[Claim]] = {}
    for c in claims:
        by_column.setdefault(layout.column(c), []).append(c)
    marks: list[str] = []
    labels: list[str] = []
    for column in sorted(by_column):
        group = sorted(
            by_column[column],
            key=lambda c: (rank[claimant_key(c)], bounds(c)[0] if bounds(c)[0] is not None else bounds(c)[1] or 0, c.id),
        )
        n = len(group)
        spacing = min(18.0, layout.band * 0.55 / max(n - 1, 1)) if n > 1 else 0.0
        centre = layout.x(column)
        placed: list[tuple[float, str]] = []
        for j, c in enumerate(group):
            cx = centre + (j - (n - 1) / 2) * spacing
            key = claimant_key(c)
            colour = colours[key]
            ci = colour_index[key]
            low, high = bounds(c)
            shape = shape_of[(c.group, c.location)]
            parts: list[str] = []
            if low is not None and high is not None and high > low:
                y1, y2 = layout.y(high), layout.y(low)
                parts.append(
                    f'<rect x="{_f(cx - 4)}" y="{_f(y1)}" width="8" height="{_f(max(y2 - y1, 1))}" rx="3" fill="{colour}" fill-opacity="0.75"/>'
                    f'<line x1="{_f(cx - 7)}" x2="{_f(cx + 7)}" y1="{_f(y1)}" y2="{_f(y1)}" stroke="{colour}" stroke-width="2"/>'
                    f'<line x1="{_f(cx - 7)}" x2="{_f(cx + 7)}" y1="{_f(y2)}" y2="{_f(y2)}" stroke="{colour}" stroke-width="2"/>'
                )
                parts.append(shape_svg(shape, cx, (y1 + y2) / 2, colour, 4.5))
                anchor_y = (y1 + y2) / 2
            elif low is not None and high is None:
                y = layout.y(low)
                parts.append(_arrow(cx, y, -1, colour, ci, ids))
                parts.append(shape_svg(shape, cx, y, colour))
                anchor_y = y
            elif high is not None and low is None:
                y = layout.y(high)
                parts.append(_arrow(cx, y, 1, colour, ci, ids))
                parts.append(shape_svg(shape, cx, y, colour))
                anchor_y = y
            else:
                y = layout.y(low if low is not None else high or 0)
                parts.append(shape_svg(shape, cx, y, colour))
                anchor_y = y
            marks.append(
                f'<a href="{esc(claim_href(c))}"><g class="mark" data-claim-id="{c.id}">'
                f"<title>{esc(mark_title(c))}</title>{''.join(parts)}</g></a>"
            )
            placed.append((anchor_y, c.value.text if c.value else ""))
        if len(claims) <= MAX_LABELS and layout.band >= MIN_LABEL_BAND:
            half = (n - 1) / 2 * spacing + 11
            labels.extend(_column_labels(placed, centre + half, centre - half))
    out.append(f'<g class="labels" aria-hidden="true">{"".join(labels)}</g>')
    out.append(f'<g class="marks">{"".join(marks)}</g>')
    if not claims:
        out.append(
            f'<text x="{_f(MARGIN_LEFT + layout.plot_w / 2)}" y="{_f(MARGIN_TOP + PLOT_HEIGHT / 2)}" '
            'text-anchor="middle" class="empty">No figures recorded for this metric yet</text>'
        )

    # Legend: claimants (colour), scopes (shape), and how to read a mark.
    legend, height = _legend(order, colours, scopes if shaped else [], shape_of, body_bottom + 68, truncated_from, len(claims))
    out.append(legend)

    defs = "".join(
        f'<linearGradient id="{ids}fade-up-{i}" x1="0" y1="1" x2="0" y2="0"><stop offset="0" stop-color="{colour}" stop-opacity="0.9"/>'
        f'<stop offset="1" stop-color="{colour}" stop-opacity="0"/></linearGradient>'
        f'<linearGradient id="{ids}fade-down-{i}" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="{colour}" stop-opacity="0.9"/>'
        f'<stop offset="1" stop-color="{colour}" stop-opacity="0"/></linearGradient>'
        for colour, i in ((colours[k], colour_index[k]) for k in colours)
    )
    style = (
        f"svg.fd-chart{{font-family:{FONT}}}"
        ".fd-chart .grid{stroke:#e6e8eb;stroke-width:1}.fd-chart .base,.fd-chart .axis{stroke:#8a9099;stroke-width:1}"
        ".fd-chart .sep{stroke:#c4c8ce;stroke-dasharray:4 4}"
        ".fd-chart .tick{font-size:12px;fill:#4a515b}.fd-chart .axis-label{font-size:13px;fill:#1d2430;font-weight:600}"
        ".fd-chart .vlabel{font-size:12px;fill:#2b313a}.fd-chart .legend{font-size:12.5px;fill:#1d2430}"
        ".fd-chart .legend-head{font-size:12px;fill:#5b6472;font-weight:600;letter-spacing:.04em}"
        ".fd-chart .empty{font-size:15px;fill:#5b6472}"
        ".fd-chart .mark{cursor:pointer}.fd-chart a:hover .mark,.fd-chart a:focus .mark{filter:drop-shadow(0 0 3px rgba(0,0,0,.45))}"
    )
    total_height = body_bottom + 68 + height + 12
    title = f"{label}: every figure by the day it describes"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fd-chart" viewBox="0 0 {WIDTH} {_f(total_height)}" '
        f'width="{WIDTH}" height="{_f(total_height)}" role="img" aria-labelledby="{ids}fd-chart-title {ids}fd-chart-desc">'
        f'<title id="{ids}fd-chart-title">{esc(title)}</title><desc id="{ids}fd-chart-desc">{esc(summary)}</desc>'
        f"<style>{style}</style><defs>{defs}</defs>"
        f'<rect width="{WIDTH}" height="{_f(total_height)}" fill="#fff"/>'
        f"{''.join(out)}</svg>"
    )


def _column_labels(placed: list[tuple[float, str]], x: float, x_left: float) -> list[str]:
    """Value labels to the right of a day's marks: labels at one height merged, none
    overlapping, the stack kept inside the plot."""
    at: dict[float, list[str]] = {}
    for y, text in placed:
        at.setdefault(round(y, 1), []).append(text)
    rows: list[tuple[float, str]] = []
    for y in sorted(at):
        distinct: list[str] = []
        for t in at[y]:
            if all(t.casefold() != d.casefold() for d in distinct):
                distinct.append(t)
        if len(distinct) == 1:
            shown = distinct[0] + (f" ×{len(at[y])}" if len(at[y]) > 1 else "")
        else:
            shown = " / ".join(distinct)
        rows.append((y, shown))
    gap = 14.0
    ys: list[float] = []
    for y, _ in rows:
        ys.append(max(y, ys[-1] + gap) if ys else y)
    overflow = (ys[-1] if ys else 0) - (MARGIN_TOP + PLOT_HEIGHT - 4)
    if overflow > 0:
        ys = [y - overflow for y in ys]
        for i in range(len(ys) - 2, -1, -1):  # pushing up may now collide going upwards
            ys[i] = min(ys[i], ys[i + 1] - gap)
    anchor = ""
    if rows and x + max(_label_width(shown) for _, shown in rows) > WIDTH - 4:
        x, anchor = x_left, ' text-anchor="end"'  # no room on the right: label on the left
    return [
        f'<text x="{_f(x)}" y="{_f(y + 4)}"{anchor} class="vlabel">{esc(shown)}</text>' for y, (_, shown) in zip(ys, rows)
    ]


def _legend(
    order: list[tuple[str, str, int]],
    colours: dict[str, str],
    scopes: list[tuple[str | None, str | None]],
    shape_of: dict[tuple[str | None, str | None], str],
    top: float,
    truncated_from: int | None,
    shown: int,
) -> tuple[str, float]:
    """The legend's SVG and its height, laid out in rows that wrap at the chart's width."""
    out: list[str] = []
    y = top

    def flow(head: str, items: list[tuple[str, str]]) -> None:
        nonlocal y
        out.append(f'<text x="{MARGIN_LEFT}" y="{_f(y)}" class="legend-head">{esc(head)}</text>')
        y += 20
        x = float(MARGIN_LEFT)
        for glyph, text in items:
            w = 22 + _label_width(text) + 18
            if x + w > WIDTH - MARGIN_RIGHT and x > MARGIN_LEFT:
                x = float(MARGIN_LEFT)
                y += 22
            out.append(f"<g>{glyph.replace('{X}', _f(x + 7)).replace('{Y}', _f(y - 4))}"
                       f'<text x="{_f(x + 20)}" y="{_f(y)}" class="legend">{esc(text)}</text></g>')
            x += w
        y += 30

    flow(
        "CLAIMANT (COLOUR)",
        [
            (f'<circle cx="{{X}}" cy="{{Y}}" r="6" fill="{colours[key]}"/>', f"{name} ({count})")
            for key, name, count in order
        ],
    )
    if scopes:
        flow(
            "WHO IS COUNTED, WHERE (SHAPE)",
            [
                (f'<g transform="translate({{X}} {{Y}})">{shape_svg(shape_of[s], 0, 0, "#5b6472")}</g>', scope_label(*s) or "scope not given")
                for s in scopes
            ],
        )
    key_items = [
        ('<circle cx="{X}" cy="{Y}" r="5" fill="#5b6472"/>', "one figure"),
        ('<g transform="translate({X} {Y})"><rect x="-4" y="-9" width="8" height="18" rx="3" fill="#5b6472" fill-opacity="0.75"/></g>', "a range (low to high)"),
        ('<g transform="translate({X} {Y})"><polygon points="0,-10 -5,-4 5,-4" fill="#5b6472" fill-opacity="0.5"/><circle cx="0" cy="3" r="4" fill="#5b6472"/></g>',
         "at least / more than"),
        ('<g transform="translate({X} {Y})"><polygon points="0,10 -5,4 5,4" fill="#5b6472" fill-opacity="0.5"/><circle cx="0" cy="-3" r="4" fill="#5b6472"/></g>',
         "nearly / at most"),
    ]
    flow("HOW TO READ A MARK", key_items)
    if truncated_from is not None:
        out.append(
            f'<text x="{MARGIN_LEFT}" y="{_f(y - 8)}" class="legend">Showing the first {fmt_number(shown)} of '
            f"{fmt_number(truncated_from)} figures.</text>"
        )
        y += 14
    return "".join(out), y - top
