"""Which event an article is about: an existing one, or a new one. Pure; no database.

``decide(f, candidates, kinds)`` scores the article's features against each candidate event
and returns the main event (an existing one, or ``None``: create one named by ``new_event``),
the other existing events it also reports on, and the evidence for each.

The rules, in order (any ``reject`` rules the pair out, whatever else they share):

1. **Kind.** The same kind, or two kinds one happening can be reported as (an earthquake and
   its tsunami, floods and the dam that burst, protests and their crackdown). Otherwise reject.
2. **Country.** At least one country in common (by name, demonym or a place in it), or a name
   of the happening itself in common ("Cyclone Amphan"). Otherwise reject. An article that
   names no country at all must share a named place.
3. **Days.** A sudden happening (a quake, a blast, a crush: ``sudden`` in the kinds data)
   begins on one day: an article whose lede dates its beginning more than 3 days from the
   event's is another happening, and so is one that speaks of "a new" or "another" one
   begun after it. Any happening: an article published more than 30 days (sudden) or 120
   days (ongoing) after the event's last article, or more than 30 days before its first, is
   about another one.
4. **Score**, when nothing rejected: country 0.35 (0.2 if only a secondary country is shared),
   kind 0.35 (0.25 when the article's kind is unclear, 0.15 for a related kind), shared places 0.1 each up to 0.3, shared names 0.05
   each up to 0.2; 0.2 when a sudden happening's articles date its beginning to the same day,
   0.15 for an article in the first three days of a sudden one of its kind, 0.1 for an ongoing
   one's article within 60 days of its last; 0.3 for a shared name of the happening itself
   ("Cyclone Amphan", which also lets an article come up to 400 days later); minus 0.25 when
   both are in one main country, name places and share none. 0.7 or more is the same event;
   the score is the confidence.
"""

from __future__ import annotations

import datetime as dt
import re

import msgspec

from service.events.features import RELATED, RELATED_IF_NAMED, Features, Kind
from service.events.gazetteer import country_name, fold

THRESHOLD = 0.7


class EventState(msgspec.Struct, kw_only=True):
    """What the desk knows of an event: the union of its documents' features."""

    id: int
    slug: str
    name: str
    kind: str
    countries: list[str]
    places: list[str]
    names: list[str]
    onset: dt.date
    onset_known: bool = True  # some article dated the beginning; else onset is the first article's day
    first: dt.date  # first and last publication date of its documents
    last: dt.date


class Evidence(msgspec.Struct, kw_only=True, omit_defaults=True):
    """Why an article was put in an event (or why not)."""

    score: float
    kind: str | None = None
    countries: list[str] = []
    places: list[str] = []
    names: list[str] = []
    days_apart: int | None = None
    rejected: str | None = None  # why this event is not the article's
    reason: str | None = None  # for a new event: why none of the desk's fitted
    nearest: str | None = None  # for a new event: the closest event turned down


class Match(msgspec.Struct, kw_only=True):
    event: EventState
    evidence: Evidence


class Decision(msgspec.Struct, kw_only=True):
    main: Match | None  # None: a new event
    also: list[Match]  # other existing events the article also reports on
    nearest: Match | None  # the best candidate turned down, when a new event is made


def related(a: str, b: str) -> bool:
    return a == b or "other" in (a, b) or frozenset((a, b)) in RELATED


def score(f: Features, e: EventState, sudden: dict[str, bool]) -> Evidence:
    kind_same = f.kind == e.kind
    shared_names = [n for n in f.names if n in e.names]
    # a shared name of the happening itself ("Typhoon Haiyan", "Cyclone Amphan"), or the
    # event's name as a word of the article ("the floods that followed Idai"): the same one,
    # wherever each article was written
    named = [n for n in shared_names if n.startswith("~")]
    named += [n for n in e.names if n.startswith("~") and n[1:] in f.proper_words and n not in named]
    shared_names += [n for n in named if n not in shared_names]
    days = (f.onset - e.onset).days
    # what follows a named disaster (the cholera after Cyclone Idai) is reported as its story
    follows = bool(named) and frozenset((f.kind, e.kind)) in RELATED_IF_NAMED and -3 <= days <= 60
    if not related(f.kind, e.kind) and not follows:
        return Evidence(score=0.0, rejected=f"a {f.kind.replace('_', ' ')}, not a {e.kind.replace('_', ' ')}")
    shared_countries = [c for c in f.countries if c in e.countries]
    shared_places = [p for p in f.places if p in e.places]
    if not shared_countries and not named and (f.countries or not shared_places):
        return Evidence(score=0.0, rejected="no country in common")
    is_sudden = sudden.get(e.kind, False) or sudden.get(f.kind, False)
    if is_sudden and f.onset_explicit and e.onset_known and abs(days) > 3:
        return Evidence(score=0.0, days_apart=days, rejected=f"began {abs(days)} days {'after' if days > 0 else 'before'} it")
    if is_sudden and f.onset_explicit and not e.onset_known and (f.onset - e.first).days > 3:
        return Evidence(score=0.0, days_apart=days, rejected=f"began {(f.onset - e.first).days} days after its first article")
    if is_sudden and f.fresh and f.onset > e.onset:
        return Evidence(score=0.0, days_apart=days, rejected="the article reports a new one")
    gap = (f.published - e.last).days
    # an anniversary piece dates the happening itself ("one year since the earthquake")
    same_onset = f.onset_explicit and e.onset_known and abs(days) <= 3
    if gap > (400 if named else 30 if is_sudden else 150) and not same_onset:
        return Evidence(score=0.0, days_apart=days, rejected=f"published {gap} days after its last article")
    if (e.first - f.published).days > 30:
        return Evidence(score=0.0, days_apart=days, rejected=f"published {(e.first - f.published).days} days before its first article")
    s = 0.0
    if f.main_country in e.countries or (not f.countries and shared_places):
        s += 0.35
    elif named and not shared_countries:
        s += 0.1
    elif shared_countries:
        s += 0.2
    s += 0.35 if kind_same else 0.25 if "other" in (f.kind, e.kind) else 0.15
    s += min(0.3, 0.1 * len(shared_places))
    s += min(0.2, 0.05 * len(shared_names))
    same_day = f.onset_explicit and e.onset_known and abs(days) <= 1
    if is_sudden and same_day:
        s += 0.2  # two happenings of one kind beginning on one day in one country are rare
    elif is_sudden and kind_same and 0 <= (f.published - e.onset).days <= 3:
        s += 0.15  # the first days' coverage of a sudden happening of this kind here
    elif not is_sudden and -30 <= gap <= 60:
        s += 0.1
    if named:
        s += 0.3
    same_main = f.main_country is not None and f.main_country == (e.countries[0] if e.countries else None)
    if same_main and f.places and e.places and not shared_places and not (is_sudden and same_day) and not named:
        s -= 0.25
    return Evidence(
        score=round(min(s, 0.99), 2), kind=f.kind if kind_same else f"{f.kind}~{e.kind}",
        countries=[country_name(c) for c in shared_countries], places=shared_places[:8],
        names=[n.lstrip("~") for n in shared_names[:8]], days_apart=days,
    )


def decide(f: Features, candidates: list[EventState], kinds: list[Kind]) -> Decision:
    sudden = {k.slug: k.sudden for k in kinds}
    scored = sorted(
        (Match(event=e, evidence=score(f, e, sudden)) for e in candidates),
        # at a tie (scores are capped), the event nearest in days
        key=lambda m: (-m.evidence.score, abs(m.evidence.days_apart or 0), m.event.id),
    )
    passing = [m for m in scored if m.evidence.score >= THRESHOLD]
    if not passing:
        near = [m for m in scored if m.evidence.score > 0] or [m for m in scored if f.main_country in m.event.countries]
        return Decision(main=None, also=[], nearest=near[0] if near else None)
    main = passing[0]
    also = [m for m in passing[1:] if m.event.kind != main.event.kind][:2]
    return Decision(main=main, also=also, nearest=None)


def _slugify(s: str) -> str:
    return re.sub(r"-+", "-", fold(s).replace(" ", "-")).strip("-")[:80] or "event"


def new_event(f: Features, kinds: list[Kind], title: str) -> tuple[str, str, list[str]]:
    """(slug, name, places) for a new event made from this article: "Landslide in Southern
    Leyte, Philippines, February 2006"."""
    noun = next((k.noun for k in kinds if k.slug == f.kind), "Event")
    country = country_name(f.main_country) if f.main_country else None
    local = next((p for p in f.places if f.place_country.get(p) == f.main_country), None)
    where = ", ".join(x for x in (local.title() if local and country and fold(country) != local else None, country) if x)
    month = f.onset.strftime("%B %Y")
    if where:
        name = f"{noun} in {where}, {month}"
    else:
        name = f"{noun}: {title[:80]}" if title else f"{noun}, {month}"
    slug = _slugify(f"{f.onset:%Y-%m} {country or (local or '')} {f.kind.replace('_', ' ')}")
    places = [country] if country else []
    places += [p.title() for p in f.places[:6] if p.title() not in places]
    return slug, name, places


def merged_state(e: EventState, f: Features) -> EventState:
    """The event once this article is in it."""
    return msgspec.structs.replace(
        e,
        countries=list(dict.fromkeys([*e.countries, *f.countries]))[:12],
        places=list(dict.fromkeys([*e.places, *f.places]))[:40],
        names=list(dict.fromkeys([*e.names, *f.names]))[:80],
        onset=(min(e.onset, f.onset) if e.onset_known else f.onset) if f.onset_explicit else e.onset,
        onset_known=e.onset_known or f.onset_explicit,
        first=min(e.first, f.published),
        last=max(e.last, f.published),
    )


def state_from(event_id: int, slug: str, name: str, f: Features) -> EventState:
    return EventState(
        id=event_id, slug=slug, name=name, kind=f.kind, countries=list(f.countries), places=list(f.places),
        names=list(f.names), onset=f.onset, onset_known=f.onset_explicit, first=f.published, last=f.published,
    )
