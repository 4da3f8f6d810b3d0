"""A progress display for loads that take more than a moment (rich, on stderr)."""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


class LoadProgress:
    """Shows "file: step" with a spinner and elapsed time; silent when disabled or not a terminal.

    The display appears only after half a second, so quick loads print nothing extra.
    """

    def __init__(self, enabled: bool) -> None:
        self._console = Console(stderr=True)
        self._enabled = enabled and self._console.is_terminal
        self._progress: Progress | None = None
        self._task = None
        self._started = time.monotonic()

    def __enter__(self) -> LoadProgress:
        if self._enabled:
            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
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
        if self._progress is not None and self._task is not None:
            self._progress.stop()

    def file_step(self, file_label: str) -> Callable[[str], None]:
        """A callback that announces the current step for ``file_label``."""

        def announce(step: str) -> None:
            if self._progress is None:
                return
            if self._task is None:
                if time.monotonic() - self._started < 0.5:
                    return
                self._progress.start()
                self._task = self._progress.add_task("")
            self._progress.update(self._task, description=f"{file_label}: {step}")

        return announce
