"""/metrics: the vocabulary with counts, and one metric's disagreement at a glance."""

from __future__ import annotations

import httpx

from tests.conftest import problem
from tests.seeddata import CLAIMS, METRICS


def test_vocabulary_lists_every_metric_with_counts(client: httpx.Client) -> None:
    items = client.get("/metrics").json()["items"]
    assert {m["slug"] for m in items} == {m["slug"] for m in METRICS}
    by_slug = {m["slug"]: m for m in items}
    for slug in ("arrests", "deaths", "injuries", "hospitalized", "intensive_care", "troops", "aircraft", "checkpoints"):
        assert slug in by_slug
        assert by_slug[slug]["claims"] == sum(1 for c in CLAIMS if c["metric"] == slug)
    arrests = by_slug["arrests"]
    assert "detained" in arrests["synonyms"]
    assert arrests["low"] == 2000 and arrests["high"] == 6000
    assert arrests["documents"] == 5


def test_metric_summary_groups_by_scope_with_ranges_and_latest_per_claimant(client: httpx.Client) -> None:
    r = client.get("/metrics/arrests")
    assert r.status_code == 200
    body = r.json()
    assert body["metric"]["slug"] == "arrests"
    scopes = {(s["group"], s["location"]): s for s in body["scopes"]}
    country = scopes[("protesters", "Kazakhstan")]
    assert country["low"] == 2298 and country["high"] == 6000
    latest = {f["claimant"]["slug"]: f for f in country["latest_by_claimant"] if f["claimant"]}
    # the Interior Ministry said 2,298 on the 6th and "more than 3,000" on the 7th: latest wins
    assert latest["kazakhstan-interior-ministry"]["value"]["text"] == "more than 3,000"
    almaty = scopes[("protesters", "Almaty")]
    assert almaty["low"] == almaty["high"] == 2000
    assert sum(s["claims"] for s in body["scopes"]) == sum(1 for c in CLAIMS if c["metric"] == "arrests")


def test_metric_timeline_is_by_as_of_date(client: httpx.Client) -> None:
    body = client.get("/metrics/arrests").json()
    days = [d["as_of"] for d in body["timeline"]]
    assert days == sorted(days)
    by_day = {d["as_of"]: d for d in body["timeline"]}
    assert {f["value"]["text"] for f in by_day["2022-01-06"]["figures"]} >= {"2,298", "around 2,000"}
    assert {f["value"]["text"] for f in by_day["2022-01-09"]["figures"]} == {"nearly 6,000", "almost 6,000"}
    assert sum(d["claims"] for d in body["timeline"]) == body["metric"]["claims"]


def test_metric_by_synonym_and_unknown_metric(client: httpx.Client) -> None:
    assert client.get("/metrics/detained").json()["metric"]["slug"] == "arrests"
    assert client.get("/metrics/killed").json()["metric"]["slug"] == "deaths"
    body = problem(client.get("/metrics/arests"), 404)
    assert body["suggestions"][0] == "arrests"
    body = problem(client.get("/metrics/injured-people-xyzzy"), 404)
    assert "GET /metrics" in body["detail"]
