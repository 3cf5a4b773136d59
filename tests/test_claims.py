"""GET /claims and /claims/{id}: every figure with its citation, each filter, paging, CSV."""

from __future__ import annotations

import csv
import io

import httpx
import pytest

from tests.conftest import problem
from tests.seeddata import CLAIMS


def all_pages(client: httpx.Client, path: str, **params) -> list[dict]:
    items: list[dict] = []
    cursor = None
    for _ in range(1000):
        query = dict(params, **({"cursor": cursor} if cursor else {}))
        r = client.get(path, params=query)
        assert r.status_code == 200, r.text
        body = r.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("pagination did not end")


def test_arrests_returns_every_competing_figure_with_claimant_and_citation(client: httpx.Client) -> None:
    r = client.get("/claims", params={"metric": "arrests"})
    assert r.status_code == 200
    items = r.json()["items"]
    texts = {c["value"]["text"].lower() for c in items}
    for figure in ("2,298", "more than 3,000", "around 2,000", "nearly 6,000", "almost 6,000"):
        assert figure in texts, f"{figure} missing from {texts}"
    by_text = {c["value"]["text"]: c for c in items}
    assert by_text["2,298"]["value"] == {"low": 2298, "high": 2298, "qualifier": "exact", "text": "2,298"}
    assert by_text["2,298"]["claimant"]["slug"] == "kazakhstan-interior-ministry"
    assert by_text["2,298"]["via"] == ["Orda.kz"]
    almaty = by_text["around 2,000"]
    assert almaty["location"] == "Almaty" and almaty["value"]["qualifier"] == "approximately"
    more = [c for c in items if c["value"]["text"] == "more than 3,000"]
    assert len(more) == 2 and all(c["value"]["low"] == 3000 and c["value"]["high"] is None for c in more)
    assert by_text["nearly 6,000"]["value"]["high"] == 6000
    # every arrests claim in the curated seeds is served, and nothing else
    expected = {c["id"] for c in CLAIMS if c["metric"] == "arrests"}
    assert len(items) == len(expected)
    for c in items:
        assert c["metric"] == "arrests"
        assert c["citation"]["quote"] and c["citation"]["title"] and c["citation"]["outlet"]


def test_every_citation_is_verbatim_in_its_document(client: httpx.Client) -> None:
    claims = all_pages(client, "/claims", limit=500, status=["unreviewed", "accepted", "retracted", "superseded"])
    assert len(claims) >= len(CLAIMS)
    texts: dict[int, str] = {}
    for c in claims:
        cit = c["citation"]
        if cit["document_id"] not in texts:
            texts[cit["document_id"]] = client.get(f"/documents/{cit['document_id']}").json()["text"]
        text = texts[cit["document_id"]]
        assert text[cit["start"] : cit["end"]] == cit["quote"]
        assert text[: cit["start"]].endswith(cit["prefix"])
        assert text[cit["end"] :].startswith(cit["suffix"])
        if c["value"]:
            assert c["value"]["text"] in cit["quote"]


def test_one_claim_and_unknown_id(client: httpx.Client) -> None:
    first = client.get("/claims", params={"limit": 1}).json()["items"][0]
    r = client.get(f"/claims/{first['id']}")
    assert r.status_code == 200 and r.json() == first
    body = problem(client.get("/claims/999999999"), 404)
    assert "999999999" in body["detail"]
    problem(client.get("/claims/0"), 400)


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"metric": "deaths"}, lambda c: c["metric"] == "deaths"),
        ({"metric": "detained"}, lambda c: c["metric"] == "arrests"),  # a synonym resolves
        ({"actor": "Tokáyev"}, lambda c: (c["claimant"] or {}).get("slug") == "kassym-jomart-tokayev"),
        ({"actor": "interior ministry"}, lambda c: (c["claimant"] or {}).get("slug") == "kazakhstan-interior-ministry"),
        ({"document": 2}, lambda c: c["citation"]["document_id"] == 2),
        ({"outlet": "al jazeera"}, lambda c: c["citation"]["outlet"] == "Al Jazeera"),
        ({"location": "almaty"}, lambda c: c["location"] == "Almaty"),
        ({"group": "Security Forces"}, lambda c: c["group"] == "security forces"),
        ({"since": "2022-01-07"}, lambda c: c["as_of"] is not None and c["as_of"] >= "2022-01-07"),
        ({"until": "2022-01-06"}, lambda c: c["as_of"] is not None and c["as_of"] <= "2022-01-06"),
        ({"min_confidence": 0.85}, lambda c: c["confidence"] >= 0.85),
        ({"q": "BEHEADED"}, lambda c: "beheaded" in c["citation"]["quote"].lower()),
        ({"status": "accepted"}, lambda c: c["status"] == "accepted"),
    ],
)
def test_each_filter_narrows_to_matching_claims(client: httpx.Client, params: dict, check) -> None:
    everything = all_pages(client, "/claims", limit=500)
    matched = all_pages(client, "/claims", limit=500, **params)
    assert matched, f"{params} matched nothing"
    assert all(check(c) for c in matched), params
    if "status" not in params:
        assert len(matched) < len(everything), f"{params} did not narrow anything"
    # and nothing that qualifies was left out
    assert {c["id"] for c in everything if check(c)} == {c["id"] for c in matched}


def test_filters_combine(client: httpx.Client) -> None:
    r = client.get("/claims", params={"metric": "arrests", "location": "Almaty", "actor": "police"})
    items = r.json()["items"]
    assert [c["value"]["text"] for c in items] == ["around 2,000"]


def test_q_is_literal_text_not_a_pattern(client: httpx.Client) -> None:
    assert client.get("/claims", params={"q": "%"}).json()["items"] == []
    assert client.get("/claims", params={"q": "_"}).json()["items"] == []


def test_since_after_until_is_empty_and_says_why(client: httpx.Client) -> None:
    r = client.get("/claims", params={"since": "2022-01-09", "until": "2022-01-01"})
    assert r.status_code == 200 and r.json()["items"] == []
    assert "since (2022-01-09) is after until (2022-01-01)" in r.json()["note"]
    assert "note" not in client.get("/claims", params={"since": "2022-01-09", "until": "2022-01-09"}).json()
    assert "swap" in client.get("/documents", params={"since": "2022-02-01", "until": "2022-01-01"}).json()["note"]


def test_pagination_walks_every_claim_once_to_the_last_page(client: httpx.Client) -> None:
    whole = client.get("/claims", params={"limit": 500}).json()
    assert whole["next_cursor"] is None
    pages = 0
    seen: list[int] = []
    cursor = None
    while True:
        params = {"limit": 7, **({"cursor": cursor} if cursor else {})}
        r = client.get("/claims", params=params)
        body = r.json()
        assert len(body["items"]) <= 7
        seen += [c["id"] for c in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            assert "link" not in r.headers
            break
        assert r.headers["link"].endswith('rel="next"') and f"cursor={cursor}" in r.headers["link"]
    assert seen == [c["id"] for c in whole["items"]]
    assert len(set(seen)) == len(seen)
    assert pages == -(-len(seen) // 7)


def test_link_header_is_followable(client: httpx.Client) -> None:
    r = client.get("/claims", params={"metric": "deaths", "limit": 2})
    link = r.headers["link"]
    url = link[link.index("<") + 1 : link.index(">")]
    nxt = client.get(url)
    assert nxt.status_code == 200
    ids = [c["id"] for c in nxt.json()["items"]]
    assert ids and min(ids) > max(c["id"] for c in r.json()["items"])
    assert all(c["metric"] == "deaths" for c in nxt.json()["items"])


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_link_header_keeps_the_request_parameters_in_their_order(client: httpx.Client, fmt: str) -> None:
    """The next page's URL is the request's, cursor last: a reader comparing links sees what
    they asked for, in the order they wrote it, from every worker alike."""
    query = "status=accepted&limit=1&metric=arrests&format=" + fmt + "&status=unreviewed&location=Kazakhstan"
    for _ in range(3):  # (several requests, which may reach different workers)
        r = client.get("/claims?" + query)
        assert r.status_code == 200, r.text
        link = r.headers["link"]
        url = link[link.index("<") + 1 : link.index(">")]
        assert url.startswith("/claims?" + query + "&cursor="), url
        assert url.count("cursor=") == 1


def test_csv_has_the_same_rows_as_json(client: httpx.Client) -> None:
    js = client.get("/claims", params={"metric": "arrests"}).json()["items"]
    r = client.get("/claims", params={"metric": "arrests"}, headers={"Accept": "text/csv"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [int(row["id"]) for row in rows] == [c["id"] for c in js]
    for row, c in zip(rows, js):
        assert row["quote"] == c["citation"]["quote"]
        assert row["value_text"] == c["value"]["text"]
        assert row["claimant_slug"] == (c["claimant"]["slug"] if c["claimant"] else "")
        assert row["value_high"] == ("" if c["value"]["high"] is None else str(c["value"]["high"]))


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 500},
        {"actor": "tokayev", "status": ["unreviewed", "accepted", "retracted", "superseded"]},
        {"metric": "arrests", "known_at": "2022-01-07"},
        {"outlet": "Al Jazeera", "limit": 7},
    ],
)
def test_csv_every_column_matches_the_json(client: httpx.Client, params: dict) -> None:
    """The CSV is written by PostgreSQL (COPY), the JSON by another statement: same rows, same values."""
    js = client.get("/claims", params=params).json()["items"]
    rows = list(csv.DictReader(io.StringIO(client.get("/claims", params={**params, "format": "csv"}).text)))
    assert js and len(rows) == len(js)

    def num(v: float | None) -> str:
        return "" if v is None else str(int(v) if float(v).is_integer() else v)

    for row, c in zip(rows, js):
        v, cit = c["value"], c["citation"]
        expected = {
            "id": str(c["id"]), "metric": c["metric"] or "", "value_low": num(v and v["low"]),
            "value_high": num(v and v["high"]), "qualifier": v["qualifier"] if v else "", "value_text": v["text"] if v else "",
            "group": c["group"] or "", "location": c["location"] or "", "as_of": c["as_of"] or "",
            "claimant_slug": c["claimant"]["slug"] if c["claimant"] else "",
            "claimant_name": c["claimant"]["name"] if c["claimant"] else "", "via": "; ".join(c["via"]),
            "document_id": str(cit["document_id"]), "outlet": cit["outlet"], "title": cit["title"], "url": cit["url"] or "",
            "published": cit["published"], "quote": cit["quote"], "start": str(cit["start"]), "end": str(cit["end"]),
            "confidence": str(c["confidence"]), "origin": c["origin"], "status": c["status"],
            "event_slug": c["event"]["slug"] if c["event"] else "", "event_name": c["event"]["name"] if c["event"] else "",
        }
        assert row == expected


def test_csv_pages_carry_a_link_header(client: httpx.Client) -> None:
    r = client.get("/claims", params={"limit": 3}, headers={"Accept": "text/csv"})
    assert "cursor=" in r.headers["link"]
    assert len(list(csv.reader(io.StringIO(r.text)))) == 4  # header + 3 rows


@pytest.mark.parametrize("path", ["/claims?metric=arrests", "/actors/tokayev/statements"])  # oldest first; newest first
def test_csv_pages_followed_by_link_hold_the_json_rows_in_order(client: httpx.Client, path: str) -> None:
    sep = "&" if "?" in path else "?"
    json_ids = [c["id"] for c in client.get(f"{path}{sep}limit=500").json()["items"]]
    csv_ids: list[int] = []
    url: str | None = f"{path}{sep}limit=4"
    while url:
        r = client.get(url, headers={"Accept": "text/csv"})
        csv_ids += [int(row["id"]) for row in csv.DictReader(io.StringIO(r.text))]
        link = r.headers.get("link")
        url = link[1 : link.index(">")] if link else None
    assert csv_ids == json_ids and len(json_ids) > 4


def test_unknown_metric_suggests_the_nearest(client: httpx.Client) -> None:
    body = problem(client.get("/claims", params={"metric": "arests"}), 404)
    assert body["suggestions"][0] == "arrests"
    assert "arrests" in body["detail"]


def test_unknown_actor_filter_lists_closest(client: httpx.Client) -> None:
    body = problem(client.get("/claims", params={"actor": "Zzyzx Qqq"}), 404)
    assert "Zzyzx" in body["detail"]


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 501},
        {"limit": "ten"},
        {"cursor": "not-a-cursor"},
        {"cursor": "1;DROP TABLE claims"},
        {"min_confidence": 1.5},
        {"min_confidence": -0.1},
        {"since": "yesterday"},
        {"document": 0},
        {"status": "deleted"},
        {"q": "x" * 201},
        {"q": "a\x00b"},
    ],
)
def test_bad_parameters_are_400_problems_naming_the_parameter(client: httpx.Client, params: dict) -> None:
    body = problem(client.get("/claims", params=params), 400)
    name = next(iter(params))
    if name != "q" or "\x00" not in params["q"]:
        assert name in body["detail"], body


def test_retracted_and_superseded_are_hidden_by_default_and_listable(client: httpx.Client) -> None:
    default = {c["status"] for c in all_pages(client, "/claims", limit=500)}
    assert default <= {"unreviewed", "accepted"}
    r = client.get("/claims", params={"status": ["retracted", "superseded"]})
    assert r.status_code == 200
    assert all(c["status"] in {"retracted", "superseded"} for c in r.json()["items"])


def test_format_csv_query_parameter_matches_accept_header(client: httpx.Client) -> None:
    by_header = client.get("/claims", params={"metric": "deaths"}, headers={"Accept": "text/csv"})
    by_param = client.get("/claims", params={"metric": "deaths", "format": "csv"})
    assert by_param.headers["content-type"] == "text/csv; charset=utf-8"
    assert by_param.text == by_header.text
    assert client.get("/claims", params={"format": "json"}, headers={"Accept": "text/csv"}).json()["items"]
    problem(client.get("/claims", params={"format": "xml"}), 400)


def test_curl_and_pretty_get_indented_json_others_compact(client: httpx.Client) -> None:
    compact = client.get("/metrics")
    assert not compact.text.startswith("{\n")
    for r in (client.get("/metrics", headers={"User-Agent": "curl/8.5.0"}), client.get("/metrics", params={"pretty": ""})):
        assert r.text.startswith("{\n  ")
        assert r.json() == compact.json()
        if "content-encoding" not in r.headers:
            assert int(r.headers["content-length"]) == len(r.content)
    plain = client.get("/metrics", headers={"User-Agent": "curl/8.5.0", "Accept-Encoding": "identity"})
    assert plain.text.startswith("{\n  ") and int(plain.headers["content-length"]) == len(plain.content)
    err = client.get("/claims/0", headers={"User-Agent": "curl/8.5.0"})
    assert err.status_code == 400 and err.text.startswith("{\n")


def test_reads_are_cacheable_public_cors_and_compressed(client: httpx.Client) -> None:
    r = client.get("/claims", params={"limit": 500}, headers={"Origin": "https://newsroom.example", "Accept-Encoding": "gzip"})
    assert r.headers["access-control-allow-origin"] == "*"
    assert r.headers["content-encoding"] == "gzip"
    assert "max-age" in r.headers["cache-control"]
    assert client.get("/readyz").headers["cache-control"] == "no-store"
    for encoding, gzipped in [("gzip;q=0, identity", False), ("gzip; q=0.0", False), ("gzip;q=0.5", True), ("identity", False)]:
        r = client.get("/claims", params={"limit": 500}, headers={"Accept-Encoding": encoding})
        assert (r.headers.get("content-encoding") == "gzip") == gzipped, encoding


def test_cors_preflight_allows_reads_and_refuses_writes_as_problem_json(client: httpx.Client) -> None:
    origin = {"Origin": "https://newsroom.example"}
    ok = client.options("/claims", headers={**origin, "Access-Control-Request-Method": "GET"})
    assert ok.status_code == 204 and ok.headers["access-control-allow-origin"] == "*"
    for method in ("POST", "PATCH", "DELETE"):
        refused = problem(client.options("/claims", headers={**origin, "Access-Control-Request-Method": method}), 400)
        assert method in refused["detail"] and "only read" in refused["detail"]
        assert refused["instance"] == "/claims"
    # a plain OPTIONS (no preflight) still lists what the route allows
    plain = client.options("/claims")
    assert plain.status_code == 204 and "GET" in plain.headers["allow"]


def test_accept_q_values_choose_between_csv_and_json(client: httpx.Client) -> None:
    for accept, is_csv in [("text/csv", True), ("text/csv;q=0, application/json", False),
                           ("application/json;q=0.9, text/csv;q=0.1", False), ("text/csv;q=0.9, */*;q=0.1", True), ("*/*", False)]:
        r = client.get("/claims", params={"limit": 1}, headers={"Accept": accept})
        assert r.headers["content-type"].startswith("text/csv" if is_csv else "application/json"), accept


@pytest.mark.parametrize("path", ["/actors", "/metrics"])
def test_csv_on_the_other_lists_has_the_json_rows(client: httpx.Client, path: str) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get(path, headers={"Accept": "text/csv"}).text)))
    items = client.get(path).json()["items"]
    assert [r["slug"] for r in rows] == [i["slug"] for i in items] and rows
    for r, i in zip(rows, items, strict=True):  # every column, numbers written as the JSON writes them
        assert all(r[k] == ("; ".join(v) if isinstance(v, list) else "" if v is None else str(v)) for k, v in i.items()), (r, i)
    assert client.get(path, params={"format": "csv"}).headers["content-type"] == "text/csv; charset=utf-8"


def test_one_claim_writes_numbers_as_the_list_does(client: httpx.Client) -> None:
    listed = client.get("/claims", params={"metric": "arrests", "limit": 1}).json()["items"][0]
    one = client.get(f"/claims/{listed['id']}")
    assert one.json() == listed
    assert isinstance(one.json()["value"]["low"], int)  # 2298, not 2298.0


@pytest.mark.parametrize("path", ["/claims", "/metrics", "/metrics/arrests", "/actors/tokayev/statements", "/documents/1/claims"])
def test_known_at_the_last_day_there_is_answers(client: httpx.Client, path: str) -> None:
    r = client.get(path, params={"known_at": "9999-12-31"})
    assert r.status_code == 200, r.text
    assert r.json() == client.get(path, params={"known_at": "2999-01-01"}).json()


def test_a_filter_narrows_the_path_like_any_other(client: httpx.Client) -> None:
    everything = client.get("/actors/tokayev/statements", params={"limit": 500}).json()["items"]
    assert client.get("/actors/tokayev/statements", params={"actor": "Tokaev", "limit": 500}).json()["items"] == everything
    assert client.get("/actors/tokayev/statements", params={"actor": "psaki"}).json() == {"items": [], "next_cursor": None}
    assert client.get("/documents/1/claims", params={"document": 2}).json() == {"items": [], "next_cursor": None}
    assert client.get("/documents/1/claims", params={"document": 1}).json()["items"]
