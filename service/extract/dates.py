"""The day a figure describes (or a statement was made), from the publication date and the
relative phrases of news prose: "on Thursday evening", "Yesterday, Thursday", "the day before
yesterday", "last night", "this Sunday", "on January 9", "Jan. 9"."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .lexicon import MONTHS, WEEKDAYS

_WD = "|".join(WEEKDAYS)
_MON = r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
_PART = r"(?:\s+(?:morning|evening|night|afternoon|noon|midday))?"

DATE_RE = re.compile(
    r"(?P<dby>\bthe\s+day\s+before\s+yesterday\b)"
    r"|(?P<yest>\byesterday\b)"
    r"|(?P<dbefore>\bthe\s+(?:day|night)\s+before\b|\bthe\s+previous\s+(?:day|night|evening)\b|\bthe\s+night\s+before\b)"
    r"|(?P<today>\btoday\b|\bthis\s+(?:morning|afternoon|evening)\b|\btonight\b|\bearlier\s+today\b)"
    r"|(?P<lastnight>\blast\s+night\b|\bovernight\b)"
    r"|(?P<iso>\b(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})\b)"
    r"|(?P<md>\b(?P<mdm>" + _MON + r")\.?\s*(?P<mdd>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s*(?P<mdy>\d{4})\b)?)"
    r"|(?P<dm>\b(?P<dmd>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dmm>" + _MON + r")\b\.?(?:,?\s*(?P<dmy>\d{4})\b)?)"
    r"|(?P<wd>\b(?:(?P<mod>last|this|next|on|past|previous|coming|until|till|since|by|from|before|after)\s+)?(?P<wday>" + _WD + r")" + _PART + r"\b)",
    re.I,
)
DATE_RE_FOLDED = re.compile(DATE_RE.pattern)


_MON_AFTER = re.compile(r",?\s*(?:" + _MON + r")\b", re.I)


_PAST_BEFORE = re.compile(r"\b(?:had|has|have|was|were)\b[^.;!?]*$|\b\w{3,}ed\b[^.;!?]*$", re.I)
_FUTURE_BEFORE = re.compile(r"\b(?:will|would|should|expected|expects|plans?|hopes?|aims?|must|to\s+be|going\s+to|deadline)\b[^.;!?]*$", re.I)
# a dateline: "PARIS, March 8 (AFP) -", "KYIV, July 9 (Reuters) —"
_DATELINE = re.compile(r"^[A-Z][A-Za-z.'\u2019 -]{1,40},(?:\s*[A-Z][A-Za-z.]+,)?\s*$")
_AFTER_DATELINE = re.compile(r"^(?:,?\s*\d{4})?\s*(?:\([^)]{1,30}\))?\s*[-\u2013\u2014]")


@dataclass(slots=True)
class DatePhrase:
    start: int
    end: int
    date: dt.date | None  # None: a phrase that does not date the sentence (future, "until Sunday")


def _weekday_on_or_before(pub: dt.date, wd: int) -> dt.date:
    return pub - dt.timedelta(days=(pub.weekday() - wd) % 7)


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except (ValueError, OverflowError):
        return None


def _shift(pub: dt.date, days: int) -> dt.date | None:
    try:
        return pub + dt.timedelta(days=days)
    except OverflowError:
        return None


def find_dates(text: str, a: int, b: int, published: dt.date, doc=None) -> list[DatePhrase]:
    out: list[DatePhrase] = []
    if doc is not None:
        it = DATE_RE_FOLDED.finditer(doc.folded)
    else:
        it = DATE_RE.finditer(text, a, b)
    for m in it:
        d: dt.date | None = None
        if m.group("dby"):
            d = _shift(published, -2)
        elif m.group("yest"):
            d = _shift(published, -1)
        elif m.group("dbefore"):
            d = _shift(published, -1)
        elif m.group("today"):
            d = published
        elif m.group("lastnight"):
            d = _shift(published, -1) if m.group().lower().startswith("last") else published
        elif m.group("iso"):
            d = _safe_date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
            if d is not None and d > published:
                d = None
        elif m.group("md") or m.group("dm"):
            mon = (m.group("mdm") or m.group("dmm")).lower().rstrip(".")
            day = int(m.group("mdd") or m.group("dmd"))
            yr = m.group("mdy") or m.group("dmy")
            month = MONTHS.get(mon) or MONTHS.get(mon[:3])
            if month is None:
                continue
            if mon == "may" and not m.group("md") and False:
                continue
            year = int(yr) if yr else published.year
            d = _safe_date(year, month, day)
            if d is not None and not yr and d > published + dt.timedelta(days=7):
                d = _safe_date(year - 1, month, day)
            if d is not None and d > published:
                d = None  # a future date (a meeting planned) does not date a figure
            src = m.string
            pre = src[max(0, m.start() - 8):m.start()].lower()
            if re.search(r"\b(?:until|till|by|since|from)\s+$", pre):
                d = None
        else:
            wd = WEEKDAYS.index(m.group("wday").lower())
            mod = (m.group("mod") or "").lower()
            part = m.group().lower()
            if mod == "by" and _PAST_BEFORE.search(m.string[max(0, m.start() - 120):m.start()]) and not _FUTURE_BEFORE.search(m.string[max(0, m.start() - 120):m.start()]):
                d = _weekday_on_or_before(published, wd)  # "had evacuated 2,650 people by Monday"
            elif mod in ("next", "coming", "until", "till", "since", "by", "from", "before", "after"):
                d = None
            elif mod in ("last", "past", "previous"):
                diff = (published.weekday() - wd) % 7 or 7
                d = _shift(published, -diff)
            elif mod == "this":
                diff = (wd - published.weekday()) % 7  # days ahead
                if diff == 0:
                    d = published
                elif diff <= 3:
                    d = None  # "this Monday a meeting will take place": still ahead
                else:
                    d = _shift(published, diff - 7)
            else:
                # the night into the day after publication is reported as "<next day> night"
                if part.endswith("night") and (wd - published.weekday()) % 7 == 1:
                    d = published
                else:
                    d = _weekday_on_or_before(published, wd)
            # a weekday inside a full date ("Sunday, January 16") is left to the date itself
            if _MON_AFTER.match(m.string[m.end():m.end() + 12]):
                continue
        if doc is not None:
            s0, e0 = doc.span(m.start(), m.end())
        else:
            s0, e0 = m.start(), m.end()
        if _in_dateline(text, s0, e0):
            continue  # the day the story was filed, not the day a figure describes
        out.append(DatePhrase(s0, e0, d))
    return out


def _in_dateline(text: str, a: int, b: int) -> bool:
    line_start = text.rfind("\n", 0, a) + 1
    return bool(_DATELINE.match(text[line_start:a])) and bool(_AFTER_DATELINE.match(text[b:b + 40]))
