"""POST /claims: keys, verbatim quotes, idempotence, clear 4xx, nothing half-stored."""

from __future__ import annotations

import csv
import io
import uuid

import httpx
import pytest

from tests.conftest import problem


pytestmark = pytest.mark.writes  # a served instance with a database of its own (conftest.client)


@pytest.fixture(scope="module")
def doc(client: httpx.Client) -> dict:
    first = client.get("/documents").json()["items"][0]
    return client.get(f"/documents/{first['id']}").json()


def total_claims(client: httpx.Client) -> int:
    statuses = ["unreviewed", "accepted", "retracted", "superseded"]
    n, cursor = 0, None
    while True:
        body = client.get("/claims", params={"limit": 500, "status": statuses, **({"cursor": cursor} if cursor else {})}).json()
        n += len(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return n


def test_writes_need_a_valid_key(client: httpx.Client, doc: dict) -> None:
    body = {"document_id": doc["id"], "quote": "Reuters correspondents say"}
    r = client.post("/claims", json=body)
    assert problem(r, 401)
    assert r.headers["www-authenticate"].startswith("Bearer")
    problem(client.post("/claims", json=body, headers={"Authorization": "Bearer fd_wrong"}), 401)
    problem(client.post("/claims", json=body, headers={"Authorization": "Basic abc"}), 401)
    # no key is checked after the body: a bad body without a key is still a 401
    problem(client.post("/claims", content=b"{not json", headers={"Content-Type": "application/json"}), 401)


def test_create_then_repeat_returns_the_same_claim(client: httpx.Client, auth: dict, doc: dict) -> None:
    quote = "The Interior Ministry also reports about 748 wounded among the security forces."
    assert quote in doc["text"]
    body = {
        "document_id": doc["id"],
        "quote": quote,
        "metric": "injured",  # a synonym of injuries
        "value": {"low": 748, "high": 748, "qualifier": "approximately", "text": "about 748"},
        "group": "security forces (test)",
        "location": "Kazakhstan",
        "as_of": "2022-01-06",
        "claimant": "Interior Ministry",
        "via": ["Orda.kz"],
        "confidence": 0.75,
    }
    before = total_claims(client)
    r = client.post("/claims", json=body, headers=auth)
    assert r.status_code == 201, r.text
    claim = r.json()
    assert r.headers["location"] == f"/claims/{claim['id']}"
    assert claim["metric"] == "injuries" and claim["origin"] == "curated" and claim["status"] == "accepted"
    assert claim["claimant"]["slug"] == "kazakhstan-interior-ministry"
    assert claim["via"] == ["Orda.kz"]
    cit = claim["citation"]
    assert doc["text"][cit["start"] : cit["end"]] == quote == cit["quote"]
    assert client.get(r.headers["location"]).json() == claim

    again = client.post("/claims", json=body, headers=auth)
    assert again.status_code == 200
    assert again.json()["id"] == claim["id"]
    assert total_claims(client) == before + 1


def test_start_picks_an_occurrence(client: httpx.Client, auth: dict, doc: dict) -> None:
    quote = "Thursday evening"
    first = doc["text"].index(quote)
    second = doc["text"].index(quote, first + 1)
    r = client.post("/claims", json={"document_id": doc["id"], "quote": quote, "start": second, "group": "t-start"}, headers=auth)
    assert r.status_code == 201, r.text
    assert r.json()["citation"]["start"] == second
    r = client.post("/claims", json={"document_id": doc["id"], "quote": quote, "group": "t-start"}, headers=auth)
    assert r.json()["citation"]["start"] == first
    body = problem(
        client.post("/claims", json={"document_id": doc["id"], "quote": quote, "start": first + 1}, headers=auth), 422
    )
    assert body["errors"][0]["field"] == "start"


def doc_naming(client: httpx.Client, auth: dict, *names: str) -> tuple[int, str]:
    """A new document that names these people and bodies, and a sentence of it to quote."""
    sentence = "As night fell, the shooting stopped again."
    text = f"{uuid.uuid4().hex}. " + " ".join(f"{n} spoke to reporters." for n in names) + " " + sentence
    made = client.post("/documents", json={"title": "Names", "outlet": "Test Wire", "published": "2024-05-07", "text": text},
                       headers=auth)
    assert made.status_code == 201, made.text
    return made.json()["document"]["id"], sentence


def test_unknown_claimant_becomes_an_actor(client: httpx.Client, auth: dict) -> None:
    name = f"Nurlan Testov {uuid.uuid4().hex[:6]}"
    doc_id, quote = doc_naming(client, auth, name)
    r = client.post("/claims", json={"document_id": doc_id, "quote": quote, "claimant": name}, headers=auth)
    assert r.status_code == 201, r.text
    slug = r.json()["claimant"]["slug"]
    assert client.get(f"/actors/{name.upper()}").json()["slug"] == slug


def test_a_write_never_files_a_claim_under_a_near_spelling(client: httpx.Client, auth: dict) -> None:
    """Invariant 6: a claimant matches an existing actor only by its name or an alias after
    folding case, accents, spaces and punctuation. A name a letter or two off is another actor,
    whose page offers the near spelling for a person to decide."""
    tag = uuid.uuid4().hex[:6]
    doc_id, quote = doc_naming(client, auth, f"Maria Gonzalez {tag}", f"Mario Gonzalez {tag}", f"Ministry of Health of Australia {tag}",
                               f"Ministry of Health of Austria {tag}", "Tokaev")

    def post(claimant: str) -> dict:
        r = client.post("/claims", json={"document_id": doc_id, "quote": quote, "claimant": claimant}, headers=auth)
        assert r.status_code in (200, 201), r.text
        return r.json()["claimant"]

    maria = post(f"Maria Gonzalez {tag}")
    mario = post(f"Mario Gonzalez {tag}")
    assert mario["slug"] != maria["slug"] and mario["name"] == f"Mario Gonzalez {tag}"
    assert post(f"  MARÍA   gonzález {tag} ")["slug"] == maria["slug"]  # the same name, folded
    australia = post(f"Ministry of Health of Australia {tag}")
    assert post(f"Ministry of Health of Austria {tag}")["slug"] != australia["slug"]
    assert post("Tokaev")["slug"] != "kassym-jomart-tokayev"  # not an alias: a new actor
    similar = client.get(f"/actors/{mario['slug']}").json()["similar"]
    assert maria["slug"] in [s["slug"] for s in similar]
    for nobody in ("!!!", "???", "***"):
        body = problem(client.post("/claims", json={"document_id": doc_id, "quote": quote, "claimant": nobody}, headers=auth), 422)
        assert body["errors"][0]["field"] == "claimant"


def test_the_via_chain_is_stored_under_its_actors_names_in_order(client: httpx.Client, auth: dict, doc: dict) -> None:
    """``via`` is given by any name (an alias, or a new outlet that the write creates) and read back
    as the actors' own names, in the order given, from the JSON and the CSV alike."""
    newcomer = f"Relay Wire {uuid.uuid4().hex[:6]}"
    ministry = client.get("/actors/kazakhstan-interior-ministry").json()["name"]
    assert ministry != "Interior Ministry"  # the alias used below is not the actor's name
    quote = "The Interior Ministry also reports about 748 wounded among the security forces."
    text = f"{uuid.uuid4().hex}. {newcomer}, citing Orda.kz, wrote: {quote}"
    made = client.post("/documents", json={"title": "Via", "outlet": "Test Wire", "published": "2022-01-06", "text": text}, headers=auth)
    doc = made.json()["document"]
    body = {"document_id": doc["id"], "quote": quote, "via": [newcomer, "Interior Ministry", "Orda.kz"]}
    r = client.post("/claims", json=body, headers=auth)
    assert r.status_code == 201, r.text
    claim = r.json()
    assert claim["via"] == [newcomer, ministry, "Orda.kz"]
    assert client.get(f"/claims/{claim['id']}").json()["via"] == claim["via"]
    listed = client.get("/claims", params={"document": doc["id"], "limit": 500}).json()["items"]
    assert [c["via"] for c in listed if c["id"] == claim["id"]] == [claim["via"]]
    rows = csv.DictReader(io.StringIO(client.get("/claims", params={"document": doc["id"], "limit": 500, "format": "csv"}).text))
    assert [row["via"] for row in rows if row["id"] == str(claim["id"])] == [f"{newcomer}; {ministry}; Orda.kz"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quote": "this sentence is not in the article"}, "quote"),
        ({"quote": "the violence does not stop in kazakhstan"}, "quote"),  # case changed
        ({"document_id": 987654}, "document_id"),
        ({"metric": "arests", "value": {"low": 1, "high": 1, "qualifier": "exact", "text": "18"}}, "metric"),
        ({"metric": "deaths"}, "value"),
        ({"value": {"low": 18, "high": 18, "qualifier": "exact", "text": "18"}}, "metric"),
        ({"metric": "deaths", "value": {"low": 18, "high": 18, "qualifier": "exact", "text": "nineteen"}}, "value.text"),
        ({"metric": "deaths", "value": {"low": 20, "high": 18, "qualifier": "exact", "text": "18"}}, "value"),
        ({"metric": "deaths", "value": {"qualifier": "exact", "text": "18"}}, "value"),
        ({"claimant": "\u3000"}, "claimant"),
        ({"group": "\u2003 "}, "group"),
    ],
)
def test_wrong_bodies_are_422_naming_the_field_and_store_nothing(
    client: httpx.Client, auth: dict, doc: dict, change: dict, field: str
) -> None:
    newcomer = f"Zebulon Quagmire {uuid.uuid4().hex[:6]}"
    body = {
        "document_id": doc["id"],
        "quote": "The clashes also reportedly killed at least 18 security personnel, two of whom were found beheaded.",
        "claimant": newcomer,
        "via": ["Some Unheard-Of Outlet " + newcomer],
        **change,
    }
    before = total_claims(client)
    resp = problem(client.post("/claims", json=body, headers=auth), 422)
    assert resp["errors"][0]["field"] == field, resp
    assert field.split(".")[0] in resp["detail"]
    assert total_claims(client) == before
    # the actors a failed write would have created are not there either
    assert client.get("/actors", params={"q": newcomer}).json()["items"] == []


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"document_id": 1},
        {"quote": "x"},
        {"document_id": "one", "quote": "x"},
        {"document_id": 1, "quote": ""},
        {"document_id": 1, "quote": "x", "confidence": 2},
        {"document_id": 1, "quote": "x", "unexpected": True},
        {"document_id": 1, "quote": "x", "claimant": "   "},
        {"document_id": 1, "quote": "x", "via": ["a"] * 11},
        {"document_id": 1, "quote": "x", "value": {"qualifier": "roughly", "text": "x"}, "metric": "deaths"},
    ],
)
def test_malformed_bodies_are_400_problems(client: httpx.Client, auth: dict, body: dict) -> None:
    problem(client.post("/claims", json=body, headers=auth), 400)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"{", "body"),
        (b'{"document_id":1,"quote":"\xff"}', "UTF-8"),  # not UTF-8
        (b"[" * 100_000 + b"]" * 100_000, "nests too deeply"),
        (b"", "needs a JSON body"),
    ],
)
def test_bodies_that_are_not_json_are_400s_not_500s(client: httpx.Client, auth: dict, content: bytes, says: str) -> None:
    for path in ("/claims", "/documents"):
        body = problem(client.post(path, content=content, headers={**auth, "Content-Type": "application/json"}), 400)
        assert says in body["detail"] or says == "body", body


def test_oversize_body_is_413(client: httpx.Client, auth: dict) -> None:
    big = {"document_id": 1, "quote": "x" * 5_000_000}
    problem(client.post("/claims", json=big, headers=auth), 413)


def test_wrong_method_is_405_problem(client: httpx.Client) -> None:
    r = client.delete("/claims/1")
    problem(r, 405)
    r = client.options("/claims")
    assert r.status_code == 204 and set(r.headers["allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}


def test_head_answers_like_get_without_a_body(client: httpx.Client) -> None:
    for path in ("/claims/2", "/claims?metric=arrests", "/metrics/arrests", "/documents/1", "/"):
        get = client.get(path, headers={"Accept-Encoding": "identity"})
        head = client.head(path, headers={"Accept-Encoding": "identity"})
        assert head.status_code == get.status_code == 200, path
        assert head.content == b""
        assert head.headers["content-type"] == get.headers["content-type"]
        assert int(head.headers["content-length"]) == len(get.content), path
    assert client.head("/claims/2").headers["etag"] == client.get("/claims/2").headers["etag"]
    assert client.head("/claims?metric=arests").status_code == 404


def test_unknown_path_is_404_problem(client: httpx.Client) -> None:
    body = problem(client.get("/nope"), 404)
    assert "/schema/openapi.json" in body["detail"]


def test_no_csv_export_carries_a_live_formula(client: httpx.Client, auth: dict) -> None:
    """Invariant 8: a text cell starting with = + - @ (or a tab or carriage return) goes out
    behind a ' in every CSV, so a spreadsheet shows it as text; numbers stay numbers."""
    tag = uuid.uuid4().hex[:6]
    evil = f'=HYPERLINK("http://evil.example","x{tag}")'
    text = f"+{tag} {evil} said 12 people had been detained. -{tag} @home."
    doc = client.post("/documents", json={"title": f"@title {tag}", "outlet": f"-Outlet {tag}", "published": "2024-05-07",
                                         "text": text}, headers=auth).json()["document"]
    claim = client.post("/claims", json={"document_id": doc["id"], "quote": text, "claimant": evil, "group": "=1+1",
                                         "metric": "arrests", "value": {"low": 12, "high": 12, "qualifier": "exact", "text": "12"}},
                        headers=auth)
    assert claim.status_code == 201, claim.text
    slug = claim.json()["claimant"]["slug"]
    exports = [
        client.get("/claims", params={"document": doc["id"], "format": "csv"}).text,
        client.get(f"/documents/{doc['id']}/claims", params={"format": "csv"}).text,
        client.get(f"/actors/{slug}/statements", params={"format": "csv"}).text,
        client.get("/documents", params={"format": "csv", "limit": 500}).text,
        client.get("/actors", params={"q": evil, "format": "csv"}).text,
    ]
    for body in exports:
        for row in csv.reader(io.StringIO(body)):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (cell, body[:300])
    assert any("'" + evil in row for body in exports for row in csv.reader(io.StringIO(body)))
    row = next(r for r in csv.DictReader(io.StringIO(exports[0])) if r["id"] == str(claim.json()["id"]))
    assert row["group"] == "'=1+1" and row["value_low"] == "12" and row["claimant_name"] == "'" + evil


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ({"low": 999999, "high": 999999, "qualifier": "exact", "text": "night"}, "value.text"),
        ({"low": -1e15, "high": 1e15, "qualifier": "approximately", "text": "As"}, "value.text"),
        ({"low": 3000, "high": 3000, "qualifier": "exact", "text": "more than 3,000"}, "value"),
        ({"low": 6000, "high": None, "qualifier": "nearly", "text": "nearly 6,000"}, "value"),
    ],
)
def test_a_figure_must_say_what_its_words_say(client: httpx.Client, auth: dict, value: dict, field: str) -> None:
    """Invariant 7: the words are read by the project's number reader and must give the bounds."""
    text = f"{uuid.uuid4().hex}: As night fell, more than 3,000 had been detained, nearly 6,000 by Sunday."
    doc = client.post("/documents", json={"title": "t", "outlet": "o", "published": "2024-05-07", "text": text}, headers=auth).json()
    before = len(client.get("/claims", params={"document": doc["document"]["id"], "limit": 500}).json()["items"])
    body = problem(client.post("/claims", json={"document_id": doc["document"]["id"], "quote": text, "metric": "arrests", "value": value},
                               headers=auth), 422)
    assert body["errors"][0]["field"] == field
    assert len(client.get("/claims", params={"document": doc["document"]["id"], "limit": 500}).json()["items"]) == before
    good = {**value, "low": 3000, "high": None, "qualifier": "more_than", "text": "more than 3,000"}
    assert client.post("/claims", json={"document_id": doc["document"]["id"], "quote": text, "metric": "arrests", "value": good},
                       headers=auth).status_code == 201


def test_a_body_sent_as_another_type_than_json_is_refused_saying_so(client: httpx.Client, auth: dict, doc: dict) -> None:
    body = '{"document_id": %d, "quote": "As night fell, the shooting stopped again."}' % doc["id"]
    for media in ("text/plain", "application/x-www-form-urlencoded"):
        r = problem(client.post("/claims", content=body, headers={**auth, "Content-Type": media}), 415)
        assert "application/json" in r["detail"]
    ok = client.post("/claims", content=body, headers={**auth, "Content-Type": "application/json; charset=utf-8"})
    assert ok.status_code in (200, 201)


def test_a_claimant_or_via_the_article_never_names_is_refused(client: httpx.Client, auth: dict) -> None:
    text = f"{uuid.uuid4().hex} The Red Cross, quoted by Valley Radio, said 40 homes had been destroyed."
    doc = client.post("/documents", json={"title": "t", "outlet": "o", "published": "2024-05-07", "text": text}, headers=auth).json()["document"]
    body = {"document_id": doc["id"], "quote": text}
    for field, change in (("claimant", {"claimant": f"Someone Else {uuid.uuid4().hex[:4]}"}), ("via", {"via": ["Interior Ministry"]})):
        problem_body = problem(client.post("/claims", json={**body, **change}, headers=auth), 422)
        assert problem_body["errors"][0]["field"] == field and "named nowhere" in problem_body["detail"]
    ok = client.post("/claims", json={**body, "claimant": "red cross", "via": ["Valley Radio"]}, headers=auth)
    assert ok.status_code == 201, ok.text
