"""Fit the learned judge: per category a class-weighted logistic regression over the words of
the labelled conversations (``metrics.quality.scoring.learned_features``).

Deterministic (liblinear, fixed fold assignment), text-only: the phrase judges' verdicts are
not inputs, so a change of the phrase lists does not make the model stale; the labelled
fixtures do (their checksum is in the model's metadata).

The probability threshold of each category is chosen by grouped cross-validation on the
training conversations only (groups: a blind writer, or a team-written split, so a fold
never holds a writer it is tested on): the lowest threshold whose pooled out-of-fold
precision is at least ``PRECISION`` (a false failure costs a trainer's trust), else the one
of best F0.5.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from metrics.quality.scoring import facts
from metrics.quality.scoring.learned_features import ID, conversation_features

LEARNED_CATEGORIES: tuple[str, ...] = (
    "empathy", "comprehension", "solution", "closing", "tone", "readability", "security",
)  # fmt: skip
# Blocks each category reads (customer words only where the category is about the request).
CATEGORY_BLOCKS: dict[str, tuple[str, ...]] = {
    "empathy": ("a", "a2", "f", "g"),
    "comprehension": ("a", "a2", "c", "g"),
    "solution": ("a", "a2", "l", "c", "g"),
    "closing": ("a", "a2", "l", "g"),
    "tone": ("a", "a2", "g"),
    "readability": ("a", "a2", "g", "n"),
    "security": ("a", "a2", "c", "g"),
}
MIN_COUNT = 2  # a feature seen in fewer training conversations is dropped
C = 1.0
PRECISION = 0.9
FOLDS = 5
CONSTANT_LOGIT = 30.0  # a probability of 1 - 1e-13: the constant model's certainty


@dataclass(frozen=True)
class Fitted:
    """One category's model: feature names, weights, bias and decision threshold."""

    category: str
    features: list[str]
    weights: np.ndarray
    bias: float
    threshold: float
    filter_threshold: float


def features_of(messages: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(keys: ID -> source, conversation_id; long features) of labelled messages."""
    frame = facts.ordered(messages)
    return facts.keys(frame), conversation_features(frame)


def writer_group(conversation_id: pl.Expr, split: pl.Expr) -> pl.Expr:
    """A blind writer (ids "en-b01": letter b) or the team-written split."""
    letter = conversation_id.str.extract(r"^[a-z]{2}-([a-z])\d", 1)
    return pl.when(split.str.starts_with("blind")).then(split + "/" + letter).otherwise(split)


def design(long: pl.DataFrame, rows: pl.Series, vocabulary: list[str]) -> sparse.csr_matrix:
    """Rows (conversation IDs in this order) x vocabulary, the feature values."""
    index = pl.DataFrame(
        {"feature": vocabulary, "col": np.arange(len(vocabulary))},
        schema={"feature": pl.String, "col": pl.Int64},
    )
    order = pl.DataFrame({ID: rows, "row": np.arange(len(rows))})
    cells = long.join(order, on=ID).join(index, on="feature")
    return sparse.csr_matrix(
        (cells["value"].to_numpy(), (cells["row"].to_numpy(), cells["col"].to_numpy())),
        shape=(len(rows), len(vocabulary)),
    )


def vocabulary(long: pl.DataFrame, rows: pl.Series, blocks: tuple[str, ...]) -> list[str]:
    """Features of the given blocks seen in at least MIN_COUNT of ``rows``, sorted."""
    block = pl.col("feature").str.extract(r"^([a-z0-9]+):", 1)
    seen = long.filter(pl.col(ID).is_in(rows.implode()) & block.is_in(list(blocks)))
    counts = seen.group_by("feature").agg(pl.col(ID).n_unique().alias("n"))
    return sorted(counts.filter(pl.col("n") >= MIN_COUNT)["feature"].to_list())


def _fit(x: sparse.csr_matrix, y: np.ndarray) -> LogisticRegression:
    model = LogisticRegression(
        C=C, class_weight="balanced", solver="liblinear", max_iter=1000, random_state=0
    )
    return model.fit(x, y)


def choose_threshold(probability: np.ndarray, y: np.ndarray) -> float:
    """Lowest threshold with precision >= PRECISION (most recall), else best F0.5."""
    candidates = np.unique(np.round(probability, 4))
    best_f, best_t = -1.0, 0.5
    for t in sorted(candidates):
        flagged = probability >= t
        caught = int((flagged & (y == 1)).sum())
        if flagged.sum() == 0 or y.sum() == 0:
            continue
        precision, recall = caught / flagged.sum(), caught / y.sum()
        if precision >= PRECISION and caught > 0:
            return float(t)
        f = 1.25 * precision * recall / (0.25 * precision + recall) if caught else 0.0
        if f > best_f:
            best_f, best_t = f, float(t)
    return best_t


def filter_threshold(probability: np.ndarray, y: np.ndarray) -> float:
    """The highest threshold that keeps every out-of-fold failure (recall 1.0 on the
    training conversations): a filter of another judge's failures that drops none it
    should keep, as far as the training rounds show."""
    failures = probability[y == 1]
    return float(np.round(failures.min(), 4)) if failures.size else 0.0


def fit_category(
    category: str, long: pl.DataFrame, rows: pl.Series, y: np.ndarray, groups: np.ndarray
) -> Fitted:
    """Fit on ``rows`` (labels ``y``: 1 = failure); threshold by grouped CV over ``groups``."""
    if y.min() == y.max():  # one class only (no failure to learn): a constant answer
        bias = CONSTANT_LOGIT if y.max() == 1 else -CONSTANT_LOGIT
        return Fitted(category, [], np.zeros(0), bias, 0.5, 0.0)
    blocks = CATEGORY_BLOCKS[category]
    names = np.unique(groups)
    fold_of = {name: i % FOLDS for i, name in enumerate(names)}
    folds = np.array([fold_of[g] for g in groups])
    oof = np.zeros(len(rows))
    for fold in range(FOLDS):
        train, test = folds != fold, folds == fold
        if test.sum() == 0 or y[train].sum() == 0:
            continue
        vocab = vocabulary(long, rows.filter(pl.Series(train)), blocks)
        model = _fit(design(long, rows.filter(pl.Series(train)), vocab), y[train])
        oof[test] = model.predict_proba(design(long, rows.filter(pl.Series(test)), vocab))[:, 1]
    threshold = choose_threshold(oof, y)
    vocab = vocabulary(long, rows, blocks)
    model = _fit(design(long, rows, vocab), y)
    weights = model.coef_[0].copy()
    return Fitted(
        category, vocab, weights, float(model.intercept_[0]), threshold, filter_threshold(oof, y)
    )


def probability(fitted: Fitted, long: pl.DataFrame, rows: pl.Series) -> np.ndarray:
    """The model's failure probability for each of ``rows``."""
    x = design(long, rows, fitted.features)
    return 1.0 / (1.0 + np.exp(-(x @ fitted.weights + fitted.bias)))
