"""Fixtures for the dashboard: a tiny warehouse, a clean environment, a live server, Chromium."""

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

import pytest
import streamlit as st
from playwright.sync_api import Browser

from warehouse.writer import open_for_write

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
CHROMIUM = Path("/usr/bin/chromium")
CHROME_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ENV_VARS = (
    "SUPPORT_DB",
    "SUPPORT_FACTS",
    "SUPPORT_SETTINGS",
    "SUPPORT_DEMO_SCALE",
    "XDG_DATA_HOME",
)


def build_tiny_warehouse(db: Path) -> None:
    """Two loads (one with 3 quarantined rows, one clean), 3 tickets, 2 messages."""
    with open_for_write(db) as con:
        con.execute(
            """
            INSERT INTO load_runs (run_id, kind, file, started_at, finished_at, rows_read,
                inserted, updated, unchanged, quarantined, status, source, mapping)
            VALUES
            (1, 'tickets', '/exports/tickets.csv', '2026-01-05 09:00:00+00',
             '2026-01-05 09:00:02+00', 6, 3, 0, 0, 3, 'ok with quarantine', 'zendesk', 'zendesk'),
            (2, 'messages', '/exports/chat.json', '2026-01-06 10:00:00+00',
             '2026-01-06 10:00:01+00', 2, 2, 0, 0, 0, 'ok', 'chat', 'generic_chat')
            """
        )
        con.execute(
            """
            INSERT INTO quarantine (run_id, row_number, kind, file, raw, reason) VALUES
            (1, 2, 'tickets', '/exports/tickets.csv', '{"id": "T8", "created": "soon"}',
             'created_at "soon" is not a date-time (expected ISO 8601 or epoch seconds)'),
            (1, 5, 'tickets', '/exports/tickets.csv', '{"id": "T9", "created": "later"}',
             'created_at "later" is not a date-time (expected ISO 8601 or epoch seconds)'),
            (1, 6, 'tickets', '/exports/tickets.csv', '{"id": "T10", "status": "wip"}',
             'status "wip" is not one of: new, open, pending, hold, solved, closed')
            """
        )
        con.execute(
            """
            INSERT INTO tickets (source, ticket_id, created_at) VALUES
            ('zendesk', 'T1', '2026-01-05 08:00:00+00'),
            ('zendesk', 'T2', '2026-01-05 08:30:00+00'),
            ('zendesk', 'T3', '2026-01-05 08:45:00+00')
            """
        )
        con.execute(
            """
            INSERT INTO messages (source, message_id, conversation_id, sent_at, sender_type)
            VALUES ('chat', 'M1', 'C1', '2026-01-06 09:00:00+00', 'customer'),
                   ('chat', 'M2', 'C1', '2026-01-06 09:05:00+00', 'agent')
            """
        )


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches() -> Iterator[None]:
    """AppTest runs share the process's caches; every test starts from empty ones."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No warehouse settings from the machine; XDG data home inside tmp_path (returned)."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    empty_settings = tmp_path / "settings.toml"
    empty_settings.write_text("# no [warehouse] section\n")
    monkeypatch.setenv("SUPPORT_SETTINGS", str(empty_settings))
    data_home = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    return data_home


@pytest.fixture
def tiny_db(clean_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tiny warehouse that SUPPORT_DB points to."""
    db = tmp_path / "tiny.duckdb"
    build_tiny_warehouse(db)
    monkeypatch.setenv("SUPPORT_DB", str(db))
    return db


@pytest.fixture
def demo(demo_db: Path, clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The session's demo warehouse, which SUPPORT_DB points to."""
    monkeypatch.setenv("SUPPORT_DB", str(demo_db))
    return demo_db


@pytest.fixture
def fake_demo(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, float]]:
    """Replace ``sample_data.build_demo`` with a fast fake that builds the tiny warehouse.

    Returns the list of (db, scale) it was called with.
    """
    calls: list[tuple[Path, float]] = []

    def build_demo(db: Path, seed: int = 7, scale: float = 1.0, progress=None) -> None:
        calls.append((Path(db), scale))
        progress("Generating tickets", 0.4)
        build_tiny_warehouse(Path(db))
        progress("Writing the warehouse", 1.0)

    try:
        import sample_data
    except ImportError:  # the generator is not in this checkout yet: patch our import hook
        monkeypatch.setattr("dashboard.demo._demo_builder", lambda: build_demo)
    else:
        monkeypatch.setattr(sample_data, "build_demo", build_demo, raising=False)
    return calls


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(db: Path, log: Path) -> Iterator[str]:
    """``streamlit run app.py`` on a free localhost port with SUPPORT_DB = ``db``; yields its URL."""
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    env["SUPPORT_DB"] = str(db)
    port = _free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless", "true",
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_healthy(proc, url, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def streamlit_server(folder: Path) -> Iterator[str]:
    """The dashboard serving a tiny warehouse built in ``folder``."""
    db = folder / "tiny.duckdb"
    build_tiny_warehouse(db)
    with serve(db, folder / "streamlit.log") as url:
        yield url


def _wait_until_healthy(proc: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + 30
    while proc.poll() is None:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    raise RuntimeError(f"streamlit exited: {log.read_text(errors='replace')}")


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[str]:
    """A live server whose first session has already run (see ``cold_app_url`` for why)."""
    with streamlit_server(tmp_path_factory.mktemp("server")) as url:
        warm = browser.new_page()
        warm.goto(url + "/")
        warm.wait_for_selector('[data-testid="stMetric"]', timeout=30_000)
        warm.close()
        yield url


@pytest.fixture
def cold_app_url(tmp_path: Path) -> Iterator[str]:
    """A freshly started server nobody has opened yet.

    Streamlit 1.67 runs a process's very first script run in the old pages/-folder mode
    (``PagesManager.uses_pages_directory``), before app.py's ``st.navigation`` turns it off.
    """
    with streamlit_server(tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's launch options, pointed at Debian's Chromium (never a download)."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROME_ARGS}


@pytest.fixture(scope="session")
def matrix_warehouses(tmp_path_factory: pytest.TempPathFactory, real_warehouses_shared) -> dict:
    """Every warehouse of the page matrix (tests/dashboard/matrix.py), built once a session
    (the real-data ones shared read-only with other tests): name -> (path, every metric's
    availability status)."""
    from matrix import WAREHOUSES, build, statuses

    folder = tmp_path_factory.mktemp("matrix")
    built = {}
    for name in WAREHOUSES:
        db = build(name, folder, real_warehouses_shared)
        built[name] = (db, statuses(db))
    return built
