"""The pages people browse and the chart API: HTML that answers 200 (or a 404 page), one mark per
figure, every quote escaped, nothing loaded from outside the app."""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import httpx
import pytest

from service.actors.schemas import ActorRef
from service.claims.schemas import Citation, Claim, FigureValue
from service.web.chart import render_chart
from service.web.text import disagreement
from tests.conftest import problem

SVG = "{http://www.w3.org/2000/svg}"
# A reference that makes a browser fetch or lead elsewhere: src/href/url() with a scheme or //host.
EXTERNAL = re.compile(r"""(?:\b(?:src|href|action|srcset)\s*=\s*["']?\s*|url\(\s*["']?\s*|@import\s+["']?)(?:[a-z][a-z0-9+.-]*:|//)""", re.I)
MARK = re.compile(r'data-claim-id="(\d+)"')


def claims_of(client: httpx.Client, **params: object) -> list[dict]:
    items: list[dict] = []
    cursor = None
    while True:
        body = client.get("/claims", params={**params, "limit": 500, **({"cursor": cursor} if cursor else {})}).json()
        items.extend(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return items


def assert_html(r: httpx.Response, status: int = 200) -> str:
    assert r.status_code == status, r.text[:500]
    assert r.headers["content-type"].startswith("text/html"), r.headers["content-type"]
    assert r.text.startswith("<!doctype html>")
    assert not EXTERNAL.search(r.text), EXTERNAL.search(r.text)
    assert "<script" not in r.text.lower()
    return r.text


def marks(text: str) -> list[int]:
    return [int(m) for m in MARK.findall(text)]


def test_every_page_answers_html_without_external_references(client: httpx.Client) -> None:
    first_claim = claims_of(client, metric="arrests")[0]
    paths = [
        "/",
        "/metric/arrests",
        "/metric/detained",  # a synonym
        "/metric/aircraft",
        "/metric/arrests?event=kazakhstan-unrest-2022",
        "/event/kazakhstan-unrest-2022",
        "/event/Bloody%20January",
        "/actor",
        "/actor?q=tokay",
        "/actor?q=zzzzqqqq",
        "/actor/tokayev",
        "/actor/Tok%C3%A1yev",
        "/actor/kazakhstan-interior-ministry",
        "/document/1",
        f"/document/{first_claim['citation']['document_id']}?claim={first_claim['id']}",
        "/document/1?claim=abc",
    ]
    for path in paths:
        assert_html(client.get(path))


def test_home_lists_every_metric_with_its_counts(client: httpx.Client) -> None:
    page = assert_html(client.get("/"))
    for m in client.get("/metrics").json()["items"]:
        assert f'href="/metric/{m["slug"]}"' in page, m["slug"]
        assert html.escape(m["label"]) in page
        if m["claims"]:
            figures = f'{m["claims"]} figure{"s" if m["claims"] != 1 else ""} · {m["claimants"]} claimant'
            assert figures in page, figures
    assert '<form method="get" action="/actor"' in page and 'name="q"' in page
    for d in client.get("/documents").json()["items"]:
        assert f'href="/document/{d["id"]}"' in page


def test_metric_page_and_chart_have_one_mark_per_visible_figure(client: httpx.Client) -> None:
    for m in client.get("/metrics").json()["items"]:
        expected = sorted(c["id"] for c in claims_of(client, metric=m["slug"]))
        assert len(expected) == m["claims"]
        page = assert_html(client.get(f"/metric/{m['slug']}"))
        assert sorted(marks(page)) == expected, m["slug"]
        r = client.get(f"/metrics/{m['slug']}/chart.svg")
        assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
        assert sorted(marks(r.text)) == expected, m["slug"]
        assert not EXTERNAL.search(r.text)
        root = ET.fromstring(r.content)  # well-formed XML, as an image must be
        assert root.tag == f"{SVG}svg" and root.get("role") == "img"
        groups = [g for g in root.iter(f"{SVG}g") if g.get("data-claim-id")]
        assert len(groups) == len(expected)
        assert all(g.find(f"{SVG}title") is not None for g in groups)


def test_chart_is_deterministic_and_the_page_embeds_the_same_svg(client: httpx.Client) -> None:
    first = client.get("/metrics/arrests/chart.svg").text
    assert client.get("/metrics/arrests/chart.svg").text == first
    assert client.get("/metrics/detained/chart.svg").text == first
    page = client.get("/metric/arrests").text
    svg = first.split("\n", 1)[1].strip()  # without the XML prolog
    assert svg in page


def test_chart_is_accessible_and_has_a_legend(client: httpx.Client) -> None:
    svg = client.get("/metrics/arrests/chart.svg").text
    root = ET.fromstring(svg.encode())
    assert root.find(f"{SVG}title").text.startswith("People arrested or detained")
    assert "2,298" in root.find(f"{SVG}desc").text
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "Day the figure describes (as of)" in texts  # x axis
    assert "People arrested or detained (people)" in texts  # y axis
    for item in claims_of(client, metric="arrests"):
        name = item["claimant"]["name"] if item["claimant"] else "No named source"
        assert name in texts, name


def test_each_mark_links_to_its_quote_highlighted_in_the_document(client: httpx.Client) -> None:
    svg = client.get("/metrics/arrests/chart.svg").text
    for item in claims_of(client, metric="arrests"):
        doc, cid = item["citation"]["document_id"], item["id"]
        href = f"/document/{doc}?claim={cid}#claim-{cid}"
        assert f'<a href="{html.escape(href)}"><g class="mark" data-claim-id="{cid}">' in svg
        page = assert_html(client.get(href.split("#")[0]))
        assert re.search(rf'<a id="claim-{cid}" class="anchor"></a>(?:<a [^>]*></a>)*<mark class="current[ "]', page), cid
        assert html.escape(item["citation"]["quote"], quote=True) in page


def test_metric_page_states_the_disagreement_in_words(client: httpx.Client) -> None:
    page = client.get("/metric/arrests").text
    assert "around 2,000 to nearly 6,000</strong> people across 3 claimants and 1 unattributed report" in page
    assert "<b>protesters in Kazakhstan</b>: <b>2,298 to nearly 6,000</b>" in page
    # the table gives the reporting chain and the quote of each figure
    for item in claims_of(client, metric="arrests"):
        assert f'id="figure-{item["id"]}"' in page
        for via in item["via"]:
            assert html.escape(via) in page


def test_actor_page_is_newest_first(client: httpx.Client) -> None:
    page = assert_html(client.get("/actor/tokaev"))  # a misspelling resolves
    assert "<h1>Kassym-Jomart Tokayev</h1>" in page
    said = client.get("/actors/tokayev/statements", params={"limit": 100}).json()["items"]
    assert [int(i) for i in re.findall(r'<tr id="said-(\d+)"', page)] == [c["id"] for c in said]
    for c in said:
        assert html.escape(c["citation"]["quote"], quote=True) in page


def test_actor_search_finds_by_any_spelling(client: httpx.Client) -> None:
    page = assert_html(client.get("/actor", params={"q": "tokay"}))
    assert 'href="/actor/tokayev"' in page or "Kassym-Jomart Tokayev" in page
    everyone = assert_html(client.get("/actor"))
    assert everyone.count('<li><a href="/actor/') == len(client.get("/actors", params={"limit": 500}).json()["items"])


def test_document_page_highlights_every_quote_in_the_unchanged_text(client: httpx.Client) -> None:
    for d in client.get("/documents").json()["items"]:
        doc = client.get(f"/documents/{d['id']}").json()
        cited = client.get(f"/documents/{d['id']}/claims", params={"limit": 500}).json()["items"]
        page = assert_html(client.get(f"/document/{d['id']}"))
        for c in cited:
            assert page.count(f'id="claim-{c["id"]}"') == 1
        article = re.search(r'<article class="text">(.*?)</article>', page, re.S).group(1)
        assert html.unescape(re.sub(r"<[^>]+>", "", article)) == doc["text"]


SEED_EVENT = "kazakhstan-unrest-2022"
SEED_EVENT_NAME = "Unrest in Kazakhstan, January 2022"


def test_home_lists_the_events_with_their_metrics(client: httpx.Client) -> None:
    page = assert_html(client.get("/"))
    assert f'<a class="title" href="/event/{SEED_EVENT}">{SEED_EVENT_NAME}</a>' in page
    detail = client.get(f"/events/{SEED_EVENT}").json()
    assert "articles 6–9 Jan 2022" in page and detail["event"]["kind"] in page
    for m in detail["metrics"]:
        assert f'href="/metric/{m["metric"]["slug"]}?event={SEED_EVENT}"' in page
    # how much the figures disagree, in the sources' words
    assert '<b>around 2,000 to nearly 6,000</b> people <span class="meta">· the highest 3.0× the lowest' in page


def test_event_page_has_a_chart_per_metric_with_only_its_figures(client: httpx.Client) -> None:
    page = assert_html(client.get(f"/event/{SEED_EVENT}"))
    assert f"<h1>{SEED_EVENT_NAME}</h1>" in page
    detail = client.get(f"/events/{SEED_EVENT}").json()
    event_figures = sorted(c["id"] for c in claims_of(client, event=SEED_EVENT) if c["metric"])
    assert sorted(marks(page)) == event_figures
    assert page.count("<svg") == len(detail["metrics"])
    for m in detail["metrics"]:
        slug = m["metric"]["slug"]
        panel = re.search(rf'<section class="panel" id="metric-{slug}">(.*?)</section>', page, re.S).group(1)
        assert sorted(marks(panel)) == sorted(c["id"] for c in claims_of(client, event=SEED_EVENT, metric=slug))
        assert f'href="/metric/{slug}?event={SEED_EVENT}"' in panel
        assert f'href="/metrics/{slug}/chart.svg?event={SEED_EVENT}"' in panel
        assert "Who is counted, where" in panel
    assert f'href="/events/{SEED_EVENT}"' in page and f'href="/claims?event={SEED_EVENT}&amp;limit=500"' in page
    for d in client.get("/documents", params={"event": SEED_EVENT}).json()["items"]:
        assert f'href="/document/{d["id"]}"' in page
    ids = re.findall(r'\bid="([^"]+)"', page)  # several charts in one page, no id twice
    assert len(ids) == len(set(ids))
    assert_html(client.get("/event/Bloody%20January"))  # an alias


def test_metric_page_for_one_event_and_the_event_on_a_document(client: httpx.Client) -> None:
    page = assert_html(client.get("/metric/arrests", params={"event": SEED_EVENT}))
    assert sorted(marks(page)) == sorted(c["id"] for c in claims_of(client, metric="arrests", event=SEED_EVENT))
    assert f'href="/event/{SEED_EVENT}"' in page
    whole = assert_html(client.get("/metric/arrests"))
    assert f'All in one event: <a href="/event/{SEED_EVENT}">{SEED_EVENT_NAME}</a>' in whole
    doc = assert_html(client.get("/document/1"))
    assert f'In the event <a href="/event/{SEED_EVENT}">{SEED_EVENT_NAME}</a>' in doc


def test_unknown_events_are_404_html_with_a_suggestion(client: httpx.Client) -> None:
    page = assert_html(client.get("/event/kazakstan-unrest"), 404)
    assert f'href="/event/{SEED_EVENT}"' in page
    page = assert_html(client.get("/metric/arrests", params={"event": "kazakstan unrest"}), 404)
    assert f'href="/metric/arrests?event={SEED_EVENT}"' in page
    assert_html(client.get("/event/%00"), 404)


def test_unknown_pages_are_404_html(client: httpx.Client) -> None:
    page = assert_html(client.get("/metric/arests"), 404)
    assert 'href="/metric/arrests"' in page  # the nearest metric, as a link
    assert_html(client.get("/actor/xqzv-nobody-at-all"), 404)
    for path in ("/document/999999", "/document/0", "/document/abc", "/document/99999999999999999999"):
        assert_html(client.get(path), 404)
    assert_html(client.get("/actor/tokayev", params={"cursor": "bogus"}), 400)
    # the chart is API: its errors are problems
    body = problem(client.get("/metrics/arests/chart.svg"), 404)
    assert body["suggestions"][0] == "arrests"
    problem(client.get("/metrics/%00/chart.svg"), 400)


# -- quotes come from articles: everything is escaped -----------------------------------------


@pytest.fixture(scope="module")
def wclient(writable) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=writable.base, timeout=30) as c:
        yield c


HOSTILE_TEXT = (
    'Almaty, 8 January. The "Bureau <Test> & Sons" said <script>alert("x")</script> that 4,321 '
    "people & 'others' were detained. <img src=x onerror=alert(1)> Nothing more, reported <Relay> & Co."
)
HOSTILE_QUOTE = (
    'The "Bureau <Test> & Sons" said <script>alert("x")</script> that 4,321 '
    "people & 'others' were detained."
)


def test_quotes_and_names_with_markup_are_escaped(wclient: httpx.Client, writable) -> None:
    auth = {"Authorization": f"Bearer {writable.new_key()}"}
    r = wclient.post(
        "/documents",
        headers=auth,
        json={
            "title": 'Title with <b>tags</b> & "quotes"',
            "outlet": "Outlet <i>&</i>",
            "url": "https://example.com/a?b=1&c=<2>",
            "published": "2022-01-08",
            "language": "en",
            "text": HOSTILE_TEXT,
        },
    )
    assert r.status_code in (200, 201), r.text
    document_id = r.json()["document"]["id"]
    r = wclient.post(
        "/claims",
        headers=auth,
        json={
            "document_id": document_id,
            "quote": HOSTILE_QUOTE,
            "metric": "arrests",
            "value": {"low": 4321, "high": 4321, "qualifier": "exact", "text": "4,321"},
            "as_of": "2022-01-08",
            "claimant": 'Bureau <Test> & "Sons"',
            "via": ["<Relay> & Co"],
        },
    )
    assert r.status_code in (200, 201), r.text
    claim = r.json()
    pages = [
        wclient.get("/metric/arrests"),
        wclient.get(f"/document/{document_id}", params={"claim": claim["id"]}),
        wclient.get(f"/actor/{claim['claimant']['slug']}"),
        wclient.get("/"),
    ]
    for resp in pages:
        text = assert_html(resp)
        for raw in ("<script>", "<b>tags", "<i>&", "<Test>", "<img src=x", "<Relay>"):
            assert raw not in text, raw
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in pages[0].text
    assert "Bureau &lt;Test&gt; &amp; &quot;Sons&quot;" in pages[0].text
    assert "&lt;Relay&gt; &amp; Co" in pages[0].text
    assert "Title with &lt;b&gt;tags&lt;/b&gt; &amp; &quot;quotes&quot;" in pages[1].text
    # the original address is shown, not linked
    assert "https://example.com/a?b=1&amp;c=&lt;2&gt;" in pages[1].text
    svg = wclient.get("/metrics/arrests/chart.svg")
    root = ET.fromstring(svg.content)
    titles = {g.get("data-claim-id"): g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g") if g.get("data-claim-id")}
    assert HOSTILE_QUOTE in titles[str(claim["id"])]
    assert sorted(int(k) for k in titles) == sorted(c["id"] for c in claims_of(wclient, metric="arrests"))


# -- the chart and the words, without a server ---------------------------------------------------


def _claim(cid: int, low: float | None, high: float | None, qualifier: str, text: str, *, claimant: str | None,
           as_of: dt.date | None, quote: str = "q", group: str = "protesters", location: str = "Kazakhstan") -> Claim:
    return Claim(
        id=cid, metric="arrests", value=FigureValue(low=low, high=high, qualifier=qualifier, text=text),  # type: ignore[arg-type]
        group=group, location=location, as_of=as_of,
        claimant=ActorRef(slug=claimant.lower().replace(" ", "-"), name=claimant) if claimant else None,
        via=["Relay"], confidence=0.8, origin="curated", status="accepted",
        citation=Citation(document_id=1, outlet="Outlet", title="T", published=dt.date(2022, 1, 6), quote=quote,
                          start=0, end=len(quote), prefix="", suffix=""),
    )


def test_render_chart_marks_every_kind_of_figure_and_escapes() -> None:
    d6, d9 = dt.date(2022, 1, 6), dt.date(2022, 1, 9)
    claims = [
        _claim(1, 2298, 2298, "exact", "2,298", claimant="Interior Ministry", as_of=d6, quote='said <b>"2,298"</b> & more\x0b'),
        _claim(2, 3000, None, "more_than", "more than 3,000", claimant="Interior Ministry", as_of=d6),
        _claim(3, None, 6000, "nearly", "nearly 6,000", claimant="Government", as_of=d9),
        _claim(4, 2000, 2500, "approximately", "2,000-2,500", claimant=None, as_of=None, location="Almaty"),
    ]
    svg = render_chart(label="Arrests <&>", unit="people", claims=claims, summary=disagreement(claims))
    assert svg == render_chart(label="Arrests <&>", unit="people", claims=claims, summary=disagreement(claims))
    root = ET.fromstring(svg)
    assert sorted(marks(svg)) == [1, 2, 3, 4]
    assert "fade-up-" in svg and "fade-down-" in svg  # open ends drawn as fading arrows
    assert "date not given" in svg
    assert "Arrests &lt;&amp;&gt; (people)" in svg and "<b>" not in svg
    titles = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g") if g.get("data-claim-id")]
    assert any('said <b>"2,298"</b> & more' in t for t in titles)
    empty = ET.fromstring(render_chart(label="Nothing", unit="x", claims=[], summary="none"))
    assert not marks(ET.tostring(empty, encoding="unicode"))


def test_disagreement_in_words() -> None:
    d = dt.date(2022, 1, 6)
    a = _claim(1, 2298, 2298, "exact", "2,298", claimant="Interior Ministry", as_of=d)
    b = _claim(2, None, 6000, "nearly", "nearly 6,000", claimant="Government", as_of=d)
    c = _claim(3, 3000, None, "more_than", "more than 3,000", claimant=None, as_of=d)
    assert disagreement([a, b, c]) == "2,298 to nearly 6,000 across 2 claimants and 1 unattributed report"
    assert disagreement([a]) == "2,298: one figure, from Interior Ministry"
    assert disagreement([a, a]) == "2,298: all 2 figures agree, from Interior Ministry"
    at_least = _claim(4, 2298, None, "at_least", "At least 2,298", claimant="Government", as_of=d)
    assert disagreement([a, at_least]) == "2,298 / at least 2,298 across 2 claimants"
    assert disagreement([]) == "no figures yet"


# -- /openapi: the interactive reference, every file served by the app ------------------------

ASSET_REF = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"')
ASSET_TYPES = {
    "swagger-ui-bundle.js": "text/javascript",
    "openapi.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "openapi.css": "text/css",
}


def csp_of(r: httpx.Response) -> dict[str, list[str]]:
    directives = [d.split() for d in r.headers["content-security-policy"].split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def test_openapi_reference_answers_html_that_loads_only_same_origin_assets(client: httpx.Client) -> None:
    for path in ("/openapi", "/openapi/"):
        r = client.get(path)
        assert r.status_code == 200, r.text[:300]
        assert r.headers["content-type"].startswith("text/html")
    page = r.text
    assert page.startswith("<!doctype html>")
    assert not EXTERNAL.search(page), EXTERNAL.search(page)
    assert 'data-spec-url="/schema/openapi.json"' in page
    # a strict policy: nothing from elsewhere, no inline script or style, requests to the app only
    csp = csp_of(r)
    assert csp["default-src"] == ["'none'"]
    for directive in ("script-src", "style-src", "connect-src", "font-src"):
        assert csp[directive] == ["'self'"], directive
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert r.headers["x-content-type-options"] == "nosniff"
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.S)
    assert scripts and all('src="/' in attrs and not body.strip() for attrs, body in scripts), scripts
    assert "<style" not in page and " style=" not in page
    refs = ASSET_REF.findall(page)
    assert sorted(u.rsplit("/", 1)[1] for u in refs) == sorted(ASSET_TYPES)
    for url in refs:
        assert url.startswith("/openapi/assets/"), url
        a = client.get(url)
        assert a.status_code == 200, url
        assert a.headers["content-type"].startswith(ASSET_TYPES[url.rsplit("/", 1)[1]]), (url, a.headers["content-type"])
        cache = a.headers["cache-control"]
        assert "max-age=31536000" in cache and "immutable" in cache and "public" in cache, cache
        assert a.content
    by_name = {u.rsplit("/", 1)[1]: u for u in refs}
    assert b"SwaggerUIBundle" in client.get(by_name["swagger-ui-bundle.js"]).content
    start = client.get(by_name["openapi.js"]).text
    assert "root.dataset.specUrl" in start and "validatorUrl: null" in start  # never asks validator.swagger.io
    for other in ("LICENSE", "oauth2-redirect.html", "swagger-ui.js", "%2e%2e/reference.py", "nothing.js"):
        assert client.get(f"{by_name['openapi.js'].rsplit('/', 1)[0]}/{other}").status_code == 404, other
    assert client.get("/openapi/assets/0000/openapi.js").status_code == 404  # another build's path


def test_openapi_reference_is_linked_and_not_in_the_openapi_document(client: httpx.Client) -> None:
    assert 'href="/openapi"' in assert_html(client.get("/"))
    assert "href='/openapi'" in client.get("/schema").text
    doc = client.get("/schema/openapi.json").json()
    assert not [p for p in doc["paths"] if p.startswith("/openapi")]
