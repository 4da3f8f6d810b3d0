"""The digest as PDF: the same HTML page printed by Debian's Chromium (headless
``--print-to-pdf``), when it is installed; otherwise one line saying how to get it."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM = ("/usr/bin/chromium", "chromium", "chromium-browser")
HOW_TO_GET = (
    "PDF needs Chromium: install it with `sudo apt-get install chromium` (Debian/Ubuntu), "
    "or write HTML (--format html) and print it from a browser"
)


def find_chromium() -> str | None:
    """The Chromium executable, or None when none is installed."""
    for name in CHROMIUM:
        found = shutil.which(name)
        if found:
            return found
    return None


def html_to_pdf(html: str, out: Path, chromium: str | None = None) -> None:
    """Print ``html`` to ``out`` with headless Chromium; OSError (one line) when it cannot."""
    browser = chromium or find_chromium()
    if browser is None:
        raise OSError(HOW_TO_GET)
    with tempfile.TemporaryDirectory(prefix="sqd-digest-") as folder:
        page = Path(folder) / "digest.html"
        page.write_text(html, encoding="utf-8")
        command = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--no-pdf-header-footer",
            f"--user-data-dir={folder}/profile", f"--print-to-pdf={out.resolve()}", page.as_uri(),
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, timeout=120, check=False)
    if done.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        last = (done.stderr.decode(errors="replace").strip().splitlines() or ["no output"])[-1]
        raise OSError(f"Chromium could not print the digest to {out}: {last}")
