"""``python -m bench.screenshots`` (``make screenshots``): the README's pictures, made anew.

Builds the demo warehouse (seed 7, scale 0.5, as the browser tests do) in a temporary
folder, serves the dashboard on it, opens each page in Debian's Chromium at a fixed size
and a fixed period (the demo's last 30 days) and writes ``docs/screenshots/NAME.png``.
Nothing in those files is edited by hand: run this after a change to a page.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.dashboard_server import CHROME_ARGS, CHROMIUM, ROOT, serve, wait_for_run

SCREENSHOTS = ROOT / "docs" / "screenshots"
DEMO_SEED, DEMO_SCALE = 7, 0.5
LAST_30 = "period=last_30&from=2026-10-02&to=2026-10-31"  # the demo ends on 2026-10-31
TRAINED_AGENT = "3961000125"  # an agent with a course and examples to coach from
TIMEOUT_MS = 120_000


@dataclass(frozen=True)
class Shot:
    """One picture: the page's URL path and title, the window, and whether the whole page."""

    name: str
    path: str
    title: str
    height: int
    full_page: bool


SHOTS = (
    # The first screen a manager sees: the top of the README shows exactly that.
    Shot("overview", "/overview?" + LAST_30, "Overview", 1100, full_page=False),
    Shot(
        "agent_scorecards",
        f"/agent_scorecards?{LAST_30}&scorecard_agent={TRAINED_AGENT}",
        "Agent scorecards",
        2500,
        full_page=True,
    ),
    Shot("explore", "/explore?" + LAST_30, "Explore and export", 1800, full_page=True),
)


def _settle(page, title: str) -> None:
    """Wait until the page's script has finished, nothing is drawn as a placeholder any more
    and its charts have drawn (a busy machine may need a second run of the page)."""
    from playwright.sync_api import expect

    wait_for_run(page, title, TIMEOUT_MS)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=TIMEOUT_MS)
    wait_for_run(page, title, TIMEOUT_MS)
    if page.get_by_test_id("stPlotlyChart").count():
        page.locator(".main-svg").first.wait_for(state="visible", timeout=TIMEOUT_MS)
    page.wait_for_timeout(1000)  # plotly's transitions end before the picture is taken


def take(url: str, shots: Sequence[Shot], folder: Path) -> list[Path]:
    """Open each shot's page at ``url`` and write its PNG into ``folder``."""
    from playwright.sync_api import sync_playwright

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        try:
            for shot in shots:
                page = browser.new_page(viewport={"width": 1400, "height": shot.height})
                page.goto(url + shot.path)
                _settle(page, shot.title)
                target = folder / f"{shot.name}.png"
                page.screenshot(path=str(target), full_page=shot.full_page)
                written.append(target)
                page.close()
        finally:
            browser.close()
    return written


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.screenshots", description=__doc__)
    parser.add_argument("--out", type=Path, default=SCREENSHOTS, help="default: docs/screenshots")
    parser.add_argument("names", nargs="*", help=f"any of {', '.join(s.name for s in SHOTS)}")
    args = parser.parse_args(argv)
    chosen = [s for s in SHOTS if not args.names or s.name in args.names]
    from sample_data import build_demo

    with tempfile.TemporaryDirectory(prefix="sqd-screenshots-") as tmp:
        db = Path(tmp) / "support-quality-dashboard" / "demo.duckdb"
        print(f"building the demo warehouse (seed {DEMO_SEED}, scale {DEMO_SCALE}) ...", flush=True)
        build_demo(db, seed=DEMO_SEED, scale=DEMO_SCALE)
        with serve(db, Path(tmp) / "streamlit.log") as url:
            for path in take(url, chosen, args.out):
                print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


if __name__ == "__main__":
    main()
