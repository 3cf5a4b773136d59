"""Dates known to the day, the month or only the year ("published December 2015"), stored the
way Wikidata stores them: the first day of the period, with its precision."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

Precision = Literal["day", "month", "year"]
PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
EXAMPLE = "YYYY-MM-DD, or YYYY-MM or YYYY when only the month or year is known (2015-12-03, 2015-12, 2015)"


def parse_partial(text: str) -> tuple[dt.date, Precision]:
    """'2015-12-03' -> (2015-12-03, day); '2015-12' -> (2015-12-01, month); '2015' -> (2015-01-01, year).
    ValueError with a plain message otherwise."""
    m = re.fullmatch(r"\s*([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?\s*", text or "")
    if not m:
        raise ValueError(f"{text!r} is not a date: expected {EXAMPLE}")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if year < 1:
        raise ValueError(f"{text!r}: the year must be at least 1")
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"{text!r}: there is no month {int(month)} (months are 01 to 12)")
    try:
        if day is not None:
            return dt.date(year, int(month), int(day)), "day"  # type: ignore[arg-type]
    except ValueError:
        raise ValueError(f"{text!r}: there is no day {int(day)} in that month") from None
    if month is not None:
        return dt.date(year, int(month), 1), "month"
    return dt.date(year, 1, 1), "year"
