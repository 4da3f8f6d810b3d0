"""Cross-validated three-class figures for the threshold choice's macro-F1 floor.

A language's validation split can be small (Spanish: 324 InterTASS val tweets and 37 held-out
SentiMP ones), and its best macro-F1 over the threshold pairs moved by +-0.005 between
equivalent models, which decided whether the 0.55 floor held (docs/sentiment.md). For the
corpora of recipes.CV_CORPORA the floor is judged instead on out-of-fold probabilities over the
corpus's train and val splits together: CV_FOLDS stratified, seeded folds; each fold's model
is fitted with the candidate's recipe on the other folds plus every other training part (the
other corpora's train splits, the hand-written texts, borrowed and own corpora), its one
temperature fitted on the held fold, and the held fold's probabilities kept. The pooled
out-of-fold rows (2,162 InterTASS tweets instead of 361 texts) give the figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
from sklearn.model_selection import StratifiedKFold

from etl.sentiment.corpora import Split
from etl.sentiment.train import SEED, Part, Recipe, fit


@dataclass(frozen=True)
class Folds:
    """Gold labels of the pooled out-of-fold rows and, per candidate, their probabilities."""

    gold: list[str]
    probabilities: list[np.ndarray]


def pooled(splits: list[Split], corpora: Sequence[str]) -> Part | None:
    """The train and val rows of ``corpora`` in one part (None when none is present)."""
    frames = [s.frame for s in splits if s.corpus in corpora and s.split in ("train", "val")]
    if not frames:
        return None
    frame = pl.concat(frames)
    return Part("+".join(corpora), frame["text"].to_list(), frame["label"].to_list())


def fold_indices(labels: list[str], folds: int) -> list[np.ndarray]:
    """The held rows of each of ``folds`` stratified folds (seeded, so every candidate and every
    run holds out the same rows)."""
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED % 2**32)
    y = np.asarray(labels)
    return [held for _, held in splitter.split(np.zeros(len(y)), y)]


def out_of_fold(
    language: str,
    pool: Part,
    others: list[Part],
    recipe: Recipe,
    folds: int,
) -> np.ndarray:
    """(n, 3) probabilities of every row of ``pool``, each from the fold model that did not
    see it; ``others`` are the training parts besides the pooled corpora."""
    out = np.zeros((len(pool.texts), 3))
    texts, labels = np.asarray(pool.texts, dtype=object), np.asarray(pool.labels)
    for held in fold_indices(pool.labels, folds):
        keep = np.ones(len(texts), dtype=bool)
        keep[held] = False
        train = Part(pool.source, texts[keep].tolist(), labels[keep].tolist())
        test = Part(pool.source, texts[held].tolist(), labels[held].tolist())
        model, _ = fit(language, "cv", [*others, train], [test], recipe)
        out[held] = model.probabilities(test.texts)
    return out
