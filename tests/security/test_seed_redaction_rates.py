"""Seed-phrase redaction holds its measured rates: recall >= 99.9% per list, layout and variant
on the generated corpus, false positives <= 0.01% of ordinary texts.

The full measurement (2,000 phrases per list and layout, every ordinary text) is
``python -m bench.redaction_rates``, recorded in tests/fixtures/redaction_rates.md; these tests
check that record and re-measure a seeded sample of both sides in seconds.
"""

from __future__ import annotations

import re

import pytest

from bench import seed_corpus
from bench.redaction_rates import (
    FULL_PER_CELL,
    MAX_FALSE_POSITIVE,
    MIN_RECALL,
    RATES,
    SEED_SECTION,
    false_positives,
    recall_cells,
)
from bench.redaction_texts import SHARED, ordinary_texts
from etl.redact import REDACTION_VERSION

ROW = re.compile(r"^\| (\S+:\S+) \| ([^|]+) \| ([^|]+) \| (\d+) \| (\d+) \| ([\d.]+) \|$", re.M)
ALL = re.compile(r"^\| \*\*all\*\* \| (\d+) \| (\d+) \| [\d.]+% \|$", re.M)


def _section() -> str:
    text = RATES.read_text(encoding="utf-8")
    assert SEED_SECTION in text, "run python -m bench.redaction_rates"
    return text[text.index(SEED_SECTION) :]


def test_the_recorded_full_run_is_for_the_current_rules_and_covers_every_cell():
    section = _section()
    assert f"(redaction version {REDACTION_VERSION})" in section
    recorded = {(m[0], m[1].strip(), m[2].strip()) for m in ROW.findall(section)}
    expected = {
        (wl, layout, variant)
        for wl in seed_corpus.BIP39_LISTS + seed_corpus.OTHER_LISTS
        for layout in seed_corpus.layouts_for(wl)
        for variant in seed_corpus.variants_for(wl, layout)
    }
    assert recorded == expected


def test_the_recorded_recall_is_at_least_99_9_percent_in_every_cell():
    for wl, layout, variant, phrases, missed, _ in ROW.findall(_section()):
        wanted = FULL_PER_CELL if variant == "exact" else FULL_PER_CELL // 4
        assert int(phrases) >= wanted, (wl, layout, variant)
        assert 1 - int(missed) / int(phrases) >= MIN_RECALL, (wl, layout, variant, missed)


def test_the_recorded_false_positive_rate_is_at_most_0_01_percent():
    texts, flagged = map(int, ALL.search(_section()).groups())
    assert texts > 200_000
    assert flagged / texts <= MAX_FALSE_POSITIVE


def test_a_fresh_sample_of_every_cell_is_removed():
    # another seed than the recorded run: 10 phrases per list and layout, 2 per variant
    cells = recall_cells(per_cell=10, seed=2026)
    assert [(c.word_list, c.layout, c.variant, c.misses) for c in cells if c.misses] == []
    assert sum(c.cases for c in cells) > 1_500


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared beside the checkout")
def test_a_quarter_of_the_ordinary_texts_gives_at_most_0_01_percent_false_positives():
    sample = [t for texts in ordinary_texts().values() for t in texts[::4]]
    flagged = false_positives(sample)
    assert len(sample) > 50_000
    assert len(flagged) <= MAX_FALSE_POSITIVE * len(sample), flagged
