"""Events: many stories in one desk, none mixed into another (HTTP, as a newsroom meets it)."""

from __future__ import annotations

import csv
import io

import httpx
import pytest

from tests.conftest import problem
from tests.seeddata import MANIFEST

pytestmark = pytest.mark.writes

SEED_EVENT = "kazakhstan-unrest-2022"

# Reports written for these tests, on real events (facts only; the wording is ours).
LANDSLIDE_1 = """SAINT BERNARD, Philippines - A mountainside collapsed onto the farming village of Guinsaugon in Southern Leyte on Friday after two weeks of heavy rain, burying homes and an elementary school.

Governor Rosette Lerias said 53 bodies had been recovered by nightfall and that more than 1,400 people were missing. Soldiers and volunteers dug through mud with shovels.

The Philippine Red Cross said 20 people had been pulled out alive."""

LANDSLIDE_2 = """MANILA - Rescuers in Southern Leyte gave up hope on Sunday of finding more survivors under the mud that engulfed Guinsaugon two days earlier.

The provincial government put the number of dead at 107, with 987 people still unaccounted for. The Philippine Red Cross said its teams had treated dozens of injured villagers in Saint Bernard.

Governor Rosette Lerias asked for more heavy equipment."""

QUAKE_PAKISTAN = """MUZAFFARABAD, Pakistan - A magnitude 7.6 earthquake struck northern Pakistan on Saturday morning, flattening buildings in Muzaffarabad and Balakot.

The army said at least 18,000 people had been killed in Pakistani-administered Kashmir and North-West Frontier Province. Tens of thousands were injured."""

PROTEST_PH = """MANILA - Thousands of protesters marched in Manila on Friday demanding the resignation of President Gloria Arroyo.

Police said 40 people were detained near the presidential palace after clashes with riot officers."""


def doc(title: str, text: str, published: str, outlet: str = "Test Wire") -> dict:
    return {"title": title, "outlet": outlet, "published": published, "text": text}


@pytest.fixture(scope="module")
def desk(client: httpx.Client, auth: dict) -> dict:
    """The seeds plus four reports of three other events, ingested as a newsroom would."""
    out = {}
    for key, body in {
        "landslide_1": doc("Landslide buries Philippine village", LANDSLIDE_1, "2006-02-17"),
        "landslide_2": doc("Hope fades in Leyte", LANDSLIDE_2, "2006-02-19", "Other Daily"),
        "quake": doc("Quake kills thousands in Pakistan", QUAKE_PAKISTAN, "2005-10-08"),
        "protest": doc("Arrests at Manila march", PROTEST_PH, "2006-02-24"),
    }.items():
        r = client.post("/documents", json=body, headers=auth)
        assert r.status_code == 201, r.text
        out[key] = r.json()
    return out


def test_the_seeds_are_one_event(client: httpx.Client) -> None:
    r = client.get(f"/events/{SEED_EVENT}")
    assert r.status_code == 200, r.text
    e = r.json()["event"]
    assert e["name"] == "Unrest in Kazakhstan, January 2022" and e["kind"] == "unrest"
    assert e["documents"] == len(MANIFEST["documents"])
    assert e["first"] == "2022-01-06" and e["countries"] == ["KZ"]
    assert any(m["metric"]["slug"] == "arrests" for m in r.json()["metrics"])
    claim = client.get("/claims", params={"metric": "arrests", "limit": 1}).json()["items"][0]
    assert claim["event"] == {"slug": SEED_EVENT, "name": "Unrest in Kazakhstan, January 2022"}
    assert client.get("/documents/1").json()["events"] == [{"slug": SEED_EVENT, "name": e["name"]}]


def test_an_event_is_found_by_any_name_and_unknown_ones_get_suggestions(client: httpx.Client) -> None:
    for name in ("Bloody January", "bloody january", "UNREST IN KAZAKHSTAN, JANUARY 2022", "Kazakh unrest"):
        assert client.get(f"/events/{name}").json()["event"]["slug"] == SEED_EVENT, name
    body = problem(client.get("/events/kazakstan-unrest"), 404)
    assert SEED_EVENT in body["suggestions"]
    problem(client.get("/claims", params={"event": "no such happening"}), 404)
    problem(client.get("/metrics/deaths", params={"event": "no such happening"}), 404)


def test_reports_of_one_happening_land_together_and_others_do_not(desk: dict) -> None:
    first, second = desk["landslide_1"]["events"][0], desk["landslide_2"]["events"][0]
    assert first["main"] and first["created"]
    assert second["event"] == first["event"] and not second["created"]
    assert "Philippines" in second["evidence"]["countries"] and second["evidence"]["kind"] == "landslide"
    assert 0.7 <= second["confidence"] <= 1
    assert desk["quake"]["events"][0]["created"] and desk["quake"]["events"][0]["event"] != first["event"]
    # the same country and month, another kind of happening: not the landslide
    assert desk["protest"]["events"][0]["event"] != first["event"]
    for d in desk.values():
        assert d["document"]["events"][0] == d["events"][0]["event"]
        assert all(c["event"] == d["events"][0]["event"] for c in d["claims"])


def test_seed_figures_stay_the_seeds_own(client: httpx.Client, desk: dict) -> None:
    seed_docs = set(range(1, len(MANIFEST["documents"]) + 1))
    items = client.get("/claims", params={"event": SEED_EVENT, "metric": "deaths", "limit": 500}).json()["items"]
    assert items and {c["citation"]["document_id"] for c in items} <= seed_docs
    other = client.get("/claims", params={"event": desk["quake"]["events"][0]["event"]["slug"], "metric": "deaths"}).json()["items"]
    assert other and all(c["citation"]["document_id"] == desk["quake"]["document"]["id"] for c in other)
    summary = client.get("/metrics/deaths").json()
    assert len(summary["events"]) >= 2
    assert summary["metric"]["low"] is None and summary["metric"]["events"] >= 2  # no range across events
    assert all(s["event"] is not None for s in summary["scopes"])
    one = client.get("/metrics/deaths", params={"event": SEED_EVENT}).json()
    assert [e["event"]["slug"] for e in one["events"]] == [SEED_EVENT]
    assert one["metric"]["high"] == 164  # the seed story's own range
    svg = client.get("/metrics/deaths/chart.svg", params={"event": SEED_EVENT})
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")


def test_events_list_search_pages_and_csv(client: httpx.Client, desk: dict) -> None:
    listed = client.get("/events").json()["items"]
    slugs = [e["slug"] for e in listed]
    assert SEED_EVENT in slugs and len(slugs) >= 4
    onsets = [e["onset"] for e in listed]
    assert onsets == sorted(onsets, reverse=True)
    assert [e["slug"] for e in client.get("/events", params={"q": "kazakh"}).json()["items"]] == [SEED_EVENT]
    page = client.get("/events", params={"limit": 1})
    assert page.json()["next_cursor"] and 'rel="next"' in page.headers["link"]
    second = client.get("/events", params={"limit": 1, "cursor": page.json()["next_cursor"]}).json()["items"]
    assert second[0]["slug"] != page.json()["items"][0]["slug"]
    rows = list(csv.DictReader(io.StringIO(client.get("/events", params={"format": "csv"}).text)))
    assert {r["slug"] for r in rows} == set(slugs)
    before = {e["slug"] for e in client.get("/events", params={"known_at": "2006-01-01"}).json()["items"]}
    assert desk["quake"]["events"][0]["event"]["slug"] in before
    assert desk["landslide_1"]["events"][0]["event"]["slug"] not in before
    docs = client.get("/documents", params={"event": desk["landslide_1"]["events"][0]["event"]["slug"]}).json()["items"]
    assert {d["id"] for d in docs} == {desk["landslide_1"]["document"]["id"], desk["landslide_2"]["document"]["id"]}


def test_a_person_moves_a_document_and_merges_events_with_a_reason(client: httpx.Client, auth: dict, desk: dict) -> None:
    protest_doc = desk["protest"]["document"]["id"]
    landslide = desk["landslide_1"]["events"][0]["event"]["slug"]
    protest_event = desk["protest"]["events"][0]["event"]["slug"]
    move = {"document_id": protest_doc, "reason": "testing a move"}
    problem(client.post(f"/events/{landslide}/documents", json=move), 401)
    problem(client.post(f"/events/{landslide}/documents", json={"document_id": protest_doc}, headers=auth), 400)
    problem(client.post(f"/events/{landslide}/documents", json={**move, "role": "sideways"}, headers=auth), 400)
    r = client.post(f"/events/{landslide}/documents", json=move, headers=auth)
    assert r.status_code == 200, r.text
    claims = client.get(f"/documents/{protest_doc}/claims").json()["items"]
    assert claims and all(c["event"]["slug"] == landslide for c in claims)
    history = client.get(f"/events/{landslide}/history").json()["items"]
    assert any(h["action"] == "moved_document" and h["reason"] == "testing a move" and h["from_event"] == protest_event
               for h in history)
    # back, then merge the (now empty) protest event into the landslide one
    assert client.post(f"/events/{protest_event}/documents", json={**move, "reason": "moved back"}, headers=auth).status_code == 200
    merged = client.post(f"/events/{landslide}/merge", json={"event": protest_event, "reason": "same story"}, headers=auth)
    assert merged.status_code == 200, merged.text
    assert client.get(f"/events/{protest_event}").json()["event"]["slug"] == landslide
    assert protest_event not in {e["slug"] for e in client.get("/events").json()["items"]}
    problem(client.post(f"/events/{landslide}/merge", json={"event": landslide, "reason": "x"}, headers=auth), 422)
    problem(client.post(f"/events/{landslide}/documents", json={"document_id": 999999, "reason": "x"}, headers=auth), 422)


def test_a_posted_claim_may_name_its_event(client: httpx.Client, auth: dict, desk: dict) -> None:
    quake = desk["quake"]["events"][0]["event"]
    body = {"document_id": 1, "quote": client.get("/documents/1").json()["text"][:40], "event": quake["name"].upper()}
    r = client.post("/claims", json=body, headers=auth)
    assert r.status_code == 201, r.text
    assert r.json()["event"] == quake
    problem(client.post("/claims", json={**body, "event": "nothing like it"}, headers=auth), 422)


def test_a_generic_body_with_no_country_is_never_a_seed_actor_of_another(client: httpx.Client, auth: dict) -> None:
    """The README's promise: "the Interior Ministry" or "police" in an article that names no
    country is named after the article's event, not filed under the Kazakh seed actors."""
    text = ("The Interior Ministry said on Tuesday that 41 people had been killed in the flooding. "
            "Police said 12 people were detained for looting.")
    r = client.post("/documents", json=doc("Floods and looting", text, "2024-05-07"), headers=auth)
    assert r.status_code == 201, r.text
    event = r.json()["events"][0]["event"]["name"]
    claimants = {c["metric"]: c["claimant"] for c in r.json()["claims"] if c["metric"]}
    assert claimants, r.json()["claims"]
    for metric, claimant in claimants.items():
        assert claimant and claimant["slug"] not in ("kazakhstan-interior-ministry", "kazakhstan-police"), (metric, claimant)
    assert any(c and event in c["name"] for c in claimants.values()), claimants


def test_a_person_moves_one_claim_and_the_event_pages_follow(client: httpx.Client, auth: dict, desk: dict) -> None:
    quake = desk["quake"]["events"][0]["event"]["slug"]
    landslide = desk["landslide_1"]["events"][0]["event"]["slug"]
    claim = next(c for c in desk["quake"]["claims"] if c["metric"])
    before = client.get(f"/events/{landslide}").json()["event"]["claims"]  # cached per data version
    counted = client.get("/metrics", params={"event": landslide}).json()["items"]
    problem(client.post(f"/events/{landslide}/claims", json={"claim_id": claim["id"], "reason": "x"}), 401)
    problem(client.post(f"/events/{landslide}/claims", json={"claim_id": 999999, "reason": "x"}, headers=auth), 422)
    r = client.post(f"/events/{landslide}/claims", json={"claim_id": claim["id"], "reason": "filed under the wrong story"}, headers=auth)
    assert r.status_code == 200, r.text
    assert r.json()["event"]["slug"] == landslide and client.get(f"/claims/{claim['id']}").json()["event"]["slug"] == landslide
    assert client.get(f"/events/{landslide}").json()["event"]["claims"] == before + 1
    metric = claim["metric"]
    after = {m["slug"]: m["claims"] for m in client.get("/metrics", params={"event": landslide}).json()["items"]}
    assert after[metric] == {m["slug"]: m["claims"] for m in counted}[metric] + 1
    history = client.get(f"/events/{quake}/history").json()["items"]
    assert any(h["action"] == "moved_claim" and h["claim_id"] == claim["id"] and h["from_event"] == quake for h in history)
