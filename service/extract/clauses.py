"""Sentences into clauses: quotation masks, clause splits, quote trimming."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .attribution import Attribution, Attributor, Cand, trailing
from .figures import NumPos
from .lexicon import EVENT_PEOPLE_NOUNS, GROUP_WORDS, PEOPLE_NOUNS, SPEECH_VERBS
from .textutil import ALL_QUOTES, CLOSE_QUOTES, Doc

_QUOTE_CHARS = set(ALL_QUOTES)


@dataclass
class Clause:
    i: int
    j: int
    attr: Attribution = field(default_factory=Attribution)
    inherited: bool = False
    speech: bool = False
    figure: bool = False


def _bucket(items, starts: list[int], sents) -> list[list]:
    """Items (with .start/.end) grouped by the sentence that contains them whole."""
    out: list[list] = [[] for _ in sents]
    for it in items:
        x = bisect.bisect_right(starts, it.start) - 1
        if x >= 0 and it.end <= sents[x].end:
            out[x].append(it)
    return out


def _tok_index(doc: Doc, pos: int) -> int:
    """The first token that starts at or after ``pos``."""
    return bisect.bisect_left(doc.tok_starts, pos)


def _quote_mask(doc: Doc, s, ti: int, tj: int) -> list[bool]:
    """Tokens inside quotation marks (their verbs are quoted words, not attributions)."""
    text = doc.text
    mask = [False] * (tj - ti)
    open_at = -1
    spans = []
    for i in range(s.start, s.end):
        ch = text[i]
        if ch not in _QUOTE_CHARS:
            continue
        if open_at < 0:
            if ch in CLOSE_QUOTES:
                continue
            open_at = i
        else:
            spans.append((open_at, i))
            open_at = -1
    if not spans:
        return mask
    for k in range(ti, tj):
        st = doc.tokens[k].start
        for a, b in spans:
            if a < st < b:
                mask[k - ti] = True
                break
    return mask


def _split_clauses(doc: Doc, att: Attributor, cands: list[Cand], ti: int, tj: int, quote_tok: list[bool], numpos: list[NumPos]) -> list[Clause]:
    toks = doc.tokens
    splits: set[int] = set()
    num_starts = {p.qi for p in numpos}
    speech = set(SPEECH_VERBS)
    for k in range(ti + 1, tj - 1):
        if quote_tok[k - ti]:
            continue
        t = toks[k].t
        prev = toks[k - 1].t
        nxt = toks[k + 1].t
        nxt2 = toks[k + 2].t if k + 2 < tj else ""
        if t == "and" and (nxt == "that" or nxt in speech and nxt not in ("report", "reports", "call", "calls") or (nxt == "also" and nxt2 in speech)):
            splits.add(k)
        elif t == ";":
            splits.add(k + 1)
        elif prev in (",", "\u201d", "\"") and t in speech and t.endswith("ing") and nxt == "that":
            splits.add(k)
        elif prev == "," and t == "which" and (nxt in speech or (nxt == "also" and nxt2 in speech)):
            splits.add(k)
        elif prev == "," and t == "and" and (k + 1) in num_starts:
            splits.add(k)
    # ", and Foreign Minister X said ...": a new subject with its own verb of saying
    by_end = {c.j: c for c in cands}
    first_verb_seen = False
    for v in range(ti + 1, tj):
        if att.verb_kind(v, ti, tj, quote_tok, ti, figure_clause=bool(numpos)) not in ("speech", "perception", "relay", "figure"):
            continue
        if is_trailing_verb(toks, v, tj, quote_tok, ti):
            continue  # a trailing reporter ("..., the agency said in a statement.") stays with its clause
        c = by_end.get(v)
        x = v - 1
        while c is None and x > ti and toks[x].t in ("also", "has", "have", "had", "later", "then", "now"):
            c = by_end.get(x)
            x -= 1
        if c is None:
            continue
        if not first_verb_seen and not _has_content_before(att, toks, ti, c.i, quote_tok, num_starts):
            first_verb_seen = True
            continue
        if all(quote_tok[x - ti] or not toks[x].word for x in range(ti, c.i)):
            continue  # only a quotation before: '"...," Leite told reporters'
        if any(k_ in num_starts for k_ in range(c.i, v)):
            continue
        first_verb_seen = True
        # look back from the subject for a comma
        y = c.i - 1
        steps = 0
        while y > ti and steps < 7:
            ty = toks[y].t
            if ty == ",":
                split_at = y + 1
                if split_at < tj and toks[split_at].t in ("and", "but", "while", "whereas"):
                    pass
                splits.add(split_at)
                break
            if ty in speech or ty in ("that", "which", ".", ";"):
                break
            y -= 1
            steps += 1
    out: list[Clause] = []
    start = ti
    for sp in sorted(splits):
        if sp <= start or sp >= tj:
            continue
        out.append(Clause(start, sp))
        start = sp
    out.append(Clause(start, tj))
    return out


def _has_content_before(att: Attributor, toks, ti: int, i: int, quote_tok: list[bool], num_starts: set[int]) -> bool:
    for k in range(ti, i):
        if k in num_starts or att.verb_kind(k, ti, i, quote_tok, ti) in ("speech", "relay"):
            return True
    return False


def is_trailing_verb(toks, v: int, tj: int, quote_tok: list[bool], ti: int) -> bool:
    """A verb of saying that closes its sentence: "..., the agency said in a statement."."""
    return trailing(toks, v, tj)


_OF_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "his", "her", "their", "its", "our", "last", "recent", "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}


def _qualified_people_noun(toks, i: int, j: int, tj: int) -> bool:
    """"32 people were victims of enforced disappearance": a people-noun term followed by "of"
    and an undetermined common noun names another kind of harm than the term's metric; "victims
    of the crash" keeps it."""
    if j - i != 1 or toks[i].t not in PEOPLE_NOUNS and toks[i].t not in EVENT_PEOPLE_NOUNS or not toks[i].t.endswith("s"):
        return False
    if j + 1 >= tj or toks[j].t != "of":
        return False
    nxt = toks[j + 1]
    return nxt.word and not nxt.cap and not nxt.t[:1].isdigit() and nxt.t not in _OF_DETERMINERS and nxt.t not in PEOPLE_NOUNS and nxt.t not in GROUP_WORDS


def _clause_of(clauses: list[Clause], tok: int) -> int:
    for x, c in enumerate(clauses):
        if c.i <= tok < c.j:
            return x
    return len(clauses) - 1


def _trim_quote(text: str, a: int, b: int, sent_end: int) -> tuple[int, int]:
    """Clause text without leading/trailing commas and spaces; a clause that ends its sentence
    keeps the closing punctuation and quote marks."""
    while a < b and (text[a].isspace() or text[a] in ",;:\u2013\u2014"):
        a += 1
    # extend to the end of the sentence when only punctuation follows
    rest = text[b:sent_end]
    if rest and not any(ch.isalnum() for ch in rest):
        b = sent_end
    while b > a and (text[b - 1].isspace() or text[b - 1] in ",;:\u2013\u2014"):
        b -= 1
    return a, b
