"""How an article's features put it in an event: pure functions, texts written for these tests
on real events (facts only; the wording is ours)."""

from __future__ import annotations

import datetime as dt

from service.events.assign import decide, state_from
from service.events.features import features, load_kinds

KINDS = load_kinds()


def feat(title: str, text: str, published: str):
    return features(title, text, dt.date.fromisoformat(published), KINDS)


def event_of(title: str, text: str, published: str, event_id: int = 1):
    return state_from(event_id, f"e{event_id}", title, feat(title, text, published))


QUAKE_DAY_3 = """SENDAI, Japan, March 13 - Rescue teams reached coastal towns flattened by Friday's tsunami as the
government doubled the number of troops in the northeast.

The National Police Agency said 686 people had died."""

QUAKE_YEAR_ON = """TOKYO, 11 March 2012 - The nation stood silent at 2:46 p.m. to mark one year since the Great East
Japan Earthquake and the tsunami that followed it.

The National Police Agency says 15,854 people died in Miyagi, Iwate and Fukushima."""

QUAKE_FIRST = """TOKYO, March 11 - A magnitude 8.9 earthquake struck off the coast of Miyagi on Friday afternoon,
sending a tsunami over the coast of northeastern Japan.

Police said hundreds of people had died in Sendai."""


def test_the_day_beside_a_related_kinds_word_dates_the_happening() -> None:
    f = feat("Japan sends 100,000 troops to quake zone", QUAKE_DAY_3, "2011-03-13")
    assert f.kind == "earthquake"
    assert f.onset == dt.date(2011, 3, 11) and f.onset_explicit


def test_an_anniversary_piece_joins_the_happening_a_year_before() -> None:
    quake = event_of("Huge quake and tsunami hit Japan", QUAKE_FIRST, "2011-03-11")
    f = feat("One year after the Great East Japan Earthquake", QUAKE_YEAR_ON, "2012-03-11")
    assert f.onset == dt.date(2011, 3, 11)
    assert decide(f, [quake], KINDS).main is not None
    # a quake in the same country a year on, dated in its own lede, is another event
    new = feat("Quake shakes Miyagi", QUAKE_FIRST.replace("March 11", "March 9"), "2012-03-09")
    assert decide(new, [quake], KINDS).main is None


DAM = """SAN JUAN - Two days after Hurricane Maria crossed Puerto Rico, the government ordered the
evacuation of towns below the Guajataca Dam after its operators said the dam was failing.

Some 70,000 people live below the dam. The reservoir holds 11 billion gallons, and engineers said the
dam could give way at any time. The dam was built in 1929."""


def test_a_named_storm_is_the_story_even_where_its_dam_takes_more_words() -> None:
    assert feat("Failing dam forces evacuation as Maria toll rises", DAM, "2017-09-22").kind == "storm"


CYCLONE = """BEIRA, Mozambique, March 17 - Cyclone Idai made landfall near Beira on Thursday night, flattening
homes and flooding much of the city. The government said 84 people had died."""

CHOLERA = """BEIRA, 2 April 2019 - The cholera outbreak has spread across the city's poorest neighbourhoods
in the floods that followed Idai. The Ministry of Health said more than 1,000 cases had been recorded
since the first cases were confirmed on 27 March."""

HAITI_QUAKE = """PORT-AU-PRINCE, Haiti, January 13 - A magnitude 7.0 earthquake struck Haiti on Tuesday,
flattening much of the capital. Officials said thousands had died."""

HAITI_CHOLERA = """SAINT-MARC, Haiti, October 22 - A cholera outbreak in the Artibonite region has killed 150
people, the health ministry said, the first cases confirmed on Tuesday."""


def test_an_outbreak_after_a_named_storm_is_its_story_and_one_months_after_a_quake_is_not() -> None:
    idai = event_of("Cyclone Idai hits Beira", CYCLONE, "2019-03-17")
    f = feat("Cholera spreads in Beira", CHOLERA, "2019-04-02")
    assert f.kind == "epidemic"
    assert decide(f, [idai], KINDS).main is not None
    quake = event_of("Quake devastates Haiti", HAITI_QUAKE, "2010-01-13")
    g = feat("Cholera kills 150 in Haiti", HAITI_CHOLERA, "2010-10-22")
    assert g.kind == "epidemic" and decide(g, [quake], KINDS).main is None


FLOOD_LIVE = """Live: record rain floods Zhengzhou, passengers trapped on subway

07:10 - A downpour of 201.9 mm fell on Zhengzhou in one hour, a record. Passengers on Line 5 were
trapped as water poured into the tunnel.

08:20 - Twelve passengers died on the train, the city said; 500 passengers were brought out."""


def test_passengers_in_a_flood_do_not_make_it_a_shipwreck() -> None:
    assert feat("Live: record rain floods Zhengzhou", FLOOD_LIVE, "2021-07-21").kind == "flood"
