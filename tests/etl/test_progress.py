"""The load progress bar: shown on a terminal after a moment, silent otherwise."""

from __future__ import annotations

import io
import time

from rich.console import Console

from etl.progress import LoadProgress


def test_the_bar_is_silent_when_output_is_not_a_terminal():
    out = io.StringIO()
    with LoadProgress(enabled=True, console=Console(file=out, force_terminal=False)) as progress:
        progress.file_step("big.csv")("reading")
    assert out.getvalue() == ""


def test_the_bar_names_the_file_and_step_on_a_slow_terminal_load():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100)
    with LoadProgress(enabled=True, console=console) as progress:
        time.sleep(0.6)
        step = progress.file_step("big.csv")
        step("reading")
        step("enriching")
    text = out.getvalue()
    assert "big.csv" in text and "enriching" in text
