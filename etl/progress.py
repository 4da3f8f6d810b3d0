"""A progress bar for loads that take more than a moment (rich, on stderr).

Each file advances through the same steps (read, validate, redact, enrich,
write); the bar shows the step and the elapsed time. It appears only after half
a second, so quick loads print nothing extra, and never when stderr is not a
terminal (CI logs, pipes).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rich is imported only when a bar is shown (a script's load skips it)
    from rich.console import Console
    from rich.progress import Progress, TaskID

STEPS = ("reading", "validating", "redacting", "enriching", "writing")


class LoadProgress:
    """One bar per file over STEPS; silent when disabled or not on a terminal."""

    def __init__(self, enabled: bool, console: Console | None = None) -> None:
        if console is None and enabled and sys.stderr.isatty():
            from rich.console import Console

            console = Console(stderr=True)
        self._console = console
        self._enabled = enabled and console is not None and console.is_terminal
        self._progress: Progress | None = None
        self._tasks: dict[str, TaskID] = {}
        self._started = time.monotonic()

    def __enter__(self) -> LoadProgress:
        if self._enabled:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.fields[step]}"),
                TimeElapsedColumn(),
                console=self._console,
                transient=True,
            )
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None and self._tasks:
            self._progress.stop()

    def file_step(self, file_label: str) -> Callable[[str], None]:
        """A callback that moves ``file_label``'s bar to the named step."""

        def announce(step: str) -> None:
            if self._progress is None:
                return
            if not self._tasks:
                if time.monotonic() - self._started < 0.5:
                    return
                self._progress.start()
            if file_label not in self._tasks:
                self._tasks[file_label] = self._progress.add_task(
                    file_label, total=len(STEPS), step=""
                )
            done = STEPS.index(step) if step in STEPS else len(STEPS)
            self._progress.update(self._tasks[file_label], completed=done, step=step)

        return announce
