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


from .lexicon import (
    DETERMINERS,
    NOUN_AMBIGUOUS,
    RELAY_VERBS,
    SPEECH_VERBS,
    SUBJECT_FILLERS,
)
from .textutil import Token
from .textutil import fold as _fold_key

from .actors import (  # noqa: F401
    ORG_WORDS,
    EVENT_NAME_HEADS,
    ORG_DESCRIPTORS,
    _org_run_after,
    _PARTY_WORDS,
    ROLE_NOUNS,
    STANDALONE_TITLE_EXCLUDE,
    NAME_CONNECTORS,
    NOMINAL_MODIFIERS,
    NOMINAL_STOP,
    QUALIFIER_LOWER,
    TITLE_WORDS,
    _ADJ_SUFFIXES,
    ADJ_HEADS,
    INVERTED_FILLERS,
    HONORIFICS,
    BE_FORMS,
    PASSIVE_SKIP,
    CLOSING,
    Actor,
    Cand,
    HistEntry,
    Attribution,
    actor_from_vocab,
    FIGURE_ONLY_VERBS,
    ADJUNCT_START,
    trailing,
    _title_keys,
    _prefix_match,
    demonym,
    qualify,
    generic_name,
)
from .candidates import CandidateFinder
from .resolution import Resolver


# "<a figure> given by X": the passive agent of a verb of giving out a figure is its source
AGENT_PARTICIPLES = {"given", "announced", "shared", "issued", "released", "published", "compiled",
                     "provided", "confirmed", "cited", "circulated", "reported", "estimated", "recorded", "counted"}


# "according to state media": a qualified medium is a source; "according to media reports" is not
NAMED_MEDIA_QUALIFIERS = {"state", "official", "government", "state-run", "local"}
APPOSITIVE_AUX = {"has", "have", "had", "also", "earlier", "later", "previously", "then", "again", "already"}


class Attributor(CandidateFinder, Resolver):
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
        self.sent_country: str | None = None  # the country the current sentence opens with
        self.cur_para = -1
        self.claimant_country: dict[str, tuple[str, int]] = {}  # claimant key -> (country named with it, paragraph)

    # ------------------------------------------------------------------ candidates

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
                if t in (".", ";", ":", "?", "!", "-", "that", "which", "who", "whom", "where", "because", "but", "if", "whether", "when") or quote_tok[k - ti]:
                    return None  # ("-": a dateline's dash, "ESCUINTLA, June 6 - The number ...")
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
            while v - 1 > ci and txt[v - 1] in APPOSITIVE_AUX:
                v -= 1  # "X, a spokesman for the ministry, had said", "..., has given"
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
            # "Major General X, general officer commanding the army's 9th Infantry Division, who
            # led the operation, gave ...": the name before a description is the subject
            z = c.i - 1
            while z > ci and txt[z] != "," and c.i - z < 12 and txt[z] not in (";", ":", "that", "and") and not quote_tok[z - ti]:
                z -= 1
            outer = by_end.get(z) if z > ci and txt[z] == "," else None
            if outer is not None and outer.kind in ("vocab", "proper") and outer.actor is not None and outer.actor.person and self.governing(outer, ci) is None:
                return outer
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
                if c is not None and not (c.kind == "generic" and c.head in ("reports", "media") and not (set(c.qual) & NAMED_MEDIA_QUALIFIERS)):
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
            elif t == "by" and figure_clause and k >= 1 and txt[k - 1] in AGENT_PARTICIPLES and according is None:
                # "the toll given by Myanmar's military", "the figure of 288 shared by the Railways"
                c = self._first_cand_after(k + 1, cj, by_start, 6)
                if c is not None and not (c.kind == "generic" and c.head in ("reports", "media")):
                    according = c
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
            if not after_comma and v - 2 > ci and txt[v - 1] in APPOSITIVE_AUX:
                subj = appositive_subject(v)  # "X, a spokesman for the ministry, had said"
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
            if t.endswith("ing") and subj.i - 1 in number_toks:
                continue  # "to disperse about 10,000 protesters calling for ...": the counted, not a source
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
