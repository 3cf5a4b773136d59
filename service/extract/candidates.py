"""Finding who could be speaking: candidate names in a sentence (proper names, titles,
nominals, pronouns), titles learned for later back-references."""

from __future__ import annotations



from .lexicon import (
    CAPITAL_STOP,
    COUNTRIES,
    COUNTRY_ALIASES,
    DEMONYMS,
    DETERMINERS,
    EYEWITNESS_WORDS,
    GENERIC_SOURCES,
    NOMINAL_HEADS,
    NOUN_AMBIGUOUS,
    PEOPLE_NOUNS,
    PERSON_ROLE_WORDS,
    PRONOUNS_OTHER,
    PRONOUNS_PERSON,
    RELAY_VERBS,
    SPEECH_VERBS,
    SUBJECT_FILLERS,
    TITLES,
)
from .textutil import fold as _fold_key

from .actors import CORE_BODY_HEADS, _INSTITUTIONAL_BY_FIRST
from .actors import (
    ORG_WORDS,
    _org_run_after,
    _PARTY_WORDS,
    STANDALONE_TITLE_EXCLUDE,
    NAME_CONNECTORS,
    NOMINAL_STOP,
    _ADJ_SUFFIXES,
    ADJ_HEADS,
    Actor,
    Cand,
    actor_from_vocab,
    _title_keys,
    qualify,
)


from .mentions import BODY_NOUNS, OWN_VOICE, PARTICLE_NAME, MentionParts



class CandidateFinder(MentionParts):
    """Mixin of Attributor: candidate mentions."""

    def find_cands(self, ti: int, tj: int, vocab_matches) -> list[Cand]:
        toks = self.toks
        txt = self.txt
        text = self.doc.text
        cands: list[Cand] = []
        taken = [False] * (tj - ti)
        for m in vocab_matches:
            entry = m.value[0]
            b = self._body_after_name(m.j, tj)
            if b is not None:
                # "the UN human rights office", "The US government": a body of the named one
                key = text[toks[m.i].start:toks[b - 1].end]
                cands.append(Cand(m.i, b, "proper", Actor(key=key, slug=None, kind="organisation", person=False, org=True), text=key))
                for k in range(m.i, b):
                    taken[k - ti] = True
                continue
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
                tail = self._compound_tail(end, tj)
                if tail and not any(taken[x - ti] for x in range(end, end + tail)):
                    # "the government task force": the body is the task force
                    end += tail
                    cands.append(Cand(qs, end, "nominal", head="org", qual=tuple(q for q in qual + (txt[end - tail - 1],) if q != "the"),
                                      text=text[toks[qs].start:toks[end - 1].end]))
                    k = end
                    continue
                # "authorities in Syria", "officials in Kyiv"
                if end + 1 < tj and txt[end] == "in" and toks[end + 1].cap and toks[end + 1].word and txt[end + 1] not in CAPITAL_STOP:
                    end += 2
                    while end < tj and toks[end].cap and toks[end].word:
                        end += 1
                elif end + 1 < tj and txt[end] in ("at", "of", "from"):
                    # "Officials at the Centre for National Operations": the body they work for
                    b = self._org_name_after(end + 1, tj)
                    if b is not None:
                        cands.append(Cand(qs, b, "proper", Actor(key=text[toks[qs].start:toks[b - 1].end], slug=None, kind="organisation", person=False, org=True),
                                          text=text[toks[qs].start:toks[b - 1].end]))
                        k = b
                        continue
                cands.append(Cand(qs, end, "institutional", head=hit[1], qual=qual,
                                  text=text[toks[qs].start:toks[end - 1].end]))
                k = end
                continue
            # definite descriptions ("the ministry", "the news agency", "the regional health department")
            possessive = w == "s" and k - 2 >= ti and txt[k - 1] == "'" and toks[k - 2].cap and (txt[k - 2] in COUNTRIES or txt[k - 2] in COUNTRY_ALIASES)
            owner = k - 2
            if not possessive and w == "s" and k - 3 >= ti and txt[k - 1] == "'" and toks[k - 2].cap and toks[k - 3].cap and (txt[k - 3] + " " + txt[k - 2]) in COUNTRIES:
                possessive, owner = True, k - 3  # "Saudi Arabia's civil defence directorate"
            indefinite = w in ("a", "an")
            if (w in ("the", "this", "that") or possessive or indefinite) and k + 1 < tj:
                e = k + 1
                mods: list[str] = []
                while e + 1 < tj and len(mods) < 4 and not taken[e - ti] and txt[e] not in NOMINAL_HEADS and (
                    (toks[e].word and not toks[e].cap and txt[e] not in NOMINAL_STOP and (txt[e] not in SPEECH_VERBS or txt[e] in NOUN_AMBIGUOUS))
                    or (txt[e] == "'" and e + 1 < tj and (txt[e + 1] == "s" or txt[e - 1].endswith("s")))
                    or (txt[e] == "s" and txt[e - 1] == "'")
                    or txt[e] == "-"
                ):
                    mods.append(txt[e])
                    e += 1
                if possessive and e < tj and txt[e] in NOMINAL_HEADS and not taken[e - ti] and not toks[e].cap:
                    # "Ecuador's prison authority": the country's body, "Ecuadorian prison authority"
                    # a core state body takes the demonym ("Peru's police" is "Peruvian police"),
                    # any other keeps the words as written ("Haiti's civil protection office")
                    country = " ".join(txt[owner:k - 1]) if owner == k - 3 else (COUNTRY_ALIASES.get(txt[k - 2]) or txt[k - 2])
                    q = qualify(text[toks[k + 1].start:toks[e].end], country, self.vocab)
                    if q in self.vocab.actor_kind:
                        a = actor_from_vocab(self.vocab, q)
                    else:
                        if txt[e] not in CORE_BODY_HEADS:
                            q = text[toks[owner].start:toks[e].end]
                        a = Actor(key=q, slug=None, kind="organisation", person=False, org=True)
                    cands = [c for c in cands if not owner <= c.i <= k]
                    cands.append(Cand(owner, e + 1, "proper", a, text=q))
                    k = e + 1
                    continue
                if possessive:
                    k += 1
                    continue
                tail = self._compound_tail(e + 1, tj) if e < tj and txt[e] in NOMINAL_HEADS and not toks[e].cap else 0
                if tail and not any(taken[x - ti] for x in range(e, e + 1 + tail)):
                    # "the government task force", "the police commission": the head word is a
                    # modifier of the body's own noun
                    e += tail
                    cands.append(Cand(k, e + 1, "nominal", head="org", qual=tuple(m for m in mods + [txt[e - tail]] if m[:1].isalpha() and m != "s"),
                                      text=text[toks[k].start:toks[e].end]))
                    k = e + 1
                    continue
                if indefinite:
                    if e < tj and txt[e] in NOMINAL_HEADS and NOMINAL_HEADS[txt[e]] == "org" and not taken[e - ti] and not toks[e].cap and any(m[:1].isalpha() for m in mods):
                        # "a garment workers' federation said": a new body, named by its description
                        desc = text[toks[k + 1].start:toks[e].end]
                        cands.append(Cand(k, e + 1, "proper", Actor(key=desc, slug=None, kind="organisation", person=False, org=True), text=desc))
                        k = e + 1
                        continue
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
                    if (x.cap and x.word and not x.t[:1].isdigit()) or (e > k and PARTICLE_NAME.match(text, x.start, x.end)):
                        last_cap = e
                        e += 1
                    elif (x.t in NAME_CONNECTORS or (x.t == "in" and e + 1 < tj and (toks[e + 1].t == "charge" or self._acronym_follows(e + 1, tj)))) and e + 1 < tj and e > k:
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
                    if adjective and t.upper and (txt[s0] in COUNTRY_ALIASES or txt[s0] in COUNTRIES) and nxt.t in BODY_NOUNS:
                        key = text[toks[s0].start:nxt.end]  # "the US government", "the UK embassy"
                        cands.append(Cand(s0, end + 1, "proper", Actor(key=key, slug=None, kind="government", person=False, org=True), text=key))
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
                    if not adjective and single and s0 == ti and _common_noun_next(nxt) and s0 not in self.title_before:
                        k = end  # "Physical damage", "Provisional data", "Local leaders": a sentence's first word
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
        # "(AP)", "(AFP)", "(NATO)": credits and acronyms in brackets are not new mentions;
        # "our Presidency", "our teams": the writer's own voice, not a source it cites
        return [c for c in cands if not (c.i > ti and c.j < tj and txt[c.i - 1] == "(" and txt[c.j] == ")")
                and not (c.i > ti and txt[c.i - 1] in OWN_VOICE)]

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


# words after a one-word name that show it is a name speaking or acting ("Sutopo put the toll
# at 82", "Wu told", "Rosario later said"): past forms that do not end in -ed, modals, adverbs
_NAME_NEXT = {
    "put", "gave", "told", "said", "says", "wrote", "spoke", "went", "came", "made", "took", "sent",
    "got", "set", "left", "read", "cut", "saw", "met", "led", "kept", "held", "felt", "ran", "thought",
    "brought", "found", "became", "began", "gives", "puts", "tells", "will", "would", "can", "could",
    "may", "might", "must", "should", "shall", "did", "does", "do", "is", "was", "has", "had", "also",
    "then", "now", "later", "earlier", "first", "again", "himself", "herself", "itself", "alone",
    "insisted", "to", "and", "or", "of", "for", "in", "on", "at", "who", "whose", "which",
}


def _common_noun_next(nxt: "Token | None") -> bool:
    """The lowercase word after a sentence's capitalised first word reads as the rest of a noun
    phrase ("damage", "data", "leaders", "since"), not as the verb of a one-word name."""
    if nxt is None or not nxt.word or nxt.cap or nxt.t[:1].isdigit():
        return False
    w = nxt.t
    if w in _NAME_NEXT or w in SPEECH_VERBS or w in RELAY_VERBS or (w in SUBJECT_FILLERS and w not in PEOPLE_NOUNS):
        return False
    if w in _GROUP_NOUNS:
        return True  # "Field teams", "Local leaders", "Official figures"
    if w.endswith(("ed", "ly")):
        return False
    return not w.endswith("s") or w in PEOPLE_NOUNS or w.endswith(("ss", "us", "is"))


_GROUP_NOUNS = {
    "teams", "crews", "leaders", "officials", "workers", "figures", "reports", "sources",
    "assessments", "estimates", "counts", "surveys", "volunteers", "units", "data", "records",
}
