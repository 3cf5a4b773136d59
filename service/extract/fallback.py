"""A last look for who gives a figure that the attribution stage left unsourced.

In its sentence: the subject of a verb of counting or saying ("the agency reported 25 dead",
"The NDMA's latest data record 992,871 houses", "the Home Affairs Ministry counts at least 42
dead"), "according to X", or a source introduced before a colon ("New figures from officials:
151 dead"). The verbs are data (COUNTING_VERBS below plus lexicon.SPEECH_VERBS)."""

from __future__ import annotations

import re

from .attribution import ORG_WORDS, Actor, Cand
from .lexicon import GENERIC_SOURCES, SPEECH_VERBS, SUBJECT_FILLERS

COUNTING_VERBS = {
    "reported", "reports", "report", "estimated", "estimates", "estimate", "confirmed", "confirms",
    "confirm", "counted", "counts", "count", "recorded", "records", "record", "gave", "gives",
    "give", "put", "puts", "listed", "lists", "registered", "registers", "documented", "documents",
    "announced", "announces", "updates", "updated", "publishes", "published", "raised", "raises",
    "lowered", "lowers", "revised", "revises", "says", "said", "say", "told", "tells", "stated",
    "states", "shows", "showed", "show", "data", "figures", "tally", "count",
}
SUBJECT_GAP = SUBJECT_FILLERS | {"'s", "s", "'", "latest", "new", "own", "on", "late", "early",
                                "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                "sunday", "night", "morning", "evening", "afternoon", "provisional"}
_SKIP_KINDS = {"pronoun"}


def _as_actor(att, c: Cand, para: int, cands: list[Cand]) -> Actor | None:
    a = att.resolve(c, att.doc.tokens[c.i].start, para, cands) if c.kind != "title" or True else None
    if a is not None:
        return a
    text = c.text or att.doc.text[att.doc.tokens[c.i].start:att.doc.tokens[c.j - 1].end]
    words = text.split(None, 1)
    if len(words) == 2 and words[0].lower() in ("the", "its", "their"):
        text = words[1]
    if not text or not any(ch.isalpha() for ch in text):
        return None
    return Actor(key=text, slug=None, kind="organisation", person=False, org=True)


# "according to the general", "according to WHO", "from the UN humanitarian office: ..."
_ACCORDING = re.compile(r"\b[Aa]ccording\s+to\s+(?:the\s+)?((?:[A-Z][\w.'\u2019-]*|of|the|for|and|[a-z]+)(?:\s+(?:[A-Z][\w.'\u2019-]*|of|the|for|and|on|[a-z]+)){0,7}?)(?=\s*(?:[,.;:]|$|\s+(?:on|in|at|which|who|as|said)\b))")
_FROM_COLON = re.compile(r"\bfrom\s+(?:the\s+)?([\w.'\u2019 -]{2,60}?):")


def regex_source(stext: str, num_at: int) -> Actor | None:
    """A source named after "according to" or before a colon ("figures from X: ...")."""
    for rx in (_ACCORDING, _FROM_COLON):
        for m in rx.finditer(stext):
            name = m.group(1).strip()
            if rx is _FROM_COLON and m.end() > num_at:
                continue
            words = name.split()
            if not words or len(words) > 8 or words[0].lower() in ("a", "an", "data", "reports", "media", "figures", "some", "estimates"):
                continue
            if not any(ch.isalpha() for ch in name):
                continue
            return Actor(key=name, slug=None, kind="organisation", person=False, org=True)
    return None


_REPORT_VERB = re.compile(
    r"\b(?:now\s+|also\s+|there\s+|later\s+|first\s+|have\s+|has\s+|had\s+)*"
    r"(?:say|says|said|report|reports|reported|estimate|estimates|estimated|count|counts|counted|"
    r"confirm|confirms|confirmed|told)\b")
_BOUNDARY = re.compile(r"[,;:\u2013\u2014()\"\u201c\u201d]|\s-\s|\bthat\b|\band\b|\bwhile\b|\bbut\b")
_LEAD = re.compile(r"^(?:(?:on|by|in|at|late|early)\s+(?:\w+\s+){0,2}?(?=the\b|[A-Z])|)(?:the\s+|a\s+|an\s+)?", re.I)
# the head noun of a source named by description ("Aid agencies", "the coast guard")
SOURCE_HEADS = ORG_WORDS | GENERIC_SOURCES | {
    "officials", "partners", "agencies", "guard", "media", "ministry", "police", "authorities",
    "spokesman", "spokeswoman", "spokesperson", "minister", "governor", "mayor", "chief", "officer",
    "doctors", "rescuers", "volunteers", "organisers", "organizers", "activists", "groups", "group",
    "prosecutors", "sources", "workers", "residents", "witnesses", "hospital", "hospitals", "council",
}
_VERBISH = {"is", "are", "was", "were", "has", "have", "had", "would", "could", "will", "been", "be", "its", "their", "where", "when", "as"}
_NOT_SUBJECT = {"it", "he", "she", "they", "we", "i", "you", "which", "who", "this", "there", "what", "one", "some", "many", "others"}


def regex_subject(stext: str, num_at: int) -> Actor | None:
    """The words right before a verb of saying, back to a clause boundary ("..., the coast guard
    said", "Health officials there say", "Aid agencies now estimate ..."), when they look like a
    name: at most six words, no digits, not a pronoun."""
    best = None
    for m in _REPORT_VERB.finditer(stext):
        head = stext[:m.start()]
        cut = 0
        for b in _BOUNDARY.finditer(head):
            cut = b.end()
        phrase = re.sub(r"^(?:\d{1,2}[:.])?\d{2}\s+(?=[A-Z])", "", head[cut:].strip())  # a live blog's "17:40"
        phrase = _LEAD.sub("", phrase, count=1).strip() if phrase else phrase
        words = phrase.split()
        if not words or len(words) > 6 or any(ch.isdigit() for ch in phrase) or words[0].lower() in _NOT_SUBJECT:
            continue
        if words[-1].lower() in _NOT_SUBJECT or not any(w[:1].isalpha() for w in words):
            continue
        if words[-1].lower().strip("'\u2019s") not in SOURCE_HEADS and words[-1].lower() not in SOURCE_HEADS:
            continue  # "the number of dead", "That would": no source noun
        if any(w.lower() in _VERBISH for w in words):
            continue
        d = abs(m.start() - num_at)
        if best is None or d < best[0]:
            best = (d, phrase)
    if best is None:
        return None
    return Actor(key=best[1], slug=None, kind="organisation", person=False, org=True)


def sentence_source(att, cands: list[Cand], ti: int, tj: int, num_tok: int, para: int, quote_tok: list[bool]) -> Actor | None:
    """The nearest candidate in the sentence that reports a figure (see the module docstring)."""
    toks = att.doc.tokens
    best = None
    for c in cands:
        if c.kind in _SKIP_KINDS or c.i < ti or c.j > tj or quote_tok[c.i - ti]:
            continue
        if c.i <= num_tok < c.j:
            continue
        ok = False
        # "according to X", "from X:"
        if c.i - 2 >= ti and toks[c.i - 2].t == "according" and toks[c.i - 1].t == "to":
            ok = True
        elif c.i - 1 >= ti and toks[c.i - 1].t == "from" and c.j < tj and toks[c.j].t == ":" and c.j <= num_tok:
            ok = True
        else:
            k = c.j
            steps = 0
            while k < tj and steps < 4 and toks[k].t in SUBJECT_GAP:
                k += 1
                steps += 1
            if k < tj and (toks[k].t in COUNTING_VERBS or toks[k].t in SPEECH_VERBS) and not quote_tok[k - ti] and not toks[k].t.endswith("ing"):
                # ("protesters calling for ...": a participle, not a verb of reporting)
                ok = True
        if not ok:
            continue
        d = abs(c.i - num_tok)
        if best is None or d < best[0]:
            best = (d, c)
    if best is None:
        return None
    return _as_actor(att, best[1], para, cands)
