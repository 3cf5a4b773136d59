"""Back-references: a pronoun, title or nominal ("the ministry") resolved to an actor named
before."""

from __future__ import annotations


from .lexicon import (
    COUNTRIES,
    COUNTRY_ALIASES,
    DETERMINERS,
    PREPOSITIONS,
    PRONOUNS_PERSON,
    UNNAMED_SOURCES,
)
from .textutil import fold as _fold_key

from .actors import (
    ORG_WORDS,
    NOMINAL_MODIFIERS,
    Actor,
    Cand,
    actor_from_vocab,
    _title_keys,
    _prefix_match,
    qualify,
    generic_name,
)

from .actors import CORE_BODY_HEADS
from .actors import BE_FORMS, FIGURE_ONLY_VERBS, PASSIVE_SKIP
from .lexicon import MEDIA_WORDS, NOUN_AMBIGUOUS, PERCEPTION_VERBS, RELAY_VERBS, SPEECH_VERBS


# words of a description that do not pick out one body ("the same agency", "its own office")
LOOSE_QUALIFIERS = {"same", "own", "new", "latest", "main", "top", "country", "national", "local", "state", "official"}


def _core_body(name: str) -> bool:
    """A country's core state body ("Health Ministry", "police"): named with the demonym."""
    words = _fold_key(name).split()
    return bool(words) and words[-1] in CORE_BODY_HEADS


FORCE_HEADS = {"police"}  # bare common nouns that refer back to the force quoted before
FORCE_REACH = 2500  # characters
LEAD_CHARS = 600  # a back-reference this early (headline, lede) may point forward to the body


class Resolver:
    """Mixin of Attributor: resolving candidates to actors, reading verbs of saying."""

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
                if not _core_body(rest):
                    return c.actor  # "Haiti's civil protection office": as written
                return Actor(key=q, slug=None, kind=c.actor.kind, person=c.actor.person, org=True)
        if c.kind == "proper" and c.actor is not None and c.actor.slug is None and c.i >= 3 and self.txt[c.i - 1] == "s" and self.txt[c.i - 2] == "'" and generic_name(c.actor.key):
            # "Russia's Defence Ministry" is the Russian Defence Ministry
            w = self.txt[c.i - 3]
            owner = c.i - 3
            country = COUNTRY_ALIASES.get(w) or (w if w in COUNTRIES else None)
            if country is None and c.i >= 4 and (self.txt[c.i - 4] + " " + w) in COUNTRIES:
                country, owner = self.txt[c.i - 4] + " " + w, c.i - 4
            if country is not None:
                q = qualify(c.actor.key, country, self.vocab)
                if q in self.vocab.actor_kind:
                    return actor_from_vocab(self.vocab, q)
                if not _core_body(c.actor.key):
                    # "Iran's Supreme National Security Council": the words as written
                    written = self.doc.text[self.toks[owner].start:self.toks[c.j - 1].end]
                    return Actor(key=written, slug=None, kind=c.actor.kind, person=c.actor.person, org=True)
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
            if a is None and c.head in ORG_WORDS and c.text.lower().split()[0] in ("the", "its", "their"):
                # "the directorate said", with nothing named before it resolves to: as written
                a = Actor(key=c.text.split(None, 1)[1], slug=None, kind="organisation", person=False, org=True)
            return a
        if c.kind in ("institutional", "generic") and c.head in FORCE_HEADS and not c.qual:
            a = self._force_named_before(c.head, pos)
            if a is not None:
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

    def _force_named_before(self, head: str, pos: int) -> Actor | None:
        """"Quebec provincial police said ... On Sunday police confirmed five deaths": a bare
        "police" is the force quoted before it in the story, when one was."""
        for h in reversed(self.history):
            if pos - h.pos > FORCE_REACH:
                break
            if h.claimant and not h.actor.person and head in _fold_key(h.actor.key).split():
                return h.actor
        return None

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

    def _describes(self, a: Actor, c: Cand) -> bool:
        """A description's own words ("the national disaster coordinating council") must
        appear in the name it refers back to, or spell its acronym; a bare "the agency" may
        refer to any body of its kind."""
        quals = [q for q in c.qual if q.isalpha() and len(q) >= 3 and q not in LOOSE_QUALIFIERS]
        if c.kind != "nominal" or not quals or c.head == "media":
            return True
        names = self.vocab.actor_names.get(a.slug, []) if a.slug else []
        words = {w for n in names for w in n} | set(_fold_key(a.key).replace("'", " ").split())
        if any(q in words for q in quals) and self.txt[c.j - 1] in words:
            return True
        key = a.key.strip()
        initials = "".join(w[0] for w in [*quals, self.txt[c.j - 1]])
        return key.isupper() and key.isalpha() and initials in key.lower()  # "NDMA", "the disaster management authority"

    def _resolve_nominal(self, head: str, pos: int, sent_cands: list[Cand], c: Cand, history: bool = True) -> Actor | None:
        if history:
            for sc in reversed(sent_cands):
                if sc.j <= c.i and sc.kind in ("vocab", "proper") and sc.actor and self._matches_head(sc.actor, head) and self._describes(sc.actor, c):
                    return sc.actor
            for h in reversed(self.history):
                if self._matches_head(h.actor, head) and self._describes(h.actor, c):
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
        if history and pos < LEAD_CHARS and head in ("government", "ministry", "org", "media", "police", "army"):
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
        if v > ci and txt[v - 1] in DETERMINERS and (t in NOUN_AMBIGUOUS or t in ("reports", "report", "counts", "tallies")):
            return None  # "a request", "the reports"
        if t in ("state", "states") and not (v + 1 < cj and (txt[v + 1] in ("that", ":") or quote_tok[v + 1 - ti])):
            return None  # "state television"
        if t in ("call", "calls", "called", "calling") and v + 1 < cj and txt[v + 1] in ("up", "off", "back", "out", "in"):
            return None  # "called up 360,000 reservists"
        if t in ("claimed", "claims", "claim", "claiming") and any(x in ("lives", "life", "victims") for x in txt[v + 1:min(cj, v + 6)]):
            return None  # "floods have claimed 30 lives": a toll, not a statement
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
