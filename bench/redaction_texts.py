"""Ordinary texts nobody here wrote, for measuring how often redaction removes a seed phrase
that is not there: every text of ``../shared/sentiment_corpora/*/*/*.csv``, every free-text
cell of ``../shared/real_data/`` and the support fixtures in ``tests/fixtures``.

A *text* is one corpus row, or one distinct cell of a real export holding at least three
words (ids, dates and codes are not texts anyone writes).
"""

from __future__ import annotations

import csv
import json
import re
import tomllib
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = ROOT / "tests" / "fixtures"
_WORDS = re.compile(r"\w+(?:\W+\w+){2,}")


def _csv_cells(path: Path) -> list[str]:
    """Distinct cells of three words or more (Python's csv: it reads truncated exports)."""
    csv.field_size_limit(1 << 30)
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        cells = (cell for row in csv.reader(handle) for cell in row)
        return list(dict.fromkeys(c for c in cells if _WORDS.search(c)))


def _json_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value] if _WORDS.search(value) else []
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [s for item in value for s in _json_strings(item)]
    return []


def sentiment_texts(shared: Path = SHARED) -> dict[str, list[str]]:
    """``sentiment_corpora/LANG/CORPUS`` -> its texts (train, val and test together)."""
    found: dict[str, list[str]] = {}
    for path in sorted(shared.glob("sentiment_corpora/*/*/*.csv")):
        label = str(path.parent.relative_to(shared))
        texts = pl.read_csv(path, columns=["text"], infer_schema=False)["text"].drop_nulls()
        found.setdefault(label, []).extend(texts.to_list())
    return found


def real_texts(shared: Path = SHARED) -> dict[str, list[str]]:
    """``real_data/DATASET`` -> its distinct free-text cells."""
    found: dict[str, list[str]] = {}
    for path in sorted(shared.glob("real_data/*/*")):
        label = str(path.parent.relative_to(shared))
        if path.suffix == ".csv":
            found.setdefault(label, []).extend(_csv_cells(path))
        elif path.suffix == ".json":
            found.setdefault(label, []).extend(_json_strings(json.loads(path.read_text())))
    return {k: list(dict.fromkeys(v)) for k, v in found.items()}


def fixture_texts(fixtures: Path = FIXTURES) -> dict[str, list[str]]:
    """The support fixtures: CSV exports and the labelled corpus's hard negatives."""
    found = {str(p.relative_to(fixtures.parent)): _csv_cells(p) for p in fixtures.rglob("*.csv")}
    cases = tomllib.loads((fixtures / "redaction_corpus.toml").read_text(encoding="utf-8"))
    negatives = [c["text"] for c in cases["case"] if c["kind"] == "none"]
    found["fixtures/redaction_corpus.toml (negatives)"] = negatives
    return found


def ordinary_texts(shared: Path = SHARED, fixtures: Path = FIXTURES) -> dict[str, list[str]]:
    """Every source above -> its texts."""
    return sentiment_texts(shared) | real_texts(shared) | fixture_texts(fixtures)
