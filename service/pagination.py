"""Keyset cursors.

A cursor names the position after the last item of a page. Every string that matches a cursor's
pattern decodes to a valid position (so a client, or a contract test, can never build a cursor
that breaks a query); anything else is a 400 before a query runs.

- ``ID_CURSOR``: lists in ascending id order; the cursor is the last id.
- ``DATED_CURSOR``: lists newest first by (date, id); ``<days since 1970-01-01>_<id>``.
"""

from __future__ import annotations

import datetime as dt

ID_CURSOR_PATTERN = r"^[0-9]{1,18}$"
DATED_CURSOR_PATTERN = r"^-?[0-9]{1,7}_[0-9]{1,18}$"
_EPOCH = dt.date(1970, 1, 1)
_MIN_DAYS = (dt.date.min - _EPOCH).days
_MAX_DAYS = (dt.date.max - _EPOCH).days


def encode_id(last_id: int) -> str:
    return str(last_id)


def decode_id(cursor: str | None) -> int | None:
    return None if cursor is None else int(cursor)


def encode_dated(day: dt.date, last_id: int) -> str:
    return f"{(day - _EPOCH).days}_{last_id}"


def decode_dated(cursor: str | None) -> tuple[dt.date, int] | None:
    if cursor is None:
        return None
    days, last_id = cursor.split("_")
    # Positions past the calendar's ends are clamped: the page after 'the end of time' starts there.
    clamped = min(max(int(days), _MIN_DAYS), _MAX_DAYS)
    return _EPOCH + dt.timedelta(days=clamped), int(last_id)
