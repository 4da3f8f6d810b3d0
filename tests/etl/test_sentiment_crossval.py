"""Cross-validated figures for the threshold rule's macro-F1 floor (etl/sentiment/crossval.py)."""

from __future__ import annotations

import numpy as np

from etl.sentiment import crossval
from etl.sentiment.corpora import Split
from etl.sentiment.crossval import fold_indices, out_of_fold, pooled
from etl.sentiment.train import Part, Recipe

LABELS15 = ["negative", "neutral", "positive"] * 5


def test_folds_hold_every_row_once_stratified_and_the_same_every_time():
    held = fold_indices(LABELS15, 5)
    rows = np.sort(np.concatenate(held))
    assert rows.tolist() == list(range(15))  # each of the 15 rows held exactly once
    # 5 rows of each label over 5 folds: one of each label per fold
    assert all(
        sorted(LABELS15[i] for i in fold) == ["negative", "neutral", "positive"] for fold in held
    )
    assert all((a == b).all() for a, b in zip(held, fold_indices(LABELS15, 5), strict=True))


def test_pooled_takes_train_and_val_of_the_named_corpus_only():
    import polars as pl

    def split(corpus: str, name: str, n: int) -> Split:
        texts = [f"{corpus}-{name}-{i}" for i in range(n)]
        return Split("es", corpus, name, pl.DataFrame({"text": texts, "label": ["neutral"] * n}))

    splits = [
        split("a", "train", 4),
        split("a", "val", 2),
        split("a", "test", 3),
        split("b", "train", 5),
    ]
    part = pooled(splits, ("a",))
    assert part.source == "a" and len(part.texts) == 6  # 4 train + 2 val; no test, no b
    assert not any("test" in t or t.startswith("b") for t in part.texts)
    assert pooled(splits, ()) is None


class Recorder:
    """Stands in for train.fit: records each fold's training and calibration texts and
    returns a model that gives every text probabilities made from its number."""

    def __init__(self):
        self.calls = []

    def __call__(self, language, version, parts, calibration, recipe):
        self.calls.append(([t for p in parts for t in p.texts], calibration[0].texts))
        return self, None

    def probabilities(self, texts):
        return np.asarray([[int(t[1:]) / 100, 0.0, 1 - int(t[1:]) / 100] for t in texts])


def test_each_row_is_scored_by_the_fold_model_that_never_saw_it(monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(crossval, "fit", recorder)
    pool = Part("tweets", [f"t{i}" for i in range(15)], LABELS15)
    others = [Part("support", ["s1", "s2"], ["negative", "positive"])]
    probs = out_of_fold("es", pool, others, Recipe(), 5)
    assert len(recorder.calls) == 5
    for trained, held in recorder.calls:
        assert set(held).isdisjoint(trained)  # the held fold is not trained on ...
        assert {"s1", "s2"} <= set(trained) and len(trained) == 2 + 12  # ... the rest is
    # every row gets the probabilities of its own text, in the pool's order (t7 -> 0.07)
    np.testing.assert_allclose(probs[7], [0.07, 0.0, 0.93])
    np.testing.assert_allclose(probs[:, 0], np.arange(15) / 100)
