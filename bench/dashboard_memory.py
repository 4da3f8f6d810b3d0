"""The dashboard's peak resident memory while a browser clicks through every page (target < 1.5 GB).

Starts ``streamlit run app.py`` with ``SUPPORT_DB`` on the benchmark warehouse, opens the
first page in Debian's Chromium (Playwright, never ``playwright install``), then clicks each
page in the sidebar menu and waits until its script has finished. A sampler thread sums the
resident memory of the server process and its children (from /proc) every 0.1 s.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from bench import dataset
from bench.results import record
from bench.timing import verdict

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROME_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
# (url path, menu title) in app.py's menu order.
PAGES = (
    ("overview", "Overview"),
    ("agent_scorecards", "Agent scorecards"),
    ("training_impact", "Training impact"),
    ("customer_voice", "Customer voice"),
    ("retention", "Retention"),
    ("coverage", "Coverage and staffing"),
    ("explore", "Explore and export"),
    ("data_health", "Data health"),
)
TARGET_GB = 1.5
PAGE_TIMEOUT_MS = 900_000
QUIET_S = 1.5


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo += [int(child) for child in task.read_text().split()]
            except OSError:
                pass
    return found


def rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` and its descendants, in bytes (0 for a vanished process)."""
    total = 0
    for member in _tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


class Sampler(threading.Thread):
    """Samples ``rss_bytes(pid)`` until stopped; keeps the overall and the current-window peak."""

    def __init__(self, pid: int, every: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak = self.window = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            now = rss_bytes(self.pid)
            self.peak, self.window = max(self.peak, now), max(self.window, now)
            time.sleep(self.every)

    def take_window(self) -> int:
        """The peak since the last call (and start a new window)."""
        peak, self.window = self.window, rss_bytes(self.pid)
        return max(peak, self.window)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(db: Path, log: Path) -> tuple[subprocess.Popen, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUPPORT_")}
    env["SUPPORT_DB"] = str(db)
    port = _free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.headless", "true", "--server.address", "127.0.0.1",
        "--server.port", str(port), "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    proc.wait()
    raise RuntimeError(f"streamlit did not start:\n{log.read_text(errors='replace')[-2000:]}")


def _wait_for_run(page, title: str) -> float:
    """Wait until the page's script has finished; return when it did (perf_counter).

    Finished: the page's title is shown and the app reports no script running for QUIET_S
    seconds in a row (a page may rerun itself once, e.g. to enter the app's frame).
    """
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible(
        timeout=PAGE_TIMEOUT_MS
    )
    app = page.get_by_test_id("stApp")
    deadline = time.perf_counter() + PAGE_TIMEOUT_MS / 1000
    quiet_since = None
    while time.perf_counter() < deadline:
        if app.get_attribute("data-test-script-state") == "notRunning":
            quiet_since = quiet_since or time.perf_counter()
            if time.perf_counter() - quiet_since >= QUIET_S:
                return quiet_since
        else:
            quiet_since = None
        page.wait_for_timeout(50)
    raise TimeoutError(f"{title}: the page was still running after {PAGE_TIMEOUT_MS} ms")


def _click_through(url: str, sampler: Sampler) -> list[tuple[str, float, int, int]]:
    """Per page: title, seconds until its run finished, peak RSS during it, exceptions shown."""
    from playwright.sync_api import sync_playwright

    visits = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            for number, (path, title) in enumerate(PAGES):
                sampler.take_window()
                started = time.perf_counter()
                if number == 0:
                    page.goto(f"{url}/{path}")
                else:
                    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
                spent = _wait_for_run(page, title) - started
                errors = page.get_by_test_id("stException").count()
                visits.append((title, spent, sampler.take_window(), errors))
        finally:
            browser.close()
    return visits


def run(scale: float = dataset.FULL_SCALE, write: bool = True) -> dict[str, float]:
    """Peak resident GB of the server over the whole click-through, and per page."""
    data = dataset.ensure(scale)
    with tempfile.TemporaryDirectory(prefix="sqd-bench-dashboard-") as tmp:
        log = Path(tmp) / "streamlit.log"
        proc, url = _start_server(data.db, log)
        sampler = Sampler(proc.pid)
        sampler.start()
        try:
            idle = rss_bytes(proc.pid)
            visits = _click_through(url, sampler)
        finally:
            sampler.stop()
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    gb = 1024**3
    figures = {"peak_gb": sampler.peak / gb, "idle_gb": idle / gb}
    figures |= {f"{title} seconds": spent for title, spent, _, _ in visits}
    figures["exceptions"] = float(sum(v[3] for v in visits))
    if write:
        lines = [
            f"`streamlit run app.py` on the scale-{scale:g} warehouse"
            f" ({data.db.stat().st_size / 1e9:.1f} GB file), a fresh server; Chromium clicks"
            " each page in the menu and waits for its run to finish. RSS of the server's"
            " process tree sampled every 0.1 s.",
            "",
            "| page | seconds (first visit) | peak RSS during it, GB | exceptions shown |",
            "|---|---|---|---|",
            f"| server started, idle | | {idle / gb:.2f} | |",
        ]
        lines += [f"| {t} | {s:.1f} | {p / gb:.2f} | {e} |" for t, s, p, e in visits]
        lines.append(
            f"| **peak over the click-through** (target < {TARGET_GB} GB) | |"
            f" {figures['peak_gb']:.2f} | {verdict(figures['peak_gb'] < TARGET_GB)} |"
        )
        record(f"Dashboard memory (scale {scale:g})", lines)
    return figures
