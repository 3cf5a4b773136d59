"""The shapes and word lists of attribution: actors, candidates, attributions, and the name
helpers (qualify, generic_name, demonym)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import (
    DEMONYMS,
    DETERMINERS,
    GENERIC_INSTITUTION_WORDS,
    INSTITUTIONAL,
    PERSON_ROLE_WORDS,
    PREPOSITIONS,
    TITLE_CORE_SYNONYMS,
    TITLES,
)
from .textutil import tokenize_folded
from .textutil import fold as _fold_key


ORG_WORDS = {
    "ministry", "agency", "office", "department", "service", "committee", "council", "union",
    "party", "army", "police", "guard", "force", "forces", "bank", "company", "group",
    "organization", "organisation", "association", "institute", "university", "hospital",
    "center", "centre", "court", "commission", "cross", "crescent", "news", "times", "post",
    "tv", "radio", "press", "television", "federation", "government", "authority", "authorities",
    "administration", "coalition", "alliance", "front", "movement", "network", "channel",
    "broadcaster", "daily", "journal", "herald", "tribune", "gazette", "telegraph",
    "corporation", "inc", "ltd", "foundation", "watch",
    "international", "nations", "red", "embassy", "secretariat", "parliament", "assembly",
    "senate", "congress", "kremlin", "cabinet", "presidency", "bureau", "directorate",
    "inspectorate", "ministries", "brigade", "battalion", "regiment", "unit", "command",
    "headquarters", "school", "club", "fund", "programme", "program", "mission", "services",
    "agencies", "department", "board", "authority", "corps", "guards", "brigades",
    "archive", "project", "initiative", "observatory", "monitor", "trust", "society", "center",
    "institution", "league", "syndicate", "chamber", "bloc", "council", "firm", "clinic",
    "airport", "airline", "airlines", "prison", "station", "office", "centre", "laboratory",
}
# first words of the names of storms, fires and operations: "Cyclone Remal" is not a person
EVENT_NAME_HEADS = {
    "cyclone", "hurricane", "storm", "typhoon", "tropical", "tornado", "operation", "wildfire",
    "fire", "earthquake", "quake", "flood", "floods", "super", "winter", "bushfire", "blizzard",
}
# a common noun right before a name that makes it a body: "the developer Fourscore Homes"
ORG_DESCRIPTORS = {
    "company", "firm", "developer", "operator", "contractor", "manufacturer", "insurer", "carrier",
    "charity", "hotline", "broadcaster", "newspaper", "network", "owner", "outfit", "retailer",
    "airline", "lender", "startup", "conglomerate", "subsidiary", "supplier", "builder",
}


def _org_run_after(toks, txt, k: int, tj: int) -> bool:
    """"Occupational Safety and Health Administration": the capitalised run after "and" ends
    in an organisation word, so "and" is inside one name."""
    n = 0
    while k < tj and n < 4 and toks[k].cap and toks[k].word:
        if txt[k] in ORG_WORDS:
            return True
        k += 1
        n += 1
    return False


_PARTY_WORDS = {"party", "movement", "coalition", "alliance", "bloc", "front"}
# role nouns that head a capitalised title written before a new name ("Public Defender Levan
# Ioseliani", "Special Agent in Charge Doug Goodwater", "Fire Marshal Ana Ruiz")
ROLE_NOUNS = {
    "defender", "agent", "ombudsman", "ombudsperson", "inspector", "advocate", "attorney",
    "justice", "counsel", "marshal", "constable", "detective", "trooper", "ranger", "auditor",
    "registrar", "warden", "dean", "rector", "bishop", "archbishop", "cardinal", "rabbi", "imam",
    "mufti", "charge", "coroner", "examiner", "controller", "administrator", "undersecretary",
    "spokesman", "spokeswoman", "spokesperson", "officer", "official", "sheriff", "lieutenant",
    "sergeant", "corporal", "major", "colonel", "captain", "commander", "general", "admiral",
    "minister", "secretary", "director", "governor", "mayor", "chief", "commissioner",
    "superintendent", "president", "chairman", "chairwoman", "chair", "head", "prosecutor",
    "judge", "senator", "representative", "deputy", "envoy", "ambassador", "premier",
}
# single title words too common to stand alone as a reference to a person
STANDALONE_TITLE_EXCLUDE = {
    ("general",), ("major",), ("captain",), ("chair",), ("head",), ("secretary",),
    ("representative",), ("lieutenant",), ("sergeant",), ("colonel",), ("chief",), ("leader",),
    ("director",), ("commander",), ("king",), ("queen",), ("prince",), ("minister",),
}
NAME_CONNECTORS = {"of", "the", "de", "al", "bin", "von", "van", "la", "le", "du", "del", "da", "do", "dos", "das", "di", "della", "el", "for", "-", ".", "'", "s", "&"}
NOMINAL_MODIFIERS = {
    "news", "state", "state-run", "state-owned", "national", "local", "regional", "federal",
    "interior", "foreign", "health", "defence", "defense", "tv", "television", "press", "official",
    "same", "other", "military", "government", "private", "public", "emergency", "emergencies",
    "security", "central", "provincial", "city", "municipal", "information",
}
# words that end a definite description before its head noun could follow
NOMINAL_STOP = {
    "and", "or", "but", "of", "in", "on", "at", "to", "for", "with", "by", "from", "that", "which",
    "who", "is", "are", "was", "were", "has", "have", "had", "be", "been", "will", "would", "not",
    "as", "than", "into", "about", "after", "before", "during", "its", "their", "his", "her",
} | DETERMINERS
QUALIFIER_LOWER = {
    "local", "state", "government", "health", "hospital", "police", "military", "security",
    "federal", "regional", "provincial", "city", "senior", "top", "union", "party", "opposition",
    "rescue", "fire", "army", "prison", "court", "ministry", "embassy", "company", "airport",
    "school", "county", "municipal", "district", "hospital", "interior", "defence", "defense",
}
TITLE_WORDS = {w for t in TITLES for w in t}
_ADJ_SUFFIXES = ("an", "ian", "ese", "ish", "ic", "i", "ch", "ss", "ern")
# nouns that a capitalised adjective typically modifies ("Kenyan city", "Kenyan police")
ADJ_HEADS = ORG_WORDS | TITLE_WORDS | {
    "city", "town", "village", "region", "province", "district", "capital", "state", "soil",
    "territory", "border", "forces", "troops", "soldiers", "people", "citizens", "media",
    "officials", "counterpart", "side", "army", "airlines", "companies", "company", "economy",
}

_TITLES_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _t in TITLES:
    _TITLES_BY_FIRST.setdefault(_t[0], []).append(_t)
_INSTITUTIONAL_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _tup, _head in sorted(INSTITUTIONAL.items(), key=lambda kv: -len(kv[0])):
    _INSTITUTIONAL_BY_FIRST.setdefault(_tup[0], []).append((_tup, _head))
INVERTED_FILLERS = {
    "message", "statement", "spokesman", "spokeswoman", "spokesperson", "from", "by", "for", "of",
    "official", "officials", "source", "sources", "close", "to", "on", "in", "friday", "monday",
    "tuesday", "wednesday", "thursday", "saturday", "sunday", "yesterday", "today", "also",
    "later", "earlier", "separately", "representative",
}
HONORIFICS = {
    "dr", "mr", "mrs", "ms", "prof", "sir", "dame", "mx", "miss", "professor", "doctor", "lt", "col",
    "gen", "maj", "capt", "sgt", "adm", "brig", "cpl", "pvt", "cmdr", "rev", "gov", "sen", "rep",
}
BE_FORMS = {"is", "are", "was", "were", "been", "being", "be", "'s"}
PASSIVE_SKIP = {"also", "reportedly", "widely", "previously", "already", "not", "officially", "now", "still", "being"}
CLOSING = {",", "\u201d", "\u201c", "\"", "\u2019", "'", "\u2013", "\u2014", "-", ")", "\u00bb"}


@dataclass(slots=True)
class Actor:
    key: str  # slug, or the name as written
    slug: str | None
    kind: str
    person: bool
    unnamed: bool = False  # witnesses, observers, "Western countries": an unnamed group
    official_generic: bool = False  # "officials", "the authorities" with no vocabulary match
    media: bool = False
    org: bool = False
    role: str = ""  # the title written before a new name: "Public Defender"


@dataclass(slots=True)
class Cand:
    i: int
    j: int
    kind: str  # vocab | proper | generic | pronoun | nominal | title | institutional
    actor: Actor | None = None
    head: str = ""
    qual: tuple[str, ...] = ()
    text: str = ""


@dataclass(slots=True)
class HistEntry:
    pos: int
    para: int
    actor: Actor
    claimant: bool
    via: list[Actor] = field(default_factory=list)
    sent: int = 0


@dataclass(slots=True)
class Attribution:
    claimant: Actor | None = None
    via: list[Actor] = field(default_factory=list)
    explicit: bool = False  # a verb of saying / "according to" was found
    speech: bool = False  # the clause is itself a speech act (a statement candidate)
    media_reports: bool = False  # "according to media reports": no named source


def actor_from_vocab(vocab, slug: str) -> Actor:
    kind = vocab.actor_kind.get(slug, "other")
    return Actor(
        key=slug, slug=slug, kind=kind, person=kind == "person", unnamed=kind == "other",
        media=kind == "media", org=kind in ("organisation", "government", "media"),
    )



# heads of a country's core state bodies: "Peru's police", "Armenia's Health Ministry" take the
# demonym ("Peruvian police"); any other body keeps the words as written ("Haiti's civil
# protection office", "Iran's Supreme National Security Council")
CORE_BODY_HEADS = {"ministry", "police", "army", "military", "government", "authorities", "cabinet", "presidency", "navy", "service"}

FIGURE_ONLY_VERBS = {
    "recorded", "registered", "counted", "documented", "tallied", "listed", "put", "puts", "gave",
    "gives", "raised", "raises", "revised", "updated", "lowered", "released", "published",
    "logged", "given", "recorded", "confirmed", "counts", "tallies", "cut", "cuts", "estimated",
    "estimates", "reported", "reports",
}


ADJUNCT_START = PREPOSITIONS | {
    "late", "early", "yesterday", "today", "tonight", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "last", "this", "earlier", "later", "again",
    "also", "separately", "recently", "publicly", "reporters", "journalists", "repeatedly",
}


def trailing(toks, v: int, cj: int) -> bool:
    """A verb of saying that closes its sentence ("..., the agency said in a statement."):
    nothing follows it but adjuncts."""
    rest = toks[v + 1:cj]
    for x, t in enumerate(rest):
        if t.t == "," and 0 < x < len(rest) - 1 and rest[x - 1].t[-1:].isdigit() and rest[x + 1].t[:1].isdigit() and rest[x - 1].end == t.start == rest[x + 1].start - 1:
            continue  # the comma of "700,000"
        if t.t == ",":
            rest = rest[:x]  # "..., officials said (on Sunday), as rescuers searched ..."
            if not rest:
                return True
            break
    words = [t.t for t in rest if t.word]
    if len(words) > 6 or "that" in words:
        return False
    if any(t.t in (":", ",", "\u201c", "\u201d", "\"") for t in rest):
        return False
    if words[:2] in (["at", "least"], ["at", "most"]) or (words and words[0][:1].isdigit()):
        return False  # "... report at least 17 deaths": the verb's object, not an adjunct
    return not words or words[0] in ADJUNCT_START


def _title_keys(tl: tuple[str, ...]) -> list[tuple[str, ...]]:
    keys = [tl]
    if tl in TITLE_CORE_SYNONYMS:
        keys.append(TITLE_CORE_SYNONYMS[tl])
    for k, v in TITLE_CORE_SYNONYMS.items():
        if v == tl:
            keys.append(k)
    # the core noun: a "deputy health minister" is also a "minister"
    if len(tl) > 1 and tl[-1] in PERSON_ROLE_WORDS and tl not in TITLE_CORE_SYNONYMS and "of" not in tl:
        keys.append(tl[-1:])
    return keys


def _prefix_match(a, b) -> bool:
    for x in a:
        for y in b:
            x2 = x.replace("'s", "")
            y2 = y.replace("'s", "")
            if len(x2) >= 2 and len(y2) >= 2 and (x2[:4] == y2[:4] or x2 == y2):
                return True
    return False


# the adjective an institution takes where a country has several ("Philippine police")
_DEMONYM_OF: dict[str, str] = {"philippines": "philippine", "nepal": "nepalese"}
for _dem, _country in DEMONYMS.items():
    _DEMONYM_OF.setdefault(_country, _dem)


def demonym(country: str) -> str:
    """"georgia" -> "Georgian"; a country without a demonym in the table keeps its name."""
    d = _DEMONYM_OF.get(country, country)
    return " ".join(w.capitalize() for w in d.split())


def qualify(name: str, country: str, vocab=None, adjective: bool = True) -> str:
    """"Interior Ministry" in a story about Georgia -> "Georgian Interior Ministry" (with
    ``adjective=False`` the place as written: "Tulsa police"); the vocabulary slug when the
    qualified name is an actor's name ("Kazakh police")."""
    bare = name[4:] if name.lower().startswith("the ") else name
    q = f"{demonym(country) if adjective else country} {bare}"
    if vocab is not None:
        hit = vocab.actor_index.entries.get(tokenize_folded(_fold_key(q)))
        if hit:
            return hit[0].slug
    return q


def generic_name(key: str) -> bool:
    """"Interior Ministry", "Health Ministry", "the Army": an institution name that names no
    country."""
    words = re.findall(r"[\w']+", _fold_key(key))
    return bool(words) and all(w in GENERIC_INSTITUTION_WORDS for w in words) and not all(w in ("the", "of", "and") for w in words)
