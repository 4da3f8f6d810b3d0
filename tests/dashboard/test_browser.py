"""The dashboard in a real browser (Debian's Chromium), served by `streamlit run`.

The Data health tests use the tiny warehouse of conftest; the metric pages run on the demo
warehouse (scale 0.5) so they look as a user would see them. Every page is screenshotted
to test-artifacts/ for a person to look at; the README's pictures in docs/screenshots/ are
made by `python -m bench.screenshots` (tested here on one page).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import polars as pl
import pytest
from conftest import ENV_VARS, ROOT, serve
from playwright.sync_api import Browser, Page, expect

from dashboard.drilldown import transcript_links
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.operations.volume import contact_page
from metrics.reports.summary import headline
from warehouse.reader import ReadOnlyWarehouse

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
TIMEOUT = 30_000
# The demo's last day is 2026-10-31: its last 30 days, and a trained agent with examples.
LAST_30 = "period=last_30&from=2026-10-02&to=2026-10-31"
TRAINED_AGENT = "3961000125"

# Pages rerun after every change; a slow CI machine gets more than Playwright's 5 s default.
expect.set_options(timeout=TIMEOUT)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed"),
]


@pytest.fixture(scope="session")
def demo_url(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run app.py` on the demo warehouse (one server for the session)."""
    log = tmp_path_factory.mktemp("demo-server") / "streamlit.log"
    with serve(demo_db, log) as url:
        yield url


def wait_for_page(page: Page) -> None:
    page.wait_for_selector('[data-testid="stMetric"]', timeout=TIMEOUT)


def open_page(page: Page, url: str, title: str) -> None:
    """Go to ``url`` and wait until the page's title and its charts have rendered."""
    page.goto(url)
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=TIMEOUT)


def assert_no_exception(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text("Page not found")).to_have_count(0)


def screenshot(page: Page, name: str) -> None:
    """A full-page screenshot in test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def tile_value(page: Page, label: str):
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def expected_contacts(db: Path, filters: Filters) -> str:
    wh = ReadOnlyWarehouse(db)
    try:
        return f"{headline(wh, load_settings(), filters)['contacts']:,}"
    finally:
        wh.close()


# --- Data health on the tiny warehouse ---------------------------------------------------


def test_data_health_page_renders_in_chromium(app_url: str, page: Page) -> None:
    # Streamlit scrolls inside its main block, so a full-page shot needs a tall window.
    page.set_viewport_size({"width": 1400, "height": 2600})
    page.goto(app_url + "/data_health")
    wait_for_page(page)
    quarantined = page.get_by_test_id("stMetric").filter(has_text="Quarantined")
    expect(quarantined.get_by_test_id("stMetricValue")).to_have_text("3")
    # load runs, quarantine reasons and examples, freshness, what the warehouse can answer and
    # the derived facts (no message of the tiny warehouse is scored: no scoring table)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(6, timeout=15_000)
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(3, timeout=15_000)
    assert_no_exception(page)
    screenshot(page, "data_health")


def test_the_root_url_opens_the_overview_and_names_it_in_the_url(app_url: str, page: Page) -> None:
    page.goto(app_url + "/")
    wait_for_page(page)
    expect(page).to_have_url(re.compile(r"/overview\?"))
    expect(page.get_by_role("heading", name="Overview", exact=True)).to_be_visible()


def test_a_deep_link_on_a_fresh_server_runs_inside_the_app_frame(
    cold_app_url: str, page: Page
) -> None:
    page.goto(cold_app_url + "/data_health")
    wait_for_page(page)
    expect(page.get_by_role("heading", name="Data health")).to_be_visible()
    # the menu of app.py (not one built from the pages/ folder) and its warehouse panel
    expect(page.get_by_test_id("stSidebarNav").get_by_text("Agent scorecards")).to_be_visible()
    expect(page.get_by_test_id("stSidebar").get_by_text("Last load:")).to_be_visible()
    assert page.get_by_text("Page not found").count() == 0


# --- The metric pages on the demo warehouse -----------------------------------------------

PAGES = {
    "overview": ("/overview?" + LAST_30, "Overview", 4, 2900),
    "agent_scorecards": (
        f"/agent_scorecards?{LAST_30}&scorecard_agent={TRAINED_AGENT}",
        "Agent scorecards",
        2,
        2500,
    ),
    "explore": ("/explore?" + LAST_30, "Explore and export", 0, 1800),
    "training_impact": ("/training_impact?" + LAST_30, "Training impact", 2, 2700),
    "quality": ("/quality?" + LAST_30, "Quality review", 2, 4200),
    "customer_voice": ("/customer_voice?" + LAST_30, "Customer voice", 6, 6500),
    # The last 30 days have no ended 30-day window yet: retention is shown over all dates.
    "retention": ("/retention?period=all", "Retention", 2, 2300),
    "coverage": ("/coverage?" + LAST_30, "Coverage and staffing", 6, 4000),
    "response_times": ("/response_times?" + LAST_30, "Response and waits", 4, 3200),
    "channels_backlog": ("/channels_backlog?" + LAST_30, "Channels and backlog", 4, 3600),
    "bot_security": ("/bot_security?" + LAST_30, "Bot and security", 1, 2600),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders_without_an_exception(demo_url: str, page: Page, name: str) -> None:
    # Offline, a request to a font or icon server fails and the page waits for it; and a
    # support team's dashboard should not tell a third party who is looking at what: every
    # request of the page's load is recorded (one load serves both checks).
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    path, title, charts, height = PAGES[name]
    page.set_viewport_size({"width": 1400, "height": height})
    open_page(page, demo_url + path, title)
    drawn = page.locator(".main-svg") if charts else page.get_by_test_id("stDataFrame")
    expect(drawn.first).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(charts, timeout=TIMEOUT)
    expect(page.get_by_test_id("stSidebarNav")).to_contain_text("Data health")
    assert_no_exception(page)
    screenshot(page, name)
    assert len(requested) > REQUESTS_PER_LOAD, f"{len(requested)} requests: too few for a load"
    assert outside_requests(requested, demo_url) == []


# A first load in a fresh browser context fetches the app's scripts, styles and fonts (71
# to 111 requests on the demo, 2026-12-07).
REQUESTS_PER_LOAD = 50


def outside_requests(urls: list[str], own: str) -> list[str]:
    """The requested URLs that go to another host than the dashboard's (``own``)."""
    local = urlparse(own).netloc
    return [u for u in urls if urlparse(u).scheme not in ("data", "blob", "about")
            and urlparse(u).netloc != local]  # fmt: skip


def test_no_request_leaves_the_machine_on_data_health_either(demo_url: str, page: Page) -> None:
    # the one page the test above does not open on the demo
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.set_viewport_size({"width": 1400, "height": 1200})
    open_page(page, demo_url + "/data_health", "Data health")
    expect(page.get_by_test_id("stSidebarNav")).to_contain_text("Data health")
    assert len(requested) > REQUESTS_PER_LOAD, f"{len(requested)} requests: too few for a load"
    assert outside_requests(requested, demo_url) == []


def test_the_readme_screenshots_are_made_by_a_script(demo_url: str, tmp_path: Path) -> None:
    # Its own process: Playwright's sync API will not run inside the pytest-playwright loop.
    script = (
        "import sys; from pathlib import Path; from bench.screenshots import SHOTS, take; "
        "take(sys.argv[1], SHOTS[:1], Path(sys.argv[2]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, demo_url, str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    png = (tmp_path / "overview.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1400, 1100)  # the first screen, as the README shows it


def test_the_outside_request_check_sees_another_host() -> None:
    own = "http://127.0.0.1:8501"
    urls = [
        f"{own}/static/js/index.js",
        "data:image/svg+xml,<svg/>",
        "https://fonts.gstatic.com/s/i/short-term/release/materialsymbolsrounded/x/24px.svg",
        "http://localhost:8501/x",
    ]
    assert outside_requests(urls, own) == urls[2:]


def test_a_filter_change_rewrites_the_url_and_a_shared_link_restores_the_view(
    demo_url: str, demo_db: Path, page: Page, browser: Browser
) -> None:
    open_page(page, demo_url + "/overview?" + LAST_30, "Overview")
    everyone = expected_contacts(demo_db, Filters(date(2026, 10, 2), date(2026, 10, 31)))
    expect(tile_value(page, "Contacts")).to_have_text(everyone)
    channel = (
        page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has_text="Channel")
    )
    typed = channel.locator("input")
    typed.click()
    typed.press_sequentially("chat")
    page.get_by_role("option", name="chat", exact=True).click()
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"channel=chat"))
    chats = expected_contacts(
        demo_db, Filters(date(2026, 10, 2), date(2026, 10, 31), channel=("chat",))
    )
    assert chats != everyone
    expect(tile_value(page, "Contacts")).to_have_text(chats)

    shared = page.url
    assert parse_qs(urlparse(shared).query)["from"] == ["2026-10-02"]
    other = browser.new_page()  # a new session, as for a colleague opening the link
    try:
        open_page(other, shared, "Overview")
        expect(tile_value(other, "Contacts")).to_have_text(chats)
        expect(other.get_by_test_id("stSidebar").get_by_text("chat", exact=True)).to_be_visible()
        assert_no_exception(other)
    finally:
        other.close()


def test_clicking_a_bar_shows_its_contacts_and_a_transcript_opens_from_a_row(
    demo_url: str, demo_db: Path, page: Page
) -> None:
    page.set_viewport_size({"width": 1400, "height": 1800})
    open_page(page, demo_url + "/overview?period=last_7&from=2026-10-25&to=2026-10-31", "Overview")
    bars = page.get_by_test_id("stPlotlyChart").first.locator("g.points path")
    expect(bars).to_have_count(7, timeout=TIMEOUT)
    bars.nth(6).click(force=True)  # plotly listens on the drag layer above the bars
    drill = page.locator(".st-key-drill_volume")
    last_day = Filters(date(2026, 10, 31), date(2026, 10, 31))
    behind = expected_contacts(demo_db, last_day)
    expect(drill).to_contain_text(f"{behind} contacts behind the selected days", timeout=TIMEOUT)
    expect(drill).to_contain_text("2026-10-31 to 2026-10-31")
    expect(drill.get_by_test_id("stDataFrame")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview_drilldown.png"), full_page=True)

    # The grid draws on a canvas, so the first row's link is rebuilt the way the page builds it.
    wh = ReadOnlyWarehouse(demo_db)
    try:
        first = contact_page(
            wh, load_settings(), last_day, columns=("source", "contact_id"), limit=1
        )
    finally:
        wh.close()
    link = transcript_links(first, last_day)["transcript"][0]
    transcript = page.context.new_page()
    try:
        open_page(transcript, demo_url + "/overview" + link, "Overview")
        panel = transcript.locator(".st-key-transcript")
        expect(panel).to_contain_text(f"Conversation demo:{first['contact_id'][0]}")
        expect(panel.get_by_test_id("stChatMessage").first).to_be_visible()
        assert_no_exception(transcript)
        transcript.screenshot(path=str(ARTIFACTS / "transcript.png"))
    finally:
        transcript.close()


def test_the_csv_download_has_the_rows_of_the_cli_export(
    demo_url: str, demo_db: Path, page: Page, tmp_path: Path
) -> None:
    query = "from=2026-10-25&to=2026-10-31&channel=email&channel=web"
    open_page(page, demo_url + "/explore?" + query, "Explore and export")
    with page.expect_download(timeout=TIMEOUT) as download:
        page.get_by_role("button", name=re.compile(r"^Download CSV")).click()
    assert download.value.suggested_filename == "contacts_2026-10-25_2026-10-31.csv"
    got = tmp_path / "browser.csv"
    download.value.save_as(got)
    cli = tmp_path / "cli.csv"
    subprocess.run(
        [sys.executable, "-m", "metrics", "export", "contacts", "--db", str(demo_db),
         "--from", "2026-10-25", "--to", "2026-10-31", "--channel", "email", "--channel", "web",
         "--out", str(cli)],
        check=True, cwd=ROOT, env={k: v for k, v in os.environ.items() if k not in ENV_VARS},
    )  # fmt: skip
    browser_rows, cli_rows = pl.read_csv(got), pl.read_csv(cli)
    assert browser_rows.height > 100
    assert browser_rows.equals(cli_rows)
    assert got.read_bytes() == cli.read_bytes()


CRASH_WEEK = "period=custom&from=2026-09-14&to=2026-09-20"


def test_the_overview_lists_the_alerts_and_downloads_the_digest_of_its_filters(
    demo_url: str, page: Page, tmp_path: Path
) -> None:
    open_page(page, demo_url + "/overview?" + CRASH_WEEK + "&channel=email", "Overview")
    assert_no_exception(page)
    alerts = page.get_by_role("heading", name="Alerts", exact=True)
    alerts.scroll_into_view_if_needed()
    # the planted crash (effect b) on e-mail: its peak day fires the volume rule
    peak = re.compile(r"Contacts per day on Mon 2026-09-14: \d+ contacts \(n = \d+\), against")
    expect(page.get_by_text(peak)).to_be_visible()
    expect(page.get_by_role("link", name="open").first).to_have_attribute(
        "href", re.compile(r"^http://localhost:8501/")
    )
    button = page.get_by_role("button", name="Download the digest (HTML)")
    expect(button).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview_alerts.png"), full_page=True)
    button.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "overview_digest_button.png"))
    with page.expect_download(timeout=TIMEOUT) as download:
        button.click()
    assert download.value.suggested_filename == "digest_2026-09-14_2026-09-20.html"
    got = tmp_path / "digest.html"
    download.value.save_as(got)
    html = got.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html
    assert "Support digest 2026-09-14 to 2026-09-20" in html and "channel: email" in html


def test_the_digest_fits_a_phone_screen(demo_db: Path, page: Page, tmp_path: Path) -> None:
    out = tmp_path / "digest.html"
    subprocess.run(
        [sys.executable, "-m", "metrics", "digest", "--db", str(demo_db),
         "--period", "2026-09-14:2026-09-20", "--out", str(out)],
        check=True, cwd=ROOT, env={k: v for k, v in os.environ.items() if k not in ENV_VARS},
    )  # fmt: skip
    page.set_viewport_size({"width": 390, "height": 844})  # a common phone, CSS pixels
    page.set_content(out.read_text(encoding="utf-8"))
    # every table row stacks into labelled cells: nothing is wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    wide = page.evaluate(
        "[...document.querySelectorAll('table, svg, p, li')]"
        ".filter(e => e.getBoundingClientRect().right > 390).length"
    )
    assert wide == 0
    expect(page.locator("td[data-label='x usual']").first).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "digest_phone.png"), full_page=True)
