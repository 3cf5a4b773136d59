"""How the read commands print their rows: a fixed-width table (long text cut with …), CSV or
JSON. The claims' CSV is not made here: it is the API's (``GET /claims?format=csv``), written by
the same function, so its columns cannot drift from the API's (see ``cli_sources``).
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
from collections.abc import Callable, Sequence
from typing import Any

import msgspec

from service.actors.schemas import Actor, ActorMatch
from service.claims.schemas import Claim
from service.csvout import safe_cell
from service.documents.schemas import DocumentMeta
from service.events.schemas import Event
from service.metrics.schemas import Metric

DEFAULT_WIDTH = 160  # table width when stdout is not a terminal (and no --width)


class Column(msgspec.Struct):
    header: str
    right: bool = False  # right-aligned (numbers)
    max: int | None = None  # longer cells are cut with …
    flex: bool = False  # takes what is left of the width (at least ``min``)
    min: int = 20


def cell(value: object) -> str:
    """One line of text: runs of whitespace (newlines in quotes) become one space."""
    return " ".join(str(value).split()) if value is not None else ""


def cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)].rstrip() + "…"


def render_table(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int) -> str:
    """A fixed-width table, two spaces between columns: each column as wide as its content, up
    to its ``max``; when that is wider than ``width``, the widest text columns give way first
    (down to ``min`` for the flexible one, 10 for the others), and their text is cut with …"""
    widths = []
    for i, col in enumerate(columns):
        natural = max([len(col.header), *(len(r[i]) for r in rows)])
        widths.append(min(natural, col.max) if col.max else natural)
    floors = [
        (col.min if col.flex else max(len(col.header), 10)) if col.max else widths[i]
        for i, col in enumerate(columns)
    ]
    total = sum(widths) + 2 * (len(columns) - 1)
    while total > width:
        i = max(range(len(columns)), key=lambda j: (widths[j] - floors[j] > 0, widths[j], columns[j].flex))
        if widths[i] <= floors[i]:
            break
        widths[i] -= 1
        total -= 1
    lines = []
    for r in [[c.header for c in columns], *rows]:
        parts = []
        for text, col, w in zip(r, columns, widths):
            text = cut(text, w)
            parts.append(text.rjust(w) if col.right else text.ljust(w))
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines) + "\n"


def number(x: float | int | None) -> str:
    if x is None:
        return ""
    if isinstance(x, int) or float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.2f}".rstrip("0")


_LOW_ONLY = {"more_than": ">", "at_least": "≥", "vague": "≥"}
_HIGH_ONLY = {"less_than": "<", "nearly": "<", "at_most": "≤"}


def value_range(claim: Claim) -> str:
    """The interval: 2,298 · 2,000–2,500 · >3,000 · <6,000."""
    v = claim.value
    if v is None:
        return ""
    low, high = v.low, v.high
    if low is not None and high is not None:
        return number(low) if low == high else f"{number(low)}–{number(high)}"
    if low is not None:
        return _LOW_ONLY.get(v.qualifier, "≥") + number(low)
    if high is not None:
        return _HIGH_ONLY.get(v.qualifier, "≤") + number(high)
    return ""


CLAIM_COLUMNS = [
    Column("id", right=True),
    Column("metric", max=16),
    Column("value", max=20),
    Column("range", right=True),
    Column("claimant", max=28),
    Column("via", max=16),
    Column("as_of"),
    Column("outlet", max=20),
    Column("quote", flex=True, max=100, min=24),
]


def claim_row(c: Claim) -> list[str]:
    return [
        str(c.id),
        c.metric or "statement",
        cell(c.value.text if c.value else ""),
        value_range(c),
        cell(c.claimant.name if c.claimant else "(unnamed)"),
        cell(", ".join(c.via)),
        cell(c.as_of),
        cell(c.citation.outlet),
        cell(c.citation.quote),
    ]


ACTOR_COLUMNS = [
    Column("slug", max=40),
    Column("name", flex=True, max=60),
    Column("kind"),
    Column("claims", right=True),
    Column("figures", right=True),
    Column("statements", right=True),
]


def actor_row(pair: tuple[ActorMatch, Actor]) -> list[str]:
    _, a = pair
    return [a.slug, cell(a.name), a.kind, str(a.claims), str(a.figures), str(a.statements)]


DOCUMENT_COLUMNS = [
    Column("id", right=True),
    Column("published"),
    Column("outlet", max=36),
    Column("title", flex=True, max=100),
    Column("claims", right=True),
]


def document_row(d: DocumentMeta) -> list[str]:
    return [str(d.id), str(d.published), cell(d.outlet), cell(d.title), str(d.claims)]


METRIC_COLUMNS = [
    Column("slug", max=24),
    Column("figures", right=True),
    Column("claimants", right=True),
    Column("documents", right=True),
    Column("events", right=True),
    Column("low", right=True),
    Column("high", right=True),
    Column("label", flex=True, max=60),
]


def metric_row(m: Metric) -> list[str]:
    return [m.slug, str(m.claims), str(m.claimants), str(m.documents), str(m.events), number(m.low), number(m.high), cell(m.label)]


EVENT_COLUMNS = [
    Column("slug", max=40),
    Column("kind", max=16),
    Column("onset"),
    Column("first"),
    Column("last"),
    Column("documents", right=True),
    Column("claims", right=True),
    Column("name", flex=True, max=80),
]


def event_row(e: Event) -> list[str]:
    return [e.slug, e.kind, str(e.onset), str(e.first or ""), str(e.last or ""), str(e.documents), str(e.claims), cell(e.name)]


def _json_item(item: Any) -> Any:
    if isinstance(item, tuple):  # an actor: the detail (GET /actors/{slug}) with the matched name
        match, detail = item
        return {**msgspec.to_builtins(detail), "matched": match.matched, "score": match.score}
    return msgspec.to_builtins(item)


def emit(
    items: Sequence[Any],
    more: bool,
    columns: Sequence[Column],
    row: Callable[[Any], list[str]],
    args: argparse.Namespace,
    noun: str,
) -> None:
    out = sys.stdout
    if args.format == "json":
        out.write(json.dumps([_json_item(i) for i in items], ensure_ascii=False, indent=2) + "\n")
    elif args.format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([c.header for c in columns])
        writer.writerows([safe_cell(v) for v in row(i)] for i in items)
    elif items:
        width = args.width or (shutil.get_terminal_size().columns if out.isatty() else DEFAULT_WIDTH)
        out.write(render_table(columns, [row(i) for i in items], width))
    else:
        print(f"no {noun} match", file=sys.stderr)
    if more:
        note_more(args, len(items), noun)


def emit_csv(body: bytes, rows: int, more: bool, args: argparse.Namespace, noun: str) -> None:
    """CSV the API wrote (the claims'), as it is."""
    sys.stdout.write(body.decode("utf-8"))
    if more:
        note_more(args, rows, noun)


def note_more(args: argparse.Namespace, shown: int, noun: str) -> None:
    print(f"factdesk {args.command}: showing the first {shown} {noun}; more match (raise --limit)", file=sys.stderr)
