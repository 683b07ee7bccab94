"""The exported HTML page in a real headless Chromium, with the network blocked.

Needs the system Chromium (Debian package ``chromium``: ``apt-get install -y chromium``) and the
Python package ``playwright`` (``pip install playwright``; ``playwright install`` is NOT needed:
the system browser is used). Without either, the tests are skipped with the reason.

What a user would see is checked: the graph is drawn without any network access, it has as many
nodes and edges as the graph exported, a hostile entity name shows up as text (in the tooltip and
in the details panel) and its ``onerror`` payload never runs, and a screenshot can be taken.
"""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from kg.build import build_records
from kg.export.html import export_html
from kg.graph import build_graph
from kg.model import Article, Entity, Event, Evidence, Extraction, Time

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
PAYLOAD = '<img src=x onerror="window.__xss=1">'
EVIL = "person:evil"


def hostile_graph():
    s1 = f"{PAYLOAD} met Zelensky in Kyiv on Monday. <script>window.__xss=2</script>"
    s2 = "Zelensky will meet Trump next week."
    text = f"{s1} {s2}"
    ex = Extraction(
        article=Article(id="art-x", title='<img src=x onerror="window.__xss=3">', language="en",
                        published=dt.datetime(2025, 8, 20, 8, 0), url="javascript:window.__xss=4", text=text),
        entities=[
            Entity(id=EVIL, type="PERSON", name=PAYLOAD, aliases=['"><img src=x onerror=window.__xss=5>'], mentions=1),
            Entity(id="person:volodymyr-zelensky", type="PERSON", name="Volodymyr Zelensky", wikidata="Q3874799",
                   mentions=2),
            Entity(id="person:donald-trump", type="PERSON", name="Donald Trump", wikidata="Q22686", mentions=1),
            Entity(id="location:kyiv", type="LOCATION", name="Kyiv", mentions=1),
        ],
        events=[
            Event(id="ev-1", type="CONSULT", summary=f"{PAYLOAD} met Zelensky", actors=[EVIL, "person:volodymyr-zelensky"],
                  location="location:kyiv", time=Time(value="2025-08-18", precision="day"),
                  evidence=[Evidence(text=s1, start=0, end=len(s1))], confidence=0.9),
            Event(id="ev-2", type="CONSULT", summary="Zelensky will meet Trump", modality="planned",
                  actors=["person:volodymyr-zelensky", "person:donald-trump"], time=Time(value="2025-W35", precision="week"),
                  evidence=[Evidence(text=s2, start=len(s1) + 1, end=len(text))], confidence=0.6),
        ],
        extractor="kg-test/1",
    )
    return build_graph([build_records(ex)])


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"needs the system Chromium at {CHROMIUM} (Debian: apt-get install -y chromium)")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        pytest.skip("needs the Python package playwright (pip install playwright; "
                    "'playwright install' is not needed, the system Chromium is used)")
    with sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        except Error as exc:
            pytest.skip(f"{CHROMIUM} does not start under Playwright: {str(exc).splitlines()[0]}")
        yield b
        b.close()


def open_offline(browser, path: Path):
    """Open the file with every http(s) request aborted; returns (page, blocked requests, errors)."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    blocked, errors = [], []

    def route(r):
        url = r.request.url
        if url.startswith(("http://", "https://")):
            blocked.append(url)
            r.abort()
        else:
            r.continue_()

    page.route("**/*", route)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None)
    page.goto(path.resolve().as_uri())
    deadline = time.monotonic() + 30
    # the page's Content-Security-Policy forbids eval, so poll from here instead of wait_for_function
    while not page.evaluate("window.kgReady === true"):
        assert time.monotonic() < deadline, "the network was not drawn within 30 s"
        time.sleep(0.1)
    return page, blocked, errors


def node_position(page, node_id: str) -> tuple[float, float]:
    x, y = page.evaluate(
        """(id) => { const p = network.canvasToDOM(network.getPositions([id])[id]);
                     const r = document.getElementById('kg-network').getBoundingClientRect();
                     return [r.left + p.x, r.top + p.y]; }""", node_id)
    return x, y


def test_page_draws_offline_with_the_graph_and_runs_no_article_code(browser, tmp_path):
    G = hostile_graph()
    path = export_html(G, tmp_path / "graph.html", title="Browser test")
    page, blocked, errors = open_offline(browser, path)
    try:
        counts = page.evaluate("[network.body.data.nodes.length, network.body.data.edges.length, "
                               "nodes.length, edges.length]")
        assert counts == [G.number_of_nodes(), G.number_of_edges()] * 2
        assert page.evaluate("document.querySelector('#kg-network canvas').width") > 100
        assert page.inner_text("#kg-title") == "Browser test"
        assert "Legend" in page.inner_text("#kg-legend")
        # physics is off once the layout has settled
        assert page.evaluate("network.physics.physicsEnabled") is False

        # hover: the tooltip shows the hostile name as text
        x, y = node_position(page, EVIL)
        page.mouse.move(x, y)
        deadline = time.monotonic() + 5
        while PAYLOAD not in (page.evaluate("(document.querySelector('div.vis-tooltip') || {}).innerText || ''")):
            assert time.monotonic() < deadline, "no tooltip for the hovered node"
            time.sleep(0.1)
        # click: the details panel shows it as text too
        page.mouse.click(x, y)
        details = page.inner_text("#kg-details")
        assert PAYLOAD in details and "PERSON" in details
        # an event's details: the evidence sentence with the <script> as text
        ex, ey = node_position(page, "ev-1")
        page.mouse.click(ex, ey)
        details = page.inner_text("#kg-details")
        assert "<script>window.__xss=2</script>" in details and "2025-08-18 (precision: day)" in details
        assert page.evaluate("document.querySelectorAll('#kg-details a').length") == 0  # javascript: URL is no link

        assert page.evaluate("typeof window.__xss") == "undefined"
        assert page.evaluate("document.querySelectorAll('body img').length") == 0
        assert blocked == [], f"the page tried to load {blocked}"
        assert errors == [], errors

        shot = tmp_path / "graph.png"
        page.screenshot(path=str(shot), full_page=True)
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    finally:
        page.close()


def test_empty_graph_page_opens(browser, tmp_path):
    import networkx as nx
    path = export_html(nx.MultiDiGraph(), tmp_path / "empty.html")
    page, blocked, errors = open_offline(browser, path)
    try:
        assert page.evaluate("network.body.data.nodes.length") == 0
        assert "the graph is empty" in page.inner_text("#kg-empty")
        assert blocked == [] and errors == []
    finally:
        page.close()
