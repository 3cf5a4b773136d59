"""Who says it: actor mentions, subjects of verbs of saying, relays and back-references.

Patterns handled (all generic English reporting syntax):
  "X said/says/reported/announced/stated/claimed/told ..."       claimant X
  "..., said X" / "..., reports X" / "“...,” X said"                claimant X
  "according to X"                                                 claimant X
  "X reports with reference to Y" / "X, citing Y, ..." /
  "X quoted Y (as saying)" / "X reported – quoting Y –"            claimant Y via X
  "Y said ..., according to X" / "According to X, Y said"          claimant Y via X
  "Y said ..., X reported." (trailing reporter)                    claimant Y via X
  "Y told an AFP reporter / said on state television / to a local media / in an interview with X"
                                                                   claimant Y via X (media only)
  "Britain – through its Foreign Minister X – expressed"           claimant X
  "at the request of X"                                            claimant X
  "he", "she", "they", "the ministry", "the organization", "the news agency", "reporters",
  "the president", "the head of state", "the secretary of state"   back-references
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import (
    CAPITAL_STOP,
    COUNTRIES,
    COUNTRY_ALIASES,
    DEMONYMS,
    DETERMINERS,
    EYEWITNESS_WORDS,
    GENERIC_INSTITUTION_WORDS,
    GENERIC_SOURCES,
    INSTITUTIONAL,
    MEDIA_WORDS,
    NOMINAL_HEADS,
    NOUN_AMBIGUOUS,
    PERCEPTION_VERBS,
    PERSON_ROLE_WORDS,
    PREPOSITIONS,
    PRONOUNS_OTHER,
    PRONOUNS_PERSON,
    RELAY_VERBS,
    SPEECH_VERBS,
    SUBJECT_FILLERS,
    TITLE_CORE_SYNONYMS,
    TITLES,
    UNNAMED_SOURCES,
)
from .textutil import Token, tokenize_folded
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


class Attributor:
    """Finds claimants in the sentences of one document, remembering who was named before."""

    def __init__(self, doc, vocab) -> None:
        self.doc = doc
        self.toks: list[Token] = doc.tokens
        self.txt: list[str] = [t.t for t in doc.tokens]
        self.vocab = vocab
        self.history: list[HistEntry] = []
        self.main_prefixes: list[str] = []
        self.main_place: str | None = None
        self.country: str | None = None  # the country the story is about (qualifies "police")
        self.places: set[str] = set()
        self.cands_by_sent: list[list[Cand]] = []
        self.title_map: dict[tuple[str, ...], list[tuple[Actor, tuple[str, ...]]]] = {}
        self.eyewitness_keys: set[str] = set()
        self.mention_counts: dict[str, int] = {}
        self.title_before: dict[int, tuple[str, ...]] = {}  # token index of a name -> its title
        self.surnames: dict[str, Actor] = {}  # last name (folded) -> the person first named in full
        self.acronyms: dict[str, Actor] = {}  # "indeci" -> the body named in full before "(INDECI)"

    # ------------------------------------------------------------------ candidates

    def find_cands(self, ti: int, tj: int, vocab_matches) -> list[Cand]:
        toks = self.toks
        txt = self.txt
        text = self.doc.text
        cands: list[Cand] = []
        taken = [False] * (tj - ti)
        for m in vocab_matches:
            entry = m.value[0]
            a = actor_from_vocab(self.vocab, entry.slug)
            if any(t in PERSON_ROLE_WORDS for t in txt[m.i:m.j]):
                a.person = True
            cands.append(Cand(m.i, m.j, "vocab", a, text=text[toks[m.i].start:toks[m.j - 1].end]))
            for k in range(m.i, m.j):
                taken[k - ti] = True
        # a title right before a name belongs to the name: "Foreign Minister Liz Truss"
        for k in range(ti, tj):
            if taken[k - ti]:
                continue
            tl = self._title_at(k, tj)
            if tl is None:
                continue
            end = k + len(tl)
            # "Commissioner for Human Rights", "President of Peru"
            if end + 1 < tj and txt[end] in ("of", "for") and toks[end + 1].cap and txt[end + 1] not in CAPITAL_STOP and not taken[end + 1 - ti]:
                e2 = end + 1
                while e2 < tj and e2 - end <= 4 and not taken[e2 - ti] and toks[e2].cap and toks[e2].word:
                    e2 += 1
                if e2 < tj and taken[e2 - ti] or e2 - end == 2:
                    end = e2
            if end < tj and (taken[end - ti] or (toks[end].cap and toks[end].word and txt[end] not in CAPITAL_STOP and txt[end] not in ORG_WORDS and self._title_at(end, tj) is None)):
                qs, _ = self._qualifier_before(k, ti)
                for x in range(qs, end):
                    taken[x - ti] = True
                self.title_before[end] = tl
        k = ti
        while k < tj:
            if taken[k - ti]:
                k += 1
                continue
            t = toks[k]
            w = t.t
            # titles standing for a person ("the Peruvian president", "the head of state")
            tl = self._title_at(k, tj)
            if tl is not None:
                end = k + len(tl)
                if end + 1 < tj and txt[end] == "of" and toks[end + 1].cap and txt[end + 1] not in CAPITAL_STOP:
                    end += 2
                if tl not in STANDALONE_TITLE_EXCLUDE or t.cap:
                    qs, qual = self._qualifier_before(k, ti)
                    if end > k + len(tl):
                        qual = qual + (txt[end - 1],)
                    if qs == k and k > ti and txt[k - 1] not in DETERMINERS and not (k == ti or t.cap):
                        k = end
                        continue
                    cands.append(Cand(qs, end, "title", head=" ".join(tl), qual=qual,
                                      text=text[toks[qs].start:toks[end - 1].end]))
                    k = end
                    continue
            if w in PRONOUNS_PERSON or w in PRONOUNS_OTHER:
                cands.append(Cand(k, k + 1, "pronoun", head=w, text=w))
                k += 1
                continue
            # institutional phrases ("official figures", "the authorities", "officials")
            hit = None
            for tup, head in _INSTITUTIONAL_BY_FIRST.get(w, ()):
                n = len(tup)
                if k + n <= tj and tuple(txt[k:k + n]) == tup and not any(taken[x - ti] for x in range(k, k + n)):
                    hit = (tup, head)
                    break
            if hit is not None:
                n = len(hit[0])
                qs, qual = self._qualifier_before(k, ti)
                end = k + n
                # "authorities in Syria", "officials in Kyiv"
                if end + 1 < tj and txt[end] == "in" and toks[end + 1].cap and toks[end + 1].word and txt[end + 1] not in CAPITAL_STOP:
                    end += 2
                    while end < tj and toks[end].cap and toks[end].word:
                        end += 1
                cands.append(Cand(qs, end, "institutional", head=hit[1], qual=qual,
                                  text=text[toks[qs].start:toks[end - 1].end]))
                k = end
                continue
            # definite descriptions ("the ministry", "the news agency", "the regional health department")
            possessive = w == "s" and k - 2 >= ti and txt[k - 1] == "'" and toks[k - 2].cap and (txt[k - 2] in COUNTRIES or txt[k - 2] in COUNTRY_ALIASES)
            if (w in ("the", "this", "that") or possessive) and k + 1 < tj:
                e = k + 1
                mods: list[str] = []
                while e + 1 < tj and len(mods) < 4 and not taken[e - ti] and txt[e] not in NOMINAL_HEADS and (
                    (toks[e].word and not toks[e].cap and txt[e] not in NOMINAL_STOP and (txt[e] not in SPEECH_VERBS or txt[e] in NOUN_AMBIGUOUS))
                    or (txt[e] == "'" and e + 1 < tj and txt[e + 1] == "s")
                    or (txt[e] == "s" and txt[e - 1] == "'")
                    or txt[e] == "-"
                ):
                    mods.append(txt[e])
                    e += 1
                if possessive and e < tj and txt[e] in NOMINAL_HEADS and not taken[e - ti] and not toks[e].cap:
                    # "Ecuador's prison authority": the country's body, "Ecuadorian prison authority"
                    country = COUNTRY_ALIASES.get(txt[k - 2]) or txt[k - 2]
                    q = qualify(text[toks[k + 1].start:toks[e].end], country, self.vocab)
                    if q in self.vocab.actor_kind:
                        a = actor_from_vocab(self.vocab, q)
                    else:
                        a = Actor(key=q, slug=None, kind="organisation", person=False, org=True)
                    cands = [c for c in cands if c.i != k - 2]
                    cands.append(Cand(k - 2, e + 1, "proper", a, text=q))
                    k = e + 1
                    continue
                if possessive:
                    k += 1
                    continue
                if e < tj and txt[e] in NOMINAL_HEADS and not taken[e - ti] and not toks[e].cap:
                    # "the agency's figures": a possessive is still the agency
                    head = NOMINAL_HEADS[txt[e]]
                    if head == "media" and txt[e] == "agency" and "news" not in mods:
                        head = "org"
                    cands.append(Cand(k, e + 1, "nominal", head=head, qual=tuple(m for m in mods if m[:1].isalpha() and m != "s"),
                                      text=text[toks[k].start:toks[e].end]))
                    k = e + 1
                    continue
            if w in ("reporters", "correspondents", "journalists"):
                cands.append(Cand(k, k + 1, "nominal", head="media", text=w))
                k += 1
                continue
            # generic sources ("witnesses", "local officials")
            if w in GENERIC_SOURCES and (not t.cap or k == ti or txt[k - 1] in ("\"", "\u201c")):
                qs, qual = self._qualifier_before(k, ti)
                cands.append(Cand(qs, k + 1, "generic", head=w, qual=qual, text=text[toks[qs].start:t.end]))
                k += 1
                continue
            # unknown proper names
            if t.cap and w in CAPITAL_STOP:
                k += 1
                continue
            if t.cap and t.word and not w[:1].isdigit():
                e = k
                last_cap = k
                while e < tj and not taken[e - ti]:
                    x = toks[e]
                    if x.cap and x.word and not x.t[:1].isdigit():
                        last_cap = e
                        e += 1
                    elif (x.t in NAME_CONNECTORS or (x.t == "in" and toks[e + 1].t == "charge")) and e + 1 < tj and e > k:
                        e += 1
                    elif (
                        x.t in ("and", "on") and e + 1 < tj and e > k and toks[e + 1].cap and toks[e + 1].word
                        and not taken[e + 1 - ti] and txt[e + 1] not in CAPITAL_STOP
                        and (
                            (any(w in ORG_WORDS for w in txt[k:e]) and (x.t == "on" or (txt[e - 1] not in ORG_WORDS and any(w in ("of", "for", "on") for w in txt[k:e]))))
                            or (x.t == "and" and txt[e - 1] not in ORG_WORDS and _org_run_after(toks, txt, e + 1, tj))
                        )
                    ):
                        e += 1  # "Ministry of Disaster Management and Relief", "Commission on Human Rights"
                    else:
                        break
                end = last_cap + 1
                s0 = k
                while s0 < end and txt[s0] in CAPITAL_STOP:
                    s0 += 1
                if s0 < end:
                    single = end - s0 == 1
                    nxt = toks[end] if end < tj else None
                    # "Chilean state news agency", "the Kenyan city of": an adjective, not a name
                    adjective = (
                        single and nxt is not None and nxt.word and not nxt.cap
                        and s0 not in self.title_before
                        and (
                            txt[s0].endswith(_ADJ_SUFFIXES)
                            or nxt.t in ADJ_HEADS
                        )
                        and (nxt.t not in SPEECH_VERBS or nxt.t in NOUN_AMBIGUOUS) and nxt.t not in SUBJECT_FILLERS and nxt.t not in RELAY_VERBS
                    )
                    if adjective and nxt.t in _PARTY_WORDS and not t.upper and txt[s0] not in DEMONYMS and txt[s0] not in COUNTRIES and txt[s0] not in COUNTRY_ALIASES:
                        cands.append(self._proper(s0, end + 1))  # "the Congress party", "the Likud party"
                        k = end + 1
                        continue
                    if adjective and t.upper and len(w) >= 2 and nxt.t in ORG_WORDS and nxt.t not in ("news", "times", "post", "red"):
                        # "the CGT union", "the PKK party": an acronym names the body
                        c = self._proper(s0, end)  # the name is the acronym: "CGT"
                        c.j = end + 1
                        if c.actor is not None:
                            c.actor.org, c.actor.kind, c.actor.person = True, "organisation", False
                        cands.append(c)
                        k = end + 1
                        continue
                    if not adjective:
                        cands.append(self._proper(s0, end))
                k = max(end, k + 1)
                continue
            k += 1
        cands.sort(key=lambda c: c.i)
        # "the opposition Coalition for Change", "the rights group Amnesty International": a
        # common-noun source right before a name is its description; the name speaks
        drop = {id(a) for a, b in zip(cands, cands[1:]) if a.kind == "generic" and b.j > b.i and a.j == b.i and b.kind in ("proper", "vocab") and b.actor is not None and (not b.actor.person or (b.kind == "proper" and not b.head))}
        if drop:
            cands = [c for c in cands if id(c) not in drop]
        # "(AP)", "(AFP)", "(NATO)": credits and acronyms in brackets are not new mentions
        return [c for c in cands if not (c.i > ti and c.j < tj and txt[c.i - 1] == "(" and txt[c.j] == ")")]

    def _title_at(self, k: int, tj: int) -> tuple[str, ...] | None:
        lst = _TITLES_BY_FIRST.get(self.txt[k])
        if not lst:
            return None
        for tl in lst:
            n = len(tl)
            if k + n <= tj and tuple(self.txt[k:k + n]) == tl:
                return tl
        return None

    def _qualifier_before(self, k: int, ti: int) -> tuple[int, tuple[str, ...]]:
        """Capitalised adjectives or "country's" before a noun ("Kenyan", "US", "the country's").
        Returns the first token index of the qualified phrase and the qualifier words."""
        toks = self.toks
        out: list[str] = []
        x = k - 1
        start = k
        while x >= ti and len(out) < 3:
            t = toks[x]
            if t.t == "s" and x - 2 >= ti and toks[x - 1].t == "'" and toks[x - 2].word:
                out.insert(0, toks[x - 2].t + "'s")
                start = x - 2
                x -= 3
                continue
            if t.cap and t.word and t.t not in CAPITAL_STOP:
                out.insert(0, t.t)
                start = x
                x -= 1
                continue
            if t.t in QUALIFIER_LOWER:
                out.insert(0, t.t)
                start = x
                x -= 1
                continue
            break
        return start, tuple(out)

    def _proper(self, s: int, e: int) -> Cand:
        toks = self.toks
        k = s
        title: tuple[str, ...] = self.title_before.get(s, ())
        while k < e:
            tl = self._title_at(k, e)
            if tl is None:
                break
            title = tl
            k += len(tl)
        name_s = k if k < e else s
        while name_s + 1 < e and self.txt[name_s] in HONORIFICS:
            name_s += 1  # "Dr. Jane Smith" -> "Jane Smith"
            if self.txt[name_s] == "." and name_s + 1 < e:
                name_s += 1
        while e - 1 > name_s and self.txt[e - 1] in ("spokesman", "spokeswoman", "spokesperson", "official", "officials", "source", "sources"):
            e -= 1  # "a Metropolitan Police spokesperson" speaks for the Metropolitan Police
        words = [t for t in self.txt[name_s:e] if t[:1].isalnum()]
        role = " ".join(self.doc.text[toks[s].start:toks[name_s - 1].end].split()) if name_s > s else ""
        # a capitalised title glued to a new name: "Public Defender Levan Ioseliani"
        if not any(w in ORG_WORDS for w in words) and len(words) >= 3:
            r = max((x for x in range(name_s, e - 2) if self.txt[x] in ROLE_NOUNS), default=-1)
            if r >= 0 and 2 <= e - (r + 1) <= 3 and all(toks[x].cap and toks[x].word for x in range(r + 1, e)):
                r0 = s - len(self.title_before[s]) if s in self.title_before else s  # "Chief" + "Inspector"
                role = " ".join(self.doc.text[toks[r0].start:toks[r].end].split())
                title = title or ("official",)
                name_s = r + 1
                words = [t for t in self.txt[name_s:e] if t[:1].isalnum()]
        if not any(w in ORG_WORDS for w in words) and len(words) >= 5 and not title:
            # "State Minister for Disaster Management Mohibbur Rahman": a title with an "of/for"
            # complement glued to a new name; the name is the last two capitalised words
            r = next((x for x in range(name_s, e - 4) if self.txt[x] in ROLE_NOUNS and self.txt[x + 1] in ("of", "for")), -1)
            if r >= 0 and all(toks[x].cap and toks[x].word for x in range(e - 2, e)) and all(toks[x].cap or self.txt[x] in NAME_CONNECTORS or self.txt[x] == "and" for x in range(r + 2, e)):
                r0 = s - len(self.title_before[s]) if s in self.title_before else s
                role = " ".join(self.doc.text[toks[r0].start:toks[e - 3].end].split())
                title = title or ("official",)
                name_s = e - 2
                words = [t for t in self.txt[name_s:e] if t[:1].isalnum()]
        elif (
            not any(w in ORG_WORDS for w in words) and len(words) >= 3 and name_s == s and s >= 2
            and self.txt[s - 1] in ("of", "for") and self.txt[s - 2] in ROLE_NOUNS
            and all(toks[x].cap and toks[x].word for x in range(s, e))
        ):
            # "Deputy Minister for Civil Protection Ana Ferreira": the complement of the title
            # ends two words before the end
            r0 = s - 2
            while r0 - 1 >= 0 and toks[r0 - 1].cap and toks[r0 - 1].word and self.txt[r0 - 1] in ROLE_NOUNS | {"deputy", "state", "vice", "first", "acting"}:
                r0 -= 1
            role = " ".join(self.doc.text[toks[r0].start:toks[e - 3].end].split())
            title = title or ("official",)
            name_s = e - 2
            words = [t for t in self.txt[name_s:e] if t[:1].isalnum()]
        org = any(w in ORG_WORDS for w in words) or (s >= 1 and self.txt[s - 1] in ORG_DESCRIPTORS)
        dateline = (
            (toks[name_s].start == 0 or self.doc.text[toks[name_s].start - 1] == "\n")
            and e < len(toks) and self.txt[e] == ","
        )  # "LAGOS, Nov 3 (Reuters) -": a place, not an acronym
        if len(words) == 1 and e - name_s == 1 and toks[name_s].upper and 2 <= len(words[0]) <= 8 and words[0].isalpha() and not dateline:
            org = True  # "INDECI", "GYLA", "FBI": an acronym names a body, not a person
        media = any(w in MEDIA_WORDS for w in words)
        event = len(words) >= 2 and words[0] in EVENT_NAME_HEADS  # "Cyclone Remal", "Storm Ciarán"
        person = not org and not event and (bool(title) or (2 <= len(words) <= 4 and all(toks[x].cap for x in range(name_s, e) if toks[x].word)))
        text = self.doc.text[toks[name_s].start:toks[e - 1].end]
        a = Actor(key=text, slug=None, kind="person" if person else ("media" if media else "other"),
                  person=person, media=media, org=org, role=role if person else "")
        return Cand(s, e, "proper", a, head=" ".join(title), text=text)

    # ------------------------------------------------------------------ document pre-pass

    def learn_titles(self, cands: list[Cand]) -> None:
        """Record "President X", "the President of Peru, X", "X – US Secretary of State –"."""
        toks = self.toks
        for c in cands:
            if c.kind not in ("vocab", "proper") or c.actor is None:
                continue
            a = c.actor
            self.mention_counts[a.key] = self.mention_counts.get(a.key, 0) + 1
            # "the National Civil Defence Institute (INDECI)": the acronym names the same body
            if c.j + 2 < len(toks) and self.txt[c.j] == "(" and self.txt[c.j + 2] == ")" and toks[c.j + 1].upper and not a.person:
                self.acronyms.setdefault(self.txt[c.j + 1], a)
            if c.kind == "proper" and a.person and " " in a.key:
                last = _fold_key(a.key.split()[-1])
                if len(last) >= 3:
                    self.surnames.setdefault(last, a)  # "Dennis Larsen" ... later "Larsen said"
            if (a.person or c.kind == "proper") and (
                (c.i >= 1 and self.txt[c.i - 1] in EYEWITNESS_WORDS)
                or (c.j + 1 < len(toks) and self.txt[c.j] == "," and self.txt[c.j + 1] in ("a", "an") and any(w in EYEWITNESS_WORDS for w in self.txt[c.j + 2:c.j + 6]))
            ):
                self.eyewitness_keys.add(a.key)  # "the protester Ana", "Nino, a 23-year-old student"
                a.person = True
            if not a.person:
                continue
            found = self._title_ending_at(c.i)
            if found is None and c.i >= 1 and self.txt[c.i - 1] == ",":
                found = self._title_ending_at(c.i - 1)
            if found is None and c.kind == "proper" and c.head:
                found = (tuple(c.head.split()), ())
            if found is None and c.j + 1 < len(toks) and self.txt[c.j] in (",", "\u2013", "\u2014", "-"):
                k = c.j + 1
                qual: list[str] = []
                while k < len(toks) and toks[k].cap and toks[k].word and self._title_at(k, min(len(toks), k + 6)) is None and len(qual) < 2:
                    qual.append(self.txt[k])
                    k += 1
                tl = self._title_at(k, min(len(toks), k + 6)) if k < len(toks) else None
                if tl is not None:
                    found = (tl, tuple(qual))
            if found is None:
                continue
            tl, qual = found
            for key in _title_keys(tl):
                self.title_map.setdefault(key, []).append((a, qual))

    def _title_ending_at(self, k: int) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        txt = self.txt
        for tl in TITLES:
            n = len(tl)
            s = k - n
            if s >= 0 and txt[s:k] == list(tl):
                return tl, self._qualifier_before(s, max(0, s - 4))[1]
        # "President of Peru" ending at k: TITLE of X
        if k >= 3 and txt[k - 2] == "of" and self.toks[k - 1].cap:
            for tl in TITLES:
                n = len(tl)
                s = k - 2 - n
                if s >= 0 and txt[s:k - 2] == list(tl):
                    return tl, (txt[k - 1],) + self._qualifier_before(s, max(0, s - 4))[1]
        return None

    # ------------------------------------------------------------------ resolution

    def resolve(self, c: Cand, pos: int, para: int, sent_cands: list[Cand]) -> Actor | None:
        if c.kind == "proper" and c.actor is not None and " " not in c.actor.key.strip():
            full = self.acronyms.get(_fold_key(c.actor.key.strip()))
            if full is not None:
                return full
            full = self.surnames.get(_fold_key(c.actor.key.strip()))
            if full is not None and not c.actor.org:
                return full
        if c.kind == "proper" and c.actor is not None and c.actor.slug is None and "'s " in c.actor.key.replace("\u2019", "'"):
            owner, _, rest = c.actor.key.replace("\u2019", "'").partition("'s ")
            country = COUNTRY_ALIASES.get(_fold_key(owner)) or (_fold_key(owner) if _fold_key(owner) in COUNTRIES else None)
            if country is not None and generic_name(rest):
                q = qualify(rest, country, self.vocab)  # "Armenia's Health Ministry"
                if q in self.vocab.actor_kind:
                    return actor_from_vocab(self.vocab, q)
                return Actor(key=q, slug=None, kind=c.actor.kind, person=c.actor.person, org=True)
        if c.kind == "proper" and c.actor is not None and c.actor.slug is None and c.i >= 3 and self.txt[c.i - 1] == "s" and self.txt[c.i - 2] == "'" and generic_name(c.actor.key):
            # "Russia's Defence Ministry" is the Russian Defence Ministry
            w = self.txt[c.i - 3]
            country = COUNTRY_ALIASES.get(w) or (w if w in COUNTRIES else None)
            if country is None and c.i >= 4 and (self.txt[c.i - 4] + " " + w) in COUNTRIES:
                country = self.txt[c.i - 4] + " " + w
            if country is not None:
                q = qualify(c.actor.key, country, self.vocab)
                if q in self.vocab.actor_kind:
                    return actor_from_vocab(self.vocab, q)
                return Actor(key=q, slug=None, kind=c.actor.kind, person=c.actor.person, org=True)
        if c.kind in ("vocab", "proper"):
            return c.actor
        if c.kind == "pronoun":
            return self._resolve_pronoun(c, pos, para, sent_cands)
        if c.kind == "title":
            a = self._resolve_title(c)
            if a is None and c.head in ("spokesman", "spokeswoman", "spokesperson"):
                # "..., treated at Hillcrest Medical Center, a spokeswoman said": the body just named
                for sc in reversed(sent_cands):
                    if sc.j <= c.i and sc.kind in ("vocab", "proper") and sc.actor is not None and sc.actor.org and not sc.actor.media:
                        return sc.actor
            return a
        if c.kind == "nominal":
            a = self._resolve_nominal(c.head, pos, sent_cands, c)
            if a is None and c.qual and c.head not in ("media",):
                # "the electoral commission", "the state civil defense agency": named by description
                words = c.text.split(None, 1)
                desc = words[1] if len(words) > 1 and words[0].lower() in ("the", "this", "that") else c.text
                a = Actor(key=desc, slug=None, kind="organisation", person=False, org=True)
            if a is None and c.head in ("army", "police", "government", "authorities") and c.text.lower().split()[0] == "the":
                # "the army said", with no army named before: the army of the story's country
                a = Actor(key=c.text.split(None, 1)[1].lower(), slug=None, kind="government", person=False, official_generic=True, org=True)
            return a
        if c.kind == "institutional":
            a = self._resolve_nominal(c.head, pos, sent_cands, c, history=False)
            if a is not None:
                return a
            text = c.text[4:] if c.text.lower().startswith("the ") else c.text
            return Actor(key=text, slug=None, kind="government", person=False, official_generic=True, org=True)
        if c.kind == "generic":
            if c.head in ("reports", "media", "rumours", "rumors"):
                return None  # "according to media reports": no source named
            if c.head in ("spokesman", "spokeswoman", "spokesperson"):
                # "a Metropolitan Police spokesperson": the body it speaks for
                words = c.text.rsplit(None, 1)
                if c.qual and len(words) == 2 and any(ch.isupper() for ch in words[0]):
                    return Actor(key=words[0], slug=None, kind="organisation", person=False, org=True)
                # "..., treated at Hillcrest Medical Center, a spokeswoman said": the body just named
                for sc in reversed(sent_cands):
                    if sc.j <= c.i and sc.kind in ("vocab", "proper") and sc.actor is not None and sc.actor.org and not sc.actor.media:
                        return sc.actor
                return None
            if c.head in ("officials", "authorities", "government", "ministry", "police", "army", "military"):
                a = self._resolve_nominal({"officials": "authorities"}.get(c.head, c.head), pos, sent_cands, c, history=False)
                if a is not None:
                    return a
            return Actor(key=c.text, slug=None, kind="other", person=False, unnamed=c.head in UNNAMED_SOURCES,
                         official_generic=c.head not in UNNAMED_SOURCES)
        return c.actor

    @staticmethod
    def _compatible(a: Actor, pron: str) -> bool:
        if pron in PRONOUNS_PERSON:
            return a.person
        if a.person:
            return False
        return a.slug is not None and a.kind != "country" or a.org or a.media

    def _resolve_pronoun(self, c: Cand, pos: int, para: int, sent_cands: list[Cand]) -> Actor | None:
        pron = c.head
        for sc in reversed(sent_cands):
            if sc.j > c.i:
                continue
            if sc.kind in ("vocab", "proper") and sc.actor is not None and self._compatible(sc.actor, pron):
                return sc.actor
            if sc.kind == "title" and pron in PRONOUNS_PERSON:
                a = self._resolve_title(sc)
                if a is not None:
                    return a
        hist = self.history
        for claimant_only in (True, False):
            for h in reversed(hist):
                if h.para != para:
                    break
                if claimant_only and not h.claimant:
                    continue
                if self._compatible(h.actor, pron):
                    return h.actor
        for claimant_only in (True, False):
            for h in reversed(hist):
                if pos - h.pos > 700 or para - h.para > 2:
                    break
                if claimant_only and not h.claimant:
                    continue
                if self._compatible(h.actor, pron):
                    return h.actor
        return None

    def _resolve_title(self, c: Cand) -> Actor | None:
        tl = tuple(c.head.split())
        entries: list[tuple[Actor, tuple[str, ...]]] = []
        for key in _title_keys(tl):
            entries.extend(self.title_map.get(key, []))
        qual = [q for q in c.qual if q not in ("the",)]
        if entries:
            if qual:
                for a, q in entries:
                    if _prefix_match(qual, q):
                        return a
                if all(q for _, q in entries) and any(q[:1].isalpha() and not q.endswith("'s") for q in qual):
                    return None  # "the Turkish president" is none of the presidents named so far
            best = max(entries, key=lambda e: self.mention_counts.get(e[0].key, 0))
            return best[0]
        if qual and any(q[:1].isalpha() and not q.endswith("'s") for q in qual):
            text = c.text[4:] if c.text.lower().startswith("the ") else c.text
            if tl in (("spokesman",), ("spokeswoman",), ("spokesperson",)):
                # "a Metropolitan Police spokesperson" speaks for the Metropolitan Police
                body = text.rsplit(None, 1)[0] if " " in text else text
                if body[:1].isupper():
                    return Actor(key=body, slug=None, kind="organisation", person=False, org=True)
            return Actor(key=text, slug=None, kind="person", person=True)
        return None

    def _matches_head(self, a: Actor, head: str) -> bool:
        if head == "media":
            return a.kind == "media" or a.media
        if head == "org":
            return a.kind == "organisation" or (a.slug is None and a.org and not a.media)
        words = {"authorities": ("authorities", "authority"), "government": ("government", "cabinet", "executive"),
                 "army": ("army", "military", "armed", "defence", "defense"), "police": ("police",),
                 "office": ("office", "service", "presidency"), "ministry": ("ministry", "department"),
                 "department": ("department", "ministry")}.get(head, (head,))
        names = self.vocab.actor_names.get(a.slug, []) if a.slug else [tuple(a.key.lower().split())]
        return any(w in n for n in names for w in words)

    def _resolve_nominal(self, head: str, pos: int, sent_cands: list[Cand], c: Cand, history: bool = True) -> Actor | None:
        if history:
            for sc in reversed(sent_cands):
                if sc.j <= c.i and sc.kind in ("vocab", "proper") and sc.actor and self._matches_head(sc.actor, head):
                    return sc.actor
            for h in reversed(self.history):
                if self._matches_head(h.actor, head):
                    return h.actor
        # a vocabulary actor of the article's country ("the authorities" in a story about its country)
        words = {"authorities": ("authorities",), "government": ("government", "cabinet"), "police": ("police",),
                 "army": ("army", "military"), "ministry": ("ministry",)}.get(head)
        if words and self.main_prefixes:
            best = None
            for slug, names in self.vocab.actor_names.items():
                if not any(w in n for n in names for w in words):
                    continue
                if any(tok[:5] in self.main_prefixes for n in names for tok in n if len(tok) >= 4):
                    if best is None or len(names) > len(self.vocab.actor_names[best]):
                        best = slug
            if best is not None:
                return actor_from_vocab(self.vocab, best)
        if history and head in ("government", "ministry", "org", "media", "police", "army"):
            # a headline or lede refers forward to an actor named in the body
            for cl in self.cands_by_sent:
                for later in cl:
                    if later.kind == "vocab" and later.actor and self.toks[later.i].start > pos and self._matches_head(later.actor, head):
                        return later.actor
        return None

    # ------------------------------------------------------------------ attribution of a clause

    def governing(self, c: Cand, lo: int) -> str | None:
        """The preposition (or relay word) that governs a mention, if any."""
        toks = self.toks
        txt = self.txt
        if c.actor is not None and c.actor.person and (c.i in self.title_before):
            return None  # "UN Commissioner for Human Rights Michelle Bachelet": the name heads its phrase
        k = c.i - 1
        steps = 0
        while k >= lo and steps < 6:
            t = txt[k]
            if t in ("citing", "quoting", "cited", "quoted"):
                return "citing"
            if t == "to" and k >= 1 and txt[k - 1] in ("according", "reference", "referring"):
                return "according" if txt[k - 1] == "according" else "citing"
            if t in PREPOSITIONS:
                return t
            if t in DETERMINERS or t in NOMINAL_MODIFIERS or (toks[k].cap and toks[k].word) or t in ("'", "s"):
                k -= 1
                steps += 1
                continue
            return None
        return None

    def attribute(self, ci: int, cj: int, cands: list[Cand], quote_tok: list[bool], number_toks: set[int],
                  para: int, figure_clause: bool, ti: int) -> Attribution:
        toks = self.toks
        txt = self.txt
        res = Attribution()
        cl_cands = [c for c in cands if c.i >= ci and c.j <= cj]
        by_end = {c.j: c for c in cl_cands}
        by_start = {c.i: c for c in cl_cands}

        def find_subject(v: int, strict: bool) -> Cand | None:
            k = v - 1
            gap = 0
            while k >= ci:
                c = by_end.get(k + 1)
                if c is not None:
                    g = self.governing(c, ci)
                    if g in (None, "through"):
                        return c
                    k = c.i - 1
                    gap += 1
                    if strict:
                        return None
                    continue
                t = txt[k]
                if t in (".", ";", ":", "?", "!", "that", "which", "who", "whom", "where", "because", "but", "if", "whether", "when") or quote_tok[k - ti]:
                    return None
                if t in ("\u2013", "\u2014", ")") and k > ci:
                    # skip a parenthesis: "Britain – a close ally – said"
                    opener = "(" if t == ")" else t
                    x = k - 1
                    while x > ci and txt[x] != opener and k - x < 16:
                        x -= 1
                    if x > ci and txt[x] == opener:
                        k = x - 1
                        continue
                if k in number_toks:
                    return None
                if t in ("citing", "quoting"):
                    k -= 1
                    continue
                if t in SPEECH_VERBS or t in RELAY_VERBS:
                    return None
                if toks[k].word and t not in SUBJECT_FILLERS:
                    gap += 1
                    if gap > (0 if strict else 7):
                        return None
                k -= 1
            return None

        def appositive_subject(v: int) -> Cand | None:
            """"X, who toured the camps on Tuesday, said", "The Association (GYLA), which
            gives legal aid, said", "Moscow's envoy to the U.N., Vassily Nebenzia, said":
            the subject stands before a comma-delimited aside that ends at the verb."""
            if v - 1 <= ci or txt[v - 1] != "," or quote_tok[v - 1 - ti]:
                return None
            x = v - 2
            while x > ci and txt[x] != "," and v - x < 30:
                if txt[x] in (";", ":", "\u201c", "\u201d", "\"") or quote_tok[x - ti] or txt[x] in SPEECH_VERBS:
                    return None
                x -= 1
            if x <= ci or txt[x] != ",":
                return None
            inner = by_start.get(x + 1)
            if inner is not None and inner.j == v - 1 and inner.kind in ("vocab", "proper") and inner.actor is not None and inner.actor.person:
                return inner  # the aside is the name itself
            if txt[x + 1] in ("where", "when"):
                # "Doctors at the hospital in Kalamata, where the survivors were taken, said":
                # the aside is about the place; the subject is the clause's first name
                first = next((c for c in sorted(by_start.values(), key=lambda c: c.i) if ci <= c.i and c.j <= x), None)
                if first is None or first.kind == "pronoun" or self.governing(first, ci) not in (None, "through"):
                    return None
                return first
            if txt[x + 1] not in ("who", "which", "whose", "a", "an", "the", "head", "chief", "leader", "one", "itself", "himself", "herself"):
                return None
            y = x - 1
            if txt[y] == ")":
                while y > ci and txt[y] != "(":
                    y -= 1
                y -= 1
            c = by_end.get(y + 1)
            if c is None or c.kind == "pronoun" or self.governing(c, ci) not in (None, "through"):
                return None
            return c

        def inverted_subject(v: int) -> Cand | None:
            if v - 1 < ci:
                return None
            if not (txt[v - 1] in CLOSING or quote_tok[v - 1 - ti]):
                return None
            # "..., said Deputy Health Minister X", "..., said a message from NATO"
            k = v + 1
            steps = 0
            while k < cj and steps < 5:
                c = by_start.get(k)
                if c is not None and c.kind != "pronoun":
                    return c
                t = txt[k]
                if t in ("that", "this", "these", "those") or not (t in DETERMINERS or t in INVERTED_FILLERS or t in TITLE_WORDS or toks[k].cap):
                    return None
                k += 1
                steps += 1
            return None

        def object_after(v: int) -> Cand | None:
            k = v + 1
            steps = 0
            while k < cj and steps < 5:
                c = by_start.get(k)
                if c is not None and c.kind != "pronoun":
                    if c.kind == "title" and c.j < cj and txt[c.j] == "," and by_start.get(c.j + 1) is not None:
                        return by_start[c.j + 1]
                    return c
                if txt[k] in (".", ";", "that"):
                    return None
                k += 1
                steps += 1
            return None

        # markers
        according: Cand | None = None
        citing: Cand | None = None
        through: Cand | None = None
        request_of: Cand | None = None
        as_reported: Cand | None = None
        for k in range(ci, cj):
            t = txt[k]
            if t == "according" and k + 1 < cj and txt[k + 1] == "to":
                c = self._first_cand_after(k + 2, cj, by_start, 9)
                if c is not None and not (c.kind == "generic" and c.head in ("reports", "media")):
                    according = c
                elif self._media_reports_after(k + 2, cj):
                    res.media_reports = True
            elif t in ("citing", "quoting") or (t in ("reference", "referring") and k + 1 < cj and txt[k + 1] == "to"):
                c = self._first_cand_after(k + 1 if t in ("citing", "quoting") else k + 2, cj, by_start, 6)
                if c is not None:
                    citing = c
            elif t == "through" and k + 1 < cj:
                c = self._first_cand_after(k + 1, cj, by_start, 5)
                if c is not None and c.actor is not None and c.actor.person:
                    through = c
            elif t == "request" and k + 1 < cj and txt[k + 1] == "of" and k >= 1 and txt[k - 1] in ("the", "express", "formal", "explicit", "urgent"):
                c = self._first_cand_after(k + 2, cj, by_start, 6)
                if c is not None:
                    request_of = c
            elif t == "reported" and k >= 1 and txt[k - 1] == "as" and k + 1 < cj and txt[k + 1] in ("in", "by", "on"):
                c = self._first_cand_after(k + 2, cj, by_start, 10)
                if c is not None:
                    as_reported = c
            elif t in ("reports", "report") and k + 1 < cj and txt[k + 1] in ("from", "by") and (k == ci or txt[k - 1] in (",", "\u2013", "the", ":")):
                c = self._first_cand_after(k + 2, cj, by_start, 6)
                if c is not None:
                    according = according or c

        pairs: list[tuple[int, Cand, bool]] = []
        relay: tuple[Cand, Cand] | None = None
        for v in range(ci, cj):
            t = txt[v]
            kind = self.verb_kind(v, ci, cj, quote_tok, ti, figure_clause)
            if kind is None:
                continue
            is_relay = kind == "relay"
            is_percept = kind == "perception"
            subj = None
            inverted = False
            after_comma = v > ci and (txt[v - 1] in CLOSING or quote_tok[v - 1 - ti])
            if after_comma:
                subj = appositive_subject(v)
                if subj is None:
                    subj = inverted_subject(v)
                    inverted = subj is not None
                if subj is None and t.endswith("ing"):
                    continue  # ", accusing ..." belongs to the clause before
            if subj is None:
                subj = find_subject(v, strict=t in NOUN_AMBIGUOUS)
            if subj is None:
                continue
            if is_percept:
                a = self.resolve(subj, toks[subj.i].start, para, cands)
                if not (subj.kind == "nominal" and subj.head == "media" or (a is not None and (a.media or a.kind == "media"))):
                    continue
            if is_relay and not inverted:
                obj = object_after(v)
                if obj is not None:
                    relay = (subj, obj)
                    break
            pairs.append((v, subj, inverted))

        claimant_c: Cand | None = None
        via_c: list[Cand] = []
        if relay is not None:
            claimant_c, via_c = relay[1], [relay[0]]
            res.speech = True
        elif pairs:
            first = pairs[0]
            last = pairs[-1]
            is_trail = False
            if len(pairs) > 1 and last[1] is not first[1] and (last[0] >= cj - 3 or trailing(toks, last[0], cj)):
                y = last[1].i - 1
                while y >= ci and txt[y] in DETERMINERS:
                    y -= 1
                is_trail = last[2] or (y >= ci and (txt[y] in CLOSING or quote_tok[y - ti]))
            claimant_c = first[1]
            if is_trail:
                via_c = [last[1]]
            res.speech = True
            if citing is not None and citing is not claimant_c:
                via_c = [claimant_c] + via_c
                claimant_c = citing
            if through is not None:
                claimant_c = through
            if according is not None and according is not claimant_c:
                via_c.append(according)
            if as_reported is not None and as_reported is not claimant_c:
                via_c.append(as_reported)
        elif according is not None:
            claimant_c = according
            res.speech = True
            if citing is not None:
                via_c = [according]
                claimant_c = citing
        elif request_of is not None:
            claimant_c = request_of
            res.speech = True
        elif citing is not None:
            claimant_c = citing
            res.speech = True
        if res.media_reports and claimant_c is None:
            res.speech = True
            res.explicit = True
            return res
        if claimant_c is None:
            return res
        res.explicit = True
        claimant = self.resolve(claimant_c, toks[claimant_c.i].start, para, cands)
        vias: list[Actor] = []
        for vc in via_c:
            a = self.resolve(vc, toks[vc.i].start, para, cands)
            if a is not None and (claimant is None or a.key != claimant.key) and all(a.key != x.key for x in vias):
                vias.append(a)
        # a medium the claimant spoke to or on: "told an AFP reporter", "said on state television"
        for c in cl_cands:
            if c is claimant_c or c in via_c or c.i <= claimant_c.i or c.kind == "pronoun":
                continue
            if not self._is_media(c):
                continue
            if c.kind == "nominal" and c.text.lower() in ("reporters", "journalists", "correspondents"):
                continue  # "told reporters": nobody in particular relays it
            k = c.i - 1
            while k >= ci and (txt[k] in DETERMINERS or toks[k].cap or txt[k] in ("tv", "broadcaster", "state", "local", "news", "agency")):
                k -= 1
            prev = txt[k] if k >= ci else ""
            if prev in ("told", "to", "on", "with") or (claimant_c.j <= c.i <= claimant_c.j + 3):
                a = self.resolve(c, toks[c.i].start, para, cands)
                if a is not None and (claimant is None or a.key != claimant.key) and all(a.key != x.key for x in vias):
                    vias.append(a)
        res.claimant = claimant
        res.via = vias
        if claimant is None:
            res.explicit = False
        return res

    def verb_kind(self, v: int, ci: int, cj: int, quote_tok: list[bool], ti: int, figure_clause: bool = False) -> str | None:
        """"speech", "relay", "perception" or "figure" when the token at ``v`` is a verb of
        saying used actively outside quotation marks; None otherwise."""
        txt = self.txt
        t = txt[v]
        if quote_tok[v - ti]:
            return None
        if t in SPEECH_VERBS or (t == "made" and v + 1 < cj and txt[v + 1] == "public"):
            kind = "speech"
        elif t in RELAY_VERBS:
            kind = "relay"
        elif t in PERCEPTION_VERBS:
            kind = "perception"
        elif figure_clause and t in FIGURE_ONLY_VERBS:
            kind = "figure"
        else:
            return None
        if t in ("citing", "quoting"):
            return None  # a marker, handled separately
        if v > ci and txt[v - 1] in DETERMINERS and (t in NOUN_AMBIGUOUS or t in ("reports", "report")):
            return None  # "a request", "the reports"
        if t in ("state", "states") and not (v + 1 < cj and (txt[v + 1] in ("that", ":") or quote_tok[v + 1 - ti])):
            return None  # "state television"
        if t in ("call", "calls", "called", "calling") and v + 1 < cj and txt[v + 1] in ("up", "off", "back", "out", "in"):
            return None  # "called up 360,000 reservists"
        if t in ("declared", "declares", "declare") and any(x in ("emergency", "curfew", "war", "martial", "mourning", "holiday") for x in txt[v + 1:min(cj, v + 6)]):
            return None  # an act, not a statement
        # passive: "have been reported", "is said to"
        x = v - 1
        while x >= ci and txt[x] in PASSIVE_SKIP:
            x -= 1
        if x >= ci and txt[x] in BE_FORMS:
            return None
        return kind

    def subject_of_clause(self, ci: int, cj: int, cands: list[Cand], para: int) -> Actor | None:
        """The first ungoverned actor mention of a clause (the subject a following
        "and expressed hope ..." shares)."""
        for c in cands:
            if c.i >= ci and c.j <= cj and c.kind != "pronoun" and self.governing(c, ci) is None:
                return self.resolve(c, self.toks[c.i].start, para, cands)
            if c.i >= ci and c.j <= cj and c.kind == "pronoun" and c.i == ci:
                return self.resolve(c, self.toks[c.i].start, para, cands)
        return None

    def _is_media(self, c: Cand) -> bool:
        if c.actor is not None and (c.actor.kind == "media" or c.actor.media):
            return True
        if c.kind == "nominal" and c.head == "media":
            return True
        return c.kind != "vocab" and any(w in MEDIA_WORDS for w in self.txt[c.i:c.j])

    def _first_cand_after(self, k: int, cj: int, by_start: dict[int, Cand], limit: int) -> Cand | None:
        steps = 0
        first = None
        while k < cj and steps < limit:
            c = by_start.get(k)
            if c is not None and c.kind != "pronoun":
                if c.kind == "vocab":
                    return c
                if first is None:
                    first = c
                k = c.j
                steps += 1
                continue
            if self.txt[k] in (",", ".", ";", "that", ":", "which", "who"):
                break
            k += 1
            steps += 1
        return first

    def _media_reports_after(self, k: int, cj: int) -> bool:
        words = self.txt[k:min(cj, k + 5)]
        return "reports" in words or "media" in words

    # ------------------------------------------------------------------ memory

    def remember(self, cands: list[Cand], para: int, sent: int, claimants: list[tuple[Actor, list[Actor], int]]) -> None:
        """Add a sentence's mentions and claimants to the discourse memory, in text order."""
        batch: list[HistEntry] = []
        for c in cands:
            if c.kind in ("vocab", "proper") and c.actor is not None:
                if c.kind == "proper" and _fold_key(self.doc.text[self.toks[c.i].start:self.toks[c.j - 1].end]) in self.places:
                    continue
                batch.append(HistEntry(self.toks[c.i].start, para, c.actor, False, [], sent))
        for a, via, p in claimants:
            batch.append(HistEntry(p, para, a, True, list(via), sent))
        batch.sort(key=lambda h: (h.pos, h.claimant))
        self.history.extend(batch)


# verbs that attribute only a tally ("the ministry recorded 40 deaths")
FIGURE_ONLY_VERBS = {
    "recorded", "registered", "counted", "documented", "tallied", "listed", "put", "puts", "gave",
    "gives", "raised", "raises", "revised", "updated", "lowered", "released", "published",
    "logged",
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


_DEMONYM_OF: dict[str, str] = {}
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
