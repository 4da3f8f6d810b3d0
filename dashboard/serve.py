"""``python -m dashboard.serve [STREAMLIT OPTION ...]``: ``streamlit run app.py``, warmed at start.

What ``support-dashboard run`` (and ``make run``) start. Beside the server a thread makes the
first visit itself (dashboard.warmup) as soon as Streamlit's runtime is up, so the first
person to open the dashboard after a start does not wait for the imports, the warehouse
opening and the first page's metric calls (issue 20: under 3 s at scale 33). A visitor
arriving while it runs waits only for what is left of it: the same cached calls are not
computed twice. The thread then watches the warehouse file and makes the first visit again
after each load (``warmup.watch_loads``).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Sequence

from dashboard import warmup


def _warm() -> None:
    started = time.perf_counter()
    seen = None
    try:
        warmup.wait_for_runtime()
        seen = warmup.served_version()  # before the visit: a load meanwhile is visited next
        warmup.log(f"{warmup.first_visit()} in {time.perf_counter() - started:.1f} s")
        step = time.perf_counter()
        warmup.log(f"{warmup.import_deferred()} in {time.perf_counter() - step:.1f} s")
    except Exception as err:  # never fatal: a visitor's run does the same work and shows errors
        warmup.log(f"stopped ({type(err).__name__}: {err})")
    warmup.log(f"done in {time.perf_counter() - started:.1f} s")
    try:
        warmup.watch_loads(seen)
    except Exception as err:  # never fatal: after a load the first visitor's run does the work
        warmup.log(f"stopped watching for loads ({type(err).__name__}: {err})")


def main(argv: Sequence[str] | None = None) -> None:
    """Start the warm-up thread, then run Streamlit on app.py in this process (until it ends)."""
    from streamlit.web import cli

    args = list(sys.argv[1:] if argv is None else argv)
    # Before the server answers, so no visitor waits for it (app.py imports it on every run
    # for the reason given there; here that import costs nothing).
    import pandas  # noqa: F401

    threading.Thread(target=_warm, name="warm-up", daemon=True).start()
    cli.main(["run", str(warmup.APP), *args], prog_name="streamlit")


if __name__ == "__main__":
    main()
