"""Numbers as reporters write them, turned into an interval plus a qualifier.

"1,204" -> 1204..1204 exact; "more than 3,000" -> 3000.. more_than; "nearly 5,000" -> ..5000
nearly; "about 750" -> 750..750 approximately; "dozens" -> 24.. vague; "several hundred" -> 200..
vague; "a thousand" -> 1000 exact. Numbers that are not counts of anything in the event (ages,
years, dates, times, durations, distances, money, percentages, population) are dropped here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
VAGUE_UNITS = {"dozen": 12, "score": 20, "hundred": 100, "thousand": 1000, "million": 1_000_000, "ten": 10}

_NUMWORD = "|".join(sorted(list(UNITS) + list(TENS) + list(SCALES), key=len, reverse=True))

QUALIFIERS: list[tuple[str, str]] = [
    (r"more\s+than|well\s+over|just\s+over|over|upwards\s+of|in\s+excess\s+of|above|north\s+of", "more_than"),
    (r"at\s+least|no\s+fewer\s+than|no\s+less\s+than|not\s+less\s+than|a\s+minimum\s+of|at\s+a\s+minimum", "at_least"),
    (r"nearly|almost|close\s+to|just\s+under|just\s+below|just\s+shy\s+of|approaching|nearing|not\s+quite", "nearly"),
    (r"about|around|approximately|approx\.|roughly|some|an\s+estimated|estimated|circa|an\s+approximate|round\s+about|give\s+or\s+take|~", "approximately"),
    (r"up\s+to|as\s+many\s+as|at\s+most|no\s+more\s+than|not\s+more\s+than|a\s+maximum\s+of|at\s+the\s+most", "at_most"),
    (r"fewer\s+than|less\s+than|under|below|short\s+of", "less_than"),
]
_QUAL_RE = re.compile(
    r"(?:^|(?<=[\s(\"\u201c\u2018'\u2013\u2014-]))(" + "|".join(f"(?P<q{i}>{p})" for i, (p, _) in enumerate(QUALIFIERS)) + r")\s*$",
    re.I,
)

# --------------------------------------------------------------------------- mention patterns

_DIGITS = r"(?<![\w.,:/\u00b7])(?<![A-Za-z]-)(?:\d{1,2}(?:,\d{2})+,\d{3}|\d{1,3}(?:,\d{3})+|\d{1,3}(?:[\u00a0\u2009\u202f ]\d{3})+(?![\d,.])|\d+)(?:\.\d+)?(?![\w]|[.,:]\d|%)"
# "2.5 million", "18 lakh" (Indian English: 100,000), "24-hundred" (a spoken hybrid)
_SCALE_AFTER = r"(?:(?:\s*|-)(?:million|billion|thousand|hundred|mln|bn|lakhs?|crores?)\b)?"
NUM_RE = re.compile(
    r"(?P<vague_of>\b(?:tens|hundreds|thousands|dozens|scores)\s+of\s+(?:thousands|millions)\b)"
    r"|(?P<several>\b(?:several|a\s+few|few|some|many)\s+(?:dozen|hundred|thousand|million)s?\b)"
    r"|(?P<half>\bhalf\s+a\s+dozen\b)"
    r"|(?P<andhalf>\b(?:(?:a|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,3})\s+and\s+a\s+half|half\s+a)\s+(?:million|thousand|billion)\b)"
    r"|(?P<ndozen>\b(?:a|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+dozen\b)"
    r"|(?P<vague>\b(?:dozens|dozen|hundreds|thousands|millions|scores|tens)\b)"
    r"|(?P<digits>" + _DIGITS + _SCALE_AFTER + r")"
    r"|(?P<words>\b(?:(?:a|one)\s+(?:hundred|thousand|million|billion)|(?:" + _NUMWORD + r"))(?:(?:\s+and\s+|[\s-]+)(?:" + _NUMWORD + r"))*\b)",
    re.I,
)
NUM_RE_FOLDED = re.compile(NUM_RE.pattern)  # the same, on already lowercased text (faster)


@dataclass(slots=True)
class Number:
    start: int  # the value text, qualifier included
    end: int
    num_start: int  # the bare number
    low: float | None
    high: float | None
    qualifier: str
    text: str
    vague: bool = False
    value: float = 0.0  # the number itself, for comparisons


def _parse_words(s: str) -> tuple[float | None, int]:
    """Value of a run of number words and how many characters of ``s`` it used."""
    total = 0
    current = 0
    last = ""  # "unit" | "teen" | "tens" | "scale"
    used = 0
    seen_any = False
    last_scale = 10**12
    for m in re.finditer(r"[a-z]+", s.lower()):
        w = m.group()
        if w == "and":
            if last == "scale" and seen_any:
                continue
            break
        if w == "a" and not seen_any:
            current = 1
            last = "a"
            continue
        if w in UNITS:
            v = UNITS[w]
            if last in ("unit", "teen", "a") or (last == "tens" and (v >= 10 or current % 10)):
                break
            current += v
            last = "teen" if v >= 10 else "unit"
        elif w in TENS:
            if last in ("unit", "teen", "tens", "a"):
                break
            current += TENS[w]
            last = "tens"
        elif w in SCALES:
            sc = SCALES[w]
            if not seen_any and last != "a":
                break
            if sc >= last_scale:
                break
            if sc == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * sc
                current = 0
                last_scale = sc
            last = "scale"
        else:
            break
        seen_any = True
        used = m.end()
    if not seen_any:
        return None, 0
    return float(total + current), used


def _digits_value(s: str) -> float | None:
    m = re.match(r"(\d[\d,\u00a0\u2009\u202f ]*(?:\.\d+)?)[\s-]*(million|billion|thousand|hundred|mln|bn|lakhs?|crores?)?", s, re.I)
    if not m:
        return None
    try:
        v = float(re.sub(r"[,\u00a0\u2009\u202f ]", "", m.group(1)))
    except ValueError:
        return None
    sc = (m.group(2) or "").lower()
    mult = {"million": 1e6, "mln": 1e6, "billion": 1e9, "bn": 1e9, "thousand": 1e3, "hundred": 1e2,
            "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7}.get(sc, 1)
    return v * mult


# --------------------------------------------------------------------------- non-event numbers

_UNIT_AFTER = re.compile(
    r"^(?:\s*-\s*|\s+)(?:years?|yrs?|months?|weeks?|days?|nights?|hours?|hrs?|minutes?|mins?|seconds?|secs?"
    r"|decades?|centur(?:y|ies)|met(?:er|re)s?|km|kilomet(?:er|re)s?|miles?|feet|foot|ft|inch(?:es)?|cm|mm"
    r"|kg|kilos?|kilograms?|grams?|tonnes?|tons?|pounds?|lbs?|lit(?:er|re)s?|gallons?|barrels?|degrees?"
    r"|hectares?|acres?|square|sq|cubic|mph|knots?|mw|gw|kw|kwh|megawatts?|bytes?|gb|mb|times|fold"
    r"|percent|per\s+cent|pct|percentage\s+points?|points?|votes?\s+to|-?year-old|year-old|months?-old"
    r"|dollars?|euros?|pounds?\s+sterling|rubles?|roubles?|tenge|yuan|yen|rupees?|francs?|liras?|hryvnias?"
    r"|usd|eur|gbp|cents?|a\.\s?m\.?|p\.\s?m\.?|am\b|pm\b|o'clock|o\u2019clock|gmt|utc|cet|est\b|local\s+time|h\b"
    r"|st\b|nd\b|rd\b|th\b|-?magnitude|on\s+the\s+richter)(?![a-z])",
    re.I,
)
_BASE_BEFORE = re.compile(r"(?:%|\bpercent|\bper\s+cent|\bpct)\s+of\s+(?:the\s+|all\s+|its\s+|their\s+)?$", re.I)
_AGE_BEFORE = re.compile(
    r"\b(?:aged|age|ages|age\s+of|aged\s+between)\s*(?:from\s+|to\s+|at\s+|of\s+)?$"
    r"|\bas\s+(?:young|old)\s+as\s*$|\b(?:boy|girl|child|baby|son|daughter|man|woman)\s+of\s*$"
    r"|\bages?\s+(?:from\s+)?\d{1,3}\s*(?:to|-|\u2013|and)\s*$",
    re.I,
)
_MONTH_BEFORE = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s*$",
    re.I,
)
_MONTH_AFTER = re.compile(
    r"^(?:st|nd|rd|th)?\s*(?:of\s+)?(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b",
    re.I,
)
_DAY_RANGE_AFTER = re.compile(
    r"^\s*(?:and|to|-|\u2013)\s*\d{1,2}\s+(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b",
    re.I,
)
_CURRENCY_BEFORE = re.compile(r"(?:[$\u20ac\u00a3\u00a5\u20bd\u20b9\u20b8]|\b(?:us\$|usd|eur|gbp|rs\.?|inr|kzt|rub))\s*$", re.I)
_POPULATION_BEFORE = re.compile(
    r"\b(?:population|populations|country|nation|city|town|region|province|state|metropolis|home)\s+(?:of|to)\s*$"
    r"|\bpopulation\s+(?:of\s+)?(?:is\s+|was\s+|stands\s+at\s+)?$",
    re.I,
)
_POPULATION_AFTER = re.compile(r"^(?:\s+(?:million|thousand|billion))?\s+(?:inhabitants|population|residents\s+live)", re.I)
_LABEL_BEFORE = re.compile(
    r"\b(?:no\.|nos\.|number|article|section|paragraph|chapter|page|pages|phase|level|category|stage"
    r"|round|flight|route|highway|road|room|gate|platform|resolution|item|clause|line|channel"
    r"|version|volume|issue|episode|season|part|step|zone|district|ward|block|apartment|street"
    r"|avenue|covid|top|grade|class|unit|terminal|building|house|plot|lot|km|kilometre|kilometer"
    r"|magnitude|richter|scale)\s*$"
    r"|#\s*$",
    re.I,
)
_TIME_BEFORE = re.compile(r"\b(?:at|from|until|till|by|before|after)\s+(?:about\s+|around\s+)?$", re.I)
_TIME_AFTER_RANGE = re.compile(r"^\s*(?:a\.?\s?m\.?|p\.?\s?m\.?)", re.I)
_YEAR_FOLLOWING_NOUN = re.compile(r"^\s+([a-z]+)(?:\s+([a-z]+))?", re.I)
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?|\b\d{1,2}:\d{2}(?::\d{2})?\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b")


def _not_an_event_count(text: str, a: int, b: int, value: float, raw: str, is_digits: bool) -> bool:
    """True when the number at text[a:b] is an age, year, date, time, duration, measure, amount
    of money, percentage, population or label rather than a count."""
    before = text[max(0, a - 40):a]
    after = text[b:b + 40]
    if _UNIT_AFTER.match(after):
        return True
    if _AGE_BEFORE.search(before) or _CURRENCY_BEFORE.search(before) or _LABEL_BEFORE.search(before) or _BASE_BEFORE.search(before):
        return True
    if value <= 31 and _DAY_RANGE_AFTER.match(after):
        return True  # "between 1 and 15 August"
    if _MONTH_BEFORE.search(before) and value <= 31 or _MONTH_AFTER.match(after) and value <= 31:
        return True
    if _MONTH_BEFORE.search(before) and is_digits and 1000 <= value <= 2100:
        return True
    if _POPULATION_BEFORE.search(before) or _POPULATION_AFTER.match(after):
        return True
    # an age in apposition: "President Joe Biden, 79, said"
    if is_digits and value < 120 and re.search(r"[A-Z][\w'\u2019.-]*,\s*$", before) and re.match(r"\s*,", after):
        return True
    if is_digits and re.fullmatch(r"\d{4}", raw) and 1800 <= value <= 2100:
        m = _YEAR_FOLLOWING_NOUN.match(after)
        if not (m and ((m.group(1) or "").lower() in _COUNT_NOUNS or (m.group(2) or "").lower() in _COUNT_NOUNS)):
            return True
    if is_digits and re.fullmatch(r"\d{1,2}", raw) and _TIME_BEFORE.search(before) and _TIME_AFTER_RANGE.match(after):
        return True
    return False


_COUNT_NOUNS = {
    "people", "persons", "protesters", "demonstrators", "soldiers", "troops", "civilians",
    "residents", "workers", "police", "officers", "others", "students", "children", "homes",
    "houses", "buildings", "vehicles", "cars", "families", "households", "patients", "cases",
    "deaths", "arrests", "detainees", "refugees", "migrants", "members", "participants",
}


def find_numbers(text: str, a: int = 0, b: int | None = None, doc=None) -> list[Number]:
    """Every count-like number in text[a:b], with its qualifier, as intervals. With ``doc``
    (a textutil.Doc of ``text``) the scan runs on its folded text."""
    if b is None:
        b = len(text)
    blocked = [m.span() for m in _ISO_DATE.finditer(text, a, b)]
    out: list[Number] = []
    if doc is not None:
        matches = ((doc.span(*m.span()), m.lastgroup) for m in NUM_RE_FOLDED.finditer(doc.folded))
    else:
        matches = ((m.span(), m.lastgroup) for m in NUM_RE.finditer(text, a, b))
    for (s, e), kind in matches:
        if s < a or e > b or e <= s:
            continue
        if any(x <= s < y or x < e <= y for x, y in blocked):
            continue
        raw = text[s:e]
        low: float | None
        high: float | None
        vague = False
        if kind == "vague_of":
            w = raw.lower().split()
            base = {"tens": 10, "hundreds": 100, "thousands": 1000, "dozens": 12, "scores": 20}[w[0]]
            unit = 1000 if w[-1].startswith("thousand") else 1_000_000
            value = float(2 * base * unit)
            vague = True
        elif kind == "several":
            unit_word = raw.lower().split()[-1].rstrip("s")
            value = float(2 * VAGUE_UNITS[unit_word])
            vague = True
        elif kind == "half":
            value = 6.0
        elif kind == "andhalf":
            w = raw.lower().split()
            unit = SCALES[w[-1]]
            first = w[0]
            n = 0.0 if first == "half" else 1.0 if first in ("a", "one") else float(UNITS.get(first) or TENS.get(first) or (int(first) if first.isdigit() else 1))
            value = (n + 0.5) * unit
        elif kind == "ndozen":
            first = raw.lower().split()[0]
            n = 1 if first == "a" else UNITS.get(first) or (float(first) if first.isdigit() else 1)
            value = float(n) * 12
        elif kind == "vague":
            w = raw.lower()
            if w == "dozen":
                # "a dozen" is caught above, so a bare "dozen" is a translation of "dozens"
                if re.search(r"\b(?:a|the|per|each|one|by\s+the)\s+$", text[max(0, s - 10):s], re.I):
                    continue
                value = 24.0
            elif w == "tens":
                if not re.match(r"\s+of\b", text[e:e + 5], re.I):
                    continue
                value = 20.0
            elif w == "scores":
                if not re.match(r"\s+of\b", text[e:e + 5], re.I):
                    continue
                value = 40.0
            else:
                value = 2.0 * VAGUE_UNITS[w.rstrip("s")]
            vague = True
        elif kind == "digits":
            v = _digits_value(raw)
            if v is None:
                continue
            value = v
            bm = re.match(r"\d[\d,.\u00a0\u2009\u202f ]*", raw)
            bare = bm.group().rstrip(" ,.\u00a0\u2009\u202f") if bm else raw
            if _not_an_event_count(text, s, s + len(bare), value, bare, True):
                continue
            if "." in bare and not re.search(r"[a-z]", raw, re.I):
                continue  # "7.1", "8.0": a measure (magnitude, rate), never a head count
        else:  # words
            v, used = _parse_words(raw)
            if v is None or used == 0:
                continue
            e = s + used
            raw = text[s:e]
            value = v
            if raw.lower() in ("one", "a", "zero") or value < 2 and not re.search(r"\d", raw):
                continue  # "one" is a pronoun far more often than a count; single anecdotes are not tallies
            if _not_an_event_count(text, s, e, value, raw, False):
                continue
        if not (value == value) or value > 1e15:  # NaN or absurd
            continue
        if kind != "digits" and kind != "words" and _UNIT_AFTER.match(text[e:e + 40]):
            continue  # "a few hundred meters", "dozens of times" is caught below
        # qualifier before the number
        qual = "vague" if vague else ("approximately" if kind in ("half", "ndozen") else "exact")
        start = s
        pre = text[max(a, s - 30):s]
        qm = _QUAL_RE.search(pre)
        if qm and not vague:
            for i, (_, q) in enumerate(QUALIFIERS):
                if qm.group(f"q{i}"):
                    qual = q
                    break
            start = s - (len(pre) - qm.start(1))
        elif qm and vague and qm.group(0).strip().lower() in ("some",):
            start = s - (len(pre) - qm.start(1))
        end = e
        post = text[e:e + 12]
        pm = re.match(r"\s+or\s+(more|so)\b", post, re.I)
        if pm and not vague and qual == "exact":
            qual = "at_least" if pm.group(1).lower() == "more" else "approximately"
            end = e + pm.end()
        if vague:
            low, high = value, None
        elif qual in ("exact", "approximately"):
            low, high = value, value
        elif qual in ("more_than", "at_least"):
            low, high = value, None
        else:  # nearly, at_most, less_than
            low, high = None, value
        out.append(Number(start, end, s, low, high, qual, text[start:end], vague, value))
    return _merge_ranges(text, out)


_RANGE_SEP = re.compile(r"^\s*(?:-|\u2013|\u2014|to|and|or(?:\s+(?:possibly|perhaps|maybe))?)\s*$", re.I)
_CHANGE_BEFORE = re.compile(r"\b(?:went|rose|risen|rising|climbed|jumped|grew|increased|fell|dropped|revised|raised|lowered|changed|up|down|cut)\s+(?:[\w'’]+\s+){0,8}?from\s+$", re.I)
_SCALE_END = re.compile(r"[\s-](hundred|thousand|million|billion|lakhs?|crores?)$", re.I)
_SCALE_VALUE = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7}


def _merge_ranges(text: str, nums: list[Number]) -> list[Number]:
    """"between 10 and 20", "10 to 20", "10-20" -> low 10, high 20 (approximately)."""
    out: list[Number] = []
    i = 0
    while i < len(nums):
        n = nums[i]
        if i + 1 < len(nums) and not n.vague and not nums[i + 1].vague and n.qualifier == "exact" and nums[i + 1].qualifier == "exact":
            m = nums[i + 1]
            sep = text[n.end:m.start]
            low = n.value
            sc = _SCALE_END.search(m.text)
            if sc and not _SCALE_END.search(n.text) and n.value * _SCALE_VALUE[sc.group(1).lower()] <= m.value:
                low = n.value * _SCALE_VALUE[sc.group(1).lower()]  # "eighteen to twenty thousand"
            if _RANGE_SEP.match(sep) and low < m.value:
                is_and = sep.strip().lower() == "and"
                pre = text[max(0, n.start - 12):n.start]
                has_between = bool(re.search(r"\bbetween\s+$", pre, re.I))
                has_from = bool(re.search(r"\bfrom\s+$", pre, re.I))
                if has_from and _CHANGE_BEFORE.search(text[max(0, n.start - 80):n.start]):
                    out.append(n)  # "the count went from 310 to 453": two tallies, not a range
                    i += 1
                    continue
                if (not is_and or has_between):
                    start = n.start - (len(pre) - pre.lower().rfind("between" if has_between else "from")) if (has_between or has_from) else n.start
                    out.append(Number(start, m.end, n.num_start, low, m.value, "approximately", text[start:m.end], False, low))
                    i += 2
                    continue
        out.append(n)
        i += 1
    return out
