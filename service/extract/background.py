"""Figures about another, earlier event: a background sentence ("In March 1993 a series of bomb
blasts killed 257 people", "The last major flood, in 2005, killed more than 50") is not about
the report's own event, so its figures are not stored.

A sentence is background when it names an earlier year (not "since 2010" alone, which compares
with the present event) or a relative past ("two years ago", "last year", "the previous ..."),
in words listed below as data."""

from __future__ import annotations

import datetime as dt
import re

# phrases that place a sentence in an earlier event (folded, lowercase)
PAST_PHRASES = [
    r"\b(?:\w+|\d+)\s+(?:years?|decades?)\s+(?:ago|earlier|before)\b",
    r"\blast\s+(?:year|decade)\b",
    r"\bprevious\s+(?:\w+\s+)?(?:disaster|earthquake|quake|flood|floods|fire|attack|outbreak|crash|storm|typhoon|hurricane|cyclone|tsunami|war|conflict|famine|uprising|crackdown|protests?|eruption|landslide|explosion|sinking|epidemic)\b",
    r"\b(?:anniversary|in\s+living\s+memory)\b",
    r"\b(?:the\s+)?previous\s+(?:year|decade|record|worst|deadliest)\b",
    r"\bworst\s+previous\b",
    r"\buntil\s+(?:now|this\s+(?:week|month|year))\b",
    r"\bbefore\s+this\s+one\b",
    r"\b(?:for\s+comparison|some\s+context|by\s+comparison)\b|\b(?:context|background)\s*:",
    r"\blast\s+(?:january|february|march|april|may|june|july|august|september|october|november|december)\b",
    r"\b(?:is|was|are|were)\s+(?:\w+\s+)?unrelated\b",
    r"\blast\s+(?:major|big|great|serious|large|comparable|similar)\b",
    r"\bthe\s+last\s+(?:time|major|big|great|famine|flood|earthquake|quake|outbreak|such)\b",
    r"\bthe\s+last\s+(?:[A-Z][\w'\u2019-]+\s+)?(?:earthquake|quake|flood|floods|fire|attack|outbreak|storm|typhoon|hurricane|cyclone|tsunami|eruption|landslide|explosion)\b",
]
_KIND_WORDS = r"(?:disaster|earthquake|quake|flood|floods|fire|attack|outbreak|crash|storm|typhoon|hurricane|cyclone|tsunami|eruption|landslide|explosion|shock|tremor)"
# "the earthquake of 24 August", "the August 24 quake": a happening dated by its day
_DATED_KIND = re.compile(
    r"\bthe\s+(?:%s\s+of\s+(?:(\d{1,2})\s+([A-Za-z]+)|([A-Za-z]+)\s+(\d{1,2}))|(?:(\d{1,2})\s+([A-Za-z]+)|([A-Za-z]+)\s+(\d{1,2}))\s+%s)\b" % (_KIND_WORDS, _KIND_WORDS),
    re.I,
)
DATED_DAYS = 30  # a happening dated this far before the report is an earlier one
_PAST_RE = re.compile("|".join(PAST_PHRASES), re.I)
_YEAR_RE = re.compile(r"(?<![\w,.])(1[89]\d\d|20\d\d)(?!\w|[,.]\d)")
# "since 2010" on its own compares with the present event; "since 1864, when ..." recounts one
_SINCE_BEFORE = re.compile(r"\b(?:since|from|than\s+in|record\s+in)\s+(?:\w+\s+)?$", re.I)
_WHEN_AFTER = re.compile(r"^\s*,?\s*(?:when|in\s+which|which|that)\b", re.I)


_CONTINUES = re.compile(r"^\W*(?:that|it|those|this|then|the\s+(?:disaster|earthquake|quake|flood|fire|attack|accident|outbreak))\b", re.I)
# a year in the sentence's opening adverbial dates the whole sentence: "In December 2003, ..."
_OPENING = re.compile(r"^\W*(?:\d{1,2}:\d{2}\s*[-\u2013\u2014]?\s*)?(?:back\s+)?(?:in|during|by|on|until|before)\s+(?:the\s+)?(?:[\w'\u2019-]+\s+){0,3}$", re.I)
# what separates a year's clause from a number's: a comma or semicolon, a conjunction
_SEGMENT = re.compile(r"[,;:]\s|\s(?:and|but|while|whereas)\s|\s[-\u2013\u2014]\s")
# a relative clause that tells what happened then: "in 1993, when ...", "the 2014 sinking, which killed"
_RELATIVE = re.compile(r"(?:,\s*|\s)(?:when|in\s+which|which|that\s+killed|killing|leaving)\b", re.I)
_ASIDE_BEFORE = re.compile(r",\s*(?:back\s+)?(?:in|during)\s+(?:[A-Za-z]+\s+)?$", re.I)
_NOW_RE = re.compile(r"\b(?:now|this\s+year|so\s+far|currently|latest|this\s+time|this\s+week|today|tonight)\b", re.I)
CONTINUE_PARAGRAPH = False  # dev: no difference either way; the conservative reading


def continues_background(stext: str) -> bool:
    """A sentence after a background sentence in its paragraph goes on about that earlier event
    unless it turns to the present ("now", "this week", "today")."""
    return not _NOW_RE.search(stext) if CONTINUE_PARAGRAPH else bool(_CONTINUES.match(stext))


_MONTHS = {m: i + 1 for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"))}
_MONTH_BEFORE = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+(?:\d{1,2},?\s+)?$", re.I)
EARLIER_DAYS = 60  # a month of the publication year this far back is another event's time


def _earlier(m, stext: str, published: dt.date) -> bool:
    year = int(m.group(1))
    if year < published.year:
        return True
    mm = _MONTH_BEFORE.search(stext[max(0, m.start() - 16):m.start()])
    if year == published.year and mm:
        return (published - dt.date(year, _MONTHS[mm.group(1).lower()], 1)).days > EARLIER_DAYS
    return False


def _earlier_years(stext: str, published: dt.date | None):
    if published is None:
        return
    for m in _YEAR_RE.finditer(stext):
        if not _earlier(m, stext, published):
            continue
        before = stext[max(0, m.start() - 30):m.start()]
        if _SINCE_BEFORE.search(before) and not _WHEN_AFTER.match(stext[m.end():m.end() + 20]):
            continue  # "the worst since 2010": a comparison
        yield m


def _dated_earlier(stext: str, published: dt.date | None) -> bool:
    """The sentence names a happening by a day a month or more before the report ("the
    earthquake of 24 August" in a report of 30 October): an earlier one."""
    if published is None:
        return False
    for m in _DATED_KIND.finditer(stext):
        g = m.groups()
        pairs = [(g[0], g[1]), (g[3], g[2]), (g[4], g[5]), (g[7], g[6])]
        for day, month in pairs:
            if day and month and month.lower() in _MONTHS:
                try:
                    d = dt.date(published.year, _MONTHS[month.lower()], int(day))
                except ValueError:
                    continue
                if d > published:
                    d = d.replace(year=d.year - 1) if not (d.month == 2 and d.day == 29) else d
                if (published - d).days >= DATED_DAYS:
                    return True
    return False


def background_sentence(stext: str, published: dt.date | None, previous: str | None = None) -> bool:
    """The whole sentence recounts an earlier event: a past phrase ("two years ago", "the last
    major flood") or an earlier year in its opening words ("In March 1993 ...")."""
    if previous is not None and _CONTINUES.match(stext) and background_sentence(previous, published):
        return True
    if _PAST_RE.search(stext) or _dated_earlier(stext, published):
        return True
    return any(_OPENING.match(stext[:m.start()]) for m in _earlier_years(stext, published))


def background_number(stext: str, at: int, published: dt.date | None) -> bool:
    """The number at offset ``at`` of the sentence belongs to an earlier event: an earlier year
    is in its clause ("killed 257 people in 1993"), or the year's clause goes on to tell what
    happened then ("since 1864, when a train plunged ..., killing 99")."""
    for m in _earlier_years(stext, published):
        a, b = (m.end(), at) if m.end() <= at else (at, m.start())
        between = stext[a:b]
        if not _SEGMENT.search(between):
            return True
        if m.end() <= at and _RELATIVE.search(between):
            return True
        if m.end() <= at and _ASIDE_BEFORE.search(stext[:m.start()]) and stext[m.end():m.end() + 2].startswith(","):
            return True  # "Nepal's last big quake, in 1934, killed 8,500": the aside dates the subject
    return False


# a number compared with the present one: "more than the 1,100 killed at Rana Plaza",
# "surpassing the 2010 toll of 1,700"
_COMPARED_BEFORE = re.compile(
    r"\b(?:than\s+(?:the|in|at|during|that\s+of)|(?:close|similar|comparable)\s+to\s+the|surpass(?:ing|ed|es)?|exceed(?:ing|ed|s)?|eclips(?:ing|ed|es)|dwarf(?:ing|ed|s)|compared\s+(?:with|to)|twice|double|triple)"
    r"\s+(?:the\s+|a\s+|an\s+|its\s+)?(?:[\w'\u2019-]+\s+){0,4}(?:of\s+)?$",
    re.I,
)


def compared_number(text: str, sent_start: int, num_start: int) -> bool:
    """The number stands for an earlier event's figure the present one is compared with."""
    before = text[max(sent_start, num_start - 50):num_start]
    m = _COMPARED_BEFORE.search(before)
    return bool(m) and not re.search(r"\b(?:more|fewer|less|rather|other)\s+than\s*$", before[:m.start() + 5], re.I)
