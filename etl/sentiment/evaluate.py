"""Evaluating sentiment methods on every corpus test split and on the support fixture."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from etl.sentiment.corpora import Split, read_labelled_toml
from etl.sentiment.decision import EDGE, Thresholds, labels
from etl.sentiment.models import SentimentModel
from etl.sentiment.scoring import figures

# Today's scorer per language (before the trained models): a score in [-1, 1] read at +-0.05.
LEGACY = {
    "en": "vader",
    "es": "lexicon-es",
    "fr": "textblob-fr",
    "ru": "lexicon-ru",
    "zh": "lexicon-zh",
}
Labeller = Callable[[list[str]], list[str]]


def legacy_score(method: str) -> Callable[[str], float]:
    """The score function of a lexicon method ('vader', 'lexicon-es', 'textblob-fr', ...)."""
    from etl.sentiment_scorers import CANDIDATES

    if method == "vader":
        from etl.sentiment.priors import _vader

        return lambda text: float(_vader().polarity_scores(text)["compound"])
    return {s.method: s.score for s in CANDIDATES}[method]


def legacy_labeller(method: str) -> Labeller:
    """Labels from a lexicon score with VADER's thresholds (+-0.05)."""
    score = legacy_score(method)

    def label(texts: list[str]) -> list[str]:
        values = np.asarray([score(t) for t in texts])
        return np.where(
            values >= EDGE, "positive", np.where(values <= -EDGE, "negative", "neutral")
        ).tolist()

    return label


def model_labeller(model: SentimentModel, thresholds: Thresholds) -> Labeller:
    return lambda texts: labels(model.probabilities(texts), thresholds).tolist()


def evaluate(labeller: Labeller, tests: list[Split], fixture: Path | None, language: str) -> dict:
    """Figures (scoring.figures) per test split name, and under 'fixture' when one is given."""
    out = {}
    for split in tests:
        out[split.name] = figures(
            split.frame["label"].to_list(), labeller(split.frame["text"].to_list())
        )
    if fixture is not None:
        frame = read_labelled_toml(fixture, language)
        out["fixture"] = figures(frame["label"].to_list(), labeller(frame["text"].to_list()))
    return out
