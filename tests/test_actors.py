"""/actors: names resolve in any spelling the articles use; statements newest first."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import problem
from tests.seeddata import ACTORS, CLAIMS


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("kassym-jomart-tokayev", "kassym-jomart-tokayev"),
        ("Kassym-Jomart Tokayev", "kassym-jomart-tokayev"),
        ("Tokayev", "kassym-jomart-tokayev"),
        ("tokáyev", "kassym-jomart-tokayev"),
        ("TOKAYEV", "kassym-jomart-tokayev"),
        ("Kasim-Yomart Tokáyev", "kassym-jomart-tokayev"),
        ("Kassym-Shomart Tokayev", "kassym-jomart-tokayev"),
        ("Kasim Yomart Tokayev", "kassym-jomart-tokayev"),
        ("Tokaev", "kassym-jomart-tokayev"),  # a near-misspelling, by similarity
        ("Tokajev", "kassym-jomart-tokayev"),
        ("Antony Blinken", "antony-blinken"),
        ("Anthony Blinken", "antony-blinken"),
        ("blinken", "antony-blinken"),
        ("Psaki", "jen-psaki"),
        ("Saki", "jen-psaki"),
        ("Jen Psaki", "jen-psaki"),
        ("Interior Ministry", "kazakhstan-interior-ministry"),
        ("ministry of the interior", "kazakhstan-interior-ministry"),
        ("TASS", "tass"),
        ("Tass", "tass"),
        ("orda.kz", "orda-kz"),
    ],
)
def test_names_resolve_in_every_spelling(client: httpx.Client, name: str, slug: str) -> None:
    r = client.get(f"/actors/{name}")
    assert r.status_code == 200, r.text
    assert r.json()["slug"] == slug


def test_every_alias_in_the_seeds_resolves_to_its_actor(client: httpx.Client) -> None:
    for actor in ACTORS:
        for alias in [actor["name"], *actor["aliases"]]:
            r = client.get(f"/actors/{alias}")
            if r.status_code == 404 and "ambiguous" in r.json()["detail"]:
                assert actor["slug"] in r.json()["suggestions"]
                continue
            assert r.status_code == 200 and r.json()["slug"] == actor["slug"], (alias, r.text)


def test_actor_detail_counts_what_it_claims(client: httpx.Client) -> None:
    body = client.get("/actors/tokayev").json()
    seeded = [c for c in CLAIMS if c["claimant"] == "kassym-jomart-tokayev"]
    assert body["claims"] == len(seeded)
    assert body["figures"] == sum(1 for c in seeded if c["metric"])
    assert body["statements"] == body["claims"] - body["figures"]
    assert "Tokáyev" in body["aliases"] or "Kasim-Yomart Tokáyev" in body["aliases"]
    assert body["kind"] == "person"


def test_unknown_name_is_404_listing_closest(client: httpx.Client) -> None:
    body = problem(client.get("/actors/Tokayevski Borrellovich"), 404)
    assert body["suggestions"], body
    body = problem(client.get("/actors/qqqqqqqq"), 404)
    assert "qqqqqqqq" in body["detail"]


@pytest.mark.parametrize(("name", "some"), [("government", {"kazakhstan-government", "uk-government", "german-government"}),
                                            ("Ministry", {"russian-foreign-ministry", "chinese-foreign-ministry"})])
def test_a_name_part_of_several_actors_is_ambiguous(client: httpx.Client, name: str, some: set[str]) -> None:
    body = problem(client.get(f"/actors/{name}"), 404)
    assert "ambiguous" in body["detail"]
    assert some <= set(body["suggestions"]), body
    problem(client.get(f"/actors/{name}/statements"), 404)


def test_search_by_partial_name(client: httpx.Client) -> None:
    r = client.get("/actors", params={"q": "tokay"})
    assert r.status_code == 200
    items = r.json()["items"]
    assert items[0]["slug"] == "kassym-jomart-tokayev"
    assert items[0]["score"] >= items[-1]["score"]
    assert client.get("/actors", params={"q": "blink"}).json()["items"][0]["slug"] == "antony-blinken"


def test_actor_list_pages_by_slug_to_the_end(client: httpx.Client) -> None:
    slugs: list[str] = []
    cursor = None
    while True:
        r = client.get("/actors", params={"limit": 9, **({"cursor": cursor} if cursor else {})})
        body = r.json()
        slugs += [a["slug"] for a in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert slugs == sorted(slugs) and len(slugs) == len(set(slugs))
    assert set(slugs) >= {a["slug"] for a in ACTORS}


def test_statements_newest_first_with_citations_and_paging(client: httpx.Client) -> None:
    everything = client.get("/actors/Tokayev/statements", params={"limit": 500}).json()["items"]
    assert len(everything) == sum(1 for c in CLAIMS if c["claimant"] == "kassym-jomart-tokayev")
    keys = [(c["as_of"] or c["citation"]["published"], c["id"]) for c in everything]
    assert keys == sorted(keys, reverse=True)
    assert all(c["claimant"]["slug"] == "kassym-jomart-tokayev" and c["citation"]["quote"] for c in everything)
    paged: list[int] = []
    cursor = None
    while True:
        body = client.get("/actors/tokayev/statements", params={"limit": 4, **({"cursor": cursor} if cursor else {})}).json()
        paged += [c["id"] for c in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert paged == [c["id"] for c in everything]


def test_statements_include_figures_and_filter(client: httpx.Client) -> None:
    items = client.get("/actors/kazakhstan-interior-ministry/statements", params={"limit": 500}).json()["items"]
    assert any(c["metric"] == "arrests" for c in items)
    only = client.get("/actors/kazakhstan-interior-ministry/statements", params={"metric": "arrests"}).json()["items"]
    assert only and all(c["metric"] == "arrests" for c in only)


def test_statements_of_unknown_actor_and_bad_cursor(client: httpx.Client) -> None:
    problem(client.get("/actors/nobody-at-all-xyz/statements"), 404)
    problem(client.get("/actors/tokayev/statements", params={"cursor": "abc"}), 400)
