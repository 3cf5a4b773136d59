"""Where a figure is: place names of the text, the dateline, the main place."""

from __future__ import annotations

import re

from .attribution import ORG_WORDS, Cand
from .figures import NumPos
from .lexicon import CAPITAL_STOP, COUNTRIES, MONTHS, SPEECH_VERBS, WEEKDAYS
from .textutil import Doc, fold

_LOC_PREPS = {"in", "across", "throughout", "around", "near", "outside", "inside"}
_LOC_SKIP = {"the", "capital", "city", "of", "town", "village", "region", "province", "state", "district", "areas", "area", "central", "southern", "northern", "eastern", "western", "port"}
_COUNTRYWIDE = re.compile(r"\b(?:the\s+(?:whole\s+|entire\s+)?country|nationwide|countrywide|all\s+regions|the\s+nation\b|all\s+(?:the\s+)?cities)", re.I)


_PLACE_NOUNS = {"city", "town", "village", "region", "province", "district", "capital", "state", "county", "port", "island", "municipality", "oblast", "governorate", "prefecture", "suburb", "neighbourhood", "neighborhood"}
_DASHES = {"\u2014", "\u2013", "-", "--"}


def _place_evidence(toks, c: Cand, lo: int) -> bool:
    """"in Lima", "across the southern Brazilian state of Rio Grande do Sul", "the town of
    Kramatorsk", "the capital Nairobi"."""
    k = c.i - 1
    if k >= lo and toks[k].t == "of" and k - 1 >= lo and toks[k - 1].t in _PLACE_NOUNS:
        return True
    if k >= lo and toks[k].t in _PLACE_NOUNS and toks[k].t in ("capital", "city", "town"):
        return True
    if k - 1 >= lo and toks[k].t == "," and toks[k - 1].t in ("capital", "city", "town"):
        return True  # "the capital, Port Ellis"
    steps = 0
    while k >= lo and steps < 5:
        t = toks[k]
        if t.t in _LOC_PREPS:
            return True
        if t.t in _LOC_SKIP or t.t in _PLACE_NOUNS or (t.word and not t.cap and t.t not in SPEECH_VERBS) or (t.cap and t.word):
            k -= 1
            steps += 1
            continue
        return False
    return False


def _dateline_cands(doc: Doc, cands_all: list[list[Cand]]) -> set[int]:
    """Place names of a dateline: "NAIROBI, Kenya —", "PORTO ALEGRE, Brazil (AP) -"."""
    toks = doc.tokens
    out: set[int] = set()
    first_of_para: dict[int, int] = {}
    for x, s in enumerate(doc.sentences):
        first_of_para.setdefault(s.para, x)
    for x in first_of_para.values():
        s = doc.sentences[x]
        k = s.ti
        names: list[int] = []
        cl = {c.i: c for c in cands_all[x]}
        while k < s.tj and k - s.ti < 12:
            t = toks[k]
            if t.t in _DASHES:
                if names:
                    out.update(names)
                break
            if t.t == "(":
                while k < s.tj and toks[k].t != ")":
                    k += 1
                k += 1
                continue
            if t.t == ",":
                k += 1
                continue
            if t.cap and t.word:
                if k in cl:
                    names.append(k)
                k += 1
                continue
            break
    return out


def _places(doc: Doc, cands_all: list[list[Cand]]) -> tuple[set[str], str | None]:
    """Place names of the text (capitalised names after "in", "across", "the town of", in a
    dateline ...) and the one named most often: the country or city the story is about."""
    toks = doc.tokens
    dateline = _dateline_cands(doc, cands_all)
    seen: dict[str, str] = {}
    counts: dict[str, int] = {}
    order: list[str] = []
    for x, cl in enumerate(cands_all):
        lo = doc.sentences[x].ti
        for c in cl:
            if c.kind not in ("proper", "vocab") or c.actor is None:
                continue
            if c.kind == "vocab" and c.actor.kind != "country":
                continue
            if c.actor.person and c.i not in dateline or c.actor.media:
                continue
            name = doc.text[toks[c.i].start:toks[c.j - 1].end]
            words = [t.t for t in toks[c.i:c.j] if t.word]
            if any(w in ORG_WORDS for w in words) or any(w in CAPITAL_STOP or w in MONTHS or w in WEEKDAYS for w in words[:1]):
                continue
            key = fold(name)
            counts[key] = counts.get(key, 0) + 1
            if c.i in dateline or _place_evidence(toks, c, lo):
                if key not in seen:
                    order.append(key)
                if key not in seen or seen[key].isupper():
                    seen[key] = name
    for key in list(counts):
        if key in seen:
            continue
        # a name seen as a place once is a place everywhere
    for x, cl in enumerate(cands_all):
        for c in cl:
            if c.kind == "institutional" and " in " in c.text:
                name = c.text.split(" in ", 1)[1]
                key = fold(name)
                if key not in seen:
                    seen[key] = name
                    order.append(key)
                counts[key] = counts.get(key, 0) + 1
    if not seen:
        return set(), None
    # the country the story is about if one is named, else its most named place
    countries = [n for n in order if n in COUNTRIES]
    pool = countries or order
    main = max(pool, key=lambda n: (counts.get(n, 0), -order.index(n)))
    display = seen[main]
    if display.isupper() and len(display) > 3:
        display = display.title()
    return set(seen), display


def _location(doc: Doc, cands: list[Cand], places: set[str], main_place: str | None, p: NumPos, ti: int, tj: int, stext: str) -> str | None:
    """Where a figure is: the place named after "in", "across", "the town of" ... nearest to
    it; the story's country for "across the country"; a place the sentence names otherwise;
    else the story's main place."""
    toks = doc.tokens
    best = None
    anywhere = None
    if places:
        k = ti
        while k < tj:
            t = toks[k]
            hit = None
            if t.cap and t.word:
                for n in (4, 3, 2, 1):
                    if k + n <= tj:
                        key = fold(doc.text[t.start:toks[k + n - 1].end])
                        if key in places and (k + n == tj or not (toks[k + n].cap and toks[k + n].word)):
                            hit = n
                            break
            if hit is None:
                k += 1
                continue
            name = doc.text[t.start:toks[k + hit - 1].end]
            if name.isupper() and len(name) > 3:
                name = name.title()
            if _place_evidence(toks, Cand(k, k + hit, "place"), ti):
                d = abs(k - p.nj)
                if best is None or d < best[0]:
                    best = (d, name)
            elif anywhere is None:
                anywhere = name
            k += hit
    if best is not None:
        return best[1]
    if _COUNTRYWIDE.search(stext) and main_place:
        return main_place
    if anywhere is not None:
        return anywhere
    return main_place


_CAPTION = re.compile(r"\W*(?:photo|picture|image|caption|pictured|video|graphic|map)\b\s*[:(\u2014-]?", re.I)


def _caption(text: str, doc: Doc, x: int) -> bool:
    """A photo caption: "Photo: ...", "Pictured: ..."."""
    s = doc.sentences[x]
    return bool(_CAPTION.match(text, s.start, s.end))


def _headline(text: str, doc: Doc) -> bool:
    """The first paragraph is a headline: one short line without closing punctuation."""
    first = [t for t in doc.sentences[:20] if t.para == 0]
    if not first:
        return False
    whole = text[first[0].start:first[-1].end].strip()
    return "\n" not in whole and len(whole.split()) <= 16 and whole[-1:] not in ".!?\"\u201d"


def _place_claimant(att, claimant, cands, para: int):
    """A place named as the source is the body named before it ("the emergency service in
    Donetsk says": the service), or no source at all when it is the dateline ("MINA, Saudi
    Arabia, Sept 24 - ...")."""
    toks = att.doc.tokens
    for x, c in enumerate(cands):
        if c.actor is not claimant and (c.actor is None or c.actor.key != claimant.key):
            continue
        if c.i >= 1 and toks[c.i - 1].t == "in":
            before = [b for b in cands[:x] if b.j == c.i - 1 and b.kind != "pronoun"]
            if before:
                return att.resolve(before[-1], toks[before[-1].i].start, para, cands) or claimant
            return claimant
        if c.j < len(toks) and toks[c.j].t in (",", "-", "\u2013", "\u2014") and _in_dateline(att.doc, c.i):
            return None
    return claimant


# "Liberia has recorded 2,316", "Punjab reported 11 deaths": a place that records a figure is a
# line of someone's breakdown, not a source
BREAKDOWN_VERBS = {"recorded", "registered", "counted", "accounts", "has", "had", "have", "reported"}


def _breakdown_place(att, claimant, cands, places) -> bool:
    """The claimant is a place (or country) that is the subject of a verb of counting followed by
    its number."""
    key = fold(claimant.key)
    if claimant.slug is not None or not (key in places or key in COUNTRIES):
        return False
    toks = att.doc.tokens
    for c in cands:
        if c.actor is None or fold(c.actor.key) != key:
            continue
        k = c.j
        while k < len(toks) and toks[k].t in ("has", "have", "had", "so", "far", "now", "also", "by", "itself"):
            k += 1
        if k < len(toks) and toks[k].t in BREAKDOWN_VERBS and (toks[k].t != "reported" or (k + 1 < len(toks) and toks[k + 1].t[:1].isdigit())):
            return True
    return False


def _in_dateline(doc: Doc, i: int) -> bool:
    """Token ``i`` is in a dateline: the opening words of a paragraph before a dash."""
    toks = doc.tokens
    k = i
    steps = 0
    while k < len(toks) and steps < 14:
        if toks[k].t in ("-", "\u2013", "\u2014", "--"):
            break
        k += 1
        steps += 1
    else:
        return False
    starts = doc.text.rfind("\n", 0, toks[i].start) + 1
    return doc.text[starts:toks[i].start].count(" ") <= 4 and doc.text[starts:toks[i].start].upper() == doc.text[starts:toks[i].start]
