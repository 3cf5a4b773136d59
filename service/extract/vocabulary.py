"""The vocabulary compiled once: metric terms and actor names as folded token sequences.

Lookups are dictionary hits on token tuples (longest match first), so adding a synonym, a
metric or an alias to the database changes what is found without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import EVENT_PEOPLE_NOUNS, GENERIC_INSTITUTION_WORDS, PEOPLE_NOUNS, PERSON_ROLE_WORDS
from .models import ActorNames, MetricTerms
from .textutil import Token, fold, tokenize_folded


@dataclass(slots=True)
class Term:
    metric: str
    weak: bool  # names who is counted ("soldiers") rather than what happened ("killed")
    exact: bool  # as written in the vocabulary (not a plural variant)
    verb: bool = False  # an inflected verb form ("kills", "killing"): counts only its object


@dataclass(slots=True)
class ActorEntry:
    slug: str
    kind: str
    acronym: bool  # all-caps short name: must be uppercase in the text too
    proper: bool  # has a capital letter: an all-lowercase occurrence is a common word
    canonical: bool
    person: bool
    name: str
    generic: bool = False  # names no country: "Interior Ministry", "police", "state television"


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


def _verb_forms(word: str) -> list[str]:
    """"killed" -> kill, kills, killing; "injured" -> injure, injures, injuring; "rallied" -> rally ..."""
    if len(word) < 6 or not word.endswith("ed") or not word.isalpha():
        return []
    stem = word[:-2]
    out: list[str] = []
    if stem.endswith("i"):
        base = stem[:-1] + "y"
        return [base, stem[:-1] + "ies", base + "ing"]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        stem = stem[:-1]  # "stopped" -> "stop"
    for base in (stem, stem + "e"):
        out += [base, base + "s"]
    out.append(stem + "ing")
    return out


def _variants(key: tuple[str, ...]) -> list[tuple[str, ...]]:
    last = key[-1]
    out = [key[:-1] + (f,) for f in _verb_forms(last)] if len(key) == 1 else []
    if last[-1:].isalpha() and not last.endswith("s") and not last.endswith("ed"):
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
            # "displaced people", "missing persons": a people noun after an event word of the
            # same metric says what happened to them, so the phrase is not weak
            strong_words = {k[0] for k in terms if len(k) == 1 and not _weak(k)}

            def weak(key: tuple[str, ...], _s=strong_words) -> bool:
                return _weak(key) and not any(w in _s for w in key[:-1])

            for key in terms:
                self.metric_index.add(key, Term(slug, weak(key), True))
            for key in terms:
                verb_forms = {key[:-1] + (f,) for f in _verb_forms(key[-1])} if len(key) == 1 else set()
                for v in _variants(key):
                    if v not in terms:
                        self.metric_index.add(v, Term(slug, weak(v), False, v in verb_forms))
        self.metric_index.finalize()

        self.actor_index = TupleIndex()
        self.actor_kind: dict[str, str] = {}
        self.actor_person: dict[str, bool] = {}
        self.actor_names: dict[str, list[tuple[str, ...]]] = {}
        self.actor_display: dict[str, str] = {}
        self.country_bound: dict[str, set[str]] = {}
        self.country_quals: dict[str, set[str]] = {}  # slug -> prefixes of its country's words
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
                    continue  # slugs ("peru-interior-ministry") do not occur in prose
                person = kind == "person" or any(t in PERSON_ROLE_WORDS for t in key)
                generic = kind in ("government", "media") and all(t in GENERIC_INSTITUTION_WORDS or not t[:1].isalnum() for t in key)
                self.actor_index.add(key, ActorEntry(slug, kind, acronym, proper, k == 0, person, name, generic))
                keys.append(key)
                # "the Executive" is also found as "Executive"
                if len(key) > 1 and key[0] == "the":
                    self.actor_index.add(key[1:], ActorEntry(slug, kind, acronym, proper, False, person, name, generic))
            self.actor_names[slug] = keys
            # a lowercase alias of a state body ("police") stands for it only in a story about
            # its country: remember the capitalised words of its other names ("Peruvian")
            if kind in ("government", "media"):
                lower_aliases = {tokenize_folded(fold(n.strip())) for n in names if not any(c.isupper() for c in n)}
                quals = set()
                for n in names:
                    for w in n.split():
                        if w[:1].isupper() and len(w) >= 4:
                            f = fold(w)
                            if not any(f in a for a in lower_aliases) and f not in _GENERIC_CAPS and f not in GENERIC_INSTITUTION_WORDS:
                                quals.add(f[:5])
                if quals:
                    self.country_quals[slug] = quals
                if lower_aliases and quals and kind == "government":
                    self.country_bound[slug] = quals
            self.actor_person[slug] = kind == "person"
        self.actor_index.finalize()

    # ------------------------------------------------------------------ matching

    def metric_matches(self, tokens: list[Token], i: int, j: int) -> list[Match]:
        return self.metric_index.scan(tokens, i, j)

    def actor_matches(self, tokens: list[Token], i: int, j: int) -> list[Match]:
        return self.actor_index.scan(tokens, i, j, _accept_actor)


_GENERIC_CAPS = {
    "ministry", "government", "department", "office", "police", "authorities", "local", "state",
    "national", "federal", "council", "committee", "agency", "service", "general", "prosecutor",
    "public", "city", "regional", "the", "of", "and", "for", "affairs", "internal", "interior",
}


def _weak(key: tuple[str, ...]) -> bool:
    words = [w for w in key if w[:1].isalnum()]
    return bool(words) and words[-1] in PEOPLE_NOUNS and words[-1] not in EVENT_PEOPLE_NOUNS


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

