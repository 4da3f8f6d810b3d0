"""The dashboard served for a script that drives it in Chromium (benchmarks, screenshots).

``serve(db, log)`` runs the dashboard as ``support-dashboard run`` does (``python -m
dashboard.serve``: ``streamlit run app.py`` with the first page warmed at start) on a free
localhost port with ``SUPPORT_DB`` on ``db`` and yields its URL; Chromium is Debian's (never
``playwright install``), launched with ``CHROME_ARGS``.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUIET_S = 1.5  # seconds without a script run after which a page counts as finished
CHROMIUM = "/usr/bin/chromium"
CHROME_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(db: Path, log: Path, warmed: bool = True) -> tuple[subprocess.Popen, str]:
    """Start the server; return the process and its URL once it answers its health check.

    ``warmed``: the server users start (``dashboard.serve``, its first page run at start);
    False: plain ``streamlit run app.py``, for comparison.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUPPORT_")}
    env["SUPPORT_DB"] = str(db)
    port = _free_port()
    server = ["dashboard.serve"] if warmed else ["streamlit", "run", str(ROOT / "app.py")]
    command = [
        sys.executable, "-m", *server,
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
    stop(proc)
    raise RuntimeError(f"streamlit did not start:\n{log.read_text(errors='replace')[-2000:]}")


def stop(proc: subprocess.Popen) -> None:
    """End the server (politely first)."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def serve(db: Path, log: Path) -> Iterator[str]:
    """The dashboard on ``db`` for the duration of the block; yields its URL."""
    proc, url = start(db, log)
    try:
        yield url
    finally:
        stop(proc)


def wait_for_run(page, title: str, timeout_ms: int) -> float:
    """Wait until the page's script has finished; return when it did (perf_counter).

    Finished: the page's title is shown and the app reports no script running for QUIET_S
    seconds in a row (a page may rerun itself once, e.g. to enter the app's frame).
    """
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible(timeout=timeout_ms)
    app = page.get_by_test_id("stApp")
    deadline = time.perf_counter() + timeout_ms / 1000
    quiet_since = None
    while time.perf_counter() < deadline:
        if app.get_attribute("data-test-script-state") == "notRunning":
            quiet_since = quiet_since or time.perf_counter()
            if time.perf_counter() - quiet_since >= QUIET_S:
                return quiet_since
        else:
            quiet_since = None
        page.wait_for_timeout(50)
    raise TimeoutError(f"{title}: the page was still running after {timeout_ms} ms")
