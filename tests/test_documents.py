"""/documents: metadata, full text, the claims citing a document."""

from __future__ import annotations

import csv
import hashlib
import io

import httpx

from tests.conftest import problem
from tests.seeddata import CLAIMS, MANIFEST, SEEDS


def test_documents_list_matches_the_manifest(client: httpx.Client) -> None:
    items = client.get("/documents").json()["items"]
    assert [d["title"] for d in items] == [d["title"] for d in MANIFEST["documents"]]
    for meta, seed in zip(items, MANIFEST["documents"]):
        assert meta["published"] == seed["published"]
        assert meta["outlet"] == seed["outlet"]
        assert "text" not in meta


def test_document_has_the_archived_text_unchanged(client: httpx.Client) -> None:
    items = client.get("/documents").json()["items"]
    for meta, seed in zip(items, MANIFEST["documents"]):
        doc = client.get(f"/documents/{meta['id']}").json()
        with (SEEDS / seed["file"]).open(encoding="utf-8", newline="") as f:
            original = f.read()
        assert doc["text"] == original
        assert doc["content_hash"] == hashlib.sha256(original.encode()).hexdigest()
        assert doc["length"] == len(original)


def test_document_claims_are_the_seeded_ones(client: httpx.Client) -> None:
    items = client.get("/documents").json()["items"]
    for meta, seed in zip(items, MANIFEST["documents"]):
        claims = client.get(f"/documents/{meta['id']}/claims", params={"limit": 500}).json()["items"]
        expected = [c for c in CLAIMS if c["document"] == seed["key"]]
        assert len(claims) == len(expected) == meta["claims"]
        assert {(c["citation"]["start"], c["citation"]["end"]) for c in claims} == {(c["start"], c["end"]) for c in expected}


def test_document_filters_paging_and_csv(client: httpx.Client) -> None:
    assert [d["outlet"] for d in client.get("/documents", params={"outlet": "AL JAZEERA"}).json()["items"]] == ["Al Jazeera"]
    assert all(d["published"] >= "2022-01-07" for d in client.get("/documents", params={"since": "2022-01-07"}).json()["items"])
    first = client.get("/documents", params={"limit": 2}).json()
    second = client.get("/documents", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [d["id"] for d in second["items"]][0] > first["items"][-1]["id"]
    r = client.get("/documents", headers={"Accept": "text/csv"})
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == len(MANIFEST["documents"]) and rows[0]["title"]


def test_unknown_document(client: httpx.Client) -> None:
    problem(client.get("/documents/424242"), 404)
    problem(client.get("/documents/424242/claims"), 404)
    assert "whole number" in problem(client.get("/documents/abc"), 400)["detail"]
