"""``factdesk demo-data``: a realistic synthetic corpus, loaded through COPY.

What it adds to the current database, for ``--claims N``:

- about N/20 **documents** whose text really contains every quote at its offsets (the quotes
  are sentences of the article, among filler sentences, in paragraphs);
- N/500 **actors** (people, ministries, police forces, outlets) with **aliases** (surnames,
  initials, transliterations with accents), used as claimants, in the quotes' wording and as
  the chain a claim came through (``via``);
- about one **event** per 100 documents (510 for a million claims, at least one; a small
  corpus gets ten more): kinds from ``event_kinds`` skewed as coverage is (unrest, conflict,
  floods, earthquakes first), each in a country where that kind happens, with places in it,
  an onset between 2015 and 2025, a name as the desk writes them ("Earthquake in Nepal, April
  2015"), a unique slug and an alias, all in ``event_names``. The first is the corpus's own
  story, unrest in Kazakhstan. Every document has one main event (``document_events``, a
  few events hold most documents) and is published in the months after its onset; its claims
  are located in the event's places (the Kazakh ones in the corpus's city list);
- N **claims** over every metric in the database (the seeds' vocabulary is added when there is
  none), about 70 % figures and 30 % statements, skewed like real news: metrics, actors,
  outlets and places follow a Zipf-like law (a few hold most claims), as_of dates span several
  months after the event's onset with the bulk in the first weeks, and round figures repeat
  across outlets. Each claim is in its document's main event (``claims.event_id``).

The same ``--seed`` gives the same data (ids aside, which depend on what the database holds).

How it loads: one transaction. Metrics and actors go in with ordinary INSERTs (a few thousand
rows), events and their names through COPY; documents, their main events and claims stream in
through COPY in chunks. For speed the claims table's user triggers are disabled inside the
transaction and their work is done set-based instead: the first review row of every claim is
copied with it, so is its event (what claims_default_event would look up), one query checks
that every loaded quote is verbatim at its offsets (the load fails and rolls back if one is
not), the corroboration counts are rebuilt in one statement and the data version bumped once;
should the claims table carry a trigger the loader does not know, every trigger stays on (the
same for document_events, whose data-version trigger becomes one bump). Foreign keys and CHECK
constraints stay enforced (they are not user triggers). The triggers are enabled again before
COMMIT, so no other session ever sees them off. The load ends with VACUUM ANALYZE of the
tables it filled, so the planner knows the new sizes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import math
import queue
import random
import re
import sys
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import msgspec

from service.claims.queries import CONTEXT_CHARS

# The claims triggers (migrations/versions) whose work the loader does set-based instead:
# what each one does for the loaded rows, as one statement after the COPY (None: nothing to do
# for an insert, or done by the loader itself as it writes).
KNOWN_CLAIM_TRIGGERS: dict[str, str | None] = {
    "claims_quote_verbatim": None,  # the verbatim check below; prefix/suffix are sliced as rows are written
    "claims_first_review": None,  # the review rows are copied with the claims
    "claims_content_immutable": None,  # updates only
    "claims_no_delete": None,  # deletes only
    "claims_figure_stats": "SELECT fd_rebuild_figure_stats()",  # corroboration counts
    "claims_data_version": "UPDATE data_version SET version = version + 1 WHERE id = 1",  # cached summaries
    "claims_default_event": None,  # event_id (the document's main event) is written in the claims COPY
    "claims_event_data_version": None,  # updates of event_id only
}
# The same for document_events (migration 0012): one main event per loaded document.
KNOWN_DOCUMENT_EVENT_TRIGGERS: dict[str, str | None] = {
    "document_events_data_version": "UPDATE data_version SET version = version + 1 WHERE id = 1",
}
CLAIMS_PER_DOCUMENT = 20
CLAIMS_PER_ACTOR = 500
CHUNK_DOCUMENTS = 2_000
FIGURE_SHARE = 0.7
EXTRACTOR = "extracted:demo-1"
STORY_START = dt.date(2022, 1, 2)
STORY_DAYS = 180
DOCUMENTS_PER_EVENT = 100
EVENTS_FIRST = dt.date(2015, 1, 1)  # onsets spread over these years
EVENTS_DAYS = 11 * 365

# -- vocabularies ---------------------------------------------------------------------------

FIRST = (
    "Aigerim Askar Bolat Dana Erlan Gulnara Nursultan Saule Timur Yerlan Zhanna Marat Aliya Daniyar "
    "Olga Ivan Sergei Anna Dmitry Elena Mikhail Natalia John Sarah David Maria James Laura Peter "
    "Fatima Omar Leila Hassan Yusuf Amina Karim Nadia Pavel Irina Arman Madina Ruslan Kamila"
).split()
LAST = (
    "Bekova Nurlanov Sadykov Abenova Zhakupov Tulegenov Omarova Iskakov Kassymov Dzhaksybekov "
    "Petrov Ivanova Smirnov Volkova Kuznetsov Sokolova Popov Lebedeva Novak Walker Bennett Carter "
    "Haddad Rahman Aziz Karimova Yusupov Rakhimov Mukhametov Sultanova Baimukhanov Yessenova "
    "Orlov Morozova Fischer Weber Moreau Laurent Rossi Bianchi Garcia Lopez"
).split()
COUNTRIES = (
    "Kazakhstan Kyrgyzstan Uzbekistan Tajikistan Russia Belarus Armenia Georgia Azerbaijan Turkey "
    "Ukraine Moldova Mongolia Iran France Germany"
).split()
MINISTRIES = ("Interior", "Health", "Defence", "Emergency Situations", "Foreign Affairs", "Justice", "Information")
ORGS = ("Red Crescent Society", "Human Rights Bureau", "Bar Association", "Prosecutor General's Office",
        "National Security Committee", "Border Service", "Emergency Service", "Medical Association")
OUTLET_WORDS = (
    "Orda Vlast Tribune Courier Herald Observer Times Gazette Post Monitor Dispatch Review Express "
    "Bulletin Chronicle Voice Wire Report Journal Daily"
).split()
CITIES = (
    "Almaty", "Nur-Sultan", "Shymkent", "Aktobe", "Taraz", "Karaganda", "Aktau", "Zhanaozen",
    "Taldykorgan", "Kyzylorda", "Oral", "Atyrau", "Semey", "Pavlodar", "Kostanay", "Turkistan",
    "Petropavl", "Öskemen", "Ekibastuz", "Temirtau", "Bishkek", "Tashkent", "Mangystau region",
    "Almaty region", "Zhambyl region", "the capital", "the south", "the west", "the border area",
    "Kazakhstan",
)
GROUPS = (
    "protesters", "civilians", "security forces", "police officers", "foreign nationals",
    "rioters", "journalists", "children", "soldiers", "medical workers", "bystanders", "students",
)
STATEMENT_TEMPLATES = (
    "{who} said the situation in {loc} was {adj}.",
    "{who} called on {group} in {loc} to stay at home.",
    "{who} denied reports that the airport in {loc} had been seized.",
    "{who} said talks with representatives of {group} would continue on {date}.",
    "{who} described the events in {loc} as {adj}.",
    "{who} urged restraint and promised an investigation into the events in {loc}.",
    "{who} announced a state of emergency in {loc} until {date}.",
    "{who} said internet access in {loc} would be restored on {date}.",
)
ADJECTIVES = ("under control", "tense but calm", "stabilising", "deteriorating", "calm", "critical",
              "an attempted coup", "a terrorist attack", "peaceful", "unprecedented")
FILLER = (
    "Shops remained closed and public transport did not run.",
    "The information could not be independently verified.",
    "Residents described hearing gunfire overnight.",
    "Internet access was restricted for most of the day.",
    "The figures could not be confirmed by other sources.",
    "Queues formed outside banks and petrol stations.",
    "Flights to and from the city were suspended.",
    "Officials did not respond to requests for comment.",
    "Earlier reports had given lower numbers.",
    "The government resigned earlier in the week.",
    "Witnesses said armoured vehicles were seen in the streets.",
    "The curfew remained in force.",
)
# (qualifier, phrase before the number) — vague figures are words, handled apart
QUALIFIERS: tuple[tuple[str, str, float], ...] = (
    ("exact", "", 0.40),
    ("approximately", "about ", 0.15),
    ("approximately", "around ", 0.05),
    ("at_least", "at least ", 0.10),
    ("more_than", "more than ", 0.10),
    ("nearly", "nearly ", 0.07),
    ("at_most", "at most ", 0.02),
    ("less_than", "fewer than ", 0.03),
    ("range", "", 0.04),
    ("vague", "", 0.04),
)
VAGUE = (("dozens", 24), ("hundreds", 200), ("thousands", 2000), ("several", 3), ("scores", 40))
FIGURE_TEMPLATES = (
    "{who} said {label} in {loc} stood at {vt} as of {date}.",
    "According to {who}, {vt} {group} were among the {label_short} in {loc}.",
    "{who} put the number of {label_short} in {loc} at {vt}.",
    "{vt} {group} were counted among the {label_short} in {loc}, {who} told reporters on {date}.",
)
UNATTRIBUTED_FIGURE = "Local reports put the number of {label_short} in {loc} at {vt}."
UNATTRIBUTED_STATEMENT = "Reports from {loc} said the situation remained {adj}."
MAGNITUDE = {"arrests": 4.0, "deaths": 2.5, "injuries": 3.3, "hospitalized": 2.8, "intensive_care": 1.8,
             "troops": 3.5, "aircraft": 1.5, "checkpoints": 2.0, "crowd_size": 4.3, "beheaded": 0.8}
ACCENTS = {"a": "á", "e": "é", "o": "ó", "i": "í", "u": "ú"}

# Events: where they happen (ISO 3166-1 alpha-2, the name news uses, places in it) and which
# kinds are plausible where. Kazakhstan, the corpus's home, uses CITIES for its claims.
EVENT_COUNTRIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "KZ": ("Kazakhstan", ("Almaty", "Nur-Sultan", "Shymkent", "Aktobe", "Zhanaozen", "Atyrau", "Taraz")),
    "KG": ("Kyrgyzstan", ("Bishkek", "Osh", "Jalal-Abad", "Batken")),
    "UZ": ("Uzbekistan", ("Tashkent", "Nukus", "Samarkand", "Andijan")),
    "TJ": ("Tajikistan", ("Dushanbe", "Khorog", "Khujand")),
    "NP": ("Nepal", ("Kathmandu", "Gorkha", "Pokhara", "Sindhupalchok", "Jajarkot")),
    "IN": ("India", ("Assam", "Kerala", "Mumbai", "Odisha", "Uttarakhand", "Manipur")),
    "PK": ("Pakistan", ("Sindh", "Karachi", "Khyber Pakhtunkhwa", "Balochistan", "Lahore")),
    "BD": ("Bangladesh", ("Dhaka", "Sylhet", "Cox's Bazar", "Chittagong")),
    "PH": ("Philippines", ("Tacloban", "Leyte", "Manila", "Mindanao", "Southern Leyte", "Cebu")),
    "ID": ("Indonesia", ("Palu", "Sulawesi", "Lombok", "Aceh", "Java", "Cianjur")),
    "JP": ("Japan", ("Fukushima", "Kumamoto", "Noto", "Hokkaido", "Hiroshima")),
    "CN": ("China", ("Sichuan", "Henan", "Zhengzhou", "Gansu", "Yunnan")),
    "TR": ("Turkey", ("Kahramanmaras", "Hatay", "Gaziantep", "Izmir", "Istanbul", "Malatya")),
    "SY": ("Syria", ("Aleppo", "Idlib", "Latakia", "Damascus")),
    "IR": ("Iran", ("Kermanshah", "Tehran", "Mashhad", "Zahedan")),
    "AF": ("Afghanistan", ("Herat", "Kabul", "Paktika", "Kandahar")),
    "HT": ("Haiti", ("Port-au-Prince", "Les Cayes", "Jeremie")),
    "MX": ("Mexico", ("Puebla", "Oaxaca", "Acapulco", "Mexico City", "Guerrero")),
    "US": ("United States", ("California", "Florida", "Louisiana", "Texas", "Maui")),
    "CL": ("Chile", ("Valparaiso", "Santiago", "Biobio", "Vina del Mar")),
    "PE": ("Peru", ("Lima", "Ica", "Cusco", "Piura")),
    "MA": ("Morocco", ("Al Haouz", "Marrakesh", "Taroudant")),
    "LY": ("Libya", ("Derna", "Benghazi", "Tripoli")),
    "NG": ("Nigeria", ("Borno", "Maiduguri", "Lagos", "Zamfara")),
    "SD": ("Sudan", ("Khartoum", "Darfur", "El Fasher", "Omdurman")),
    "ET": ("Ethiopia", ("Tigray", "Addis Ababa", "Amhara")),
    "CD": ("DR Congo", ("Goma", "Kinshasa", "North Kivu", "Ituri")),
    "KE": ("Kenya", ("Nairobi", "Mombasa", "Turkana")),
    "MZ": ("Mozambique", ("Beira", "Cabo Delgado", "Sofala")),
    "UA": ("Ukraine", ("Kharkiv", "Mariupol", "Donetsk", "Kherson", "Odesa")),
    "FR": ("France", ("Paris", "Marseille", "Lyon", "Nice")),
    "GR": ("Greece", ("Evia", "Attica", "Rhodes", "Thessaly")),
    "IT": ("Italy", ("Emilia-Romagna", "Amatrice", "Sicily", "Genoa")),
    "AU": ("Australia", ("New South Wales", "Queensland", "Lismore", "Gippsland")),
    "LK": ("Sri Lanka", ("Colombo", "Galle", "Kandy")),
    "MM": ("Myanmar", ("Yangon", "Mandalay", "Rakhine", "Sagaing")),
    "BY": ("Belarus", ("Minsk", "Brest", "Grodno")),
    "IQ": ("Iraq", ("Mosul", "Baghdad", "Basra")),
    "LB": ("Lebanon", ("Beirut", "Tripoli")),
    "BR": ("Brazil", ("Rio Grande do Sul", "Petropolis", "Sao Paulo", "Recife")),
}
# kinds, the most frequent in a desk's coverage first (the others follow in the table's order)
EVENT_KIND_ORDER = ("unrest", "conflict", "flood", "earthquake", "storm", "attack", "crackdown", "epidemic",
                    "wildfire", "landslide", "fire", "road_accident", "explosion", "displacement", "shipwreck")
# where a kind plausibly happens, the likeliest first (kinds not named: anywhere)
EVENT_KIND_COUNTRIES: dict[str, tuple[str, ...]] = {
    "unrest": ("KZ", "KG", "IR", "FR", "BY", "US", "KE", "BD", "LK", "UZ", "MM", "PE", "TJ", "LB", "CL"),
    "crackdown": ("KZ", "BY", "IR", "MM", "UZ", "KG", "SD", "BD", "TJ"),
    "coup": ("MM", "SD", "KG", "NG", "TR"),
    "conflict": ("UA", "SY", "SD", "ET", "CD", "MM", "AF", "NG", "IQ", "MZ", "TJ", "KG"),
    "attack": ("AF", "PK", "NG", "IQ", "SY", "FR", "TR", "KE", "LK", "IN", "US"),
    "earthquake": ("TR", "NP", "IR", "JP", "ID", "CN", "MX", "HT", "AF", "CL", "PE", "MA", "IT", "PH", "PK", "KG", "TJ"),
    "tsunami": ("JP", "ID", "CL", "PH", "LK"),
    "volcano": ("ID", "JP", "PH", "IT", "CD", "CL"),
    "storm": ("PH", "US", "BD", "MZ", "JP", "CN", "MX", "IN", "MM", "HT", "AU", "LY"),
    "flood": ("PK", "IN", "BD", "CN", "NG", "LY", "KE", "ID", "BR", "IT", "GR", "AU", "KZ", "AF"),
    "landslide": ("NP", "IN", "PH", "ID", "CN", "PE", "BR", "KE"),
    "wildfire": ("AU", "US", "GR", "CL", "FR", "KZ", "TR", "IT"),
    "famine": ("ET", "SD", "AF", "KE", "NG"),
    "heatwave": ("IN", "PK", "FR", "GR", "US", "IT"),
    "epidemic": ("CD", "HT", "NG", "BD", "IN", "KE", "BR", "PE"),
    "displacement": ("SY", "UA", "SD", "MM", "AF", "CD", "BD"),
    "mining_accident": ("TR", "CN", "KZ", "PE", "CL"),
    "dam_failure": ("LY", "BR", "IN", "UA"),
    "stampede": ("IN", "IQ", "NG", "BD"),
    "fire": ("BD", "IN", "CN", "IQ", "FR", "US", "KZ", "TR"),
    "explosion": ("LB", "CN", "IQ", "NG", "IN", "TR", "KZ", "US"),
    "industrial_accident": ("IN", "CN", "BD", "KZ", "MX", "US"),
    "collapse": ("BD", "IN", "NG", "TR", "IT", "KE"),
    "shipwreck": ("LY", "BD", "ID", "PH", "GR", "IT", "LK"),
    "road_accident": ("IN", "PK", "NG", "KE", "PE", "MX", "KZ", "UZ"),
    "rail_accident": ("IN", "GR", "PK", "BD", "US", "CN"),
    "air_crash": ("NP", "ID", "IR", "US", "ET", "KZ", "PK"),
}


# -- helpers --------------------------------------------------------------------------------


def zipf_cum(n: int, s: float = 1.0) -> list[float]:
    """Cumulative Zipf weights for ranks 1..n (rank 1 most frequent)."""
    return list(itertools.accumulate(1.0 / (k**s) for k in range(1, n + 1)))


def _norm(name: str) -> str:
    """An approximation of the database's fd_norm, to avoid duplicate names per actor."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", s).strip()


def _slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _norm(name)).strip("-")[:100] or "actor"


def _fmt(n: int) -> str:
    return f"{n:,}"


def _copy_text(value: Any) -> str:
    """One field in COPY text format."""
    if value is None:
        return "\\N"
    s = str(value)
    if "\\" in s or "\t" in s or "\n" in s or "\r" in s:
        s = s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return s


def _copy_text_array(values: list[str]) -> str:
    """A text[] field in COPY text format: every element quoted, as an array literal."""
    elements = ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return _copy_text("{" + elements + "}")


class Progress:
    """A plain-text progress bar on stderr (redrawn in place on a terminal, a line per step otherwise)."""

    def __init__(self, total: int, stream: TextIO = sys.stderr, width: int = 30) -> None:
        self.total = max(total, 1)
        self.stream = stream
        self.width = width
        self.started = time.monotonic()
        self.tty = stream.isatty()
        self._last_pct = -1

    def update(self, done: int, label: str) -> None:
        pct = int(100 * done / self.total)
        if not self.tty and pct // 10 == self._last_pct // 10 and done < self.total:
            return
        self._last_pct = pct
        filled = int(self.width * done / self.total)
        bar = "#" * filled + "." * (self.width - filled)
        line = f"demo-data: [{bar}] {pct:3d}% {done:,}/{self.total:,} claims {label} {time.monotonic() - self.started:5.1f}s"
        self.stream.write(("\r" + line) if self.tty else (line + "\n"))
        self.stream.flush()

    def note(self, text: str) -> None:
        if self.tty:
            self.stream.write("\n")
        self.stream.write(f"demo-data: {text} ({time.monotonic() - self.started:.1f}s)\n")
        self.stream.flush()


# -- the corpus -----------------------------------------------------------------------------


@dataclass
class DemoActor:
    slug: str
    name: str
    kind: str
    role: str | None
    aliases: list[str]
    id: int = 0


@dataclass
class MetricInfo:
    id: int
    slug: str
    label: str


@dataclass
class LoadSummary:
    documents: int = 0
    claims: int = 0
    figures: int = 0
    actors: int = 0
    names: int = 0
    via: int = 0
    reviews: int = 0
    events: int = 0
    metrics: int = 0
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)


def make_actors(rng: random.Random, count: int, taken_slugs: set[str], seed: int) -> list[DemoActor]:
    """``count`` actors: people, government bodies, organisations and media outlets (the first
    few are the big institutional sources, as in real coverage)."""
    actors: list[DemoActor] = []
    seen_names: set[str] = set()

    def add(name: str, kind: str, role: str | None, aliases: list[str]) -> None:
        if _norm(name) in seen_names:
            return
        seen_names.add(_norm(name))
        base = _slugify(name)
        slug, n = base, 1
        while slug in taken_slugs:
            n += 1
            slug = f"{base}-{n}"
        taken_slugs.add(slug)
        norms = {_norm(name), _norm(slug)}
        kept = []
        for a in aliases:
            if a and _norm(a) and _norm(a) not in norms:
                norms.add(_norm(a))
                kept.append(a)
        actors.append(DemoActor(slug=slug, name=name, kind=kind, role=role, aliases=kept))

    attempts = 0
    while len(actors) < count and attempts < count * 50:
        attempts += 1
        r = rng.random()
        country = COUNTRIES[min(int(rng.paretovariate(1.2)) - 1, len(COUNTRIES) - 1)]
        if r < 0.35:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            name = f"{first} {last}"
            if _norm(name) in seen_names:
                name = f"{first} {rng.choice(LAST)}-{last}"
            accented = "".join(ACCENTS.get(ch, ch) if i == 1 else ch for i, ch in enumerate(last))
            role = rng.choice(("spokesperson", "minister", "lawyer", "activist", "doctor", "mayor", "official"))
            add(name, "person", f"{role}, {country}", [last, f"{first[0]}. {last}", accented, f"{first} {accented}"])
        elif r < 0.60:
            ministry = rng.choice(MINISTRIES)
            name = f"Ministry of {ministry} of {country}"
            add(name, "government", None, [f"{country} {ministry} Ministry", f"{ministry} Ministry of {country}",
                                           f"MO{ministry[0]} {country}"])
        elif r < 0.78:
            city = rng.choice(CITIES[:20])
            org = rng.choice(ORGS)
            name = f"{city} {org}"
            add(name, "organisation", None, [f"{org} of {city}", f"{city} {org.split()[0]}"])
        else:
            word = rng.choice(OUTLET_WORDS)
            name = f"{rng.choice(CITIES[:20])} {word}"
            add(name, "media", None, [f"{name.replace(' ', '')}.kz", f"The {name}"])
    # Names run out for tiny vocabularies only; number the rest so the count is always met.
    k = 0
    while len(actors) < count:
        k += 1
        add(f"Source {seed}-{k}", "other", None, [f"Anonymous source {seed}-{k}"])
    return actors


def outlet_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = f"{rng.choice(CITIES[:20])} {rng.choice(OUTLET_WORDS)}"
        if len(seen) >= len(CITIES[:20]) * len(OUTLET_WORDS):
            name = f"{name} {len(names)}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


@dataclass
class EventKind:
    slug: str
    noun: str  # as event names begin: "Earthquake", "Floods"


@dataclass
class DemoEvent:
    slug: str
    name: str
    kind: str
    noun: str
    country: str  # ISO 3166-1 alpha-2
    places: list[str]  # the country first, then places in it, as written in names
    onset: dt.date
    aliases: list[str]
    id: int = 0
    place_cum: list[float] = field(default_factory=list, repr=False)


def documents_for(n_claims: int) -> int:
    return max(1, math.ceil(n_claims / CLAIMS_PER_DOCUMENT))


def events_for(n_documents: int) -> int:
    """About one event per DOCUMENTS_PER_EVENT documents (510 for a million claims); a small
    corpus gets a few more, never more than one per four documents, and always one."""
    return max(1, min(n_documents // 4, n_documents // DOCUMENTS_PER_EVENT + 10))


def make_events(rng: random.Random, count: int, kinds: Sequence[EventKind], taken_slugs: set[str],
                taken_norms: set[str]) -> list[DemoEvent]:
    """``count`` events: kinds skewed as a desk's coverage is (unrest, conflict, floods,
    earthquakes first), each in a country where that kind happens, with one to three places
    in it and an onset between 2015 and 2025; names as the desk names events ("Earthquake in
    Nepal, April 2015"), unique slugs ("2015-04-nepal-earthquake") and an alias ("2015 Nepal
    earthquake"). The first is the desk's main story, unrest in Kazakhstan (the corpus's own
    vocabulary). Kinds, places and onsets depend on the seed only; names and slugs also avoid
    those in ``taken_norms`` / ``taken_slugs`` (which they are added to)."""
    by_slug = {k.slug: k for k in kinds}
    order = [k for k in EVENT_KIND_ORDER if k in by_slug]
    order += [k.slug for k in kinds if k.slug not in order and k.slug != "other"]
    order = order or [k.slug for k in kinds]
    kind_cum = zipf_cum(len(order), 0.9)
    events: list[DemoEvent] = []
    for i in range(count):
        if i == 0 and "unrest" in by_slug:
            kind, cc = "unrest", "KZ"
        else:
            kind = rng.choices(order, cum_weights=kind_cum)[0]
            where = [c for c in EVENT_KIND_COUNTRIES.get(kind, ()) if c in EVENT_COUNTRIES] or list(EVENT_COUNTRIES)
            cc = rng.choices(where, cum_weights=zipf_cum(len(where), 0.8))[0]
        country, cities = EVENT_COUNTRIES[cc]
        places = [country, *rng.sample(cities, k=min(len(cities), rng.randint(1, 3)))]
        onset = EVENTS_FIRST + dt.timedelta(days=rng.randrange(EVENTS_DAYS))
        noun = by_slug[kind].noun
        month = f"{onset:%B %Y}"
        candidates = [f"{noun} in {country}, {month}", f"{noun} in {places[1]}, {country}, {month}"]
        name = next((c for c in candidates if _norm(c) not in taken_norms), None)
        n = 1
        while name is None:
            n += 1
            name = f"{candidates[-1]} ({n})" if _norm(f"{candidates[-1]} ({n})") not in taken_norms else None
        base = _slugify(f"{onset:%Y-%m} {country} {kind.replace('_', ' ')}")
        slug, n = base, 1
        while slug in taken_slugs:
            n += 1
            slug = f"{base}-{n}"
        taken_slugs.add(slug)
        taken_norms.update((_norm(name), _norm(slug)))
        aliases = []
        alias = f"{onset.year} {country} {noun[:1].lower()}{noun[1:]}"
        if _norm(alias) not in taken_norms:
            taken_norms.add(_norm(alias))
            aliases.append(alias)
        events.append(DemoEvent(slug=slug, name=name, kind=kind, noun=noun, country=cc, places=places, onset=onset,
                                aliases=aliases, place_cum=zipf_cum(len(places), 1.0)))
    return events


def _figure_value(rng: random.Random, slug: str) -> tuple[str, float | None, float | None, str]:
    """(qualifier, low, high, value_text): news-like numbers, round ones repeated across outlets."""
    r = rng.random()
    acc = 0.0
    qualifier, phrase = "exact", ""
    for q, p, w in QUALIFIERS:
        acc += w
        if r < acc:
            qualifier, phrase = q, p
            break
    if qualifier == "vague":
        word, low = VAGUE[rng.randrange(len(VAGUE))]
        return "vague", low, None, word
    magnitude = MAGNITUDE.get(slug, 2.5)
    v = max(1, int(10 ** rng.uniform(0, magnitude)))
    if rng.random() < 0.6 and v >= 20:  # a round figure: two significant digits
        digits = int(math.log10(v)) - 1
        v = max(10, round(v, -digits))
    if qualifier == "range":
        hi = v + max(1, int(v * rng.uniform(0.1, 0.5)))
        return "approximately", v, hi, f"between {_fmt(v)} and {_fmt(hi)}"
    text = f"{phrase}{_fmt(v)}"
    if qualifier in ("exact", "approximately"):
        return qualifier, v, v, text
    if qualifier in ("at_least", "more_than"):
        return qualifier, v, None, text
    return qualifier, None, v, text


def _as_of(rng: random.Random, start: dt.date = STORY_START) -> dt.date:
    # most coverage in the first weeks of the story, a long tail over several months
    return start + dt.timedelta(days=min(int(rng.expovariate(1 / 20)), STORY_DAYS - 1))


def _date_words(d: dt.date) -> str:
    return f"{d.day} {d.strftime('%B')}"


@dataclass
class ClaimRow:
    start: int
    end: int
    quote: str
    metric_id: int | None
    low: float | None
    high: float | None
    qualifier: str | None
    value_text: str | None
    group: str | None
    location: str | None
    as_of: dt.date | None
    claimant: DemoActor | None
    via: DemoActor | None
    confidence: float
    origin: str
    status: str


@dataclass
class DocumentRow:
    title: str
    outlet: str
    url: str
    published: dt.date
    text: str
    content_hash: bytes
    claims: list[ClaimRow]
    event: DemoEvent
    event_confidence: float


class Corpus:
    """Generates documents with their claims, deterministically from the seed."""

    def __init__(self, seed: int, n_claims: int, metrics: Sequence[MetricInfo], actors: Sequence[DemoActor],
                 events: Sequence[DemoEvent]) -> None:
        self.seed = seed
        self.rng = random.Random(f"factdesk-demo-{seed}-corpus")
        self.n_claims = n_claims
        self.n_documents = documents_for(n_claims)
        # every document is about one event; a few events hold most documents, as in news
        self.events = list(events)
        self.event_cum = zipf_cum(len(self.events), 1.0)
        self.metrics = list(metrics)
        self.metric_cum = zipf_cum(len(self.metrics), 1.1)
        self.claimants = [a for a in actors if a.kind != "media"] or list(actors)
        self.claimant_cum = zipf_cum(len(self.claimants), 1.0)
        self.media = [a for a in actors if a.kind == "media"] or list(actors)
        self.media_cum = zipf_cum(len(self.media), 1.0)
        self.outlets = outlet_names(random.Random(f"factdesk-demo-{seed}-outlets"), max(5, min(400, self.n_documents // 50 + 5)))
        self.outlet_cum = zipf_cum(len(self.outlets), 1.0)
        self.city_cum = zipf_cum(len(CITIES), 1.0)
        self.group_cum = zipf_cum(len(GROUPS), 0.9)

    def documents(self) -> Iterator[DocumentRow]:
        base, extra = divmod(self.n_claims, self.n_documents)
        for i in range(self.n_documents):
            yield self._document(i, base + (1 if i < extra else 0))

    def _speaker(self, actor: DemoActor) -> str:
        """How the article names the claimant: its name most of the time, else an alias."""
        if actor.aliases and self.rng.random() < 0.35:
            return self.rng.choice(actor.aliases)
        return actor.name

    def _document(self, i: int, n: int) -> DocumentRow:
        rng = self.rng
        event = rng.choices(self.events, cum_weights=self.event_cum)[0]
        published = _as_of(rng, event.onset) + dt.timedelta(days=rng.randrange(0, 4))
        outlet = rng.choices(self.outlets, cum_weights=self.outlet_cum)[0]
        metrics = rng.choices(self.metrics, cum_weights=self.metric_cum, k=n)
        claimants = rng.choices(self.claimants, cum_weights=self.claimant_cum, k=n)
        if event.country == "KZ":  # the corpus's home: its own places
            cities = rng.choices(CITIES, cum_weights=self.city_cum, k=n)
        else:
            cities = rng.choices(event.places, cum_weights=event.place_cum, k=n)
        groups = rng.choices(GROUPS, cum_weights=self.group_cum, k=n)
        story_city = cities[0]
        parts: list[str] = []
        pos = 0

        def put(s: str) -> int:
            nonlocal pos
            at = pos
            parts.append(s)
            pos += len(s)
            return at

        title = f"{event.noun} in {story_city}: {metrics[0].label.lower()} and official statements ({published:%d %b %Y})"
        put(f"{story_city}, {_date_words(published)} ({outlet}). ")
        put(rng.choice(FILLER))
        claims: list[ClaimRow] = []
        for j in range(n):
            put("\n\n" if j % 4 == 0 else " ")
            if rng.random() < 0.5:
                put(rng.choice(FILLER) + " ")
            figure = rng.random() < FIGURE_SHARE
            attributed = rng.random() < 0.9
            claimant = claimants[j] if attributed else None
            who = self._speaker(claimant) if claimant else ""
            loc = cities[j] if rng.random() < 0.9 else None
            group = groups[j] if rng.random() < 0.8 else None
            as_of = None if rng.random() < 0.12 else min(published, _as_of(rng, event.onset))
            date = as_of or published
            words = {"who": who, "loc": loc or "the country", "group": group or "people", "date": _date_words(date),
                     "adj": rng.choice(ADJECTIVES)}
            if figure:
                m = metrics[j]
                qualifier, low, high, vt = _figure_value(rng, m.slug)
                label = (m.label or m.slug)[:1].lower() + (m.label or m.slug)[1:]
                words.update(vt=vt, label=label, label_short=label.split(" (")[0])
                if claimant:
                    template = FIGURE_TEMPLATES[rng.randrange(len(FIGURE_TEMPLATES))]
                else:
                    template = UNATTRIBUTED_FIGURE
                quote = template.format(**words)
                if quote[0].islower():
                    quote = quote[0].upper() + quote[1:]
                    if quote.startswith(vt[0].upper() + vt[1:]):
                        vt = quote[: len(vt)]  # the figure's words as the article prints them
                metric_id = m.id
            else:
                template = STATEMENT_TEMPLATES[rng.randrange(len(STATEMENT_TEMPLATES))] if claimant else UNATTRIBUTED_STATEMENT
                quote = template.format(**words)
                qualifier = vt = None  # type: ignore[assignment]
                low = high = None
                metric_id = None
                group = group if "{group}" in template else None
            start = put(quote)
            via = rng.choices(self.media, cum_weights=self.media_cum)[0] if claimant and rng.random() < 0.3 else None
            if via is claimant:
                via = None
            curated = rng.random() < 0.15
            status = "accepted" if curated else ("retracted" if rng.random() < 0.01 else "unreviewed")
            confidence = round(rng.uniform(0.55, 0.95) if curated else rng.betavariate(5, 3), 3)
            claims.append(ClaimRow(
                start=start, end=start + len(quote), quote=quote, metric_id=metric_id, low=low, high=high,
                qualifier=qualifier, value_text=vt, group=group, location=loc, as_of=as_of, claimant=claimant,
                via=via, confidence=confidence, origin="curated" if curated else EXTRACTOR, status=status,
            ))
        put(" " + rng.choice(FILLER))
        put(f"\n\n(demo corpus {self.seed}, article {i + 1})\n")
        text = "".join(parts)
        return DocumentRow(
            title=title, outlet=outlet, url=f"https://news.example/demo/{self.seed}/{i + 1}", published=published,
            text=text, content_hash=hashlib.sha256(text.encode()).digest(), claims=claims,
            event=event, event_confidence=round(rng.uniform(0.6, 1.0), 2),
        )


def content_key(document_id: int, c: ClaimRow) -> bytes:
    """The same canonical tuple as service.claims.write.create_claim, so a later POST of the same
    content finds the loaded claim."""
    low = None if c.low is None else float(c.low)
    high = None if c.high is None else float(c.high)
    claimant_id = c.claimant.id if c.claimant else None
    via_ids = [c.via.id] if c.via else []
    return hashlib.sha256(
        msgspec.json.encode([document_id, c.start, c.end, c.metric_id, low, high, c.qualifier, c.value_text,
                             c.group, c.location, c.as_of, claimant_id, via_ids])
    ).digest()


# -- the load -------------------------------------------------------------------------------


def _plain_url(url: str) -> str:
    from service.settings import normalize_database_url

    return normalize_database_url(url).replace("postgresql+psycopg://", "postgresql://", 1)


def _ensure_metrics(cur: Any, seeds_dir: Path) -> None:
    """Every metric in the database is used; with none, the seeds' vocabulary is added."""
    if cur.execute("SELECT EXISTS (SELECT 1 FROM metrics)").fetchone()[0]:
        return
    from service.seeds import SeedMetric, _read

    for m in _read(seeds_dir / "metrics.json", list[SeedMetric]):  # type: ignore[union-attr]
        mid = cur.execute(
            "INSERT INTO metrics (slug, label, unit, description) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug RETURNING id",
            (m.slug, m.label, m.unit, m.description),
        ).fetchone()[0]
        cur.executemany(
            "INSERT INTO metric_synonyms (metric_id, synonym) VALUES (%s, %s) ON CONFLICT (norm) DO NOTHING",
            [(mid, s) for s in [m.slug, *m.synonyms]],
        )


def _event_kinds(cur: Any, seeds_dir: Path) -> list[EventKind]:
    """The event kinds in the database (migration 0012 fills them from seeds/event_kinds.json,
    which also gives each its noun); with none, the seeds' are added."""
    path = seeds_dir / "event_kinds.json"
    seeded = msgspec.json.decode(path.read_bytes()) if path.exists() else [{"slug": "other", "label": "Other", "noun": "Event"}]
    nouns = {k["slug"]: k.get("noun") or k["label"] for k in seeded}
    rows = cur.execute("SELECT slug, label FROM event_kinds ORDER BY slug").fetchall()
    if not rows:
        cur.executemany("INSERT INTO event_kinds (slug, label) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                        [(k["slug"], k["label"]) for k in seeded])
        rows = cur.execute("SELECT slug, label FROM event_kinds ORDER BY slug").fetchall()
    return [EventKind(slug, nouns.get(slug, label)) for slug, label in rows]


def _reserve_ids(cur: Any, table: str, n: int) -> int:
    """Take ``n`` consecutive ids from ``table``'s identity sequence; returns the first. The
    caller holds a lock that keeps other writers out of the table meanwhile (COPY writes the
    given ids into a GENERATED ALWAYS column, as INSERT … OVERRIDING SYSTEM VALUE would)."""
    seq = cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", (table,)).fetchone()[0]
    first = cur.execute("SELECT nextval(%s)", (seq,)).fetchone()[0]
    if n > 1:
        cur.execute("SELECT setval(%s, %s)", (seq, first + n - 1))
    return int(first)


class _Chunk:
    __slots__ = ("documents", "doc_events", "claims", "reviews", "via", "n_claims", "n_figures", "n_via")

    def __init__(self) -> None:
        self.documents: list[tuple[Any, ...]] = []
        self.doc_events: list[str] = []
        self.claims: list[str] = []
        self.reviews: list[str] = []
        self.via: list[str] = []
        self.n_claims = self.n_figures = self.n_via = 0


def _chunks(corpus: Corpus, first_doc_id: int, first_claim_id: int) -> Iterator[_Chunk]:
    """The COPY rows of documents, their main events, claims, first reviews and via links,
    CHUNK_DOCUMENTS documents at a time, with their ids assigned from the reserved ranges."""
    doc_id, claim_id = first_doc_id - 1, first_claim_id - 1
    chunk = _Chunk()
    for d in corpus.documents():
        doc_id += 1
        chunk.documents.append((doc_id, d.title, d.outlet, d.url, d.published, "en", d.text, d.content_hash))
        sort_default = d.published.isoformat()
        doc = str(doc_id)
        ev = d.event
        event = str(ev.id)
        # the evidence as service/events writes it for an assignment on ingest
        evidence = msgspec.json.encode({
            "score": d.event_confidence, "kind": ev.kind, "countries": [ev.country],
            "places": [_norm(x) for x in ev.places if x in {c.location for c in d.claims}][:3] or [_norm(ev.places[0])],
            "days_apart": (d.published - ev.onset).days,
        }).decode()
        chunk.doc_events.append(f"{doc}\t{event}\tt\t{d.event_confidence!r}\t{_copy_text(evidence)}")
        for c in d.claims:
            claim_id += 1
            cid = str(claim_id)
            as_of = c.as_of.isoformat() if c.as_of else None
            chunk.claims.append("\t".join((
                cid, doc, str(c.start), str(c.end), _copy_text(c.quote),
                "\\N" if c.metric_id is None else str(c.metric_id),
                "\\N" if c.low is None else str(c.low),
                "\\N" if c.high is None else str(c.high),
                _copy_text(c.qualifier), _copy_text(c.value_text), _copy_text(c.group), _copy_text(c.location),
                as_of or "\\N",
                "\\N" if c.claimant is None else str(c.claimant.id),
                repr(c.confidence), c.origin, c.status, as_of or sort_default,
                "\\\\x" + content_key(doc_id, c).hex(),
                # what the claims_quote_verbatim trigger stores (migration 0008)
                _copy_text(d.text[max(c.start - CONTEXT_CHARS, 0):c.start]),
                _copy_text(d.text[c.end:c.end + CONTEXT_CHARS]),
                # the via chain's names (migration 0011), as claims/write.py stores them
                _copy_text_array([c.via.name] if c.via else []),
                # what the claims_default_event trigger writes: the document's main event
                event,
            )))
            # what the claims_first_review trigger writes for every new claim
            chunk.reviews.append(f"{cid}\t{c.status}\tcreated ({c.origin})")
            if c.via is not None:
                chunk.via.append(f"{cid}\t0\t{c.via.id}")
                chunk.n_via += 1
            chunk.n_figures += c.metric_id is not None
        chunk.n_claims += len(d.claims)
        if len(chunk.documents) >= CHUNK_DOCUMENTS:
            yield chunk
            chunk = _Chunk()
    if chunk.documents:
        yield chunk


def _encode(chunk: _Chunk) -> tuple[bytes, bytes, bytes, bytes, bytes, int, int, int, int]:
    """A chunk as COPY text-format payloads (documents, document events, claims, reviews, via)
    and its counts."""
    docs = "".join(
        f"{doc_id}\t{_copy_text(title)}\t{_copy_text(outlet)}\t{_copy_text(url)}\t{published.isoformat()}\t"
        f"{language}\t{_copy_text(text)}\t\\\\x{content_hash.hex()}\n"
        for doc_id, title, outlet, url, published, language, text, content_hash in chunk.documents
    )

    def lines(rows: list[str]) -> bytes:
        return ("\n".join(rows) + "\n").encode() if rows else b""

    return (docs.encode(), lines(chunk.doc_events), lines(chunk.claims), lines(chunk.reviews), lines(chunk.via),
            len(chunk.documents), chunk.n_claims, chunk.n_figures, chunk.n_via)


def _produce(q: Any, corpus: Corpus, first_doc_id: int, first_claim_id: int) -> None:
    try:
        for chunk in _chunks(corpus, first_doc_id, first_claim_id):
            q.put(_encode(chunk))
        q.put(None)
    except BaseException as exc:  # noqa: BLE001 - reported by the loader
        q.put(f"{type(exc).__name__}: {exc}")


def _in_background(corpus: Corpus, first_doc_id: int, first_claim_id: int) -> Iterator[tuple[Any, ...]]:
    """Generate the chunks in a child process while this one streams the previous chunk to the
    server: generation and the server's COPY work then use both cores (a thread would not,
    the GIL being held by the generator while COPY needs it to send each buffer)."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue(maxsize=3)
    proc = ctx.Process(target=_produce, args=(q, corpus, first_doc_id, first_claim_id), daemon=True, name="demo-data-generator")
    proc.start()
    try:
        while True:
            try:
                item = q.get(timeout=120)
            except queue.Empty:
                raise RuntimeError("demo-data: the generator process stopped answering") from None
            if item is None:
                return
            if isinstance(item, str):
                raise RuntimeError(f"demo-data: generating the corpus failed: {item}")
            yield item
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join(timeout=10)


def _rebuildable_indexes(cur: Any, table: str) -> list[tuple[str, str]]:
    """(name, definition) of the table's indexes that back no constraint."""
    return cur.execute(
        """
        SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = %s::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
        ORDER BY i.relname
        """,
        (table,),
    ).fetchall()


def load_demo_data(url: str, n_claims: int, seed: int, *, seeds_dir: Path, progress: bool = True) -> LoadSummary:
    """Add the corpus to the database at ``url`` in one transaction; returns what was loaded."""
    import psycopg

    if n_claims < 1:
        raise ValueError("--claims must be at least 1")
    started = time.monotonic()
    summary = LoadSummary()
    bar = Progress(n_claims) if progress else None

    def phase(name: str, since: float) -> float:
        now = time.monotonic()
        summary.phases[name] = round(now - since, 2)
        if bar:
            bar.note(name)
        return now

    with psycopg.connect(_plain_url(url), autocommit=False) as conn:
        cur = conn.cursor()
        cur.execute("SET LOCAL synchronous_commit = off")
        cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cur.execute("SET LOCAL work_mem = '256MB'")
        # One loader at a time, and no other writer in these tables while ids are reserved and
        # the claims triggers are off: they wait for the COMMIT (readers are not blocked).
        cur.execute("SELECT pg_advisory_xact_lock(hashtext('factdesk:demo-data'))")
        cur.execute("LOCK TABLE documents, claims, claim_reviews, claim_via, events, event_names, document_events "
                    "IN SHARE ROW EXCLUSIVE MODE")
        _ensure_metrics(cur, seeds_dir)
        metrics = [MetricInfo(*r) for r in cur.execute("SELECT id, slug, label FROM metrics ORDER BY id").fetchall()]
        summary.metrics = len(metrics)

        taken = {r[0] for r in cur.execute("SELECT slug FROM actors").fetchall()}
        actors = make_actors(random.Random(f"factdesk-demo-{seed}-actors"), max(5, n_claims // CLAIMS_PER_ACTOR), taken, seed)
        kinds = _event_kinds(cur, seeds_dir)
        taken_slugs = {r[0] for r in cur.execute("SELECT slug FROM events").fetchall()}
        taken_norms = {r[0] for r in cur.execute("SELECT norm FROM event_names").fetchall()}
        events = make_events(random.Random(f"factdesk-demo-{seed}-events"), events_for(documents_for(n_claims)), kinds,
                             taken_slugs, taken_norms)
        first_doc = next(iter(Corpus(seed, n_claims, metrics, actors, events).documents()))
        if cur.execute("SELECT 1 FROM documents WHERE content_hash = %s", (first_doc.content_hash,)).fetchone():
            raise SystemExit(f"demo-data with seed {seed} is loaded in this database already; use another --seed")

        t = time.monotonic()
        for a in actors:
            a.id = cur.execute(
                "INSERT INTO actors (slug, name, kind, role) VALUES (%s, %s, %s, %s) RETURNING id",
                (a.slug, a.name, a.kind, a.role),
            ).fetchone()[0]
        names = [(a.id, n, alias) for a in actors for n, alias in [(a.name, False), (a.slug, False), *((x, True) for x in a.aliases)]]
        cur.executemany(
            "INSERT INTO actor_names (actor_id, name, is_alias) VALUES (%s, %s, %s) ON CONFLICT (actor_id, norm) DO NOTHING",
            names,
        )
        summary.actors = len(actors)
        summary.names = cur.execute(
            "SELECT count(*) FROM actor_names WHERE actor_id = ANY(%s)", ([a.id for a in actors],)
        ).fetchone()[0]
        t = phase(f"{len(actors):,} actors, {summary.names:,} names", t)

        first_event_id = _reserve_ids(cur, "events", len(events))
        rows, names = [], []
        for k, e in enumerate(events):
            e.id = first_event_id + k
            rows.append("\t".join((
                str(e.id), _copy_text(e.slug), _copy_text(e.name), e.kind, _copy_text_array([e.country]),
                _copy_text_array(e.places), _copy_text_array(list(dict.fromkeys(_norm(x) for x in e.places))), "{}",
                e.onset.isoformat(), "t",
            )))
            names += [f"{e.id}\t{_copy_text(e.name)}\tf", f"{e.id}\t{_copy_text(e.slug)}\tf",
                      *(f"{e.id}\t{_copy_text(a)}\tt" for a in e.aliases)]
        with cur.copy("COPY events (id, slug, name, kind, countries, places, match_places, match_names, onset, onset_known) "
                      "FROM STDIN") as cp:
            cp.write("\n".join(rows) + "\n")
        with cur.copy("COPY event_names (event_id, name, is_alias) FROM STDIN") as cp:
            cp.write("\n".join(names) + "\n")
        summary.events = len(events)
        t = phase(f"{len(events):,} events, {len(names):,} event names", t)

        corpus = Corpus(seed, n_claims, metrics, actors, events)
        first_doc_id = _reserve_ids(cur, "documents", corpus.n_documents)
        first_claim_id = _reserve_ids(cur, "claims", n_claims)
        existing = cur.execute("SELECT count(*) FROM claims").fetchone()[0]
        # The triggers' work is done set-based below only for the triggers this loader knows;
        # should the schema have grown another one, every trigger stays on (slower, but nothing
        # a trigger does is skipped).
        triggers = {r[0] for r in cur.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'claims'::regclass AND NOT tgisinternal AND tgenabled <> 'D'"
        ).fetchall()}
        set_based = triggers <= KNOWN_CLAIM_TRIGGERS.keys()
        if set_based:
            cur.execute("ALTER TABLE claims DISABLE TRIGGER USER")
        de_triggers = {r[0] for r in cur.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'document_events'::regclass AND NOT tgisinternal AND tgenabled <> 'D'"
        ).fetchall()}
        de_set_based = de_triggers <= KNOWN_DOCUMENT_EVENT_TRIGGERS.keys()
        if de_set_based and de_triggers:
            cur.execute("ALTER TABLE document_events DISABLE TRIGGER USER")
        elif bar:
            unknown = ", ".join(sorted(triggers - KNOWN_CLAIM_TRIGGERS.keys()))
            bar.note(f"claims has triggers this loader does not know ({unknown}): loading with every trigger on")
        # Building an index once is far cheaper than maintaining it row by row: when the load
        # at least doubles the tables, their indexes that back no constraint are dropped here
        # and built again (the same definitions) before COMMIT.
        rebuild: list[tuple[str, str]] = []
        if n_claims >= existing and set_based:  # (deferred trigger events would block CREATE INDEX)
            for table in ("claims", "claim_reviews", "claim_via"):
                rebuild += _rebuildable_indexes(cur, table)
            for name, _ in rebuild:
                cur.execute(f'DROP INDEX "{name}"')

        done = 0
        for docs, doc_events, claims, reviews, via, n_docs, n_chunk, n_figures, n_via in _in_background(
                corpus, first_doc_id, first_claim_id):
            with cur.copy("COPY documents (id, title, outlet, url, published, language, text, content_hash) FROM STDIN") as cp:
                cp.write(docs)
            with cur.copy("COPY document_events (document_id, event_id, is_main, confidence, evidence) FROM STDIN") as cp:
                cp.write(doc_events)
            with cur.copy(
                "COPY claims (id, document_id, start_offset, end_offset, quote, metric_id, value_low, value_high, "
                "qualifier, value_text, group_name, location, as_of, claimant_id, confidence, origin, status, "
                "sort_date, content_key, prefix, suffix, via_names, event_id) FROM STDIN"
            ) as cp:
                cp.write(claims)
            if set_based:  # else claims_first_review wrote them
                with cur.copy("COPY claim_reviews (claim_id, status, reason) FROM STDIN") as cp:
                    cp.write(reviews)
            if via:
                with cur.copy("COPY claim_via (claim_id, position, actor_id) FROM STDIN") as cp:
                    cp.write(via)
            summary.documents += n_docs
            summary.figures += n_figures
            summary.via += n_via
            done += n_chunk
            if bar:
                bar.update(done, f"({summary.documents:,} documents)")
        summary.claims = summary.reviews = done
        t = phase(f"copied {summary.documents:,} documents in {summary.events:,} events, {done:,} claims with their first "
                  f"reviews, {summary.via:,} via links", t)

        for name, definition in rebuild:
            cur.execute(definition)
        if rebuild:
            t = phase(f"built {len(rebuild)} indexes", t)

        # Invariant 1, which the disabled trigger checks row by row, checked for every loaded
        # claim in one statement; a span past the end gives a shorter substring, and the
        # ck_claims_quote_length constraint holds length(quote) = end - start.
        bad = cur.execute(
            """
            SELECT count(*), min(c.id) FROM claims c JOIN documents d ON d.id = c.document_id
            WHERE c.id BETWEEN %s AND %s
              AND substr(d.text, c.start_offset + 1, c.end_offset - c.start_offset) IS DISTINCT FROM c.quote
            """,
            (first_claim_id, first_claim_id + n_claims - 1),
        ).fetchone()
        if bad[0]:
            conn.rollback()
            raise RuntimeError(
                f"demo-data: {bad[0]} quotes are not verbatim at their offsets (first: claim {bad[1]}); nothing was loaded"
            )
        t = phase("checked: every quote verbatim at its offsets", t)
        if set_based:
            for name in sorted(triggers):
                if KNOWN_CLAIM_TRIGGERS[name]:
                    cur.execute(KNOWN_CLAIM_TRIGGERS[name])
                    t = phase(f"done set-based for trigger {name}", t)
            cur.execute("ALTER TABLE claims ENABLE TRIGGER USER")
        if de_set_based and de_triggers:
            for name in sorted(de_triggers):
                if KNOWN_DOCUMENT_EVENT_TRIGGERS[name]:
                    cur.execute(KNOWN_DOCUMENT_EVENT_TRIGGERS[name])
            cur.execute("ALTER TABLE document_events ENABLE TRIGGER USER")
        conn.commit()
        t = phase("committed", t)

    with psycopg.connect(_plain_url(url), autocommit=True) as conn:
        tables = ["documents", "claims", "claim_via", "claim_reviews", "actors", "actor_names", "metrics",
                  "events", "event_names", "document_events"]
        tables += [r[0] for r in conn.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relname IN ('figure_stats', 'figure_refs') AND c.relkind = 'r'"
        ).fetchall()]
        conn.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")
    phase("vacuum analyze", t)
    summary.seconds = round(time.monotonic() - started, 1)
    return summary
