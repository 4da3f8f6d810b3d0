"""``python -m dashboard.serve`` (what ``support-dashboard run`` starts) makes the first visit
itself: before any browser connects, the server runs the default page once, so its imports,
the open warehouse and the page's cached metric calls are ready for the first visitor."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from conftest import ENV_VARS, ROOT, _free_port, build_tiny_warehouse

from dashboard.warmup import DEFERRED_IMPORTS

WARM_TIMEOUT_S = 180


def _serve_until_warm(
    db: Path | None, folder: Path, then: Callable[[], None] | None = None, until: str = ""
) -> str:
    """Start the server on ``db`` (None: the per-user demo path in ``folder``), wait for the
    end of its warm-up (then call ``then`` and wait for ``until`` in the log), stop it;
    return the whole log."""
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    env["XDG_DATA_HOME"] = str(folder / "xdg-data")
    settings = folder / "settings.toml"
    settings.write_text("# no [warehouse] section\n")
    env["SUPPORT_SETTINGS"] = str(settings)
    if db is not None:
        env["SUPPORT_DB"] = str(db)
    log = folder / "server.log"
    command = [
        sys.executable, "-m", "dashboard.serve", "--server.headless", "true",
        "--server.address", "127.0.0.1", "--server.port", str(_free_port()),
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + WARM_TIMEOUT_S
        for wanted, action in (("warm-up: done in ", then), (until, None)):
            while wanted not in log.read_text(errors="replace"):
                assert proc.poll() is None, log.read_text(errors="replace")
                assert time.monotonic() < deadline, log.read_text(errors="replace")
                time.sleep(0.2)
            if action is not None:
                action()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return log.read_text(errors="replace")


def _warm_line(log: str) -> str:
    return next(line for line in log.splitlines() if "warm-up:" in line)


def test_the_server_runs_the_first_page_before_any_browser_connects(tmp_path):
    db = tmp_path / "tiny.duckdb"
    build_tiny_warehouse(db)
    log = _serve_until_warm(db, tmp_path)
    line = _warm_line(log)
    # The start page switches to the first menu page; the warm run waits for that page's
    # end (not the start page's early end) and names the title it showed, with no error.
    assert "warm-up: the first page Overview ran in " in line, line
    assert "error" not in line, line
    # No browser connected meanwhile: the other pages' libraries are imported too.
    assert "warm-up: imported scipy and scikit-learn for the other pages in " in log, log


def test_after_a_load_the_server_makes_the_first_visit_on_the_new_file(tmp_path):
    db = tmp_path / "tiny.duckdb"
    build_tiny_warehouse(db)

    def load() -> None:  # what a load does to the served path: a new file swapped in
        shutil.copy2(db, tmp_path / "next.duckdb")
        os.replace(tmp_path / "next.duckdb", db)

    log = _serve_until_warm(db, tmp_path, then=load, until="warm-up: new warehouse version: ")
    visits = [line for line in log.splitlines() if "warm-up: new warehouse version: " in line]
    # once (the file changed once), the first page shown with no error
    assert len(visits) == 1, log
    assert "the first page Overview ran in " in visits[0] and "error" not in visits[0], log


def test_without_a_warehouse_a_configured_path_is_not_filled_by_the_warm_up(tmp_path):
    missing = tmp_path / "nowhere" / "support.duckdb"
    line = _warm_line(_serve_until_warm(missing, tmp_path))
    # SUPPORT_DB names a missing file: the app says so and offers a button; nobody pressed
    # it, so no page title is shown and nothing is built.
    assert "warm-up: the first page (no title) ran in " in line, line
    assert not missing.exists()


def test_the_first_page_loads_neither_scipy_nor_scikit_learn(tmp_path):
    # They take most of the import time (about 0.8 s of 1.8 s CPU) and only other pages'
    # figures use them (intervals, kappa, topics, the sentiment model, the forecast): the
    # metric modules import them on first use. A fresh process, as a server start is.
    db = tmp_path / "tiny.duckdb"
    build_tiny_warehouse(db)
    script = (
        "import sys; from streamlit.testing.v1 import AppTest; "
        f"at = AppTest.from_file({str(ROOT / 'app.py')!r}, default_timeout=120); at.run(); "
        "print([t.value for t in at.title], len(at.exception), "
        "sorted({m.split('.')[0] for m in sys.modules} & {'scipy', 'sklearn'}))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    env |= {"SUPPORT_DB": str(db), "XDG_DATA_HOME": str(tmp_path / "xdg-data")}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "['Overview'] 0 []"


def _deferred_in(source: Path) -> set[str]:
    """scipy and scikit-learn modules imported inside a function of ``source``."""
    tree = ast.parse(source.read_text(encoding="utf-8"))
    nested = {
        node
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
    }
    names = {alias.name for node in nested if isinstance(node, ast.Import) for alias in node.names}
    for node in nested:  # `from scipy import stats` imports scipy.stats
        if isinstance(node, ast.ImportFrom) and node.module:
            package = "." not in node.module
            names |= {f"{node.module}.{a.name}" if package else node.module for a in node.names}
    return {n for n in names if n.split(".")[0] in ("scipy", "sklearn")}


def test_the_warm_up_imports_every_library_the_metric_modules_defer():
    deferred = set().union(*(_deferred_in(p) for p in (ROOT / "metrics").rglob("*.py")))
    # compare (scipy.stats), reviews, topic_model, sentiment_model and forecast (scikit-learn)
    assert "scipy.stats" in deferred and "sklearn.metrics" in deferred
    assert deferred <= set(DEFERRED_IMPORTS), deferred - set(DEFERRED_IMPORTS)
