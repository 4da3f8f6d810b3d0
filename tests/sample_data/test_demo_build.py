"""build_demo loads every generated file through the real loaders, and secrets never reach the warehouse."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import polars as pl
import pytest
from mnemonic import Mnemonic
from readback import messages

from sample_data import DemoBuild, build_demo

WORDS = set(Mnemonic("english").wordlist)
TX_CONTEXT = re.compile(r"(?i)tx|hash|交易|хеш|transac")
HEX_KEY = re.compile(r"(?<![0-9A-Za-z])(?:0x)?[0-9a-f]{64}(?![0-9A-Za-z])")


def seed_phrases(text: str) -> list[str]:
    """Runs of 12 or more BIP39 words (numbering and line breaks ignored)."""
    runs, current = [], []
    for token in re.findall(r"[A-Za-z]+", text):
        if token in WORDS:
            current.append(token)
            continue
        if len(current) >= 12:
            runs.append(" ".join(current))
        current = []
    if len(current) >= 12:
        runs.append(" ".join(current))
    return runs


def private_keys(text: str) -> list[str]:
    """64-hex strings that are not quoted as a transaction hash."""
    return [] if TX_CONTEXT.search(text) else HEX_KEY.findall(text)


def has_valid_checksum(run: str) -> bool:
    """Whether some 12- or 24-word window of the run is a valid BIP39 phrase."""
    words = run.split()
    checker = Mnemonic("english")
    windows = (words[i : i + n] for n in (12, 24) for i in range(len(words) - n + 1))
    return any(checker.check(" ".join(window)) for window in windows)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoBuild:
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    steps: list[tuple[str, float]] = []
    build = build_demo(
        db, seed=7, scale=0.05, progress=lambda label, done: steps.append((label, done))
    )
    build.steps = steps  # type: ignore[attr-defined]
    return build


def test_every_file_loads_with_accounting_that_holds(demo: DemoBuild) -> None:
    assert len(demo.reports) == len(demo.files) == 11
    for item, report in zip(demo.files, demo.reports, strict=True):
        assert (
            report.rows_read
            == report.inserted + report.updated + report.unchanged + report.quarantined
        )
        assert report.inserted > 0, item.path.name


def test_quarantine_holds_exactly_the_planted_malformed_rows(demo: DemoBuild) -> None:
    for item, report in zip(demo.files, demo.reports, strict=True):
        assert report.quarantined == item.malformed_rows, item.path.name


def test_progress_is_reported_from_zero_to_one_and_timings_are_returned(demo: DemoBuild) -> None:
    fractions = [done for _, done in demo.steps]  # type: ignore[attr-defined]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0 and fractions == sorted(fractions)
    assert demo.generate_seconds > 0 and demo.load_seconds > 0
    assert demo.db.exists()


def test_no_planted_seed_phrase_or_private_key_survives_in_the_warehouse(demo: DemoBuild) -> None:
    folder = demo.files[0].path.parent
    assert not folder.exists()  # generated into a temporary folder that is gone now
    con = duckdb.connect(str(demo.db), read_only=True)
    bodies = [row[0] or "" for row in con.execute("select body from messages").fetchall()]
    con.close()
    assert len(bodies) > 10_000
    assert not any(seed_phrases(body) for body in bodies)
    assert not any(private_keys(body) for body in bodies)


def test_the_exports_do_carry_the_secrets_the_loader_must_remove(small: list) -> None:
    folder: Path = small[0].path.parent
    bodies = messages(folder)["body"].fill_null("").to_list()
    phrases = [p for body in bodies for p in seed_phrases(body)]
    keys = [k for body in bodies for k in private_keys(body)]
    # 400 secrets per unit of scale: at 0.05 about 12 seed phrases and 8 keys.
    assert len(phrases) >= 6 and len(keys) >= 3
    assert all(has_valid_checksum(p) for p in phrases)
    assert pl.Series(bodies).str.contains("@").sum() > 10
