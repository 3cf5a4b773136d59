"""How a claimant is named in the output: a vocabulary slug, or the name as written, a generic
body qualified with the country the story (or its sentence) is about.

Convention. A bare common noun ("police", "officials") or an institution name made only of
generic words ("Interior Ministry", "the army") names nobody in particular: it is qualified with
the adjective of the country named in its sentence ("In Syria, the Health Ministry ..."), else of
the country the story is about ("Georgian Interior Ministry", "Kenyan police"), and the
qualified name is looked up among the actor names ("Kazakh police" is the seed actor
kazakhstan-police). A story that names no country leaves such a name as written, except that
a local force ("police", "fire department") takes the story's main place ("Tulsa police").
A body already made local or specific by its own words ("provincial disaster council", "local
officials", "the state government", "school officials") is kept as written: a country would
misname it.
"""

from __future__ import annotations

import re

from .attribution import ORG_WORDS, Actor, generic_name, qualify
from .lexicon import COUNTRIES, COUNTRY_ALIASES
from .textutil import fold, tokenize_folded

COMMON_BODIES = {"police", "authorities", "officials", "army", "government", "military", "the police", "the authorities", "the army", "the government", "the military"}
# local forces that a city qualifies ("Tulsa police"); officials and authorities are not
LOCAL_FORCE_WORDS = {"police", "fire", "firefighters", "sheriff's", "sheriff"}
# words that already make a body sub-national or specific: never qualified with a country
SPECIFIC_WORDS = {
    "local", "provincial", "state", "regional", "municipal", "district", "city", "county",
    "village", "town", "school", "hospital", "spokesman", "spokeswoman", "spokesperson",
    "province", "prefectural", "council", "task", "office", "command", "directorate",
}
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]{2,}\s+[-\u2013\u2014]+\s+")
_PERSON_OF = re.compile(r"^((?:[A-Z][a-z]+\.?\s+)?[A-Z][a-z]+\s+[A-Z][\w'-]+)\s+of\s+(?:the\s+)?[A-Z]")
# a capitalised generic name is a country's body only when it names a core state institution
STATE_CORE_WORDS = {"ministry", "police", "army", "government", "military", "authorities", "officials", "navy", "cabinet", "presidency", "parliament"}
# lowercase generic bodies that a country qualifies ("Kenyan police", "Iranian state media")
QUALIFIED_HEADS = {"police", "officials", "authorities", "government", "army", "military", "media", "forces", "guard", "ministry", "television"}
BACK_REFERENCES = {"ministry", "agency", "directorate", "office", "council", "department"}
_IN_PLACE = re.compile(r"^(?:the\s+)?(.+?)\s+in\s+([A-Z][\w .'-]+)$")
MAX_GENERIC_WORDS = 3


def _country_key(where: str) -> str | None:
    fw = fold(where)
    return COUNTRY_ALIASES.get(fw) or (fw if fw in COUNTRIES else None)


def actor_key(a: Actor | None, place: str | None = None, country: str | None = None, vocab=None,
              sent_country: str | None = None) -> str | None:
    """A vocabulary slug, or the name as written (qualified as the module docstring says)."""
    if a is None:
        return None
    key = " ".join(a.key.split())
    if a.slug is not None or not key:
        return key[:300] if key else None
    key = _DATELINE.sub("", key)  # "MANILA - The Philippine Red Cross"
    if key.lower().startswith("the "):
        key = key[4:]
    words = key.split()
    if len(words) >= 2 and key.isupper() and all(len(w) >= 4 for w in words):
        return None  # a headline or a section heading ("MONSOON FLOODS"), not a source
    m = _PERSON_OF.match(key)
    if m and not a.person and (any(w.lower() in ORG_WORDS for w in m.group(1).split()) or not any(w.lower() in ORG_WORDS for w in key[m.end(1):].split())):
        m = None  # "Bank of England" names a body; "Stuart Cundy of the Metropolitan Police" a person
    if m:
        key = m.group(1)  # "Stuart Cundy of the Metropolitan Police" -> the person
    m = _IN_PLACE.match(key)
    if m and (not any(ch.isupper() for ch in m.group(1)) or generic_name(m.group(1))):
        # "police in Denver" -> "Denver police", "officials in Syria" -> "Syrian officials"
        body, where = m.group(1), m.group(2)
        body = body.lower() if body.lower() in COMMON_BODIES else body
        cw = _country_key(where)
        return (qualify(body, cw, vocab) if cw else qualify(body, where, vocab, adjective=False))[:300]
    if any(ch.isupper() for ch in key) and not (generic_name(key) and any(w in STATE_CORE_WORDS for w in key.lower().split())):
        return key[:300]  # a proper name ("National Fire Agency" names one body already)
    if key.lower() in COMMON_BODIES:
        key = key.lower()  # "Police said" at the start of a sentence is the common noun
    words = [w for w in re.findall(r"[\w']+", key.lower()) if w not in ("the", "of", "and", "a", "an")]
    if not words or len(words) > MAX_GENERIC_WORDS or any(w in SPECIFIC_WORDS for w in words):
        return key[:300]
    if not any(ch.isupper() for ch in key) and (words[-1] not in QUALIFIED_HEADS or len(words) == 1 and words[0] in BACK_REFERENCES):
        return key[:300]  # "the agency", "the ministry": a back-reference, as written
    cw = sent_country or country
    if cw:
        return qualify(key, cw, vocab)[:300]
    if place and any(w in LOCAL_FORCE_WORDS for w in words) and _country_key(place) is None:
        return qualify(key, place, vocab, adjective=False)[:300]  # "Tulsa police"
    if place and vocab is not None and vocab.actor_index.entries.get(tokenize_folded(fold(key))):
        # as written it would be read as a vocabulary actor's alias (the Kazakh seeds'
        # "Interior Ministry"): the story's place keeps it apart
        return f"{key} ({place})"[:300]
    return key[:300]
