"""A cached call a page starts early and shows later, made on a thread beside the page's script.

A page's script runs its calls one after another; a call whose result is shown further down
(the Overview's alerts: about a second of DuckDB work at scale 33, most of it outside the
GIL) can run on a thread of its own while the script makes the figures above and below it,
so the page waits for the longer of the two instead of their sum. The thread carries the
script's run context, as Streamlit's own threads do, so the cached call sees the session.
The result, or the error the call raised, is handed over by ``result()``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

T = TypeVar("T")


class Pending(Generic[T]):
    """``fn(*args, **kwargs)`` started on a thread now; ``result()`` waits for it."""

    def __init__(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> None:
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(fn, args, kwargs), name="page-call", daemon=True
        )
        ctx = get_script_run_ctx()
        if ctx is not None:
            add_script_run_ctx(self._thread, ctx)
        self._thread.start()

    def _run(self, fn: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        try:
            self._value = fn(*args, **kwargs)
        except BaseException as err:  # handed to the script, which shows it as its own
            self._error = err

    def result(self) -> T:
        """The call's value once it has finished; its exception, raised here, if it failed."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]
