"""Small text helpers shared by the pages and the chart: escaping, numbers, days, scopes, and
the disagreement said in words."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence

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


def disagreement(claims: Sequence[Claim]) -> str:
    """The spread of figures in words: '2,298 to nearly 6,000 across 3 claimants'."""
    figures = [c for c in claims if c.value is not None]
    if not figures:
        return "no figures yet"
    lowest = min(figures, key=lambda c: (_low_key(c), c.id))
    highest = max(figures, key=lambda c: (_high_key(c), -c.id))
    named = {c.claimant.slug for c in figures if c.claimant}
    unattributed = sum(1 for c in figures if c.claimant is None)
    sources = plural(len(named), "claimant")
    if unattributed:
        sources += f" and {plural(unattributed, 'unattributed report')}"
    assert lowest.value is not None and highest.value is not None
    if len(figures) == 1:
        who = lowest.claimant.name if lowest.claimant else "no named source"
        return f"one figure, {_as_written(lowest.value.text)}, from {who}"
    if (lowest.value.low, lowest.value.high) == (highest.value.low, highest.value.high):
        return f"all {len(figures)} figures say {_as_written(lowest.value.text)} ({sources})"
    return f"{_as_written(lowest.value.text)} to {_as_written(highest.value.text)} across {sources}"
