"""The pages in a real browser: headless Chromium (Debian's ``chromium`` package) renders each
page against a served instance; the chart has one mark per figure in the rendered DOM; Chromium's
own network log shows that every request the pages make goes to the app; a screenshot of the
metric page is kept (bench/results/screenshots/metric-arrests.png). The interactive reference at
/openapi (Swagger UI, served by the app) renders every operation under its Content-Security-Policy
and is kept as bench/results/screenshots/openapi.png. The home page (the events) and an event page
are rendered at a desktop and a phone width (400 px) and kept in docs/screenshots/.

Skipped when /usr/bin/chromium is missing (``apt-get install -y chromium``; .ci/run installs it).
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT = ROOT / "bench" / "results" / "screenshots" / "metric-arrests.png"
OPENAPI_SCREENSHOT = ROOT / "bench" / "results" / "screenshots" / "openapi.png"
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
SEED_EVENT = "kazakhstan-unrest-2022"
WIDTHS = {"desktop": (1280, 1800), "phone": (400, 2400)}
# Swagger UI fetches the document and renders after the load event; Chromium's virtual time lets
# the page run (and its requests finish) before the DOM is dumped or the screenshot taken.
SETTLE = "--virtual-time-budget=20000"
MARK = re.compile(r'data-claim-id="(\d+)"')

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    # Names other than the app's do not resolve, so nothing could leave by name even if a page
    # asked; the net log below is what shows that the pages never ask.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        pytest.skip("headless Chromium is not installed (/usr/bin/chromium): apt-get install -y chromium")
    return CHROMIUM


def run_chromium(chromium: Path, tmp: Path, url: str, *args: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    """One Chromium run with a fresh profile; returns the run and its net log."""
    run_dir = tmp / f"chromium-{uuid.uuid4().hex[:8]}"
    run_dir.mkdir()
    netlog = run_dir / "netlog.json"
    result = subprocess.run(
        [str(chromium), *FLAGS, f"--user-data-dir={run_dir / 'profile'}", f"--log-net-log={netlog}", *args, url],
        capture_output=True, text=True, timeout=120, cwd=run_dir,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result, netlog


def page_requests(netlog: Path) -> list[str]:
    """Every URL a page asked for (its navigation, subframes and every subresource), from
    Chromium's net log. The browser's own background requests (update checks, sign-in probes)
    have no initiating origin and are not the page's; they are left out."""
    text = netlog.read_text(encoding="utf-8")
    try:
        log = json.loads(text)
    except json.JSONDecodeError:  # a log cut short still has whole events before the cut
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = []
    for event in log["events"]:
        params = event.get("params") or {}
        if event["type"] != start_job or "url" not in params:
            continue
        if params.get("initiator") != "not an origin" or params.get("request_type") in ("main frame", "subframe"):
            urls.append(params["url"])
    return urls


def assert_only_the_app(urls: list[str], base: str) -> None:
    app = urlsplit(base)
    assert any(urlsplit(u).path not in ("", "/favicon.ico") for u in urls), urls  # the page itself was seen
    for u in urls:
        parts = urlsplit(u)
        assert (parts.scheme, parts.hostname, parts.port) == (app.scheme, app.hostname, app.port), u


def visible_figures(client: httpx.Client, metric: str) -> list[int]:
    items = client.get("/claims", params={"metric": metric, "limit": 500}).json()["items"]
    return sorted(c["id"] for c in items)


def test_metric_page_in_chromium_has_one_mark_per_figure_and_loads_only_from_the_app(
    chromium: Path, server: str, client: httpx.Client, tmp_path: Path
) -> None:
    result, netlog = run_chromium(chromium, tmp_path, f"{server}/metric/arrests", "--dump-dom")
    dom = result.stdout
    assert "<svg" in dom and "People arrested or detained" in dom
    assert sorted(int(i) for i in MARK.findall(dom)) == visible_figures(client, "arrests")
    assert_only_the_app(page_requests(netlog), server)


def test_every_page_in_chromium_loads_only_from_the_app(
    chromium: Path, server: str, client: httpx.Client, tmp_path: Path
) -> None:
    figure = client.get("/claims", params={"metric": "deaths", "limit": 1}).json()["items"][0]
    paths = [
        "/",
        f"/event/{SEED_EVENT}",
        f"/metric/deaths?event={SEED_EVENT}",
        "/event/no-such-event",
        "/metric/deaths",
        "/actor",
        "/actor/tokayev",
        f"/document/{figure['citation']['document_id']}?claim={figure['id']}#claim-{figure['id']}",
        "/metrics/deaths/chart.svg",
        "/metric/no-such-metric",
    ]
    for path in paths:
        result, netlog = run_chromium(chromium, tmp_path, f"{server}{path}", "--dump-dom")
        assert "<html" in result.stdout or "<svg" in result.stdout, path
        assert_only_the_app(page_requests(netlog), server)
    # the chart drawn on its own is the same number of marks as on the page
    result, _ = run_chromium(chromium, tmp_path, f"{server}/metrics/deaths/chart.svg", "--dump-dom")
    assert sorted(int(i) for i in MARK.findall(result.stdout)) == visible_figures(client, "deaths")


def test_screenshot_of_the_metric_page(chromium: Path, server: str, tmp_path: Path) -> None:
    shot = tmp_path / "metric-arrests.png"
    _, netlog = run_chromium(
        chromium, tmp_path, f"{server}/metric/arrests", f"--screenshot={shot}", "--window-size=1280,1600"
    )
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 1600)
    assert len(data) > 50_000  # a blank page compresses to a few kilobytes
    assert_only_the_app(page_requests(netlog), server)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, SCREENSHOT)
    print(f"screenshot: {shot} (copied to {SCREENSHOT})")


def test_openapi_reference_renders_every_operation_in_chromium_from_the_app_alone(
    chromium: Path, server: str, client: httpx.Client, tmp_path: Path
) -> None:
    # --enable-logging=stderr puts the page's console, and so any CSP violation, on stderr
    result, netlog = run_chromium(chromium, tmp_path, f"{server}/openapi", SETTLE, "--enable-logging=stderr", "--dump-dom")
    dom = result.stdout
    doc = client.get("/schema/openapi.json").json()
    operations = [op["operationId"] for item in doc["paths"].values() for op in item.values()]
    assert operations and "listClaims" in operations
    rendered = re.findall(r'class="opblock-summary-operation-id"[^>]*>([^<]+)<', dom)
    assert sorted(rendered) == sorted(operations), dom[-2000:]
    for path in doc["paths"]:
        assert f'data-path="{path}"' in dom, path
    assert "Content Security Policy" not in result.stderr, result.stderr[-3000:]
    urls = page_requests(netlog)
    assert_only_the_app(urls, server)
    asked = {urlsplit(u).path.rsplit("/", 1)[-1] for u in urls}
    assert {"openapi", "swagger-ui-bundle.js", "swagger-ui.css", "openapi.js", "openapi.json"} <= asked, asked


def test_screenshot_of_the_openapi_reference(chromium: Path, server: str, tmp_path: Path) -> None:
    shot = tmp_path / "openapi.png"
    _, netlog = run_chromium(
        chromium, tmp_path, f"{server}/openapi", SETTLE, f"--screenshot={shot}", "--window-size=1280,1600"
    )
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1280, 1600)
    assert len(data) > 50_000  # the header bar alone, before the operations render, is a few kilobytes
    assert_only_the_app(page_requests(netlog), server)
    OPENAPI_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, OPENAPI_SCREENSHOT)
    print(f"screenshot: {shot} (copied to {OPENAPI_SCREENSHOT})")


def test_event_page_in_chromium_has_only_the_events_figures(
    chromium: Path, server: str, client: httpx.Client, tmp_path: Path
) -> None:
    result, netlog = run_chromium(chromium, tmp_path, f"{server}/event/{SEED_EVENT}", "--dump-dom")
    dom = result.stdout
    assert "Unrest in Kazakhstan, January 2022" in dom and dom.count("<svg") >= 2
    items = client.get("/claims", params={"event": SEED_EVENT, "limit": 500}).json()["items"]
    assert sorted(int(i) for i in MARK.findall(dom)) == sorted(c["id"] for c in items if c["metric"])
    assert_only_the_app(page_requests(netlog), server)
    home, _ = run_chromium(chromium, tmp_path, f"{server}/", "--dump-dom")
    assert f'href="/event/{SEED_EVENT}"' in home.stdout


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("name,path", [("home-events", "/"), ("event", f"/event/{SEED_EVENT}")])
def test_screenshots_of_the_events_at_desktop_and_phone_widths(
    chromium: Path, server: str, tmp_path: Path, name: str, path: str, width: str
) -> None:
    w, h = WIDTHS[width]
    shot = tmp_path / f"{name}-{width}.png"
    _, netlog = run_chromium(chromium, tmp_path, f"{server}{path}", f"--screenshot={shot}", f"--window-size={w},{h}")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (w, h)
    assert len(data) > 30_000  # text and charts, not a blank page
    assert_only_the_app(page_requests(netlog), server)
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, DOCS_SCREENSHOTS / f"{name}-{width}.png")
