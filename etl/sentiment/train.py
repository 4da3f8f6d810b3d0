"""Training the per-language sentiment models from the corpora and the team's support texts.

Per language: every corpus's train split plus the hand-written texts (corpora.HANDWRITTEN),
each corpus weighted to the same total (times its recipe factor), the hand-written files
sharing one such weight between them, and the classes balanced; a multinomial logistic regression on hashed word and
character n-grams (+ an optional lexicon prior); then temperature scaling on the val
splits, or on a held-out tenth of train where a corpus has no val split.

The temperature is fitted here (one scalar, bounded 1-D minimisation of the log-loss with
SciPy) rather than with ``CalibratedClassifierCV(method="temperature")``, because the
Chinese calibration texts have no neutral class while the model has three, which scikit-learn's
calibrator refuses (it cross-validates over the classes present).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
import scipy.sparse as sp
from scipy.optimize import minimize_scalar
from sklearn.linear_model import LogisticRegression

from etl.sentiment.corpora import (
    HANDWRITTEN,
    LABELS,
    OWN_CORPORA,
    Split,
    read_labelled_toml,
    read_split,
)
from etl.sentiment.features import FeatureSpec, counts, idf_weights, weigh
from etl.sentiment.models import SentimentModel
from etl.sentiment.priors import prior_features

SEED = 20261206
HOLDOUT = 0.1


@dataclass(frozen=True)
class Recipe:
    """How one method is trained: regularisation, prior, and the weight of each source."""

    C: float = 1.0
    prior: str | None = None
    support_weight: float = 1.0  # the hand-written texts' total weight, in corpus units
    corpus_weights: dict[str, float] = field(default_factory=dict)  # default 1 each
    neutral_weight: float = 1.0  # the neutral class's total weight relative to each other class
    gate: str | None = None  # see SentimentModel.gate
    gate_confidence: float = 1.0
    spec: FeatureSpec = FeatureSpec()
    # Train splits of other languages' corpora, (language, corpus, weight in corpus units):
    # emoji, punctuation, names and shared word stems carry over in the character n-grams,
    # which helps where a language has only a few thousand labelled tweets (docs/sentiment.md).
    borrowed: tuple[tuple[str, str, float], ...] = ()
    # Hand-written files of corpora.OWN_CORPORA, (name, weight in corpus units), each weighed
    # as a corpus of its own rather than sharing the hand-written files' one weight.
    own_corpora: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Part:
    """Training or calibration rows of one source (a corpus or the support texts)."""

    source: str
    texts: list[str]
    labels: list[str]


def _holdout(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A seeded, stratified tenth of ``frame`` for calibration, and the rest."""
    rng = np.random.default_rng(SEED)
    pick = np.zeros(len(frame), dtype=bool)
    labels = frame["label"].to_numpy()
    for label in LABELS:
        rows = np.flatnonzero(labels == label)
        pick[rng.choice(rows, size=round(len(rows) * HOLDOUT), replace=False)] = True
    mask = pl.Series(pick)
    return frame.filter(~mask), frame.filter(mask)


def _part(source: str, frame: pl.DataFrame) -> Part:
    return Part(source, frame["text"].to_list(), frame["label"].to_list())


def split_parts(splits: list[Split], language: str) -> tuple[list[Part], list[Part]]:
    """Training parts (each corpus's train split, the support texts) and calibration parts."""
    train, calibration = [], []
    with_val = {s.corpus for s in splits if s.split == "val"}
    for s in splits:
        if s.split == "val":
            calibration.append(_part(s.corpus, s.frame))
        elif s.split == "train" and s.corpus in with_val:
            train.append(_part(s.corpus, s.frame))
        elif s.split == "train":
            rest, held = _holdout(s.frame)
            train.append(_part(s.corpus, rest))
            calibration.append(_part(s.corpus, held))
    for source, path in HANDWRITTEN.items():
        texts = read_labelled_toml(path, language)
        if len(texts):
            train.append(_part(source, texts))
    return train, calibration


def borrowed_parts(root: Path, recipe: Recipe) -> list[Part]:
    """The train splits of ``recipe.borrowed`` found under ``root`` (never another language's
    val or test split), each named ``<language>/<corpus>``; a missing one is left out (the
    manifest's training rows list the sources used)."""
    out = []
    for language, corpus, _ in recipe.borrowed:
        path = root / language / corpus / "train.csv"
        if path.exists():
            out.append(_part(f"{language}/{corpus}", read_split(path)))
    return out


def own_corpus_parts(recipe: Recipe, language: str) -> list[Part]:
    """The texts of ``language`` in the recipe's hand-written own corpora (none if it has none)."""
    out = []
    for name, _ in recipe.own_corpora:
        frame = read_labelled_toml(OWN_CORPORA[name], language)
        if len(frame):
            out.append(_part(name, frame))
    return out


def sample_weights(parts: list[Part], recipe: Recipe) -> np.ndarray:
    """Each corpus's rows share its weight (1, times the recipe's corpus factor); all the
    hand-written texts together share ``support_weight`` (one corpus weight between the
    files, split by row count); then every class gets the same total weight (neutral
    ``neutral_weight`` times it)."""
    handwritten_rows = sum(len(p.texts) for p in parts if p.source in HANDWRITTEN)
    factors = (
        recipe.corpus_weights
        | {f"{lang}/{c}": w for lang, c, w in recipe.borrowed}
        | dict(recipe.own_corpora)
    )
    weights, labels = [], []
    for part in parts:
        if part.source in HANDWRITTEN:
            row = recipe.support_weight / handwritten_rows
        else:
            row = 1.0 / max(len(part.texts), 1)
        row *= factors.get(part.source, 1.0)
        weights.append(np.full(len(part.texts), row))
        labels += part.labels
    w, y = np.concatenate(weights), np.asarray(labels)
    for label in set(labels):
        w[y == label] *= (recipe.neutral_weight if label == "neutral" else 1.0) / w[
            y == label
        ].sum()
    return w * len(w) / w.sum()


def _design(texts: list[str], idf: np.ndarray, recipe: Recipe) -> sp.csr_matrix:
    ngrams = weigh(counts(texts, recipe.spec), idf, recipe.spec)
    return sp.hstack([ngrams, prior_features(recipe.prior, texts)], format="csr")


def _classes_in_order(clf: LogisticRegression, matrix: np.ndarray) -> np.ndarray:
    """Columns of ``matrix`` (one per fitted class) placed in LABELS order (zeros if absent)."""
    out = np.zeros((matrix.shape[0], len(LABELS)), dtype=np.float64)
    for i, label in enumerate(clf.classes_):
        out[:, LABELS.index(label)] = matrix[:, i]
    return out


def fit_temperature(logits: np.ndarray, labels: list[str]) -> float:
    """The T > 0 that minimises the log-loss of softmax(logits / T) (columns in LABELS order)."""
    rows = np.arange(len(labels))
    truth = np.asarray([LABELS.index(label) for label in labels])

    def loss(log_t: float) -> float:
        z = logits / np.exp(log_t)
        z = z - z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-log_p[rows, truth].mean())

    return float(np.exp(minimize_scalar(loss, bounds=(-4.0, 4.0), method="bounded").x))


def fit(language: str, version: str, parts: list[Part], calibration: list[Part], recipe: Recipe):
    """The fitted model of ``language`` and the arrays to ship (models.model_arrays' input)."""
    texts = [t for p in parts for t in p.texts]
    labels = [label for p in parts for label in p.labels]
    idf = idf_weights(counts(texts, recipe.spec))
    clf = LogisticRegression(C=recipe.C, max_iter=500)
    clf.fit(_design(texts, idf, recipe), labels, sample_weight=sample_weights(parts, recipe))
    cal_texts = [t for p in calibration for t in p.texts]
    cal_design = _design(cal_texts, idf, recipe)
    logits = _classes_in_order(clf, clf.decision_function(cal_design))
    temperature = fit_temperature(logits, [label for p in calibration for label in p.labels])
    n_ngrams = recipe.spec.n_features
    coef = _classes_in_order(clf, clf.coef_.T)
    intercept = _classes_in_order(clf, clf.intercept_[None, :])[0]
    # A class the corpora lack (never the case with the support texts) gets no probability.
    intercept[[label not in clf.classes_ for label in LABELS]] = -1e4
    model = SentimentModel(
        language=language,
        version=version,
        spec=recipe.spec,
        prior=recipe.prior,
        idf=idf,
        coef=coef[:n_ngrams],
        prior_coef=coef[n_ngrams:],
        intercept=intercept,
        temperature=temperature,
        gate=recipe.gate,
        gate_confidence=recipe.gate_confidence,
    )
    expected = _classes_in_order(clf, clf.predict_proba(cal_design))
    if not np.allclose(model.logits(cal_texts), logits, atol=1e-3) or not np.allclose(
        SentimentModel(**{**model.__dict__, "temperature": 1.0, "gate": None}).probabilities(
            cal_texts[:200]
        ),
        expected[:200],
        atol=1e-4,
    ):
        raise RuntimeError("the rebuilt model disagrees with scikit-learn's")
    return model, (idf, coef[:n_ngrams], coef[n_ngrams:], intercept)
