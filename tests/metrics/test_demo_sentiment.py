"""The demo's customer texts, scored at load by the trained models, carry the sentiment the
generator gives them: complaints after a reopen or a repeat contact read negative, thanks
positive, plain problem reports mostly neutral, in every language (issue 13, point 11)."""

from __future__ import annotations

import tomllib

import polars as pl
import pytest

from sample_data.content import TEMPLATE_DIR
from warehouse.reader import ReadOnlyWarehouse

LANGUAGES = ("en", "zh", "es", "ru", "fr")
# Which of the generator's customer template classes say what (sample_data/templates/*.toml).
CLASSES = {"negative": ("reopen", "repeat"), "positive": ("thanks", "bot_ok")}
MIN_SHARE = 0.75


def templates(language: str, kind: str) -> list[str]:
    with open(TEMPLATE_DIR / f"{language}.toml", "rb") as handle:
        customer = tomllib.load(handle)["customer"]
    return [text for name in CLASSES[kind] for text in customer[name]]


@pytest.fixture(scope="module")
def scored(demo_db) -> pl.DataFrame:
    wh = ReadOnlyWarehouse(demo_db)
    try:
        return wh.query(
            "SELECT language, body, sentiment, sentiment_method FROM messages"
            " WHERE sender_type = 'customer' AND body IS NOT NULL"
        )
    finally:
        wh.close()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ["negative", "positive"])
def test_complaints_read_negative_and_thanks_positive_in_every_language(scored, language, kind):
    rows = scored.filter(
        (pl.col("language") == language) & pl.col("body").is_in(templates(language, kind))
    )
    assert rows.height >= 20, (language, kind)
    assert rows["sentiment_method"].str.starts_with(f"model-{language}@").all()
    hit = (rows["sentiment"] <= -0.05) if kind == "negative" else (rows["sentiment"] >= 0.05)
    assert hit.mean() >= MIN_SHARE, (language, kind, hit.mean())
