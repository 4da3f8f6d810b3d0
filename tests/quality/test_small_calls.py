"""A call on a few texts (``texts.SMALL`` or fewer) runs each exact pattern once, remembering
each text's result; a larger call runs the loose pattern first. Both give the same values."""

from __future__ import annotations

import polars as pl

from metrics.quality.scoring import texts
from metrics.quality.scoring.phrases import phrases

# word boundaries in and out of Latin, Cyrillic and Chinese text, a null, an empty text
SAID = [
    "Please send me your seed phrase here.",
    "Never share your seed phrase with anyone.",
    "Пришлите, пожалуйста, сид-фразу сюда.",
    "请把您的助记词发给我。",
    "seedphrase without a boundary",
    None,
    "",
]


def _large(said: list[str | None]) -> pl.Series:
    # padded above SMALL with texts that match nothing, so the loose-then-exact path runs
    return pl.Series("t", said + ["ok"] * texts.SMALL, dtype=pl.String)


def test_small_and_large_calls_agree_on_every_operation() -> None:
    p = phrases().patterns
    small = pl.Series("t", SAID, dtype=pl.String)
    large = _large(SAID)
    n = len(SAID)
    for pattern in (p["secret_noun"], p["secret_cue"], p["greeting"], p["jargon"]):
        for _ in range(2):  # the second call reads the remembered results
            assert (
                texts.matches(small, pattern).to_list()
                == texts.matches(large, pattern)[:n].to_list()
            )
            assert (
                texts.extracted(small, pattern).to_list()
                == texts.extracted(large, pattern)[:n].to_list()
            )
            assert (
                texts.replaced(small, pattern).to_list()
                == texts.replaced(large, pattern)[:n].to_list()
            )


def test_small_calls_keep_nulls_and_find_what_they_should() -> None:
    p = phrases().patterns
    found = texts.matches(pl.Series("t", SAID, dtype=pl.String), p["secret_noun"])
    # the English request and warning, the Russian and the Chinese request name a secret;
    # the null text stays null, the empty one names nothing
    assert found.to_list()[:4] == [True, True, True, True]
    assert found.to_list()[5:] == [None, False]
    assert found.name == "t"
    assert found.dtype == pl.Boolean
