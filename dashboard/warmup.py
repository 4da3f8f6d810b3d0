"""The first visit after a server start, made by the server itself as soon as it runs.

Streamlit runs app.py only once a browser connects, so without this the first visitor waits
for every module the first page imports (polars, DuckDB, plotly, the metrics packages: a
second or two), for the warehouse to open, and for the first page's metric calls.
``first_visit`` runs app.py's default page once in a session without a browser, the way
Streamlit's own script health check does (``Runtime.does_script_run_without_error``), but
waiting for the page the start page switches to. Modules, ``st.cache_resource`` (the open
warehouse) and ``st.cache_data`` (every metric result) are shared by all sessions of the
process, so a visitor's page then makes the same calls and finds them done: nothing a page
shows changes, only when the work happens. AppSession is Streamlit's internal class (no
public API runs a page without a browser): a Streamlit release that changes it makes the
warm-up log that it stopped, and the server runs as before.

With a login configured the warm session is not logged in: it sees the login screen, and
only the imports are warmed.

The first page needs neither scipy nor scikit-learn, so the metric modules import them on
first use; ``import_deferred`` imports them after the first visit when no browser is
connected yet, so that the pages using them do not wait for them either.

A load swaps a new warehouse file in: the sessions' next runs open it and compute every
cached call anew. ``watch_loads`` notices the new file (its identity, polled) and makes the
first visit on it again, so the first visitor after a load finds it done as after a start.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import time
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app.py"
POLL_S = 0.05
LOAD_POLL_S = 2.0  # how often the served file's identity is looked at (a stat)
# What metric modules import inside their functions (tests/dashboard/test_warm_start.py
# keeps this list complete): intervals, kappa, topics, the sentiment model, the forecast.
DEFERRED_IMPORTS = (
    "scipy.stats",
    "sklearn.base",
    "sklearn.decomposition",
    "sklearn.exceptions",
    "sklearn.feature_extraction.text",
    "sklearn.linear_model",
    "sklearn.metrics",
    "sklearn.model_selection",
    "sklearn.pipeline",
    "sklearn.preprocessing",
)


async def _run_default_page(app: Path, timeout_s: float) -> str:
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime import Runtime
    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.script_data import ScriptData
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    session = AppSession(
        script_data=ScriptData(str(app), False),
        uploaded_file_manager=Runtime.instance().uploaded_file_mgr,
        script_cache=ScriptCache(),
        message_enqueued_callback=None,
        user_info={},
    )
    deadline = time.perf_counter() + timeout_s
    titles: list[str] = []
    errors: list[str] = []
    try:
        session.request_rerun(None)
        while time.perf_counter() < deadline:
            for msg in session.flush_browser_queue():
                kind = msg.WhichOneof("type")
                if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                    element = msg.delta.new_element
                    if element.WhichOneof("type") == "heading" and element.heading.tag == "h1":
                        titles.append(element.heading.body)
                    elif element.WhichOneof("type") == "exception":
                        errors.append(element.exception.message)
                # The start page's switch to the first page ends a run early: wait on.
                elif kind == "script_finished" and msg.script_finished in (
                    ForwardMsg.FINISHED_SUCCESSFULLY,
                    ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
                ):
                    return _summary(
                        titles, errors, msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY
                    )
            await asyncio.sleep(POLL_S)
        return f"the first page did not finish in {timeout_s:.0f} s"
    finally:
        session.shutdown()


def _summary(titles: list[str], errors: list[str], compiled: bool) -> str:
    page = " / ".join(titles) or "(no title)"
    if not compiled:
        return "app.py could not be compiled"
    if errors:
        return f"the first page {page} ran with an error: {errors[0]}"
    return f"the first page {page} ran"


def first_visit(app: Path = APP, timeout_s: float = 600.0) -> str:
    """Run ``app``'s default page once without a browser, once the Streamlit runtime of this
    process is up; return what happened, in words. Called on a thread of its own."""
    wait_for_runtime()
    return asyncio.run(_run_default_page(app, timeout_s))


def wait_for_runtime() -> None:
    """Return once the Streamlit runtime of this process is up."""
    from streamlit.runtime import Runtime, RuntimeState

    while not Runtime.exists() or Runtime.instance().state == RuntimeState.INITIAL:
        time.sleep(POLL_S)


def import_deferred() -> str:
    """Import DEFERRED_IMPORTS unless a browser is connected; say what was done.

    A visitor's script run would share the interpreter with these imports (about 0.8 s of
    CPU); with a visitor there, each page imports what it needs when it needs it instead.
    """
    from streamlit.runtime import Runtime, RuntimeState

    if Runtime.instance().state != RuntimeState.NO_SESSIONS_CONNECTED:
        return "a browser is connected: scipy and scikit-learn are left to the pages"
    for name in DEFERRED_IMPORTS:
        importlib.import_module(name)
    return "imported scipy and scikit-learn for the other pages"


def log(message: str) -> None:
    """One line in the server's output, dated as Streamlit's own lines are."""
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} warm-up: {message}", file=sys.stderr, flush=True)


def served_version() -> tuple[int, int, int] | None:
    """The identity of the warehouse file served now (``warehouse.reader.file_key``), or None
    while there is none to read (no file yet, a settings error: the app says so)."""
    from dashboard.config import ConfigError
    from dashboard.data import current_location
    from warehouse.reader import file_key

    try:
        return file_key(current_location().path)
    except (OSError, ConfigError):
        return None


def watch_loads(seen: tuple[int, int, int] | None, poll_s: float = LOAD_POLL_S) -> None:
    """Forever: when the served file changes (a load swapped a new version in), make the
    first visit on it and log it. ``seen``: the version already visited."""
    while True:
        time.sleep(poll_s)
        now = served_version()
        if now is None or now == seen:
            continue
        seen, started = now, time.perf_counter()
        log(f"new warehouse version: {first_visit()} in {time.perf_counter() - started:.1f} s")
