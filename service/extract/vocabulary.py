"""The vocabulary compiled once: metric terms and actor names as folded token sequences.

Lookups are dictionary hits on token tuples (longest match first), so adding a synonym, a
metric or an alias to the database changes what is found without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import PEOPLE_NOUNS, PERSON_ROLE_WORDS
from .models import ActorNames, MetricTerms
from .textutil import Token, fold, tokenize_folded


@dataclass(slots=True)
class Term:
    metric: str
    weak: bool  # names who is counted ("soldiers") rather than what happened ("killed")
    exact: bool  # as written in the vocabulary (not a plural variant)


@dataclass(slots=True)
class ActorEntry:
    slug: str
    kind: str
    acronym: bool  # all-caps short name: must be uppercase in the text too
    proper: bool  # has a capital letter: an all-lowercase occurrence is a common word
    canonical: bool
    person: bool
    name: str


@dataclass(slots=True)
class Match:
    i: int  # token range [i, j)
    j: int
    value: object


class TupleIndex:
    """Longest-match lookup of token tuples."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, ...], list] = {}
        self.lengths: dict[str, set[int]] = {}

    def add(self, key: tuple[str, ...], value: object) -> None:
        if not key:
            return
        self.entries.setdefault(key, []).append(value)
        self.lengths.setdefault(key[0], set()).add(len(key))

    def finalize(self) -> None:
        self.sorted_lengths = {k: sorted(v, reverse=True) for k, v in self.lengths.items()}

    def scan(self, tokens: list[Token], i0: int, j0: int, accept=None) -> list[Match]:
        out: list[Match] = []
        i = i0
        sl = self.sorted_lengths
        ents = self.entries
        while i < j0:
            lens = sl.get(tokens[i].t)
            if lens:
                hit = None
                for n in lens:
                    if i + n > j0:
                        continue
                    key = tuple(t.t for t in tokens[i:i + n])
                    vals = ents.get(key)
                    if vals:
                        ok = [v for v in vals if accept is None or accept(v, tokens, i, i + n)]
                        if ok:
                            hit = Match(i, i + n, ok)
                            break
                if hit is not None:
                    out.append(hit)
                    i = hit.j
                    continue
            i += 1
        return out


def _variants(key: tuple[str, ...]) -> list[tuple[str, ...]]:
    last = key[-1]
    out = []
    if last[-1:].isalpha() and not last.endswith("s"):
        out.append(key[:-1] + (last + "s",))
        if last.endswith(("sh", "ch", "x")):
            out.append(key[:-1] + (last + "es",))
        if last.endswith("y") and len(last) > 2:
            out.append(key[:-1] + (last[:-1] + "ies",))
    return out


class CompiledVocabulary:
    """Metric terms and actor names, ready for fast matching. Build once, reuse per text."""

    def __init__(self, metrics: list[MetricTerms], actors: list[ActorNames]) -> None:
        self.metric_index = TupleIndex()
        self.metric_slugs: list[str] = []
        for mt in metrics:
            slug = str(mt.slug)
            self.metric_slugs.append(slug)
            terms = set()
            for syn in list(mt.synonyms or []) + [slug.replace("_", " ")]:
                if not isinstance(syn, str) or not syn.strip():
                    continue
                key = tokenize_folded(fold(syn.strip()))
                if key:
                    terms.add(key)
            for key in terms:
                words = [w for w in key if w[:1].isalnum()]
                weak = bool(words) and words[-1] in PEOPLE_NOUNS
                self.metric_index.add(key, Term(slug, weak, True))
            for key in terms:
                for v in _variants(key):
                    if v not in terms:
                        words = [w for w in v if w[:1].isalnum()]
                        self.metric_index.add(v, Term(slug, bool(words) and words[-1] in PEOPLE_NOUNS, False))
        self.metric_index.finalize()

        self.actor_index = TupleIndex()
        self.actor_kind: dict[str, str] = {}
        self.actor_person: dict[str, bool] = {}
        self.actor_names: dict[str, list[tuple[str, ...]]] = {}
        self.actor_display: dict[str, str] = {}
        for an in actors:
            slug = str(an.slug)
            kind = str(an.kind or "other")
            self.actor_kind[slug] = kind
            names = [n for n in (an.names or []) if isinstance(n, str) and n.strip()]
            self.actor_display[slug] = names[0].strip() if names else slug
            keys: list[tuple[str, ...]] = []
            for k, name in enumerate(names):
                name = name.strip()
                key = tokenize_folded(fold(name))
                if not key or not any(t[:1].isalnum() for t in key):
                    continue
                letters = [c for c in name if c.isalpha()]
                acronym = bool(letters) and len(letters) <= 5 and all(c.isupper() for c in letters) and " " not in name
                proper = any(c.isupper() for c in name)
                is_slug = name == slug and "-" in slug
                if is_slug:
                    continue  # slugs ("kazakhstan-interior-ministry") do not occur in prose
                person = kind == "person" or any(t in PERSON_ROLE_WORDS for t in key)
                self.actor_index.add(key, ActorEntry(slug, kind, acronym, proper, k == 0, person, name))
                keys.append(key)
                # "the Executive" is also found as "Executive"
                if len(key) > 1 and key[0] == "the":
                    self.actor_index.add(key[1:], ActorEntry(slug, kind, acronym, proper, False, person, name))
            self.actor_names[slug] = keys
            self.actor_person[slug] = kind == "person"
        self.actor_index.finalize()

    # ------------------------------------------------------------------ matching

    def metric_matches(self, tokens: list[Token], i: int, j: int) -> list[Match]:
        return self.metric_index.scan(tokens, i, j)

    def actor_matches(self, tokens: list[Token], i: int, j: int) -> list[Match]:
        return self.actor_index.scan(tokens, i, j, _accept_actor)


def _accept_actor(entry: ActorEntry, tokens: list[Token], i: int, j: int) -> bool:
    span = tokens[i:j]
    if entry.acronym:
        return all(t.upper or not t.word or t.t.isdigit() for t in span)
    if entry.proper:
        # a name written with capitals does not match an all-lowercase common word ("guardian")
        return any(t.cap for t in span if t.word)
    return True


def build(metrics: list[MetricTerms], actors: list[ActorNames]) -> CompiledVocabulary:
    return CompiledVocabulary(list(metrics or []), list(actors or []))

