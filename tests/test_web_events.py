"""The pages with more than one event: `/` lists the events, an event page holds its metrics'
charts (that event's figures only, the axis spanning its days), a metric page shows one panel
per event, and nothing an article brings in (its title may name a new event) is left unescaped.

The module ingests reports of other events, so it runs against its own database (``writes``).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import httpx
import pytest

from tests.test_web import EXTERNAL, SVG, assert_html, claims_of, marks

pytestmark = pytest.mark.writes

SEED_EVENT = "kazakhstan-unrest-2022"
SEED_NAME = "Unrest in Kazakhstan, January 2022"

QUAKE = """MUZAFFARABAD, Pakistan - A magnitude 7.6 earthquake struck northern Pakistan on Saturday morning, flattening buildings in Muzaffarabad and Balakot.

The army said at least 18,000 people had been killed in Pakistani-administered Kashmir and North-West Frontier Province. Tens of thousands were injured."""

QUAKE_2 = """ISLAMABAD - Pakistan's government said on Monday that 23,000 people had died in the earthquake that struck Kashmir and North-West Frontier Province on Saturday.

Officials in Muzaffarabad said the number of dead could rise above 30,000."""

LANDSLIDE = """SAINT BERNARD, Philippines - A mountainside collapsed onto the farming village of Guinsaugon in Southern Leyte on Friday after two weeks of heavy rain, burying homes and an elementary school.

Governor Rosette Lerias said 53 bodies had been recovered by nightfall and that more than 1,400 people were missing."""

# No country or place anywhere: the new event is named after the title.
HOSTILE_TITLE = 'Storm <script>alert("e")</script> & "floods" <img src=x onerror=alert(1)>'
HOSTILE_TEXT = "A storm flooded the valley on Tuesday. Officials said 12 people had died in the floods."


@pytest.fixture(scope="module")
def desk(client: httpx.Client, auth: dict) -> dict:
    out = {}
    for key, body in {
        "quake": ("Quake kills thousands in Pakistan", QUAKE, "2005-10-08", "Test Wire"),
        "quake_2": ("Pakistan quake toll rises", QUAKE_2, "2005-10-10", "Other Daily"),
        "landslide": ("Landslide buries Philippine village", LANDSLIDE, "2006-02-17", "Test Wire"),
        "hostile": (HOSTILE_TITLE, HOSTILE_TEXT, "2007-03-06", 'Outlet <b>&</b>'),
    }.items():
        title, text, published, outlet = body
        r = client.post("/documents", headers=auth,
                        json={"title": title, "outlet": outlet, "published": published, "text": text})
        assert r.status_code == 201, r.text
        out[key] = r.json()
    return out


def slug_of(desk: dict, key: str) -> str:
    return desk[key]["events"][0]["event"]["slug"]


def figures_of(client: httpx.Client, event: str, metric: str | None = None) -> list[int]:
    params = {"event": event, **({"metric": metric} if metric else {})}
    return sorted(c["id"] for c in claims_of(client, **params) if c["metric"])


def sections(page: str) -> dict[str, str]:
    """Each ``<section class="panel" id=…>`` of a page, by id."""
    return dict(re.findall(r'<section class="panel" id="([^"]+)">(.*?)</section>', page, re.S))


def test_home_lists_the_events_latest_first_with_their_metrics(client: httpx.Client, desk: dict) -> None:
    page = assert_html(client.get("/"))
    events = client.get("/events").json()["items"]
    assert len(events) >= 4
    positions = []
    for e in events:
        href = f'href="/event/{e["slug"]}"'
        assert href in page, e["slug"]
        assert html.escape(e["name"]) in page
        positions.append(page.index(href))
    assert positions == sorted(positions)  # the order of GET /events: the latest onset first
    card = re.search(rf'<li id="event-{SEED_EVENT}">(.*?)</ul></li>', page, re.S).group(1)
    assert SEED_NAME in card and "unrest" in card and "Kazakhstan" in card
    assert f'href="/metric/arrests?event={SEED_EVENT}"' in card
    # the range within the event, in the sources' own words, and how far apart they are
    assert "around 2,000 to nearly 6,000</b> people" in card and "the highest 3.0× the lowest" in card
    quake = re.search(rf'<li id="event-{slug_of(desk, "quake")}">(.*?)</li>\s*(?:</ul>|<li id=)', page, re.S).group(1)
    assert f'href="/metric/deaths?event={slug_of(desk, "quake")}"' in quake
    assert "18,000" in quake and "2,298" not in quake


def test_event_page_charts_hold_only_that_events_figures(client: httpx.Client, desk: dict) -> None:
    for event in (SEED_EVENT, slug_of(desk, "quake"), slug_of(desk, "landslide")):
        page = assert_html(client.get(f"/event/{event}"))
        detail = client.get(f"/events/{event}").json()
        assert f"<h1>{html.escape(detail['event']['name'])}</h1>" in page
        assert sorted(marks(page)) == figures_of(client, event), event
        panels = sections(page)
        assert [k.removeprefix("metric-") for k in panels] == [m["metric"]["slug"] for m in detail["metrics"]]
        for key, panel in panels.items():
            metric = key.removeprefix("metric-")
            assert sorted(marks(panel)) == figures_of(client, event, metric), (event, metric)
            assert f'href="/metric/{metric}?event={event}"' in panel
            assert f'href="/metrics/{metric}/chart.svg?event={event}"' in panel
        assert f'href="/events/{event}"' in page and f'href="/claims?event={event}&amp;limit=500"' in page
        for d in client.get("/documents", params={"event": event}).json()["items"]:
            assert f'href="/document/{d["id"]}"' in page
    # every chart on the page has ids of its own
    page = client.get(f"/event/{SEED_EVENT}").text
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_event_chart_axis_spans_the_events_days(client: httpx.Client, desk: dict) -> None:
    quake = slug_of(desk, "quake")
    page = client.get(f"/event/{quake}").text
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    ticks = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text") if t.get("class") == "tick"]
    days = [t for t in ticks if re.fullmatch(r"\d{1,2} \w{3}( \d{4})?", t or "")]
    assert days and "2005" in days[0], ticks
    assert not any("2022" in (t or "") or "2006" in (t or "") for t in ticks), ticks
    # the same chart as an image
    image = client.get("/metrics/deaths/chart.svg", params={"event": quake}).text
    assert sorted(marks(image)) == figures_of(client, quake, "deaths")


def test_metric_page_has_one_panel_per_event_and_never_one_range(client: httpx.Client, desk: dict) -> None:
    summary = client.get("/metrics/deaths").json()
    assert len(summary["events"]) >= 2
    page = assert_html(client.get("/metric/deaths"))
    panels = sections(page)
    assert len(panels) == len(summary["events"])
    for span in summary["events"]:
        slug = span["event"]["slug"]
        panel = panels[f"in-{slug}"]
        assert f'<h2 class="event"><a href="/event/{slug}">{html.escape(span["event"]["name"])}</a></h2>' in panel
        assert sorted(marks(panel)) == figures_of(client, slug, "deaths"), slug
        assert panel.count("<svg") == 1
    assert sorted(marks(page)) == sorted(c["id"] for c in claims_of(client, metric="deaths"))
    # no range across the events: the seed story's and the quake's numbers never share a sentence
    lede = re.search(r'<p class="lede">(.*?)</p>', page, re.S).group(1)
    assert "18,000" not in lede and "never put on one chart" in lede
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_metric_page_for_one_event(client: httpx.Client, desk: dict) -> None:
    quake = slug_of(desk, "quake")
    page = assert_html(client.get("/metric/deaths", params={"event": quake}))
    assert sorted(marks(page)) == figures_of(client, quake, "deaths")
    assert f'href="/event/{quake}"' in page
    seed = assert_html(client.get("/metric/deaths", params={"event": "Bloody January"}))  # an alias
    assert sorted(marks(seed)) == figures_of(client, SEED_EVENT, "deaths")
    assert "18,000" not in seed


def test_document_page_links_its_events(client: httpx.Client, desk: dict) -> None:
    doc = desk["quake"]["document"]["id"]
    page = assert_html(client.get(f"/document/{doc}"))
    ref = desk["quake"]["events"][0]["event"]
    assert f'In the event <a href="/event/{ref["slug"]}">{html.escape(ref["name"])}</a>' in page
    seed = assert_html(client.get("/document/1"))
    assert f'<a href="/event/{SEED_EVENT}">{SEED_NAME}</a>' in seed


def test_unknown_events_are_404_pages_with_suggestions(client: httpx.Client, desk: dict) -> None:
    page = assert_html(client.get("/event/kazakstan-unrest"), 404)
    assert f'href="/event/{SEED_EVENT}"' in page
    page = assert_html(client.get("/metric/deaths", params={"event": "kazakstan unrest"}), 404)
    assert f'href="/metric/deaths?event={SEED_EVENT}"' in page
    for path in ("/event/xqzv-nothing-like-it", "/event/%00", "/event/" + "x" * 400):
        assert_html(client.get(path), 404)
    assert client.get("/event/Bloody%20January").status_code == 200  # any of its names


def test_event_names_from_articles_are_escaped(client: httpx.Client, desk: dict) -> None:
    ref = desk["hostile"]["events"][0]["event"]
    assert "<script>" in ref["name"]  # the title named the new event
    pages = [client.get("/"), client.get(f"/event/{ref['slug']}"), client.get(f"/document/{desk['hostile']['document']['id']}")]
    pages += [client.get(f"/metric/{m['metric']['slug']}") for m in client.get(f"/events/{ref['slug']}").json()["metrics"]]
    for r in pages:
        text = assert_html(r)
        for raw in ("<script>", "<img src=x", "<b>&"):
            assert raw not in text, (r.url, raw)
        assert html.escape(ref["name"]) in text, r.url
        assert not EXTERNAL.search(text)



def test_a_document_page_grows_with_its_claims_not_their_square(client: httpx.Client, auth: dict) -> None:
    """Nested quotes (each a longer stretch of the same sentence) once opened one <mark> per
    covering quote in every piece of text: 450 made an 11.7 MB page."""
    words = [f"w{i:03d}" for i in range(160)]
    text = "Observers said " + " ".join(words) + "."
    made = client.post("/documents", json={"title": "Nested", "outlet": "Test Wire", "published": "2024-05-07", "text": text},
                       headers=auth).json()["document"]
    n = 120
    for i in range(n):
        quote = text[: len("Observers said ") + 5 * (i + 1) - 1]
        assert client.post("/claims", json={"document_id": made["id"], "quote": quote, "group": f"g{i}"}, headers=auth).status_code == 201
    page = client.get(f"/document/{made['id']}").text
    assert page.count("<mark") <= 2 * n + 5
    assert all(page.count(f'id="claim-{c["id"]}"') == 1 for c in client.get(f"/documents/{made['id']}/claims", params={"limit": 500}).json()["items"])
    assert len(page.encode()) < 400_000, len(page.encode())
