"""The extraction pipeline: sentences -> clauses -> attribution -> figures and statements."""

from __future__ import annotations

import bisect
import datetime as dt
import re

from .attribution import Actor, Attribution, Attributor
from .background import background_number, background_sentence, compared_number, continues_background
from .release import header_issuer, is_release
from .dates import find_dates
from .figures import NumPos, TermHit, _joined, assign_metrics
from .groups import attributive, counts_sources, find_group
from .lexicon import HEDGES, RELAY_VERBS, SPEECH_VERBS
from .models import ExtractedClaim
from .numbers import find_numbers
from .textutil import ALL_QUOTES, CLOSE_QUOTES, OPEN_QUOTES, Doc, fold
from .vocabulary import CompiledVocabulary

from .signals import _of_them, _population_base, _closing_frame, _compound_modifier, _restates_tally, _hypothetical, _foreign_alias, _story_country, _fallback_source, _named_country
from .clauses import Clause, _bucket, _tok_index, _quote_mask, _split_clauses, _qualified_people_noun, _clause_of, _trim_quote
from .places import _breakdown_place, _caption, _headline, _location, _place_claimant, _places
from .claims import _figure_date, _statement_date, _make_claim, _add_hedge, _dedupe
_HEDGE_RES = [(name, re.compile(p, re.I)) for name, p in HEDGES]
_QUOTE_CHARS = set(ALL_QUOTES)
_CONT_START = {"it", "they", "he", "she", "this"}
_CREDIT = re.compile(r"\W*(?:additional\s+)?(?:reporting|writing|editing|compiled|produced)\s+by\b", re.IGNORECASE)


_ADDITION = re.compile(r"^\W*(?:in\s+addition|additionally|also|moreover|furthermore|besides)\b|\balso\b", re.I)
RESTATE_REACH = 3  # sentences back that a restated tally ("it was still 33") may look for its metric


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
    # the main place comes from the body: not from a headline or a photo caption
    headline = _headline(text, doc)
    body_cands = [[] if (headline and doc.sentences[x].para == 0) or _caption(text, doc, x) else cl for x, cl in enumerate(cands_all)]
    places, main_place = _places(doc, body_cands)  # where figures are: the body only
    # the place that qualifies a generic claimant may also come from the headline
    named_places, story_place = _places(doc, [[] if _caption(text, doc, x) else cl for x, cl in enumerate(cands_all)]) if headline else (places, main_place)
    att.places = named_places
    att.main_place = story_place
    att.main_prefixes = [fold(story_place)[:5]] if story_place else []

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
    release = is_release(text)
    bg_para = -1  # the paragraph of the last background sentence (an earlier event recounted)
    issuer: Actor | None = header_issuer(text) if release else None
    first_source: Actor | None = None
    last_attr: tuple[int, int, Actor | None, list[Actor]] | None = None  # (sentence, para, claimant, via)
    last_statement: tuple[int, int, Actor | None, list[Actor], int] | None = None
    sent_figure_claims: dict[int, list[int]] = {}
    last_fig_metric: tuple[int, int, str, dt.date | None] | None = None  # (sentence, para, metric, as_of)
    hedge_by_value: dict[tuple, list[str]] = {}
    prev_terms: tuple[int, list[TermHit]] | None = None  # the strong metric terms of the sentence before

    for k, s in enumerate(sents):
        ti, tj = s.ti, s.tj
        if tj <= ti:
            continue
        stext = text[s.start:s.end]
        att.sent_country = _named_country(toks, ti, tj)
        att.cur_para = s.para
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
            if m.i > ti and toks[m.i - 1].cap and toks[m.i - 1].word and all(t.cap for t in toks[m.i:m.j] if t.word):
                continue  # part of a name: "the Red Cross", "Civil Defence"
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
            if m is not None and _population_base(toks, numpos[x], ti):
                metrics[x] = None  # "out of a population of about 100,000": the base, not a count
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
            strong = [t for t in terms if not t.weak and t.j <= numpos[x].qi]
            if any(toks[y].t in ("it", "its") for y in range(max(ti, numpos[x].qi - 4), numpos[x].qi)):
                # "the toll stood at 13, with 50 missing, and on Tuesday it reached 15": "it" is the toll
                tolls = [t for t in strong if toks[t.j - 1].t in ("toll", "tally", "count")]
                before = [tolls[-1]] if tolls else before
            metric = before[-1].metric if before else strong[-1].metric if strong else None
            if metric is None and prev_terms is not None and prev_terms[0] == k - 1 and prev_terms[1] and _of_them(toks, numpos[x], tj):
                metric = prev_terms[1][-1].metric  # "Nearly all the deaths were in three countries. Liberia has recorded 2,316 of them"
            if metric is None and last_fig_metric and s.para - last_fig_metric[1] <= 1 and k - last_fig_metric[0] <= RESTATE_REACH:
                metric = last_fig_metric[2]
            if metric is not None:
                metrics[x] = TermHit(numpos[x].nj, numpos[x].nj, metric, False)
                restated.add(x)
                for y in range(x + 1, len(metrics)):  # "..., Sierra Leone 930 and Guinea 778"
                    if metrics[y] is not None or not _joined(toks, numpos[y - 1], numpos[y]):
                        break
                    metrics[y] = TermHit(numpos[y].nj, numpos[y].nj, metric, False)
                    restated.add(y)
        prev_terms = (k, [t for t in terms if not t.weak])
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
        bg = background_sentence(stext, published) or (bg_para == s.para and continues_background(stext))
        if bg:
            bg_para = s.para
        if fig_idx and bg:
            fig_idx = []  # an earlier event recounted: not this report's figures
        for x in fig_idx:
            n = nums[x]
            if compared_number(text, s.start, n.start) or background_number(stext, n.start - s.start, published):
                continue  # an earlier event's figure: named for comparison, or in its clause
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
            if claimant is None and not (attr.explicit and attr.media_reports):
                claimant, via = _fallback_source(att, cands, p, s, k, ti, tj, quote_tok, last_attr)
            if claimant is not None and claimant.slug is None and fold(claimant.key) in places:
                claimant = _place_claimant(att, claimant, cands, s.para)
            if claimant is not None and last_attr is not None and last_attr[2] is not None and k - last_attr[0] <= 3 and _breakdown_place(att, claimant, cands, places):
                claimant, via = last_attr[2], list(last_attr[3])  # "Punjab reported 11 deaths": the breakdown's source
            if claimant is None and release:
                claimant = first_source or issuer  # a release states its figures in its own voice
            if claimant is not None and first_source is None and release:
                first_source = claimant
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
            if release and first_source is None:
                first_source = a.claimant  # the release's first named source speaks for it
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
