"""Pieces of a mention: titles before a name, qualifiers, the name itself ("Major General X",
"Stuart Cundy of the Metropolitan Police", "al-Falih"), and the bodies named by a phrase after
a name or a modifier ("UN human rights office", "the government task force"). Mixin of
candidates.CandidateFinder; the word lists are data."""

from __future__ import annotations

import re


from .lexicon import (
    CAPITAL_STOP,
    MEDIA_WORDS,
    SPEECH_VERBS,
    SUBJECT_FILLERS,
)

from .actors import _TITLES_BY_FIRST
from .actors import (
    ORG_WORDS,
    EVENT_NAME_HEADS,
    ORG_DESCRIPTORS,
    ROLE_NOUNS,
    NAME_CONNECTORS,
    QUALIFIER_LOWER,
    HONORIFICS,
    Actor,
    Cand,
)


# "al-Falih", "el-Sisi", "bin-Salman": a lowercase particle hyphenated to a capitalised name
PARTICLE_NAME = re.compile(r"(?:al|el|ad|as|ash|at|az|an|ar|bin|ibn|abu|ben|bint|ul|ud)-[A-Z]")
# a body's own noun after a modifier head: "the government task force", "the army command"
COMPOUND_TAILS = (("task", "force"), ("committee",), ("commission",), ("command",), ("council",), ("taskforce",), ("panel",))
# nouns that end a body's name after an abbreviation: "UN human rights office", "US government"
BODY_NOUNS = {"office", "agency", "commission", "council", "mission", "government", "ministry", "department", "embassy", "administration"}
# "Units of the Pakistan Army", "Members of the Red Crescent": the body is the name
PARTITIVE_NOUNS = {"units", "members", "soldiers", "troops", "officers", "staff", "teams", "volunteers", "workers", "personnel", "officials", "representatives"}
OWN_VOICE = {"our", "my"}  # possessives of the writer's own body


class MentionParts:
    """Mixin of Attributor: the parts of one candidate mention."""

    def _body_after_name(self, y: int, tj: int) -> int | None:
        """The end of lowercase words naming a body after a vocabulary name ("UN" + "human rights
        office", "US" + "government"), when the name is an abbreviation."""
        toks = self.toks
        if y <= 0 or not toks[y - 1].upper:
            return None
        e = y
        while e < tj and e - y < 4 and toks[e].word and not toks[e].cap and self.txt[e] not in SPEECH_VERBS and self.txt[e] not in SUBJECT_FILLERS:
            if self.txt[e] in BODY_NOUNS:
                return e + 1
            e += 1
        return None

    def _compound_tail(self, y: int, tj: int) -> int:
        """Tokens of a body's noun after a modifier head ("task force" in "government task force")."""
        for tail in COMPOUND_TAILS:
            n = len(tail)
            if y + n <= tj and tuple(self.txt[y:y + n]) == tail and not self.toks[y].cap:
                return n
        return 0

    def _org_name_after(self, y: int, tj: int) -> int | None:
        """The end of "the Centre for National Operations" starting at ``y``, when it names a body."""
        toks = self.toks
        if y < tj and self.txt[y] == "the":
            y += 1
        e = y
        while e < tj and ((toks[e].cap and toks[e].word) or (e > y and self.txt[e] in ("of", "for", "and") and e + 1 < tj and toks[e + 1].cap)):
            e += 1
        if e > y and any(self.txt[x] in ORG_WORDS for x in range(y, e)) and toks[e - 1].cap:
            return e
        return None

    def _acronym_follows(self, y: int, tj: int) -> bool:
        """A capitalised run then "(ACRONYM)": "Human Rights Activists in Iran (HRANA)" is one name."""
        toks = self.toks
        y0 = y
        while y < tj and toks[y].cap and toks[y].word and y - y0 < 3:
            y += 1
        return y > y0 and y + 2 < tj and self.txt[y] == "(" and toks[y + 1].upper and self.txt[y + 2] == ")"

    def _title_at(self, k: int, tj: int) -> tuple[str, ...] | None:
        lst = _TITLES_BY_FIRST.get(self.txt[k])
        if not lst:
            return None
        for tl in lst:
            n = len(tl)
            if k + n <= tj and tuple(self.txt[k:k + n]) == tl:
                return tl
        return None

    def _qualifier_before(self, k: int, ti: int) -> tuple[int, tuple[str, ...]]:
        """Capitalised adjectives or "country's" before a noun ("Kenyan", "US", "the country's").
        Returns the first token index of the qualified phrase and the qualifier words."""
        toks = self.toks
        out: list[str] = []
        x = k - 1
        start = k
        while x >= ti and len(out) < 3:
            t = toks[x]
            if t.t == "s" and x - 2 >= ti and toks[x - 1].t == "'" and toks[x - 2].word:
                out.insert(0, toks[x - 2].t + "'s")
                start = x - 2
                x -= 3
                continue
            if t.cap and t.word and t.t not in CAPITAL_STOP:
                out.insert(0, t.t)
                start = x
                x -= 1
                continue
            if t.t in QUALIFIER_LOWER:
                out.insert(0, t.t)
                start = x
                x -= 1
                continue
            break
        return start, tuple(out)

    def _proper(self, s: int, e: int) -> Cand:
        toks = self.toks
        k = s
        title: tuple[str, ...] = self.title_before.get(s, ())
        while k < e:
            tl = self._title_at(k, e)
            if tl is None:
                break
            title = tl
            k += len(tl)
        name_s = k if k < e else s
        if name_s + 2 < e and self.txt[name_s] in PARTITIVE_NOUNS and self.txt[name_s + 1] == "of":
            name_s += 3 if self.txt[name_s + 2] == "the" and name_s + 3 < e else 2  # "Units of the Pakistan Army"
        while name_s + 1 < e and self.txt[name_s] in HONORIFICS:
            name_s += 1  # "Dr. Jane Smith" -> "Jane Smith"
            if self.txt[name_s] == "." and name_s + 1 < e:
                name_s += 1
        while e - 1 > name_s and self.txt[e - 1] in ("spokesman", "spokeswoman", "spokesperson", "official", "officials", "source", "sources"):
            e -= 1  # "a Metropolitan Police spokesperson" speaks for the Metropolitan Police
        words = [t for t in self.txt[name_s:e] if t[:1].isalnum()]
        role = " ".join(self.doc.text[toks[s].start:toks[name_s - 1].end].split()) if name_s > s else ""
        # a capitalised title glued to a new name: "Public Defender Levan Ioseliani"
        if not any(w in ORG_WORDS for w in words) and len(words) >= 3:
            r = max((x for x in range(name_s, e - 2) if self.txt[x] in ROLE_NOUNS), default=-1)
            if r >= 0 and 2 <= e - (r + 1) <= 3 and all(toks[x].cap and toks[x].word for x in range(r + 1, e)):
                r0 = s - len(self.title_before[s]) if s in self.title_before else s  # "Chief" + "Inspector"
                role = " ".join(self.doc.text[toks[r0].start:toks[r].end].split())
                title = title or ("official",)
                name_s = r + 1
                words = [t for t in self.txt[name_s:e] if t[:1].isalnum()]
        if not any(w in ORG_WORDS for w in words) and len(words) >= 5 and not title:
            # "State Minister for Disaster Management Mohibbur Rahman": a title with an "of/for"
            # complement glued to a new name; the name is the last two capitalised words
            r = next((x for x in range(name_s, e - 4) if self.txt[x] in ROLE_NOUNS and self.txt[x + 1] in ("of", "for")), -1)
            if r >= 0 and all(toks[x].cap and toks[x].word for x in range(e - 2, e)) and all(toks[x].cap or self.txt[x] in NAME_CONNECTORS or self.txt[x] == "and" for x in range(r + 2, e)):
                r0 = s - len(self.title_before[s]) if s in self.title_before else s
                role = " ".join(self.doc.text[toks[r0].start:toks[e - 3].end].split())
                title = title or ("official",)
                name_s = e - 2
                words = [t for t in self.txt[name_s:e] if t[:1].isalnum()]
        elif (
            not any(w in ORG_WORDS for w in words) and len(words) >= 3 and name_s == s and s >= 2
            and self.txt[s - 1] in ("of", "for") and self.txt[s - 2] in ROLE_NOUNS
            and all(toks[x].cap and toks[x].word for x in range(s, e))
        ):
            # "Deputy Minister for Civil Protection Ana Ferreira": the complement of the title
            # ends two words before the end
            r0 = s - 2
            while r0 - 1 >= 0 and toks[r0 - 1].cap and toks[r0 - 1].word and self.txt[r0 - 1] in ROLE_NOUNS | {"deputy", "state", "vice", "first", "acting"}:
                r0 -= 1
            role = " ".join(self.doc.text[toks[r0].start:toks[e - 3].end].split())
            title = title or ("official",)
            name_s = e - 2
            words = [t for t in self.txt[name_s:e] if t[:1].isalnum()]
        org = any(w in ORG_WORDS for w in words) or (s >= 1 and self.txt[s - 1] in ORG_DESCRIPTORS)
        dateline = (
            (toks[name_s].start == 0 or self.doc.text[toks[name_s].start - 1] == "\n")
            and e < len(toks) and self.txt[e] == ","
        )  # "LAGOS, Nov 3 (Reuters) -": a place, not an acronym
        if len(words) == 1 and e - name_s == 1 and toks[name_s].upper and 2 <= len(words[0]) <= 8 and words[0].isalpha() and not dateline:
            org = True  # "INDECI", "GYLA", "FBI": an acronym names a body, not a person
        media = any(w in MEDIA_WORDS for w in words)
        event = len(words) >= 2 and words[0] in EVENT_NAME_HEADS  # "Cyclone Remal", "Storm Ciarán"
        person = not org and not event and (bool(title) or (2 <= len(words) <= 4 and all(toks[x].cap or PARTICLE_NAME.match(self.doc.text, toks[x].start, toks[x].end) for x in range(name_s, e) if toks[x].word)))
        text = self.doc.text[toks[name_s].start:toks[e - 1].end]
        a = Actor(key=text, slug=None, kind="person" if person else ("media" if media else "other"),
                  person=person, media=media, org=org, role=role if person else "")
        return Cand(s, e, "proper", a, head=" ".join(title), text=text)

    # ------------------------------------------------------------------ document pre-pass
