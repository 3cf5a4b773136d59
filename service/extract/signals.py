"""Signals the pipeline reads in a sentence: tallies restated, compound modifiers, hypotheticals, foreign aliases, the story country and the last look for a source."""

from __future__ import annotations


from .attribution import trailing
from .fallback import regex_source, regex_subject, sentence_source
from .figures import NumPos
from .lexicon import COUNTRIES, COUNTRY_ALIASES, DEMONYMS, SPEECH_VERBS
from .numbers import Number


_TALLY_NOUNS = {"figure", "figures", "number", "numbers", "total", "turnout", "toll", "count", "tally", "crowd", "attendance", "estimate"}
_TALLY_PUT = {"put", "puts", "putting", "placed", "places", "estimated", "estimates", "set", "sets"}
_TALLY_REACH = {"be", "still", "reach", "hit", "exceed", "top", "surpass", "pass", "to", "was", "is", "stood", "stands",
                "reached", "rose", "risen", "climbed", "from", "now", "of", "at", "passed", "topped", "hit", "exceeded"}
# "Its count had stood at 328", "It was still 33 on Saturday": a pronoun for the tally just given
_TALLY_PRONOUNS = {"it", "its"}
_TALLY_STAND = {"stood", "stands", "stand", "remained", "remains", "was", "is", "held"}
_RESTATE_VERBS = {"has", "had", "recorded", "registered", "confirmed", "said", "says", "say", "counted", "estimated", "reported", "claimed", "gave", "give", "gives", "cited"}


def _closing_frame(att, toks, cands, c, tj: int, quote_tok, ti: int) -> bool:
    """The clause ends in a reporting frame after a comma: "..., the agency said on Friday."."""
    by_end = {x.j: x for x in cands}
    for v in range(c.i + 1, c.j):
        if quote_tok[v - ti] or toks[v].t not in SPEECH_VERBS or not trailing(toks, v, tj):
            continue
        subj = by_end.get(v)
        if subj is not None and subj.i - 1 >= c.i and toks[subj.i - 1].t == ",":
            return True
    return False


def _compound_modifier(text: str, n: Number) -> bool:
    """"a 21-storey tower", "a four-mile radius", "a 12-hour shift": a number hyphenated to the
    word after it modifies a noun; it counts nothing."""
    e = n.end
    return e + 1 < len(text) and text[e] == "-" and text[e + 1].isalpha()


_BREAKDOWN_WORDS = {"breakdown", "district", "districts", "province", "provinces", "region", "regions", "regency", "state", "states", "county", "counties", "country"}


def _restates_tally(toks, p: NumPos, ti: int, tj: int) -> bool:
    """"put the figure at N", "said there were N", "while the union said N." (nothing counted
    after the number)."""
    k = p.qi
    nxt = toks[p.nj] if p.nj < tj else None
    bare_end = nxt is None or not nxt.word or nxt.t in ("in", "on", "at", "across", "nationwide", "while", "and", "but", "once", "when", "by", "if", "after", "before", "within", "as", "to") \
        or (nxt.t == "of" and p.nj + 1 < tj and toks[p.nj + 1].t in ("them", "those"))
    if k - 1 >= ti and toks[k - 1].t == "at":
        words = [t.t for t in toks[max(ti, k - 6):k - 1]]
        return any(w in _TALLY_PUT or w in _TALLY_STAND for w in words) and any(w in _TALLY_NOUNS or w in _TALLY_PRONOUNS for w in words)
    if k - 2 >= ti and toks[k - 1].t == ":" and toks[k - 2].t in _TALLY_NOUNS:
        return True  # "Police have given a very different number: 128,000 in Victoria Park"
    if k - 3 >= ti and toks[k - 1].cap and toks[k - 1].word and bare_end:
        # "The breakdown by district: North Lombok 339, West Lombok 30, ...": a place, then its count
        colon = next((x for x in range(k - 2, max(ti, k - 5) - 1, -1) if toks[x].t == ":"), None)
        if colon is not None and all(toks[x].cap for x in range(colon + 1, k) if toks[x].word) \
                and any(toks[x].t in _BREAKDOWN_WORDS for x in range(max(ti, colon - 4), colon)):
            return True
    if not bare_end:
        return False
    if k - 1 >= ti and toks[k - 1].t in _TALLY_REACH:
        # "the figure could reach 1,600", "the toll is expected to rise to 40"
        words = [t.t for t in toks[max(ti, k - 7):k - 1]]
        ranged = toks[k - 1].t == "to" and "from" in words  # "the count went from 310 to 453"
        ranged = ranged or (k - 2 >= ti and toks[k - 2].t in _TALLY_NOUNS)  # "... the figure of 717"
        if any(w in _TALLY_NOUNS or w in _TALLY_PRONOUNS for w in words) and (ranged or not any(t.t[:1].isdigit() for t in toks[max(ti, k - 7):k - 1])):
            return True
    if k - 2 >= ti and toks[k - 2].t == "there" and toks[k - 1].t in ("were", "was"):
        return True
    if k - 3 >= ti and toks[k - 3].t == "there" and toks[k - 2].t in ("had", "have") and toks[k - 1].t == "been":
        return True
    return k - 1 >= ti and toks[k - 1].t in _RESTATE_VERBS


def _of_them(toks, p: NumPos, tj: int) -> bool:
    """"2,316 of them": a part of something named before."""
    return p.nj + 1 < tj and toks[p.nj].t == "of" and toks[p.nj + 1].t in ("them", "those")


_POPULATION = {"population", "populations", "inhabitants"}


def _population_base(toks, p: NumPos, ti: int) -> bool:
    """"out of a population of about 100,000", "a town of 6,000 inhabitants": a base, not a count."""
    k = p.qi
    if k - 2 >= ti and toks[k - 1].t == "of" and toks[k - 2].t in _POPULATION:
        return True
    return p.nj < len(toks) and toks[p.nj].t in _POPULATION


_HYPOTHETICAL = {"would", "could", "might", "may", "can", "means", "mean", "if", "unless"}


def _hypothetical(toks, a: int, b: int) -> bool:
    """A vague number in a conditional or generic clause ("every system means hundreds of
    lives saved", "could cost thousands of jobs") counts nothing that happened."""
    return any(toks[k].t in _HYPOTHETICAL for k in range(a, b))


def _foreign_alias(m, vocab, cap_counts: dict[str, int], country_n: int) -> bool:
    """A generic alias ("police", "Interior Ministry", "state television") of a body of a
    country the text never names, or names far less than the country the story is about."""
    entry = m.value[0]
    quals = vocab.country_bound.get(entry.slug)
    if quals and not entry.proper and not any(q in cap_counts for q in quals):
        return True
    quals = vocab.country_quals.get(entry.slug)
    if not quals or not entry.generic:
        return False
    if country_n == 0:
        return True  # a text that names no country: a generic alias names nobody in particular
    own = max(cap_counts.get(q, 0) for q in quals)
    return own == 0 or 2 * own < country_n


def _story_country(toks) -> tuple[str | None, int]:
    """The country the story is about: the one named most often, by name or demonym
    ("Georgia", "Georgian police"), first named on a tie; with its number of mentions."""
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    n = len(toks)
    for k, t in enumerate(toks):
        if not t.cap or not t.word:
            continue
        name = None
        if k + 1 < n and toks[k + 1].cap:
            two = t.t + " " + toks[k + 1].t
            name = COUNTRIES.get(two) if isinstance(COUNTRIES, dict) else (two if two in COUNTRIES else DEMONYMS.get(two))
        if name is None:
            w = t.t
            name = COUNTRY_ALIASES.get(w) or (w if w in COUNTRIES else DEMONYMS.get(w))
        if name is None:
            continue
        counts[name] = counts.get(name, 0) + 1
        first.setdefault(name, k)
    if not counts:
        return None, 0
    best = max(counts, key=lambda c: (counts[c], -first[c]))
    if counts[best] < 2 and toks[first[best]].start > STORY_COUNTRY_LEAD:
        return None, 0  # one passing mention ("victims from Iran, China ...") is no story country
    return best, counts[best]


STORY_COUNTRY_LEAD = 400  # characters: a country named this early (the dateline, the lead) counts once


def _fallback_source(att, cands, p: NumPos, s, k: int, ti: int, tj: int, quote_tok, last_attr):
    """Who gives a figure the attribution stage left unsourced: a reporting subject in its
    sentence (fallback.sentence_source), else the last source named in its paragraph."""
    src = sentence_source(att, cands, ti, tj, p.qi, s.para, quote_tok)
    if src is None:
        src = regex_source(att.doc.text[s.start:s.end], att.doc.tokens[p.qi].start - s.start)
    if src is None and REGEX_SUBJECT:
        src = regex_subject(att.doc.text[s.start:s.end], att.doc.tokens[p.qi].start - s.start)
    if src is not None:
        return src, []
    if last_attr is not None and last_attr[1] == s.para and last_attr[2] is not None and PARA_INHERIT:
        prev = att.doc.sentences[last_attr[0]]
        if "\n" in att.doc.text[prev.start:s.start].rstrip():
            return None, []  # a list of bullet lines: each line stands alone
        return last_attr[2], list(last_attr[3])
    return None, []


PARA_INHERIT = True
REGEX_SUBJECT = True


def _named_country(toks, ti: int, tj: int) -> str | None:
    """The country a sentence opens with ("In Syria, the Health Ministry ..."), if one."""
    for k in range(ti, min(tj, ti + 8)):
        t = toks[k]
        if not t.cap or not t.word:
            continue
        if k + 1 < tj and toks[k + 1].cap:
            two = t.t + " " + toks[k + 1].t
            if two in COUNTRIES:
                return two
        w = COUNTRY_ALIASES.get(t.t) or (t.t if t.t in COUNTRIES else None)
        if w:
            return w
    return None
