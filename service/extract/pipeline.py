"""The extraction pipeline: sentences -> clauses -> attribution -> figures and statements."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field

from . import confidence as conf
from .attribution import ORG_WORDS, Actor, Attribution, Attributor, Cand, generic_name, qualify, trailing
from .dates import find_dates
from .figures import NumPos, TermHit, assign_metrics, attributive, counts_sources, find_group
from .lexicon import EVENT_PEOPLE_NOUNS, GROUP_WORDS, PEOPLE_NOUNS, CAPITAL_STOP, COUNTRIES, COUNTRY_ALIASES, DEMONYMS, HEDGES, MONTHS, RELAY_VERBS, SPEECH_VERBS, WEEKDAYS
from .models import ExtractedClaim, ExtractedValue
from .numbers import Number, find_numbers
from .textutil import ALL_QUOTES, CLOSE_QUOTES, OPEN_QUOTES, Doc, fold
from .vocabulary import CompiledVocabulary

_HEDGE_RES = [(name, re.compile(p, re.I)) for name, p in HEDGES]
_LOC_PREPS = {"in", "across", "throughout", "around", "near", "outside", "inside"}
_LOC_SKIP = {"the", "capital", "city", "of", "town", "village", "region", "province", "state", "district", "areas", "area", "central", "southern", "northern", "eastern", "western", "port"}
_COUNTRYWIDE = re.compile(r"\b(?:the\s+(?:whole\s+|entire\s+)?country|nationwide|countrywide|all\s+regions|the\s+nation\b|all\s+(?:the\s+)?cities)", re.I)
_QUOTE_CHARS = set(ALL_QUOTES)
_ADDITION = re.compile(r"^\W*(?:in\s+addition|additionally|also|moreover|furthermore|besides)\b|\balso\b", re.I)
_CONT_START = {"it", "they", "he", "she", "this"}
_CREDIT = re.compile(r"\W*(?:additional\s+)?(?:reporting|writing|editing|compiled|produced)\s+by\b", re.IGNORECASE)
_PUNCT_COMMA = re.compile(r"(?<!\d)[,;]|[,;](?!\d)")  # not the comma of "10,000"


@dataclass
class Clause:
    i: int
    j: int
    attr: Attribution = field(default_factory=Attribution)
    inherited: bool = False
    speech: bool = False
    figure: bool = False


def extract_claims(text: str, published: dt.date, vocab: CompiledVocabulary) -> list[ExtractedClaim]:
    doc = Doc(text)
    toks = doc.tokens
    sents = doc.sentences
    if not sents:
        return []

    # per sentence: actor names, metric terms, numbers
    actor_m = [vocab.actor_matches(toks, s.ti, s.tj) for s in sents]
    cap_counts: dict[str, int] = {}
    for t in toks:
        if t.cap and len(t.t) >= 4:
            cap_counts[t.t[:5]] = cap_counts.get(t.t[:5], 0) + 1
    country, country_n = _story_country(toks)
    if vocab.country_bound or vocab.country_quals:
        for lst in actor_m:
            lst[:] = [m for m in lst if not _foreign_alias(m, vocab, cap_counts, country_n)]
    att = Attributor(doc, vocab)
    att.country = country
    cands_all = [att.find_cands(s.ti, s.tj, actor_m[k]) for k, s in enumerate(sents)]
    att.cands_by_sent = cands_all
    for cl in cands_all:
        att.learn_titles(cl)
    places, main_place = _places(doc, cands_all)
    att.places = places
    att.main_place = main_place
    att.main_prefixes = [fold(main_place)[:5]] if main_place else []

    # numbers, dates and hedges: one pass over the text, then per sentence
    starts = [x.start for x in sents]
    all_nums = _bucket(find_numbers(text, doc=doc), starts, sents)
    all_dates = _bucket(find_dates(text, 0, len(text), published, doc=doc), starts, sents)
    all_hedges: list[list[str]] = [[] for _ in sents]
    for name, rx in _HEDGE_RES:
        for m in rx.finditer(doc.folded):
            ms, me = doc.span(m.start(), m.end())
            x = bisect.bisect_right(starts, ms) - 1
            if x >= 0 and me <= sents[x].end and name not in all_hedges[x]:
                all_hedges[x].append(name)

    claims: list[ExtractedClaim] = []
    last_attr: tuple[int, int, Actor | None, list[Actor]] | None = None  # (sentence, para, claimant, via)
    last_statement: tuple[int, int, Actor | None, list[Actor], int] | None = None
    sent_figure_claims: dict[int, list[int]] = {}
    last_fig_metric: tuple[int, int, str, dt.date | None] | None = None  # (sentence, para, metric, as_of)
    hedge_by_value: dict[tuple, list[str]] = {}

    for k, s in enumerate(sents):
        ti, tj = s.ti, s.tj
        if tj <= ti:
            continue
        stext = text[s.start:s.end]
        cands = cands_all[k]
        actor_spans = [(toks[c.i].start, toks[c.j - 1].end) for c in cands if c.kind == "vocab"]
        # metric terms (not inside actor names)
        terms = []
        for m in vocab.metric_matches(toks, ti, tj):
            a, b = toks[m.i].start, toks[m.j - 1].end
            # inside a longer name ("Channel 4", "Ministry of Emergency Situations"), not a term;
            # a group noun that is also an actor ("protesters") stays a term
            if any(x < b and a < y and (x, y) != (a, b) for x, y in actor_spans):
                continue
            term = m.value[0]
            if _qualified_people_noun(toks, m.i, m.j, tj):
                continue
            hit = TermHit(m.i, m.j, term.metric, term.weak, term.verb)
            if not hit.weak and attributive(toks, hit):
                hit.weak = True
            terms.append(hit)
        nums = [
            n for n in all_nums[k]
            if not any(x < n.end and n.start < y for x, y in actor_spans) and not _compound_modifier(text, n)
        ]
        numpos = [NumPos(_tok_index(doc, n.start), _tok_index(doc, n.num_start), _tok_index(doc, n.end)) for n in nums]
        number_toks = set()
        for p in numpos:
            number_toks.update(range(p.qi, p.nj))
        quote_tok = _quote_mask(doc, s, ti, tj)
        if any(quote_tok):
            # a name inside quoted speech is what was said, not who speaks ('"Every Patriot
            # system means ...," he said': "he" is not "Every Patriot")
            cands = [c for c in cands if not (c.kind in ("proper", "pronoun") and quote_tok[c.i - ti])]

        # clauses, then the metric of each number within its clause
        clauses = _split_clauses(doc, att, cands, ti, tj, quote_tok, numpos)
        bounds = [c.i for c in clauses]

        def clause_of(tok: int, _b=bounds) -> int:
            return bisect.bisect_right(_b, tok) - 1

        metrics = assign_metrics(toks, numpos, terms, clause_of) if nums and terms else [None] * len(nums)
        for x, m in enumerate(metrics):
            if m is not None and (counts_sources(toks, numpos[x], tj) or (nums[x].vague and _hypothetical(toks, clauses[clause_of(numpos[x].qi)].i, numpos[x].qi))):
                metrics[x] = None
        # "Police put the figure at 15,000", "..., while police said there were 30,000": a bare
        # number that restates a tally takes the metric of the figure just before it
        restated: set[int] = set()
        for x, m in enumerate(metrics):
            if m is not None or not _restates_tally(toks, numpos[x], ti, tj):
                continue
            before = [mm for mm in metrics[:x] if mm is not None]
            metric = before[-1].metric if before else (last_fig_metric[2] if last_fig_metric and s.para - last_fig_metric[1] <= 1 and k - last_fig_metric[0] <= 1 else None)
            if metric is not None:
                metrics[x] = TermHit(numpos[x].nj, numpos[x].nj, metric, False)
                restated.add(x)
        fig_idx = [x for x, m in enumerate(metrics) if m is not None]
        hedges = [h for name, _ in _HEDGE_RES for h in all_hedges[k] if h == name]
        is_hedge_sentence = bool(re.match(r"\W*it\s+(?:is|was|remains)\s+(?:still\s+)?(?:unclear|not\s+clear|unknown|uncertain)", stext, re.I))
        fig_clause = {}
        for x in fig_idx:
            ci = _clause_of(clauses, numpos[x].qi)
            fig_clause[x] = ci
            clauses[ci].figure = True
        sent_claimants: list[tuple[Actor, list[Actor], int]] = []
        prev_attr: Attribution | None = None
        for ci_, c in enumerate(clauses):
            if is_hedge_sentence:
                break
            c.attr = att.attribute(c.i, c.j, cands, quote_tok, number_toks, s.para, c.figure, ti)
            own_speech = c.attr.speech
            if not c.attr.explicit and ci_ > 0 and c.i + 1 < c.j and toks[c.i].t == "which":
                # "..., according to the BBC, which also reports that ...": the antecedent speaks
                before = [x for x in cands if x.j <= c.i and x.i >= clauses[ci_ - 1].i and x.kind != "pronoun"]
                if before and before[-1].j >= c.i - 1:
                    a = att.resolve(before[-1], toks[before[-1].i].start, s.para, cands)
                    if a is not None:
                        c.attr = Attribution(a, [], True, True)
                        own_speech = True
            if not c.attr.explicit and ci_ > 0 and c.i + 1 < c.j and toks[c.i].t == "and" and (toks[c.i + 1].t in SPEECH_VERBS or toks[c.i + 1].t == "also"):
                # "... and expressed hope that ...": the subject of the clause before
                subj = att.subject_of_clause(clauses[ci_ - 1].i, clauses[ci_ - 1].j, cands, s.para)
                if subj is not None and (prev_attr is None or not prev_attr.explicit):
                    c.attr = Attribution(subj, [], True, True)
                    own_speech = True
            if not c.attr.explicit and prev_attr is not None and prev_attr.explicit:
                c.attr = Attribution(prev_attr.claimant, list(prev_attr.via), True, prev_attr.speech, prev_attr.media_reports)
                c.inherited = True
                first = toks[c.i].t if c.i < tj else ""
                words = {t.t for t in toks[c.i:c.j]}
                c.speech = bool(words & (set(SPEECH_VERBS) | RELAY_VERBS)) or first in ("that", "and", "which") and "that" in words
            else:
                c.speech = own_speech
            if c.attr.explicit:
                prev_attr = c.attr
            # the same claimant as just before in the paragraph: the same channel ("also reports")
            if c.attr.claimant is not None and not c.attr.via and last_attr is not None and last_attr[1] == s.para and last_attr[2] is not None and last_attr[2].key == c.attr.claimant.key:
                c.attr.via = list(last_attr[3])
            if c.attr.claimant is not None and c.attr.explicit and not c.inherited:
                sent_claimants.append((c.attr.claimant, c.attr.via, toks[c.i].start))

        # a reporting frame after a comma ("..., a union official told Reuters.", "..., and about
        # 500 were displaced, the agency said.", "Strike kills 31, Ukraine says; ...") speaks for
        # the clauses before it that name no source
        if len(clauses) > 1 and not is_hedge_sentence:
            for fi in range(1, len(clauses)):
                fr = clauses[fi]
                if not (fr.attr.explicit and fr.attr.claimant is not None) or fr.inherited:
                    continue
                lw = [t.t for t in toks[fr.i:fr.j] if t.word]
                frame_only = (
                    not fr.figure and len(lw) <= 9 and "that" not in lw
                    and not any(quote_tok[x - ti] for x in range(fr.i, fr.j)) and toks[fr.i - 1].t == ","
                )
                if not (frame_only or (fi == len(clauses) - 1 and _closing_frame(att, toks, cands, fr, tj, quote_tok, ti))):
                    continue
                before: list[Clause] = []
                for c in reversed(clauses[:fi]):
                    if c.attr.explicit and not c.inherited:
                        break
                    before.append(c)
                took = False
                for c in before:
                    if not c.attr.explicit:
                        c.attr = Attribution(fr.attr.claimant, list(fr.attr.via), True, False, fr.attr.media_reports)
                        c.inherited = True
                        took = True
                if took and frame_only and all(c.figure for c in before):
                    fr.speech = False  # the frame itself says nothing more

        any_explicit = any(c.attr.explicit for c in clauses)
        first_word = next((t.t for t in toks[ti:tj] if t.word), "")
        stripped = stext.strip()
        quoted_sentence = (
            len(stripped) > 2 and stripped[0] in _QUOTE_CHARS
            and stripped.rstrip(".!?,;: ")[-1:] in _QUOTE_CHARS
            and not any(ch in stripped[1:-2] for ch in CLOSE_QUOTES + OPEN_QUOTES if ch != stripped[0])
        )

        # inheritance for sentences that name no source
        inherited_attr: Attribution | None = None
        if not any_explicit and not is_hedge_sentence:
            if fig_idx and last_attr is not None and last_attr[1] == s.para and k - last_attr[0] <= 2 and _ADDITION.search(stext):
                inherited_attr = Attribution(last_attr[2], list(last_attr[3]), True, False)
            elif quoted_sentence and last_statement is not None and (s.para - last_statement[1] <= 2) and s.start - last_statement[4] < 900:
                inherited_attr = Attribution(last_statement[2], list(last_statement[3]), True, True)
            elif (
                not fig_idx and last_statement is not None and last_statement[0] == k - 1
                and s.para - last_statement[1] <= 1
                and first_word in _CONT_START
                and (re.search(r"\b(?:also|would)\b", stext, re.I) or first_word in ("he", "she"))
            ):
                inherited_attr = Attribution(last_statement[2], list(last_statement[3]), True, True)
            if inherited_attr is not None:
                for c in clauses:
                    c.attr = Attribution(inherited_attr.claimant, list(inherited_attr.via), True, inherited_attr.speech)
                    c.speech = inherited_attr.speech
                    c.inherited = True

        dates = all_dates[k]

        # figures
        prev_group = None
        new_fig_claims: list[int] = []
        clause_words = {t.t for t in toks[ti:tj]} if fig_idx else set()
        for x in fig_idx:
            n = nums[x]
            term = metrics[x]
            p = numpos[x]
            ci = fig_clause[x]
            c = clauses[ci]
            cj = _clause_of(clauses, term.i)
            a_tok, b_tok = min(clauses[ci].i, clauses[cj].i), max(clauses[ci].j, clauses[cj].j)
            qs, qe = _trim_quote(text, toks[a_tok].start, toks[b_tok - 1].end, s.end)
            if not (qs <= n.start and n.end <= qe):
                qs, qe = min(qs, n.start), max(qe, n.end)
            group = find_group(toks, p, term, ti, tj, clause_words, prev_group)
            prev_group = group
            location = _location(doc, cands, places, main_place, p, ti, tj, stext)
            as_of = _figure_date(text, dates, n, s.start, s.end, published)
            if x in restated and last_fig_metric is not None and not any(d.date for d in dates):
                as_of = last_fig_metric[3]  # the same count, the same day
            attr = c.attr
            claimant = attr.claimant if attr.explicit else None
            via = attr.via if attr.explicit else []
            fh = list(hedges)
            if attr.media_reports and "media_reports" not in fh:
                fh.append("media_reports")
            claim = _make_claim(text, qs, qe, term.metric, n, group, location, as_of, claimant, via, fh, att)
            if claim is not None:
                new_fig_claims.append(len(claims))
                claims.append(claim)
                if fh:
                    hedge_by_value.setdefault((term.metric, n.low, n.high, n.qualifier), []).extend(fh)
        sent_figure_claims[k] = new_fig_claims
        if new_fig_claims:
            last_fig_metric = (k, s.para, claims[new_fig_claims[-1]].metric, claims[new_fig_claims[-1]].as_of)

        # a sentence that casts doubt on the figures just before it ("It is unclear whether ...")
        if is_hedge_sentence and not fig_idx:
            prev = sent_figure_claims.get(k - 1, [])
            for ix in prev:
                old = claims[ix]
                if not any(f.name.startswith("hedge:") for f in old.confidence_factors):
                    claims[ix] = _add_hedge(old, "unclear")
                    hedge_by_value.setdefault((old.metric, old.value.low, old.value.high, old.value.qualifier), []).append("unclear")

        # statements
        made_statement = False
        for c in clauses:
            if c.figure or not c.attr.explicit or not c.speech or is_hedge_sentence:
                continue
            if c.attr.claimant is None and not c.attr.media_reports:
                continue
            qs, qe = _trim_quote(text, toks[c.i].start, toks[c.j - 1].end, s.end)
            if qe - qs < 12:
                continue
            words = [t for t in toks[c.i:c.j] if t.word]
            if len(words) < 3:
                continue
            if _CREDIT.match(text, qs, qe):
                continue  # "(Reporting by ...; Additional reporting by ...; Editing by ...)"
            sh = list(hedges)
            if c.attr.media_reports and "media_reports" not in sh:
                sh.append("media_reports")
            d = _statement_date(doc, dates, c, quote_tok, ti) or published
            claim = _make_claim(text, qs, qe, None, None, None, None, d, c.attr.claimant, c.attr.via, sh, att)
            if claim is not None:
                claims.append(claim)
                made_statement = True
                last_statement = (k, s.para, c.attr.claimant, list(c.attr.via), s.end)

        # memory
        att.remember(cands, s.para, k, sent_claimants)
        explicit_attrs = [c.attr for c in clauses if c.attr.explicit and c.attr.claimant is not None]
        if explicit_attrs:
            a = explicit_attrs[-1]
            last_attr = (k, s.para, a.claimant, list(a.via))
            if fig_idx and not made_statement:
                last_statement = (k, s.para, a.claimant, list(a.via), s.end)

    # the same figure doubted elsewhere in the text is doubted here too
    for ix, cl in enumerate(claims):
        if cl.value is None:
            continue
        key = (cl.metric, cl.value.low, cl.value.high, cl.value.qualifier)
        if key in hedge_by_value and not any(f.name.startswith("hedge:") for f in cl.confidence_factors):
            claims[ix] = _add_hedge(cl, hedge_by_value[key][0])
    return _dedupe(claims)


# ----------------------------------------------------------------------------- helpers


_TALLY_NOUNS = {"figure", "figures", "number", "numbers", "total", "turnout", "toll", "count", "tally", "crowd", "attendance", "estimate"}
_TALLY_PUT = {"put", "puts", "putting", "placed", "places", "estimated", "estimates", "set", "sets"}
_TALLY_REACH = {"reach", "hit", "exceed", "top", "surpass", "pass", "to"}
_RESTATE_VERBS = {"said", "says", "say", "counted", "estimated", "reported", "claimed", "gave", "give", "gives", "cited"}


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


def _restates_tally(toks, p: NumPos, ti: int, tj: int) -> bool:
    """"put the figure at N", "said there were N", "while the union said N." (nothing counted
    after the number)."""
    k = p.qi
    nxt = toks[p.nj] if p.nj < tj else None
    bare_end = nxt is None or not nxt.word or nxt.t in ("in", "on", "at", "across", "nationwide", "while", "and", "but", "once", "when", "by", "if", "after", "before", "within", "as")
    if k - 1 >= ti and toks[k - 1].t == "at":
        words = [t.t for t in toks[max(ti, k - 6):k - 1]]
        return any(w in _TALLY_PUT for w in words) and any(w in _TALLY_NOUNS for w in words)
    if not bare_end:
        return False
    if k - 1 >= ti and toks[k - 1].t in _TALLY_REACH:
        # "the figure could reach 1,600", "the toll is expected to rise to 40"
        words = [t.t for t in toks[max(ti, k - 7):k - 1]]
        if any(w in _TALLY_NOUNS for w in words) and not any(t.t[:1].isdigit() for t in toks[max(ti, k - 7):k - 1]):
            return True
    if k - 2 >= ti and toks[k - 2].t == "there" and toks[k - 1].t in ("were", "was"):
        return True
    if k - 3 >= ti and toks[k - 3].t == "there" and toks[k - 2].t in ("had", "have") and toks[k - 1].t == "been":
        return True
    return k - 1 >= ti and toks[k - 1].t in _RESTATE_VERBS


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
        return False  # a text that names no country: the vocabulary's reading stands
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
    return best, counts[best]


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


_COMMON_BODIES = {"police", "authorities", "officials", "army", "government", "military", "the police", "the authorities", "the army", "the government", "the military"}
_LOCAL_BODY_WORDS = {"police", "authorities", "officials", "fire", "firefighters", "rescuers", "paramedics", "sheriff's", "sheriff"}


def _actor_key(a: Actor | None, place: str | None = None, country: str | None = None, vocab=None) -> str | None:
    """A vocabulary slug, or the name as written. A bare common noun ("police", "officials") or
    an institution name that names no country ("Interior Ministry", "Health Ministry") names
    nobody in particular. Convention: it is qualified with the demonym of the country the story
    is about ("Georgian Interior Ministry", "Kenyan police", "French officials"), and the
    qualified name is looked up among the actor names ("Kazakh police" is the seed actor
    kazakhstan-police); a story that names no country qualifies with its main place instead
    ("authorities (Tulsa)"). So the API never files a Georgian ministry under a Kazakh one, nor
    pools every story's "officials"."""
    if a is None:
        return None
    key = " ".join(a.key.split())
    m = re.match(r"^(?:the\s+)?(.+?)\s+in\s+([A-Z][\w .'-]+)$", key)
    if a.slug is None and m and (not any(ch.isupper() for ch in m.group(1)) or generic_name(m.group(1))):
        # "police in Denver" -> "Denver police", "officials in Syria" -> "Syrian officials"
        body, where = m.group(1), m.group(2)
        body = body.lower() if body.lower() in _COMMON_BODIES else body
        fw = fold(where)
        cw = COUNTRY_ALIASES.get(fw) or (fw if fw in COUNTRIES else None)
        return (qualify(body, cw, vocab) if cw else qualify(body, where, vocab, adjective=False))[:300]
    if a.slug is None and key and (not any(ch.isupper() for ch in key) or generic_name(key)):
        if key.lower() in _COMMON_BODIES:
            key = key.lower()  # "Police said" at the start of a sentence is the common noun
        local = any(w in _LOCAL_BODY_WORDS for w in key.lower().split())
        if local and place and fold(place) not in COUNTRIES:
            return qualify(key, place, vocab, adjective=False)[:300]  # "Tulsa police"
        if country:
            return qualify(key, country, vocab)[:300]
        if place:
            key = f"{key} ({place})"
    return key[:300] if key else None





def _make_claim(text, qs, qe, metric, n: Number | None, group, location, as_of, claimant: Actor | None, via: list[Actor], hedges, att: Attributor) -> ExtractedClaim | None:
    quote = text[qs:qe]
    if not quote.strip():
        return None
    value = None
    qualifier = None
    if n is not None:
        value = ExtractedValue(low=n.low, high=n.high, qualifier=n.qualifier, text=n.text)
        qualifier = n.qualifier
    ckey = _actor_key(claimant, att.main_place, att.country, att.vocab)
    vias: list[str] = []
    for v in via:
        vk = _actor_key(v, att.main_place, att.country, att.vocab)
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
