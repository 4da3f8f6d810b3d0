"""`python -m metrics digest --format pdf`: Debian's Chromium prints the HTML digest to a real
PDF; without Chromium the command says in one line how to get it, and writes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from quiet import build

from metrics.__main__ import main
from metrics.digest import pdf

CHROMIUM = Path("/usr/bin/chromium")
DIGEST = ["--period", "2026-03-09:2026-03-15"]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "steady.duckdb"
    build(path, peaks={date(2026, 3, 9): 60})
    return path


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed")
def test_the_pdf_digest_is_printed_by_chromium(db, tmp_path, capsys):
    out = tmp_path / "digest.pdf"
    assert main(["digest", "--db", str(db), *DIGEST, "--out", str(out), "--format", "pdf"]) == 0
    assert capsys.readouterr().out.startswith("wrote the digest of 2026-03-09 to 2026-03-15")
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    assert len(data) > 5_000  # a printed page with text and the inline SVG, not an empty file


def test_without_chromium_the_pdf_digest_is_one_line_saying_how_to_get_it(
    db, tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr(pdf, "CHROMIUM", (str(tmp_path / "no-such-chromium"),))
    monkeypatch.setenv("PATH", str(tmp_path))  # and no chromium on the PATH either
    out = tmp_path / "digest.pdf"
    assert main(["digest", "--db", str(db), *DIGEST, "--out", str(out), "--format", "pdf"]) != 0
    err = capsys.readouterr().err
    assert err == f"error: {pdf.HOW_TO_GET}\n"
    assert not out.exists()
