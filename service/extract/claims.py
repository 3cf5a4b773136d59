"""Claims out of a clause: the day a figure describes, the claim record, hedges, duplicates."""

from __future__ import annotations

import datetime as dt
import re

from . import confidence as conf
from .attribution import Actor, Attributor
from .lexicon import SPEECH_VERBS
from .models import ExtractedClaim, ExtractedValue
from .naming import actor_key
from .numbers import Number
from .textutil import ALL_QUOTES, Doc

_QUOTE_CHARS = set(ALL_QUOTES)
_PUNCT_COMMA = re.compile(r"(?<!\d)[,;]|[,;](?!\d)")  # not the comma of "10,000"


from .clauses import Clause


def _figure_date(text: str, dates, n: Number, s_start: int, s_end: int, published: dt.date) -> dt.date:
    """The day a figure describes: the nearest date phrase of its sentence, leaving out one
    inside a parenthesis between commas that does not hold the number ("The ceasefire, agreed
    on March 3, collapsed ... when 5 soldiers were killed"); else the day the figure was given
    ("..., the agency said on Saturday, while 67 others ..."); else the publication date."""
    best = None
    for d in dates:
        if d.date is None:
            continue
        before = [m.start() for m in _PUNCT_COMMA.finditer(text, s_start, d.start)]
        a = before[-1] if before else -1
        m = _PUNCT_COMMA.search(text, d.end, s_end)
        b = m.start() if m else -1
        enclosed = (
            a >= 0 and b >= 0 and not (a < n.start and n.end <= b)
            and len(text[a:b].split()) <= 8  # a short aside, not a clause of its own
        )
        if enclosed:
            continue
        dist = abs(d.start - n.start)
        if best is None or dist < best[0]:
            best = (dist, d.date)
    if best is not None:
        return best[1]
    for d in dates:
        if d.date is None:
            continue
        words = re.findall(r"[\w']+", text[max(s_start, d.start - 30):d.start].lower())
        while words and words[-1] in ("on", "late", "early", "this", "last"):
            words.pop()
        if words and words[-1] in SPEECH_VERBS:
            return d.date
    return published


def _statement_date(doc: Doc, dates, c: Clause, quote_tok: list[bool], ti: int) -> dt.date | None:
    """The day a statement was made: a date phrase in its reporting frame ("Yesterday, the
    ministry said", "the agency reports on Friday morning that"), not in what was said ("He added
    that the last night was quiet")."""
    toks = doc.tokens
    end = toks[c.j - 1].end
    for k in range(c.i, c.j):
        t = toks[k]
        if t.t == "that" or quote_tok[k - ti] or t.t in _QUOTE_CHARS:
            end = t.start
            break
    return _first_date(dates, toks[c.i].start, end)


def _first_date(dates, a: int, b: int) -> dt.date | None:
    for d in dates:
        if a <= d.start < b and d.date is not None:
            return d.date
    return None


def _make_claim(text, qs, qe, metric, n: Number | None, group, location, as_of, claimant: Actor | None, via: list[Actor], hedges, att: Attributor) -> ExtractedClaim | None:
    quote = text[qs:qe]
    if not quote.strip():
        return None
    value = None
    qualifier = None
    if n is not None:
        value = ExtractedValue(low=n.low, high=n.high, qualifier=n.qualifier, text=n.text)
        qualifier = n.qualifier
    sc = getattr(att, "sent_country", None)
    memo = getattr(att, "claimant_country", None)
    if claimant is not None and memo is not None:
        # "In Syria, the Health Ministry ... It says 2,285 ...": the country named with the body
        # goes on qualifying it through its paragraph
        para = getattr(att, "cur_para", -1)
        if sc:
            memo[claimant.key] = (sc, para)
        elif claimant.key in memo and memo[claimant.key][1] == para:
            sc = memo[claimant.key][0]
    ckey = actor_key(claimant, att.main_place, att.country, att.vocab, sc)
    vias: list[str] = []
    for v in via:
        vk = actor_key(v, att.main_place, att.country, att.vocab, sc)
        if vk and vk != ckey and vk not in vias:
            vias.append(vk)
    eyewitness = claimant is not None and claimant.key in att.eyewitness_keys
    unnamed = claimant is not None and claimant.unnamed
    confidence, factors = conf.score(ckey is not None, unnamed, eyewitness, len(vias), qualifier, hedges)
    return ExtractedClaim(
        start=qs, end=qe, quote=quote, metric=metric, value=value, group=group,
        location=location[:300] if location else None, as_of=as_of, claimant=ckey, via=vias[:10],
        confidence=confidence, confidence_factors=factors,
        claimant_role=(claimant.role[:200] or None) if claimant is not None and claimant.slug is None else None,
    )


def _add_hedge(cl: ExtractedClaim, name: str) -> ExtractedClaim:
    factors = list(cl.confidence_factors) + [conf.ConfidenceFactor(f"hedge:{name}", conf.HEDGE)]
    total = round(min(1.0, max(0.0, sum(f.effect for f in factors))), 2)
    return ExtractedClaim(
        start=cl.start, end=cl.end, quote=cl.quote, metric=cl.metric, value=cl.value, group=cl.group,
        location=cl.location, as_of=cl.as_of, claimant=cl.claimant, via=cl.via, confidence=total,
        confidence_factors=factors, claimant_role=cl.claimant_role,
    )


def _norm_quote(q: str) -> str:
    return re.sub(r"[\W_]+", " ", q).strip().lower()


def _dedupe(claims: list[ExtractedClaim]) -> list[ExtractedClaim]:
    """The same figure (or statement) repeated word for word - a pull quote, a caption printed
    twice - is kept once: the attributed occurrence, else the last."""
    best: dict[tuple, int] = {}
    for ix, c in enumerate(claims):
        key = (c.metric, c.value.low if c.value else None, c.value.high if c.value else None,
               c.value.qualifier if c.value else None, _norm_quote(c.quote))
        if key in best:
            old = claims[best[key]]
            if old.claimant is not None and c.claimant is None:
                continue
        best[key] = ix
    keep = sorted(set(best.values()))
    out = [claims[i] for i in keep]
    # also drop exact duplicates of one span (two numbers can give one claim twice)
    seen = set()
    res = []
    for c in out:
        k = (c.start, c.end, c.metric, c.value.text if c.value else None, c.value.low if c.value else None)
        if k in seen:
            continue
        seen.add(k)
        res.append(c)
    res.sort(key=lambda c: (c.start, c.end))
    return res
