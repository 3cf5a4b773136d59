"""Small text helpers shared by the pages and the chart: escaping, numbers, days, scopes, and
the disagreement said in words."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence
from typing import NamedTuple

from service.claims.schemas import Claim

# Characters XML 1.0 does not allow (and HTML calls parse errors); article text can carry them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def esc(value: object) -> str:
    """Text made safe for HTML and SVG, in element content and in quoted attributes alike."""
    return html.escape(_NOT_XML.sub(" ", str(value)), quote=True)


def fmt_number(v: float | int | None) -> str:
    if v is None:
        return "—"
    if float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def fmt_day(d: dt.date | None, *, year: bool = True) -> str:
    """'6 Jan 2022' (month names fixed, whatever the server's locale)."""
    if d is None:
        return "date not given"
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}" if year else f"{d.day} {_MONTHS[d.month - 1]}"


def fmt_days(first: dt.date, last: dt.date) -> str:
    """A span of days, short: '6–9 Jan 2022', '30 Dec 2021 – 2 Jan 2022'."""
    if first == last:
        return fmt_day(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{fmt_day(last)}"
    if first.year == last.year:
        return f"{fmt_day(first, year=False)} – {fmt_day(last)}"
    return f"{fmt_day(first)} – {fmt_day(last)}"


def scope_label(group: str | None, location: str | None) -> str:
    """'protesters in Almaty', 'in Kazakhstan', 'police', or '' when neither is known."""
    if group and location:
        return f"{group} in {location}"
    if location:
        return f"in {location}"
    return group or ""


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _as_written(text: str) -> str:
    """A figure's words mid-sentence: 'About ten' reads 'about ten'; '2,298' and 'TASS' stay."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _low_key(c: Claim) -> float:
    assert c.value is not None
    return c.value.low if c.value.low is not None else c.value.high  # type: ignore[return-value]


def _high_key(c: Claim) -> float:
    assert c.value is not None
    return c.value.high if c.value.high is not None else c.value.low  # type: ignore[return-value]


class Spread(NamedTuple):
    """How figures disagree, in words: ``values`` '2,298 to nearly 6,000', ``sources`` '3
    claimants and 1 unattributed report', and ``kind``: none, one, same or range."""

    kind: str
    values: str
    sources: str
    figures: int


def _sources(figures: Sequence[Claim]) -> str:
    named = sorted({(c.claimant.slug, c.claimant.name) for c in figures if c.claimant})
    unattributed = sum(1 for c in figures if c.claimant is None)
    parts = []
    if len(named) == 1:
        parts.append(named[0][1])
    elif named:
        parts.append(plural(len(named), "claimant"))
    if unattributed:
        parts.append(plural(unattributed, "unattributed report") if len(figures) > 1 else "no named source")
    return " and ".join(parts)


def spread(claims: Sequence[Claim]) -> Spread:
    figures = [c for c in claims if c.value is not None]
    if not figures:
        return Spread("none", "no figures yet", "", 0)
    # At the same number, an open end reaches further: "nearly 2,000" is below "2,000",
    # "more than 3,000" above "3,000".
    lowest = min(figures, key=lambda c: (_low_key(c), c.value.low is not None, c.id))  # type: ignore[union-attr]
    highest = max(figures, key=lambda c: (_high_key(c), c.value.high is None, -c.id))  # type: ignore[union-attr]
    assert lowest.value is not None and highest.value is not None
    sources = _sources(figures)
    if len(figures) == 1:
        return Spread("one", _as_written(lowest.value.text), sources, 1)
    if len({(c.value.low, c.value.high) for c in figures if c.value}) == 1:
        return Spread("same", _as_written(lowest.value.text), sources, len(figures))
    if _low_key(lowest) == _high_key(highest):
        # The same number said differently ("18", "at least 18"): name the ways it was said.
        words = list(dict.fromkeys(_as_written(c.value.text) for c in figures if c.value))
        return Spread("range", " / ".join(words[:3]) + (" …" if len(words) > 3 else ""), sources, len(figures))
    return Spread("range", f"{_as_written(lowest.value.text)} to {_as_written(highest.value.text)}", sources, len(figures))


def spread_tail(s: Spread) -> str:
    """What follows the values: 'across 3 claimants', 'one figure, from TASS', …"""
    if s.kind == "one":
        return f"one figure, from {s.sources}"
    if s.kind == "same":
        return f"all {s.figures:,} figures agree, from {s.sources}"
    if s.kind == "range":
        return f"across {s.sources}"
    return ""


def disagreement(claims: Sequence[Claim]) -> str:
    """The spread of figures in one phrase: '2,298 to nearly 6,000 across 3 claimants'."""
    s = spread(claims)
    if s.kind == "none":
        return s.values
    return f"{s.values} {spread_tail(s)}" if s.kind == "range" else f"{s.values}: {spread_tail(s)}"


def described(label: str, claims: Sequence[Claim]) -> str:
    """The chart said in sentences, for screen readers: the whole spread, then each scope's."""
    by_scope: dict[tuple[str | None, str | None], list[Claim]] = {}
    for c in claims:
        if c.value is not None:
            by_scope.setdefault((c.group, c.location), []).append(c)
    out = f"{label}: {disagreement(claims)}."
    if len(by_scope) > 1:
        scopes = sorted(by_scope, key=lambda s: (-len(by_scope[s]), s[0] or "", s[1] or ""))
        out += " By who is counted, where: " + "; ".join(
            f"{scope_label(*s) or 'scope not given'}, {disagreement(by_scope[s])}" for s in scopes
        ) + "."
    return out
