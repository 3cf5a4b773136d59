"""What an article says about the happening it reports: where, when, what kind, who.

``features(title, text, published, kinds)`` is pure and fast (a few ms for a 6,000-character
article once the gazetteer is loaded). The assignment (``assign.py``) compares these with the
features of the events already in the desk.

- **kind**: the event kind (``seeds/event_kinds.json``) whose words weigh most, the title and
  the lede (the first two paragraphs) counting more than the rest; a happening named in the
  title or lede ("Hurricane Maria") is the kind over a related kind its consequences bring
  (the dam that fails in its rain).
- **countries and places**: ``gazetteer.find_places`` over title and text.
- **onset**: the day the happening began as the lede tells it ("on Saturday", "April 25",
  "yesterday"), resolved against the publication date; the publication date when the lede
  names no day (``onset_explicit`` false). A day beside a related kind's word counts ("Friday's
  tsunami" in a quake's story); an anniversary ("one year since the earthquake") dates it that
  many years back.
- **fresh**: the lede speaks of "a new", "another" or "a second" happening of its kind.
- **names**: people and organisations the article names (runs of two to four capitalised
  words that are not places), and the names of the happening itself ("Typhoon Haiyan",
  "Cyclone Amphan": ``~haiyan``, ``~amphan``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import msgspec

from service.events.gazetteer import find_places, fold
from service.extract.lexicon import MONTHS, WEEKDAYS

SEED_KINDS = Path(__file__).resolve().parent.parent.parent / "seeds" / "event_kinds.json"


RELATED = {
    frozenset(p)
    for p in [
        ("earthquake", "tsunami"), ("earthquake", "collapse"), ("flood", "dam_failure"), ("flood", "storm"), ("storm", "dam_failure"),
        ("storm", "landslide"), ("flood", "landslide"), ("unrest", "crackdown"), ("crackdown", "coup"),
        ("unrest", "coup"), ("fire", "explosion"), ("explosion", "industrial_accident"),
        ("fire", "industrial_accident"), ("conflict", "attack"), ("conflict", "displacement"),
        ("famine", "displacement"), ("fire", "wildfire"), ("collapse", "fire"),
        ("attack", "explosion"), ("attack", "fire"), ("conflict", "explosion"), ("heatwave", "wildfire"),
    ]
}
# kinds that one article may report together when it names the first: an outbreak or an exodus
# that follows a named storm, flood or quake is told as that disaster's story
RELATED_IF_NAMED = {
    frozenset((a, b)) for a in ("epidemic", "displacement", "famine") for b in ("storm", "flood", "earthquake", "tsunami")
}


def related_kinds(kind: str) -> set[str]:
    return {kind} | {k for p in RELATED if kind in p for k in p}


class Kind(msgspec.Struct, frozen=True):
    slug: str
    label: str
    noun: str = "Event"
    sudden: bool = False
    words: list[str] = []


def warm_up() -> None:
    """Build the gazetteer's index and read the kinds once (a worker calls this at start)."""
    from service.events.gazetteer import find_places
    from service.events.store import kinds

    find_places("Almaty")
    kinds()


def load_kinds(path: Path = SEED_KINDS) -> list[Kind]:
    return msgspec.json.decode(path.read_bytes(), type=list[Kind])


class Features(msgspec.Struct, kw_only=True):
    published: dt.date
    kind: str
    kind_score: float
    countries: dict[str, float]  # ISO 3166-1 alpha-2 -> weight
    main_country: str | None
    places: list[str]  # folded names of the subdivisions and cities named, most named first
    place_country: dict[str, str]
    names: list[str]  # folded names of people and organisations
    onset: dt.date
    onset_explicit: bool
    fresh: bool
    proper_words: frozenset[str] = frozenset()  # folded capitalised words, for an event's own name


_MONTHS = MONTHS
_WEEKDAYS = WEEKDAYS
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH_DAY = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.I)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})\b\.?(?:,?\s+(\d{{4}}))?", re.I)
_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
_RELATIVE = re.compile(r"\b(yesterday|today|this morning|this afternoon|tonight|last night|overnight)\b", re.I)
_NAME_RUN = re.compile(r"\b[A-Z][a-z'’-]+(?:[ ]+(?:(?:of|al|bin|de|van|von|the)[ ]+)?[A-Z][\w'’-]+){1,3}")
_N_DAYS = re.compile(r"\b(a|one|two|three|four|five|six|seven|\d{1,2}) days? (?:earlier|ago|before)\b", re.I)
_SMALL = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_NAME_STOP = set(_MONTHS) | set(_WEEKDAYS) | {"the", "a", "an", "in", "on", "at", "but", "and", "it", "this", "that", "he", "she", "they", "we", "officials", "photo", "update", "updated"}


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n|\r\n\s*\r\n", text) if p.strip()]


def _lede(text: str) -> str:
    paras = _paragraphs(text)
    lede = "\n\n".join(paras[:2])
    return lede[:900] if len(lede) > 900 else lede


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“])|\n+")
_ONSET_VERBS = ("struck", "strikes", "hit", "hits", "began", "erupted", "broke out", "collapsed", "exploded", "sank",
                "capsized", "crashed", "derailed", "swept", "made landfall", "burst", "caught fire", "started",
                "came down", "tore", "ripped", "rocked", "shook", "flattened", "slammed")


def _nearest_dates(sentence: str, published: dt.date, cues: list[int]) -> list[tuple[int, dt.date]]:
    """Each day the sentence names, with its distance in characters to the nearest cue (a kind
    word or a verb of onset)."""
    out: list[tuple[int, dt.date]] = []

    def add(at: int, year: int, month: int, day: int, explicit_year: bool) -> None:
        try:
            d = dt.date(year, month, day)
        except ValueError:
            return
        if not explicit_year and d > published:
            try:
                d = dt.date(year - 1, month, day)
            except ValueError:
                return
        out.append((at, d))

    for m in _MONTH_DAY.finditer(sentence):
        add(m.start(), int(m.group(3) or published.year), _MONTHS[m.group(1).lower()], int(m.group(2)), bool(m.group(3)))
    for m in _DAY_MONTH.finditer(sentence):
        add(m.start(), int(m.group(3) or published.year), _MONTHS[m.group(2).lower()], int(m.group(1)), bool(m.group(3)))
    for m in _WEEKDAY.finditer(sentence):
        if any(m.start() <= a < m.end() + 12 for a, _ in out):
            continue  # "Sunday 29 July": the day of the month says it
        wd = _WEEKDAYS.index(m.group(1).lower())
        out.append((m.start(), published - dt.timedelta(days=(published.weekday() - wd) % 7)))
    for m in _N_DAYS.finditer(sentence):
        w = m.group(1).lower()
        out.append((m.start(), published - dt.timedelta(days=_SMALL.get(w) or int(w))))
    for m in _RELATIVE.finditer(sentence):
        w = m.group(1).lower()
        out.append((m.start(), published - dt.timedelta(days=1) if w in ("yesterday", "last night") else published))
    return [(min(abs(at - c) for c in cues), d) for at, d in out]


def _dates(lede: str, published: dt.date, kind_words: list[str], opening: str = "") -> list[dt.date]:
    """Days the opening's sentences give for the happening's beginning, resolved against the
    publication date, the lede's first. A sentence counts when it speaks of the happening
    itself: its kind's word with a verb of onset ("the quake struck on Saturday"), or a day
    right beside the kind's word ("the earthquake of Sunday 29 July", "Sunday's blast"). In
    such a sentence the day nearest those words is the one meant ("Up to Sunday 12 August, 392
    died in the quake that struck on 5 August"). A sentence that names a day but not the
    happening ("On Wednesday the ministry said") tells when something was said."""
    kinds_alt = "|".join(re.escape(w.lower()) for w in kind_words)
    kind_cue = re.compile(r"\b(?:%s)\b" % kinds_alt, re.I)
    verb_cue = re.compile(r"\b(?:%s)\b" % "|".join(re.escape(w) for w in _ONSET_VERBS), re.I)
    after = re.compile(r"\b(a|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2}) days? (?:after|since) the (?:\S+ ){0,3}(?:%s)\b"
                       % kinds_alt, re.I)
    years = re.compile(r"\b(a|one|two|three|four|five|ten|\d{1,2}) years? (?:since|after|on from)\s+the\s+(?:\S+\s+){0,5}(?:%s)\b"
                       r"|\b(first|second|third|fourth|fifth|tenth|\d{1,2}(?:st|nd|rd|th)) anniversary\s+of\s+the\s+(?:\S+\s+){0,5}(?:%s)\b"
                       % (kinds_alt, kinds_alt), re.I)
    ordinals = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "tenth": 10}
    for m in years.finditer(lede):  # an anniversary: the happening began that many years ago
        w = (m.group(1) or m.group(2)).lower()
        n = _SMALL.get(w) or ordinals.get(w) or int(re.sub(r"\D", "", w))
        try:
            return [published.replace(year=published.year - n)]
        except ValueError:  # 29 February
            return [published.replace(year=published.year - n, day=28)]
    found: list[dt.date] = []
    for m in after.finditer(opening or lede):  # "19 days after the quake": how long ago it began
        w = m.group(1).lower()
        found.append(published - dt.timedelta(days=_SMALL.get(w) or int(w)))

    def from_text(text: str) -> list[dt.date]:
        days: list[dt.date] = []
        for sentence in _SENTENCE.split(text):
            kinds_at = [m.start() for m in kind_cue.finditer(sentence)]
            if not kinds_at:
                continue
            verbs_at = [m.start() for m in verb_cue.finditer(sentence)]
            with_verb = bool(verbs_at) and not (set(kinds_at) == set(verbs_at) and len(kinds_at) == 1)
            dated = _nearest_dates(sentence, published, kinds_at + verbs_at if with_verb else kinds_at)
            if not with_verb:
                dated = [(gap, d) for gap, d in dated if gap <= 30]  # a day right beside the kind's word
            if dated:
                days.append(min(dated, key=lambda x: (x[0], x[1]))[1])
        return days

    found += from_text(lede) or from_text(opening[len(lede):] if opening.startswith(lede) else opening)
    return [d for d in found if published - dt.timedelta(days=45) <= d <= published]


def _kind(title: str, lede: str, text: str, kinds: list[Kind]) -> tuple[str, float]:
    scores: Counter[str] = Counter()
    t, l, x = title.lower(), lede.lower(), text.lower()
    for k in kinds:
        for w in k.words:
            pat = re.compile(rf"\b{re.escape(w)}\b")
            n_title, n_lede, n_all = len(pat.findall(t)), len(pat.findall(l)), len(pat.findall(x))
            scores[k.slug] += 3 * n_title + 2 * n_lede + 0.5 * max(0, n_all - n_lede)
    # a happening with a name of its own ("Hurricane Maria") is what the article is about, even
    # where its consequences (a failing dam) take more words: its name counts as its kind's word
    for slug, name in _named_kinds(f"{title}\n\n{lede}", kinds):
        pat = re.compile(rf"\b{re.escape(name)}\b")
        scores[slug] += 3 * len(pat.findall(title)) + 2 * len(pat.findall(lede))
    if not scores or scores.most_common(1)[0][1] < 1.5:
        return "other", 0.0
    slug, score = scores.most_common(1)[0]
    named = [k for k, _ in _named_kinds(f"{title}\n\n{lede}", kinds)]
    if named and slug not in named and frozenset((slug, named[0])) in RELATED:
        return named[0], float(scores[named[0]])  # the named cause of its consequences
    return slug, float(score)


def _named_kinds(text: str, kinds: list[Kind]) -> list[tuple[str, str]]:
    """(kind, name) for each happening named by its kind's word ("Cyclone Idai" -> storm, Idai)."""
    out: list[tuple[str, str]] = []
    for k in kinds:
        words = [w for w in k.words if " " not in w and len(w) > 3]
        if not words:
            continue
        pat = re.compile(r"\b(?:%s)\s+([A-Z][a-z]{2,})\b" % "|".join(w.capitalize() for w in words))
        for m in pat.finditer(text):
            if m.group(1).lower() not in _NAME_STOP and (k.slug, m.group(1)) not in out:
                out.append((k.slug, m.group(1)))
    return out


def _names(text: str, places: set[str]) -> list[str]:
    found: Counter[str] = Counter()
    for m in _NAME_RUN.finditer(text):
        words = m.group(0).split()
        while words and words[0].lower() in _NAME_STOP:
            words = words[1:]
        if len(words) < 2 or any(w.lower().strip(".,'’") in _NAME_STOP for w in words):
            continue
        key = fold(" ".join(words))
        if key and key not in places and len(key) > 4:
            found[key] += 1
    return [k for k, _ in found.most_common(30)]


def _happening_names(text: str, kinds: list[Kind]) -> list[str]:
    """Names a happening goes by: a capitalised word after its kind's word ("Typhoon Haiyan",
    "Cyclone Amphan", "Storm Daniel", "Hurricane Maria") and one in brackets right after such a
    name ("Typhoon Yolanda (Haiyan)"). Marked with a leading "~" among the names."""
    words = sorted({w for k in kinds for w in k.words if " " not in w and len(w) > 3}, key=len, reverse=True)
    pat = re.compile(r"\b(?:%s)\s+([A-Z][a-z]{2,})(?:\s+\(([A-Z][a-z]{2,})\))?" % "|".join(w.capitalize() for w in words))
    out: list[str] = []
    for m in pat.finditer(text):
        for g in m.groups():
            if g and g.lower() not in _NAME_STOP and fold(g) not in out:
                out.append("~" + fold(g))
    return out


def features(title: str, text: str, published: dt.date, kinds: list[Kind]) -> Features:
    title = title or ""
    text = text or ""
    lede = _lede(text)
    kind, kind_score = _kind(title, lede, text, kinds)
    # the title and the lede (where the dateline is) count twice
    mentions = find_places(f"{title}\n\n{title}\n\n{lede}\n\n{text}")
    main = mentions.countries.most_common(1)[0][0] if mentions.countries else None
    kind_words = [w for k in kinds if k.slug == kind for w in k.words] or ["event"]
    # the day may be given beside a related kind's word ("Friday's tsunami" in a quake's story)
    near = related_kinds(kind) - {kind, "other"}
    day_words = kind_words + [w for k in kinds if k.slug in near and k.sudden for w in k.words]
    dates = _dates(lede, published, day_words, "\n\n".join(_paragraphs(text)[:6])[:2500])
    onset = min(dates) if dates else published
    fresh = bool(re.search(
        r"\b(?:new|another|second|fresh|further|separate)\s+(?:\w+\s+){0,2}(?:%s)\b"
        % "|".join(re.escape(w) for w in kind_words), lede, re.I))
    places = [p for p, _ in mentions.places.most_common(20)]
    return Features(
        published=published, kind=kind, kind_score=kind_score,
        countries={c: float(w) for c, w in mentions.countries.most_common(8)}, main_country=main,
        places=places, place_country={p: mentions.place_country[p] for p in places},
        names=_happening_names(f"{title}\n{text}", kinds) + _names(text, set(mentions.places) | {fold(p) for p in places}),
        onset=onset, onset_explicit=bool(dates), fresh=fresh,
        proper_words=frozenset(fold(w) for w in re.findall(r"\b[A-Z][a-z]{2,}\b", f"{title}\n{text}")),
    )
