"""Who is counted (the group) and numbers that count a report's sources, not the event."""

from __future__ import annotations

from .figures import VERBISH, NumPos, TermHit
from .lexicon import GROUP_PHRASES, GROUP_WORDS, PEOPLE_NOUNS
from .textutil import Token


SOURCE_NOUNS = {
    "officials", "sources", "diplomats", "witnesses", "eyewitnesses", "spokesmen", "spokespeople",
    "aides", "analysts", "experts", "insiders", "lawmakers", "residents", "officers", "people",
}
_CITING = {"citing", "quoting", "cited", "quoted", "interviewed"}


def counts_sources(toks: list[Token], p: NumPos, hi: int) -> bool:
    """"citing two senior officials", "three diplomats told Reuters": the number counts the
    sources of a report, not anything in the event."""
    k = p.nj
    steps = 0
    while k < hi and steps < 5 and toks[k].word and toks[k].t not in SOURCE_NOUNS:
        k += 1
        steps += 1
    if k >= hi or toks[k].t not in SOURCE_NOUNS:
        return False
    if k + 1 < hi and toks[k + 1].t in ("familiar", "close", "briefed", "with"):
        return True  # "two people familiar with the matter"
    prev = toks[p.qi - 1].t if p.qi >= 1 else ""
    if prev in _CITING or (prev == "to" and p.qi >= 2 and toks[p.qi - 2].t == "according"):
        return toks[k].t != "people"
    return k + 1 < hi and toks[k + 1].t in ("said", "say", "says", "told") and toks[k].t != "people"


def attributive(toks: list[Token], t: TermHit) -> bool:
    """"400 injured people": a participle used as an adjective of a people noun."""
    return t.j < len(toks) and toks[t.j].t in PEOPLE_NOUNS and (t.j - t.i) == 1


def find_group(toks: list[Token], p: NumPos, term: TermHit | None, lo: int, hi: int, clause_words: set[str], prev_group: str | None) -> str | None:
    """Who is counted: the people noun after the number, "among the ...", "of whom" (the group
    of the number before), normalised to the seed group vocabulary where one matches."""
    k = p.nj
    if k + 1 < hi and toks[k].t == "of" and toks[k + 1].t in ("whom", "them"):
        return prev_group
    group = None
    # the noun phrase after the number, up to a verb or the metric term
    window: list[str] = []
    x = k
    while x < hi and len(window) < 7:
        t = toks[x]
        if term is not None and term.i <= x < term.j and not term.weak:
            if not window and attributive(toks, term):
                window.append(t.t)  # "400 injured people"
                x += 1
                continue
            break
        if t.word:
            if t.t in VERBISH:
                break
            window.append(t.t)
        elif t.t not in ("\u201c", "\u201d", "\"", "'", "-"):
            break
        x += 1
    group = _match_group(window)
    if not window and prev_group is not None and k > lo and any(t.t == "and" for t in toks[max(lo, p.qi - 2):p.qi]):
        return prev_group  # "18 security guards were killed and more than 700 injured"
    if group is None:
        # "about 300 wounded among the security forces"
        for y in range(p.nj, min(hi, p.nj + 12)):
            if toks[y].t == "among":
                words = [t.t for t in toks[y + 1:min(hi, y + 7)] if t.word]
                group = _match_group(words)
                break
    if group is None and term is not None and term.weak:
        group = _match_group([t.t for t in toks[term.i:term.j]])
    if group in ("military", "people", None) and term is not None and ("peacekeeping" in clause_words or "peacekeepers" in clause_words):
        if group is not None or term.weak or any(w in clause_words for w in ("planes", "aircraft", "troops", "soldiers")):
            group = "peacekeepers"
    return group


def _match_group(words: list[str]) -> str | None:
    for phrase, g in GROUP_PHRASES:
        n = len(phrase)
        for s in range(0, len(words) - n + 1):
            if tuple(words[s:s + n]) == phrase:
                return g
    for w in words:
        if w in GROUP_WORDS:
            return GROUP_WORDS[w]
    return None
