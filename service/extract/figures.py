"""Which metric a number counts, who is counted (group) and where (location).

A number is tied to a metric term of the vocabulary by position, in this order of preference:
a term after it ("1,204 ... were arrested", "312 wounded"), a term before it ("killed at least
9", "detainees that reached almost 5,000"), the metric of the number it is listed with
("dozens of deaths, including 12 police officers, two soldiers and about 40 civilians"),
and last a "weak" term that names the counted people ("1,500 soldiers").
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import PEOPLE_NOUNS, SPEECH_VERBS
from .textutil import Token

AFTER_MAX = 10
BEFORE_MAX = 6
TALLY_BEFORE_MAX = 12  # "the death toll from the earthquake that struck X rose above 11,000"
TALLY_VERBS = {
    "rose", "risen", "rises", "rise", "climbed", "climbs", "reached", "reaches", "stood", "stands",
    "passed", "passes", "topped", "tops", "exceeded", "exceeds", "hit", "hits", "jumped", "jumps",
    "increased", "increases", "surpassed", "surpasses", "grew", "grows", "soared", "soars",
    "mounted", "mounts", "was", "is", "now", "to", "at", "of",
}
TOLL_BEFORE_MAX = 24
_TOLL_WORDS = {"toll", "tally", "tolls"}
# "the number of people killed ... has risen to 61": a count noun whose "of" phrase holds the term
_COUNT_NOUNS = {"number", "numbers", "count", "total", "tally", "toll", "figure"}
# things counted rather than people: "evacuated to 9,000 cyclone shelters", "2,500 huts were
# flattened" (linguistic knowledge: places, structures, vehicles and units, never event words)
OBJECT_NOUNS = {
    "shelters", "camps", "centres", "centers", "schools", "villages", "towns", "cities", "districts",
    "provinces", "regions", "huts", "shacks", "tents", "vehicles", "cars", "trucks", "lorries",
    "buses", "boats", "ships", "vessels", "trains", "carriages", "coaches", "hospitals", "clinics",
    "facilities", "sites", "locations", "points", "stations", "shops", "stores", "businesses",
    "cells", "blocks", "floors", "storeys", "stories", "acres", "hectares", "tonnes", "tons",
    "kilometres", "kilometers", "miles", "metres", "meters", "feet", "km", "hours", "days",
    "weeks", "months", "years", "minutes", "bridges", "roads", "wells", "farms", "fields",
    "livestock", "cattle", "animals", "rounds", "shots", "rockets", "missiles", "drones", "bombs",
    "containers", "barrels", "litres", "liters", "gallons", "dollars", "euros", "pounds", "rupees",
    "pumps", "generators", "beds", "wards", "rooms", "units", "lines", "flights", "ambulances",
    "teams", "helicopters", "aircraft", "planes", "areas", "communes", "barangays", "neighbourhoods",
    "neighborhoods", "towns", "countries", "nations", "provinces", "decks", "mines", "factories",
    "states", "countries", "counties", "municipalities",
}
# metrics that count things, not people: a number followed by a people noun never counts them
THING_METRICS = {"aircraft", "buildings_destroyed", "checkpoints"}
WEAK_AFTER_MAX = 2
WEAK_BEFORE_MAX = 1
VERBISH = {
    "were", "was", "have", "has", "had", "are", "is", "been", "being", "will", "would", "be",
    "remain", "remained", "remains", "died", "reached", "left", "including", "who", "which",
    "that", "but", "in", "on", "at", "across", "from", "after", "during", "since",
    "as", "to", "by",
}
_NOT_PLURAL_NOUNS = {
    "others", "this", "was", "has", "is", "its", "thus", "as", "us", "always", "perhaps",
    "across", "less", "unless", "plus", "various", "numerous", "previous", "serious", "whereas",
    "besides", "yes", "bus", "miles", "times", "whose", "those", "these", "his", "hers", "does",
    "goes", "afterwards", "towards", "news",
}


_PREDICATE_FOLLOWERS = {
    "after", "in", "on", "at", "by", "from", "since", "during", "and", "or", "but", "as", "while",
    "when", "with", "to", "across", "over", "throughout", "following", "because", "so", "amid",
}


@dataclass(slots=True)
class TermHit:
    i: int
    j: int
    metric: str
    weak: bool
    verb: bool = False


@dataclass(slots=True)
class NumPos:
    qi: int  # first token of the value text (qualifier included)
    ni: int  # first token of the bare number
    nj: int  # token after the value text


def _joined(toks: list[Token], a: NumPos, b: NumPos) -> bool:
    """Two numbers listed together: "40 in Mandalay and 27 in Yangon"."""
    gap = toks[a.nj:b.qi]
    words = [t.t for t in gap if t.word]
    return len(words) <= 4 and any(t.t in (",", "and") for t in gap) and not any(w in VERBISH and w not in ("in", "on", "at", "from") for w in words)


def word_distance(toks: list[Token], a: int, b: int) -> int:
    return sum(1 for t in toks[a:b] if t.word)


def assign_metrics(toks: list[Token], nums: list[NumPos], terms: list[TermHit], clause_of=None) -> list[TermHit | None]:
    """The metric term each number counts (or None). ``clause_of(token)`` keeps a number and
    its term in one clause."""
    n = len(nums)
    own = set()
    for p in nums:
        own.update(range(p.qi, p.nj))
    result: list[TermHit | None] = [None] * n
    how: list[str] = [""] * n
    claimed_after: dict[int, int] = {}  # term index -> number index that took it as an after-term

    ends_ = {q.nj for q in nums}
    bases = {k for k, q in enumerate(nums) if q.qi >= 3 and toks[q.qi - 1].t == "the" and toks[q.qi - 2].t == "of" and (q.qi - 2) in ends_}

    def between_has_number(a: int, b: int, me: int) -> bool:
        for k, p in enumerate(nums):
            if k != me and k not in bases and p.qi >= a and p.nj <= b:
                return True
        # any other figure in between (a percentage, a date) separates them too
        base_toks = {x for k in bases for x in range(nums[k].qi, nums[k].nj)}
        return any(toks[x].t[:1].isdigit() and x not in own and x not in base_toks for x in range(a, b))

    def blocked(a: int, b: int) -> bool:
        return any(t.t in (";",) for t in toks[a:b])

    def counted_noun_after(p: NumPos) -> bool:
        k = p.nj
        if k >= len(toks):
            return False
        t = toks[k]
        w = t.t
        if not t.word or t.cap or w in PEOPLE_NOUNS or w in _NOT_PLURAL_NOUNS:
            return False
        return len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is"))

    term_starts = {t.i for t in terms}

    def participle_after(p: NumPos) -> bool:
        """"more than 2,000 evacuated after three days": the number counts that participle,
        which is not a metric term, so it counts nothing we know of."""
        k = p.nj
        if k >= len(toks) or k in term_starts:
            return False
        t = toks[k]
        w = t.t
        if not t.word or t.cap or len(w) < 5 or not w.endswith(("ed", "ing")) or w in PEOPLE_NOUNS or w in NEUTRAL_PREDICATES:
            return False
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        return nxt is None or not nxt.word or nxt.t in _PREDICATE_FOLLOWERS

    ends = {q.nj for q in nums}
    for idx, p in enumerate(nums):
        best = None  # (cost, term index, how)
        if participle_after(p):
            continue
        if p.qi >= 3 and toks[p.qi - 1].t == "the" and toks[p.qi - 2].t == "of" and (p.qi - 2) in ends:
            continue  # "291 of the 459 people on board": the whole the part is taken from
        noun_after = counted_noun_after(p)
        objects_after = _objects_after(toks, p, term_starts)
        partitive = p.nj + 1 < len(toks) and toks[p.nj].t == "of" and toks[p.nj + 1].t in _PARTITIVE
        own_noun = any(t.weak and p.nj <= t.i and word_distance(toks, p.nj, t.i) <= 1 for t in terms)
        for ti_, t in enumerate(terms):
            if clause_of is not None and clause_of(t.i) != clause_of(p.qi):
                continue
            if t.metric in THING_METRICS and any(x.t == "by" for x in toks[max(0, t.i - 2):t.i]):
                continue  # "killed by collapsing buildings": what killed them, not a count of buildings
            if t.verb and not (t.j <= p.qi and word_distance(toks, t.j, p.qi) <= 1):
                continue  # "kills 23", "killing at least 23": a verb form counts its object only
            if t.i >= p.nj:  # after
                if between_has_number(p.nj, t.i, idx) or blocked(p.nj, t.i):
                    continue
                d = word_distance(toks, p.nj, t.i)
                if noun_after and t.i > p.nj + 1:
                    continue
                if objects_after and t.i > p.nj + 1:
                    continue  # "two nearby villages were evacuated": the number counts villages
                if t.metric in THING_METRICS and _people_head(toks, p, t.i):
                    continue  # "450 soldiers to ... guard homes", "Hundreds of soldiers guarded buildings"
                if t.metric in THING_METRICS and p.nj < len(toks) and toks[p.nj].t == "by":
                    continue  # "54 by collapsing buildings": what killed them, not what is counted
                if t.i - 1 > p.nj and toks[t.i - 1].t in OBJECT_PREPOSITIONS and not t.verb:
                    d += 5  # "trapped under collapsed buildings": an object; a predicate further on wins
                if t.i >= 2 and t.i - 1 > p.nj and toks[t.i - 1].t == "the" and toks[t.i - 2].word and toks[t.i - 2].t not in ("of", "among", "amongst", "as", "were", "was", "are", "is") and t.i - 2 >= p.nj:
                    continue  # "our two colleagues and caring for the injured": an object, not a predicate
                if t.weak:
                    if d > WEAK_AFTER_MAX and not _people_coordination(toks, p.nj, t.i):
                        continue
                    cost = 20 + d
                else:
                    if d > AFTER_MAX:
                        continue
                    cost = d
                kind = "after"
            elif t.j <= p.qi:  # before
                # "The death toll from the magnitude 7.1 earthquake that struck ... has risen to
                # at least 214": a toll is the subject of the tally verb right before its number
                toll = not t.weak and (any(toks[x].t in _TOLL_WORDS for x in range(t.i, t.j)) or _count_of(toks, t)) and any(x.t in TALLY_VERBS for x in toks[max(t.j, p.qi - 3):p.qi])
                if toll:
                    rel = next((x for x in range(t.j, p.qi) if toks[x].t in ("that", "which", "who")), p.qi)
                    if any(k != idx and q.qi >= t.j and q.nj <= rel for k, q in enumerate(nums)) or blocked(t.j, p.qi) or word_distance(toks, t.j, p.qi) > TOLL_BEFORE_MAX:
                        continue
                    result_cost = 1
                    if best is None or result_cost < best[0]:
                        best = (result_cost, ti_, "before")
                    continue
                if between_has_number(t.j, p.qi, idx) or blocked(t.j, p.qi):
                    continue
                if t.metric in THING_METRICS and p.nj < len(toks) and toks[p.nj].t in PEOPLE_NOUNS:
                    continue  # "the aircraft carried 283 passengers": people are not aircraft
                if own_noun and ti_ in claimed_after:
                    continue  # "three military aircraft are carrying 20 American personnel": 20 counts its own noun
                gap_words = {x.t for x in toks[t.j:p.qi]}
                if "and" in gap_words and gap_words & {"it", "they"}:
                    continue  # "50 people reported missing, and on Tuesday it reached 15": a new clause
                if objects_after:
                    continue  # "killed and 2,500 huts were flattened", "650 troops and 38 vehicles": it counts those
                if ti_ in claimed_after and any(x.t in _SUBORDINATORS for x in toks[t.j:p.qi]):
                    continue  # "16 dead as millions lose power": a clause of its own
                d = word_distance(toks, t.j, p.qi)
                if t.weak:
                    if d > WEAK_BEFORE_MAX:
                        continue
                    cost = 21 + d
                else:
                    tally = any(x.t in TALLY_VERBS for x in toks[max(t.j, p.qi - 3):p.qi])
                    if d > (TALLY_BEFORE_MAX if tally else BEFORE_MAX):
                        continue
                    cost = d + 1
                    if t.i >= 2 and toks[t.i - 1].t in ("the", "those", "these") and toks[t.i - 2].t == "of" and t.j < len(toks) and toks[t.j].t == ",":
                        cost += 10  # "Of the injured, 33 are in a serious condition": the group
                    if ti_ in claimed_after:
                        cost += 2
                    if partitive:
                        cost += 10  # "nine patients, two of whom were in critical condition"
                kind = "before"
            else:
                continue  # overlapping
            if best is None or cost < best[0]:
                best = (cost, ti_, kind)
        if best is not None and best[0] < 20:
            result[idx] = terms[best[1]]
            how[idx] = best[2]
            if best[2] == "after":
                claimed_after[best[1]] = idx
            continue
        # a list: "..., including 16 police officers, two military personnel and about 164 civilians"
        if idx > 0 and result[idx - 1] is not None and how[idx - 1] in ("before", "list"):
            prev = nums[idx - 1]
            gap = toks[prev.nj:p.qi]
            words = [t.t for t in gap if t.word]
            if (
                len(words) <= 6
                and not objects_after and not noun_after  # "650 troops and 38 vehicles"
                and any(t.t in (",", "and") for t in gap)
                and not any(w in ("were", "was", "have", "has", "had", "are", "is", "been", "while", "but", "that", "which", "it", "they") or (w in TALLY_VERBS and w not in ("to", "at", "of", "now")) for w in words)
                and not any(ti_.i >= prev.nj and ti_.j <= p.qi and not ti_.weak for ti_ in terms)
            ):
                result[idx] = result[idx - 1]
                how[idx] = "list"
                continue
        if best is not None:
            result[idx] = terms[best[1]]
            how[idx] = best[2]
    # "a dozen people have been pulled alive, nine of them in Dolakha": a part of the number
    # before counts what it counts, unless a term after it says otherwise
    for idx in range(1, n):
        p = nums[idx]
        part_after = p.nj + 1 < len(toks) and toks[p.nj].t == "of" and toks[p.nj + 1].t in ("them", "whom", "those")
        part_before = p.qi >= 2 and toks[p.qi - 2].t == "among" and toks[p.qi - 1].t in ("them", "those")
        if not (part_after or part_before):
            if result[idx] is None and how[idx - 1] == "part" and _joined(toks, nums[idx - 1], p):
                result[idx] = result[idx - 1]  # "among them 40 in Mandalay and 27 in Yangon"
                how[idx] = "part"
            continue
        # the whole is the last number before that counts something ("114 people ... in 44 towns
        # and cities, among them 40 in Mandalay")
        prev = next((x for x in range(idx - 1, -1, -1) if result[x] is not None), None)
        if prev is not None and how[idx] != "after" and (prev == idx - 1 or part_before):
            result[idx] = result[prev]
            how[idx] = "part"
            for nx in range(idx + 1, n):  # "nine of them in Dolakha and three in Kathmandu"
                if how[nx] != "list":
                    break
                result[nx], how[nx] = result[idx], "part"
    # the predicate of the clause names the metric; a term that only names who is counted
    # ("80 detainees had been hospitalised", "97 of the injured were hospitalised") is the group
    for idx, p in enumerate(nums):
        t1 = result[idx]
        if t1 is None or how[idx] != "after" or word_distance(toks, p.nj, t1.i) > 3:
            continue
        t2 = _predicate_after(toks, terms, t1, clause_of)
        if t2 is not None:
            result[idx] = t2
    # a conjoined subject shares the predicate of its last member: "27 protesters, three
    # journalists and 21 police officers had been admitted to hospital"
    for idx in range(n - 2, -1, -1):
        nxt = result[idx + 1]
        if nxt is None or nxt.weak or how[idx + 1] not in ("after", "conj") or nxt.i < nums[idx + 1].nj:
            continue
        cur = result[idx]
        if cur is not None and not cur.weak:
            continue
        if cur is not None and cur.metric == nxt.metric:
            continue
        if clause_of is not None and clause_of(nums[idx].qi) != clause_of(nxt.i):
            continue
        gap = toks[nums[idx].nj:nums[idx + 1].qi]
        words = [t.t for t in gap if t.word]
        if len(words) > 5 or not any(t.t in (",", "and") for t in gap) or any(w in VERBISH or w in SPEECH_VERBS or w in ("while", "whereas") for w in words):
            continue
        q = nums[idx + 1].nj
        if q + 1 < len(toks) and toks[q].t == "of" and toks[q + 1].t in _PARTITIVE:
            continue  # "nine patients, two of whom were ...": a part, not another member
        if not _is_predicate(toks, q, nxt):
            continue
        result[idx] = nxt
        how[idx] = "conj"
    _elliptic(toks, nums, result)
    _revisions(toks, nums, result)
    return result


_PLACE_PREPS = {"in", "at"}
_ELLIPTIC_PREPS = {"in", "at", "by", "from", "on"}


_MODIFIERS = {"military", "army", "navy", "police", "security", "rescue", "medical", "civilian", "government"}


def _people_head(toks: list[Token], p: NumPos, term_at: int) -> bool:
    """The number's own noun is a people noun ("450 soldiers", "hundreds of soldiers"), not a
    word before a thing's name ("three military aircraft", "dozens of military cargo flights")."""
    k = p.nj
    if k + 1 < len(toks) and toks[k].t == "of":
        k += 1
    return k < len(toks) and toks[k].t in PEOPLE_NOUNS and toks[k].t not in _MODIFIERS and term_at > k + 1


def _prep_after(toks: list[Token], p: NumPos) -> str | None:
    k = p.nj
    while k < len(toks) and toks[k].t in _AUX:
        k += 1  # "218 were in Amatrice"
    return toks[k].t if k < len(toks) and toks[k].t in _ELLIPTIC_PREPS else None


def _placed(toks: list[Token], p: NumPos) -> bool:
    """"49 in Arquata del Tronto", "six in the city of Mataram": a place follows the preposition."""
    k = p.nj + 1
    return any(toks[x].cap for x in range(k, min(k + 4, len(toks))) if toks[x].word)


def _elliptic(toks: list[Token], nums: list[NumPos], result: list[TermHit | None]) -> None:
    """A breakdown that leaves out its noun and verb: "Of the dead, 218 were in Amatrice, 49 in
    Arquata del Tronto and 11 in Accumoli"; "189 were killed by floodwater, 54 by collapsing
    buildings and 39 in underground spaces": each part counts what the first counts."""
    for idx in range(1, len(nums)):
        p, q = nums[idx], nums[idx - 1]
        if result[idx] is not None or result[idx - 1] is None:
            continue
        prep = toks[p.nj].t if p.nj < len(toks) else None
        aux_q = toks[q.nj].t if q.nj < len(toks) else None
        if prep in ("are", "were") and aux_q == prep and p.nj + 1 < len(toks) and toks[p.nj + 1].cap:
            gap = toks[q.nj:p.qi]  # "723 are foreign nationals and 367 are Indonesian citizens"
            if gap and gap[-1].t == "and" and len([t for t in gap if t.word]) <= 6 and not any(t.t in (";", ".", ":") for t in gap):
                result[idx] = result[idx - 1]
            continue
        if prep not in _ELLIPTIC_PREPS:
            continue
        gap = toks[q.nj:p.qi]
        words = [t.t for t in gap if t.word]
        if not gap or gap[-1].t not in (",", "and") and (len(gap) < 2 or gap[-2].t != ","):
            continue
        if len(words) > 14 or any(t.t in (";", ".", ":", "(") for t in gap) or any(t[:1].isdigit() for t in words):
            continue
        if any(w in ("while", "but", "whereas", "which", "who", "that") or w in SPEECH_VERBS for w in words):
            continue
        prev_prep = _prep_after(toks, q)
        parallel = prev_prep is not None and (prep not in _PLACE_PREPS or _placed(toks, p) or not _placed(toks, q))
        if not parallel and not (prep in words and (prep not in _PLACE_PREPS or _placed(toks, p))):
            continue
        result[idx] = result[idx - 1]


_REVISION_MARKS = {"up", "down"}


def _revisions(toks: list[Token], nums: list[NumPos], result: list[TermHit | None]) -> None:
    """A revised count and the count it replaced count the same thing: "rose to 43 from 39",
    "from 64 to 2,975", "at least 56 lives, the government said, up from 33 a day earlier"."""
    for idx in range(1, len(nums)):
        b = nums[idx]
        before_b = [t.t for t in toks[max(0, b.qi - 2):b.qi]]
        if result[idx] is None and before_b[-1:] == ["from"] and before_b[:1] and before_b[0] in _REVISION_MARKS:
            # ", up from 242 a day earlier": the last count before it in the sentence
            for x in range(idx - 1, -1, -1):
                gap = [t.t for t in toks[nums[x].nj:b.qi]]
                if ";" in gap or "." in gap or sum(1 for t in toks[nums[x].nj:b.qi] if t.word) > 25:
                    break
                if result[x] is not None:
                    result[idx] = result[x]
                    break
            continue
        a = nums[idx - 1]
        gap = [t.t for t in toks[a.nj:b.qi]]
        pair = (
            gap == ["from"]  # "to 43 from 39"
            or (gap == ["to"] and a.qi >= 1 and toks[a.qi - 1].t == "from")  # "from 64 to 2,975"
        )
        if not pair:
            continue
        if result[idx] is None and result[idx - 1] is not None:
            result[idx] = result[idx - 1]
        elif result[idx - 1] is None and result[idx] is not None and gap in (["from"], ["to"]):
            result[idx - 1] = result[idx]


# predicates that say a counted thing was recorded, not what happened ("54 occurred in health
# institutions"): they leave the metric to a term before the number
NEUTRAL_PREDICATES = {"occurred", "happened", "recorded", "reported", "confirmed", "registered", "counted", "remaining", "listed"}
OBJECT_PREPOSITIONS = {"under", "beneath", "from", "inside", "into", "onto", "within"}
_PARTITIVE = {"whom", "them", "those", "the", "these", "which"}
_SUBORDINATORS = {"as", "while", "when", "whereas", "although", "though", "because", "after", "before", "since", "until"}


def _people_coordination(toks: list[Token], a: int, b: int) -> bool:
    """"900 police officers and soldiers": only people nouns and "and" between."""
    words = [t.t for t in toks[a:b] if t.word]
    return 0 < len(words) <= 4 and "and" in words and all(w in PEOPLE_NOUNS or w == "and" for w in words)


def _count_of(toks: list[Token], t: TermHit) -> bool:
    """"the number of people killed", "the total of injured": the term names what a count
    noun counts, the subject of a tally verb further on."""
    k = t.i - 1
    # "the number of people who have lost their lives"
    while k >= 0 and toks[k].t in ("who", "have", "had", "has", "been", "were", "that"):
        k -= 1
    if k >= 0 and toks[k].t in PEOPLE_NOUNS:
        k -= 1
    return k >= 1 and toks[k].t == "of" and toks[k - 1].t in _COUNT_NOUNS


def _objects_after(toks: list[Token], p: NumPos, term_starts: set[int]) -> bool:
    """The number counts things named right after it ("2,500 huts", "9,000 cyclone shelters"),
    not people."""
    for k in (p.nj, p.nj + 1):
        if k >= len(toks) or k in term_starts:
            return False
        t = toks[k]
        if not t.word:
            return False
        if t.t in OBJECT_NOUNS:
            return True
        if t.cap and k == p.nj and t.t not in PEOPLE_NOUNS and not t.t.endswith("s"):
            continue  # a proper adjective before the noun: "in two Indian states"
        if t.cap or t.t in PEOPLE_NOUNS or t.t.endswith("s"):
            return False
    return False
_AUX = {
    "were", "was", "had", "have", "has", "been", "are", "is", "being", "be", "will", "would",
    "remain", "remained", "remains", "reportedly", "also", "still", "later", "since", "all", "now",
    "then", "subsequently", "already",
}


def _is_predicate(toks: list[Token], a: int, t: TermHit) -> bool:
    """The term ``t`` heads a verb phrase begun after token ``a``: an auxiliary stands before it
    ("had been admitted"), or it is itself a past form right after the noun ("died")."""
    gap = [x.t for x in toks[a:t.i] if x.word]
    if any(w in _AUX for w in gap):
        return True
    return toks[t.i].t.endswith("ed") and word_distance(toks, a, t.i) <= 3


def _predicate_after(toks: list[Token], terms: list[TermHit], t1: TermHit, clause_of) -> TermHit | None:
    """A non-weak term of another metric that follows ``t1`` as its predicate."""
    for t2 in terms:
        if t2.i < t1.j:
            continue
        if t2.weak or t2.metric == t1.metric:
            return None
        if clause_of is not None and clause_of(t2.i) != clause_of(t1.i):
            return None
        gap = toks[t1.j:t2.i]
        words = [x.t for x in gap if x.word]
        if len(words) > 4 or any(not x.word for x in gap) or not all(w in _AUX or w in ("in", "a", "an") for w in words) or (words and not any(w in _AUX for w in words)):
            return None
        if words or toks[t2.i].t.endswith("ed"):
            return t2
        return None
    return None
