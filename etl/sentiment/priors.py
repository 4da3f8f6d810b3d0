"""Dense 'prior' features from a lexicon scorer, appended to the n-gram features of a model.

A model may use the scores of an existing lexicon (VADER for English, the team's word lists
for Spanish, Russian and Chinese) as a few extra features: the linear model learns how much
to trust them. Kept only where it measurably helps (docs/sentiment.md).
"""

from __future__ import annotations

from functools import cache

import numpy as np

PRIORS = ("vader", "lexicon-es", "lexicon-ru", "lexicon-zh")


@cache
def _vader():  # noqa: ANN202 - the analyzer class is untyped
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _vader_rows(texts: list[str]) -> np.ndarray:
    analyzer = _vader()
    rows = []
    for text in texts:
        s = analyzer.polarity_scores(text)
        rows.append((s["neg"], s["neu"], s["pos"], s["compound"]))
    return np.asarray(rows, dtype=np.float32).reshape(len(texts), 4)


def _lexicon_rows(kind: str, texts: list[str]) -> np.ndarray:
    from etl.sentiment_scorers import CANDIDATES

    score = {s.method: s.score for s in CANDIDATES}[kind]
    values = np.asarray([score(t) for t in texts], dtype=np.float32)
    return np.column_stack([np.maximum(values, 0), np.maximum(-values, 0)]).reshape(len(texts), 2)


def prior_features(kind: str | None, texts: list[str]) -> np.ndarray:
    """The ``kind`` prior's features of each text: (n, 4) for VADER, (n, 2) for a word list,
    (n, 0) without a prior."""
    if kind is None:
        return np.zeros((len(texts), 0), dtype=np.float32)
    if kind == "vader":
        return _vader_rows(texts)
    if kind in PRIORS:
        return _lexicon_rows(kind, texts)
    raise ValueError(f"unknown prior {kind!r}; expected one of {PRIORS}")
