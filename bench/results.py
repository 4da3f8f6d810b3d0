"""Recording benchmark figures in bench/RESULTS.md with the machine, the date and the command."""

from __future__ import annotations

import os
import platform
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")
HEADER = "# Benchmark results\n\nWritten by the scripts in `bench/` (`make bench`); newest section first per benchmark.\n"


def machine() -> str:
    """Cores, memory and Python of this machine, in one line."""
    memory = "unknown memory"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        match = re.search(r"MemTotal:\s+(\d+) kB", meminfo.read_text())
        if match:
            memory = f"{int(match.group(1)) / 1024 / 1024:.1f} GiB"
    return f"{os.cpu_count()} cores, {memory}, {platform.machine()}, Python {platform.python_version()}"


def record(name: str, lines: list[str], path: Path = RESULTS) -> str:
    """Replace the section ``## name`` in RESULTS.md with ``lines`` plus the date, machine and command."""
    command = (
        "python -m bench " + " ".join(sys.argv[1:])
        if sys.argv[0].endswith("__main__.py")
        else " ".join(sys.argv)
    )
    body = "\n".join(
        [
            f"## {name}",
            "",
            f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            f"- machine: {machine()}",
            f"- command: `{command.strip()}`",
            "",
            *lines,
            "",
        ]
    )
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    sections = re.split(r"(?m)^(?=## )", text)
    kept = [s for s in sections[1:] if not s.startswith(f"## {name}\n")]
    # Sections written by hand (no "- command:" line) stay first, above every script's.
    by_hand = [s for s in kept if "\n- command: `" not in s]
    scripts = [s for s in kept if s not in by_hand]
    head = sections[0].rstrip() + "\n\n" + "".join(by_hand)
    path.write_text(head + body + "\n" + "".join(scripts), encoding="utf-8")
    return body
