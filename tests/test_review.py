"""PATCH /claims/{id}: confirm, retract, supersede, with optimistic concurrency and a readable
history; retracted claims leave the default lists but are never deleted."""

from __future__ import annotations


import httpx
import pytest

from tests.conftest import problem


pytestmark = pytest.mark.writes  # a served instance with a database of its own (conftest.client)


def figure_ids(client: httpx.Client, metric: str) -> list[int]:
    return [c["id"] for c in client.get("/claims", params={"metric": metric}).json()["items"]]


def test_etag_and_if_none_match(client: httpx.Client) -> None:
    claim_id = figure_ids(client, "deaths")[0]
    r = client.get(f"/claims/{claim_id}")
    tag = r.headers["etag"]
    assert tag.startswith('"') and tag.endswith('"')
    again = client.get(f"/claims/{claim_id}", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert client.get(f"/claims/{claim_id}", headers={"If-None-Match": '"other"'}).status_code == 200


def test_retract_needs_if_match_and_keeps_history(client: httpx.Client, auth: dict) -> None:
    claim_id = figure_ids(client, "checkpoints")[0]
    review = {"status": "retracted", "reason": "the figure counts checkpoints in one city only"}
    body = problem(client.patch(f"/claims/{claim_id}", json=review, headers=auth), 428)
    assert "If-Match" in body["detail"]
    problem(client.patch(f"/claims/{claim_id}", json=review, headers={**auth, "If-Match": '"claim-1-v999"'}), 412)
    problem(client.patch(f"/claims/{claim_id}", json=review, headers={"If-Match": "*"}), 401)

    tag = client.get(f"/claims/{claim_id}").headers["etag"]
    r = client.patch(f"/claims/{claim_id}", json=review, headers={**auth, "If-Match": tag})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "retracted"
    assert r.headers["etag"] != tag
    # the old ETag is now stale
    problem(client.patch(f"/claims/{claim_id}", json={"status": "accepted", "reason": "x"}, headers={**auth, "If-Match": tag}), 412)

    assert claim_id not in figure_ids(client, "checkpoints")
    listed = client.get("/claims", params={"metric": "checkpoints", "status": "retracted"}).json()["items"]
    assert [c["id"] for c in listed] == [claim_id]
    assert client.get(f"/claims/{claim_id}").status_code == 200  # never deleted

    history = client.get(f"/claims/{claim_id}/history").json()
    assert [e["status"] for e in history["items"]] == ["accepted", "retracted"]
    assert history["items"][1]["reason"] == review["reason"]
    assert history["items"][1]["key"].startswith("tests-")

    # and it can be reinstated, again with a reason
    tag = client.get(f"/claims/{claim_id}").headers["etag"]
    r = client.patch(f"/claims/{claim_id}", json={"status": "accepted", "reason": "confirmed by a second source"}, headers={**auth, "If-Match": tag})
    assert r.json()["status"] == "accepted"
    assert len(client.get(f"/claims/{claim_id}/history").json()["items"]) == 3


def test_supersede_names_its_successor(client: httpx.Client, auth: dict) -> None:
    old, new = figure_ids(client, "arrests")[:2]
    tag = client.get(f"/claims/{old}").headers["etag"]
    h = {**auth, "If-Match": tag}
    body = problem(client.patch(f"/claims/{old}", json={"status": "superseded", "reason": "newer tally"}, headers=h), 422)
    assert body["errors"][0]["field"] == "superseded_by"
    problem(client.patch(f"/claims/{old}", json={"status": "superseded", "reason": "r", "superseded_by": old}, headers=h), 422)
    problem(client.patch(f"/claims/{old}", json={"status": "superseded", "reason": "r", "superseded_by": 987654}, headers=h), 422)
    problem(client.patch(f"/claims/{old}", json={"status": "accepted", "reason": "r", "superseded_by": new}, headers=h), 422)
    r = client.patch(f"/claims/{old}", json={"status": "superseded", "reason": "newer tally", "superseded_by": new}, headers=h)
    assert r.status_code == 200 and r.json()["status"] == "superseded"
    assert client.get(f"/claims/{old}/history").json()["items"][-1]["superseded_by"] == new
    assert old not in figure_ids(client, "arrests")


@pytest.mark.parametrize(
    "review",
    [{}, {"status": "deleted", "reason": "x"}, {"status": "accepted"}, {"status": "accepted", "reason": "  "}, {"status": "accepted", "reason": "x", "extra": 1}],
)
def test_bad_reviews_are_400(client: httpx.Client, auth: dict, review: dict) -> None:
    claim_id = figure_ids(client, "deaths")[0]
    problem(client.patch(f"/claims/{claim_id}", json=review, headers={**auth, "If-Match": "*"}), 400)


def test_unknown_claim(client: httpx.Client, auth: dict) -> None:
    problem(client.patch("/claims/987654", json={"status": "accepted", "reason": "x"}, headers={**auth, "If-Match": "*"}), 404)
    problem(client.get("/claims/987654/history"), 404)


def test_corroboration_counts_documents_and_independent_claimants(client: httpx.Client) -> None:
    items = client.get("/claims", params={"metric": "arrests"}).json()["items"]
    more = [c for c in items if c["value"]["text"] == "more than 3,000"]
    assert len(more) == 2
    for c in more:
        # two documents carry "more than 3,000", both from the Interior Ministry (one via Reuters)
        assert c["corroboration"] == {"documents": 2, "claimants": 1, "unattributed": 0}
    statements = client.get("/claims", params={"actor": "tokayev"}).json()["items"]
    assert all(c["corroboration"] is None for c in statements)


def test_time_travel_shows_what_was_known_by_a_day(client: httpx.Client, auth: dict) -> None:
    def texts(**params) -> list[str]:
        items = client.get("/claims", params={"metric": "arrests", **params}).json()["items"]
        return sorted(c["value"]["text"] for c in items)

    by_thursday = texts(known_at="2022-01-06")
    by_saturday = texts(known_at="2022-01-08")
    assert "2,298" in by_thursday and "around 2,000" in by_thursday
    assert "more than 3,000" not in by_thursday  # published on Friday
    assert "more than 3,000" in by_saturday and "nearly 6,000" not in by_saturday  # published Sunday
    assert "nearly 6,000" in texts(known_at="2030-01-01")
    summary = client.get("/metrics/arrests", params={"known_at": "2022-01-06"}).json()
    assert summary["metric"]["claims"] == len(by_thursday)
    assert client.get("/metrics", params={"known_at": "2021-12-31"}).json()["items"][0]["claims"] == 0

    # review state as it was: retract now; a day before today it was still listed
    target = next(c for c in client.get("/claims", params={"metric": "injuries"}).json()["items"])
    tag = client.get(f"/claims/{target['id']}").headers["etag"]
    r = client.patch(f"/claims/{target['id']}", json={"status": "retracted", "reason": "time travel test"}, headers={**auth, "If-Match": tag})
    assert r.status_code == 200
    import datetime as dt

    yesterday = (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)).isoformat()
    then = client.get("/claims", params={"metric": "injuries", "known_at": yesterday}).json()["items"]
    assert target["id"] in [c["id"] for c in then]
    assert next(c for c in then if c["id"] == target["id"])["status"] == target["status"]
    now = client.get("/claims", params={"metric": "injuries"}).json()["items"]
    assert target["id"] not in [c["id"] for c in now]


def test_metric_summaries_follow_writes_at_once(client: httpx.Client, auth: dict) -> None:
    before = client.get("/metrics/aircraft").json()["metric"]["claims"]
    listed = {m["slug"]: m["claims"] for m in client.get("/metrics").json()["items"]}
    assert listed["aircraft"] == before
    assert client.get("/metrics/aircraft").json()["metric"]["claims"] == before  # served again (cached)
    target = client.get("/claims", params={"metric": "aircraft"}).json()["items"][0]
    tag = client.get(f"/claims/{target['id']}").headers["etag"]
    r = client.patch(f"/claims/{target['id']}", json={"status": "retracted", "reason": "cache test"}, headers={**auth, "If-Match": tag})
    assert r.status_code == 200
    assert client.get("/metrics/aircraft").json()["metric"]["claims"] == before - 1
    assert {m["slug"]: m["claims"] for m in client.get("/metrics").json()["items"]}["aircraft"] == before - 1
    doc = client.get(f"/documents/{target['citation']['document_id']}").json()
    r = client.post("/claims", json={"document_id": doc["id"], "quote": target["citation"]["quote"], "metric": "aircraft",
                                     "value": target["value"], "group": "cache-test"}, headers=auth)
    assert r.status_code == 201
    assert client.get("/metrics/aircraft").json()["metric"]["claims"] == before


def test_a_first_summary_is_computed_once_while_others_wait(client: httpx.Client, writable) -> None:  # type: ignore[no-untyped-def]
    """While one request computes a metric's first summary (it holds the key's lock), another
    waits for that result instead of computing it again."""
    import threading

    import psycopg

    url = writable.db_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(url, autocommit=True) as db:
        metric_id = db.execute("SELECT id FROM metrics WHERE slug = 'injuries'").fetchone()[0]
        key = f"metric:{metric_id}"
        version = db.execute("UPDATE data_version SET version = version + 1 RETURNING version").fetchone()[0]
        db.execute("DELETE FROM summary_cache WHERE key = %s", (key,))
        db.execute("SELECT pg_advisory_lock(hashtext(%s))", (key,))  # "another request is computing it"
        answers: list[httpx.Response] = []
        waiting = threading.Thread(target=lambda: answers.append(client.get("/metrics/injuries")))
        try:
            waiting.start()
            waiting.join(1.0)
            assert waiting.is_alive() and not answers, "the request did not wait for the computation in progress"
            marker = b'{"computed":"by the other request"}'
            db.execute("INSERT INTO summary_cache (key, version, body) VALUES (%s, %s, %s)", (key, version, marker))
            waiting.join(10)
        finally:
            db.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))
        assert answers and answers[0].status_code == 200
        assert answers[0].json() == {"computed": "by the other request"}  # its result, not a second computation
        db.execute("UPDATE data_version SET version = version + 1")  # later tests get real summaries again


def test_supersession_keeps_a_live_successor_of_the_same_metric_and_event(client: httpx.Client, auth: dict) -> None:
    """No cycle (two claims superseding each other leave no live one), no deaths claim
    superseded by an arrests claim, no successor that is itself gone; If-Match: * is not a version."""
    deaths = figure_ids(client, "deaths")
    arrests = figure_ids(client, "arrests")
    a, b = deaths[-1], deaths[-2]

    def patch(claim_id: int, body: dict, if_match: str | None = None) -> httpx.Response:
        tag = if_match or client.get(f"/claims/{claim_id}").headers["etag"]
        return client.patch(f"/claims/{claim_id}", json=body, headers={**auth, "If-Match": tag})

    problem(patch(a, {"status": "retracted", "reason": "any version"}, if_match="*"), 412)
    other_metric = problem(patch(a, {"status": "superseded", "reason": "x", "superseded_by": arrests[0]}), 422)
    assert other_metric["errors"][0]["field"] == "superseded_by" and "another metric" in other_metric["detail"]
    assert patch(a, {"status": "superseded", "reason": "a later toll", "superseded_by": b}).status_code == 200
    cycle = problem(patch(b, {"status": "superseded", "reason": "back again", "superseded_by": a}), 422)
    assert "superseded" in cycle["detail"]
    assert client.get(f"/claims/{b}").json()["status"] != "superseded"


def test_only_a_curator_or_its_writer_retracts_a_curated_claim(client: httpx.Client, auth: dict, writable) -> None:
    plain = {"Authorization": f"Bearer {writable.new_key()}"}
    seed = figure_ids(client, "troops")[0]
    tag = client.get(f"/claims/{seed}").headers["etag"]
    body = problem(client.patch(f"/claims/{seed}", json={"status": "retracted", "reason": "not sure"}, headers={**plain, "If-Match": tag}), 403)
    assert "curator" in body["detail"]
    assert client.get(f"/claims/{seed}").json()["status"] == "accepted"
    # confirming is anyone's to do; retracting one's own curated claim too
    assert client.patch(f"/claims/{seed}", json={"status": "accepted", "reason": "checked"}, headers={**plain, "If-Match": tag}).status_code == 200
    text = client.get("/documents/1").json()["text"]
    mine = client.post("/claims", json={"document_id": 1, "quote": text[:30], "group": "mine"}, headers=plain).json()
    tag = client.get(f"/claims/{mine['id']}").headers["etag"]
    assert client.patch(f"/claims/{mine['id']}", json={"status": "retracted", "reason": "my mistake"},
                        headers={**plain, "If-Match": tag}).status_code == 200
