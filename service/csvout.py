"""CSV for spreadsheets: ``Accept: text/csv`` on a list endpoint returns the same rows flattened."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl, urlencode

from litestar import Request, Response
from litestar.params import Parameter

CSV_MEDIA_TYPE = "text/csv"  # Litestar adds "; charset=utf-8"

Format = Annotated[
    Literal["json", "csv"] | None,
    Parameter(description="`csv` for the same rows as CSV (like `Accept: text/csv`); default JSON"),
]


def wants_csv(request: Request[Any, Any, Any]) -> bool:
    """``?format=csv`` (handy in a browser or a spreadsheet's import-from-URL) or an ``Accept``
    that prefers ``text/csv`` to JSON (q-values weigh; on a tie the first listed wins)."""
    fmt = request.query_params.get("format")
    if fmt is not None:
        return fmt == "csv"
    return prefers_csv(request.headers.get("accept", ""))


def prefers_csv(accept: str) -> bool:
    """Whether an Accept header ranks CSV above JSON. Each type takes the q of the most
    specific range that matches it (``text/csv`` over ``text/*`` over ``*/*``)."""
    if "csv" not in accept.lower():
        return False
    ranges: dict[str, tuple[float, int]] = {}  # media range -> (q, position)
    for position, item in enumerate(accept.lower().split(",")):
        media, *params = [part.strip() for part in item.split(";")]
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.setdefault(media, (q, position))

    def rank(*specific_first: str) -> tuple[float, int]:
        for media in specific_first:
            if media in ranges:
                q, position = ranges[media]
                return q, -position  # on a tie in q, the range listed first wins
        return 0.0, 0

    csv = rank("text/csv", "text/*", "*/*")
    return csv[0] > 0 and csv > rank("application/json", "application/*", "*/*")


# A text cell that a spreadsheet would read as a formula (or that hides one behind a tab or a
# carriage return) starts with one of these: it goes out behind a single quote, which
# LibreOffice, Excel and Sheets show as text (invariant 8; OWASP's CSV injection advice).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet may open it: text that starts like a formula is quoted with
    ``'``; numbers are left as they are (-5 is a number, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_sql(expr: str) -> str:
    """The same rule in SQL, for the CSV PostgreSQL's COPY writes."""
    return f"""(CASE WHEN left({expr}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN chr(39) || {expr} ELSE {expr} END)"""


def csv_response(header: Sequence[str], rows: Iterable[Sequence[Any]], next_url: str | None) -> Response[bytes]:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")  # as PostgreSQL's COPY writes the claims' CSV
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return csv_bytes_response(buf.getvalue().encode(), next_url)


def csv_bytes_response(body: bytes, next_url: str | None) -> Response[bytes]:
    """CSV already written (by PostgreSQL's COPY, or by ``csv_response``)."""
    headers = {"Link": f'<{next_url}>; rel="next"'} if next_url else {}
    return Response(content=body, media_type=CSV_MEDIA_TYPE, headers=headers)


def next_page_url(request: Request[Any, Any, Any], next_cursor: str | None) -> str | None:
    """The request's own URL with the next page's cursor: its parameters as it gave them, in
    its order (Litestar's ``query_params`` keeps no order), the cursor last."""
    if next_cursor is None:
        return None
    given = parse_qsl(request.scope["query_string"].decode("latin-1"), keep_blank_values=True)
    params = [(k, v) for k, v in given if k != "cursor"]
    params.append(("cursor", next_cursor))
    return f"{request.url.path}?{urlencode(params)}"
