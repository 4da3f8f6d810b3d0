"""Choosing the shared decision thresholds and the Chinese gate at training time.

One (negative, positive) pair for every language, so a label means the same calibrated
confidence everywhere. Each pair of THRESHOLD_GRID is judged per language with the
candidate that would be production at it (the best fixture macro-F1) on

- the support fixture: accuracy, the share of neutral texts left neutral and the share of
  complaints not called neutral must reach their floors (recipes.py);
- the held-out validation texts (corpus val splits or held-out tenths of train, the same
  texts the temperature is fitted on; never a test split): the *polar rate* (positive and
  negative texts given their own label, a neutral label counting as wrong) and, on the
  parts that have a neutral class, macro-F1.

The pair chosen has the highest mean validation polar rate among the pairs that keep the
fixture floors in every language and each language's three-class macro-F1 within
VAL_MACRO_F1_SLACK of its best over those pairs, and not below VAL_MACRO_F1_TARGET where
that best reaches it. That macro-F1 is the cross-validated one (crossval.py: pooled
out-of-fold rows over train+val) for the languages of recipes.CV_CORPORA, whose val splits are
too small to judge a floor on (Spanish: 361 texts, +-0.005 between equivalent models), and the
validation one elsewhere. It is the rule of the external check the models answer to (most polar
texts given their own label, three-class macro-F1 of at least 0.55 kept).
Without a pair that keeps the fixture floors, the pair with the best mean fixture macro-F1.

A gated model's gate confidence (models.SentimentModel.gate) is chosen before, the lowest
of GATE_GRID that keeps the fixture floors at GATE_THRESHOLDS (``choose_gate``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import numpy as np

from etl.sentiment.corpora import read_labelled_toml
from etl.sentiment.crossval import Folds
from etl.sentiment.decision import Thresholds, labels
from etl.sentiment.models import SentimentModel
from etl.sentiment.recipes import (
    COMPLAINT_POLAR_FLOOR,
    FIXTURE_ACCURACY_FLOOR,
    GATE_GRID,
    GATE_THRESHOLDS,
    NEUTRAL_KEPT_FLOOR,
    THRESHOLD_GRID,
    VAL_MACRO_F1_SLACK,
    VAL_MACRO_F1_TARGET,
)
from etl.sentiment.scoring import figures
from etl.sentiment.train import Part


class Scorer(Protocol):
    def probabilities(self, texts: list[str]) -> np.ndarray: ...


# language -> (validation parts, candidate models, their cross-validated folds or None)
Candidates = dict[str, tuple[list[Part], Sequence[Scorer], Folds | None]]


def polar_rate(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Share of the positive and negative texts given their own label (neutral counts wrong)."""
    g, p = np.asarray(gold), np.asarray(predicted)
    polar = g != "neutral"
    return float((g[polar] == p[polar]).mean()) if polar.any() else float("nan")


def keeps_fixture_floors(gold: Sequence[str], predicted: Sequence[str]) -> bool:
    """Fixture accuracy, neutral texts left neutral and complaints not neutral at their floors."""
    r = figures(gold, predicted)
    confusion = r["confusion"]
    neutral_kept = confusion[1][1] / max(sum(confusion[1]), 1)
    complaints_polar = 1 - confusion[0][1] / max(sum(confusion[0]), 1)
    return (
        r["accuracy"] >= FIXTURE_ACCURACY_FLOOR
        and neutral_kept >= NEUTRAL_KEPT_FLOOR
        and complaints_polar >= COMPLAINT_POLAR_FLOOR
    )


@dataclass(frozen=True)
class Judged:
    """One language at one threshold pair, with its would-be production candidate."""

    fixture_ok: bool
    fixture_f1: float
    val_polar: float
    val_f1: float | None  # on the validation parts with a neutral class; None without one
    cv_f1: float | None = None  # on the pooled out-of-fold rows, where the language has folds

    @property
    def floor_f1(self) -> float | None:
        """The three-class macro-F1 the rule's slack and floor judge: cross-validated if any."""
        return self.val_f1 if self.cv_f1 is None else self.cv_f1


@dataclass(frozen=True)
class Probabilities:
    """One language's candidates' probabilities on the fixture and the validation texts."""

    fixture_gold: list[str]
    fixture: list[np.ndarray]  # one per candidate
    val_gold: list[str]
    val: list[np.ndarray]
    three_class: np.ndarray  # validation rows of parts that have a neutral class
    folds: Folds | None = None  # out-of-fold probabilities, one array per candidate


def candidate_probabilities(
    validation: list[Part],
    models: Sequence[Scorer],
    fixture: Path,
    language: str,
    folds: Folds | None = None,
) -> Probabilities:
    """Each candidate's probabilities, computed once for every threshold pair."""
    frame = read_labelled_toml(fixture, language)
    texts = [t for p in validation for t in p.texts]
    three = [("neutral" in p.labels) for p in validation for _ in p.texts]
    return Probabilities(
        frame["label"].to_list(),
        [m.probabilities(frame["text"].to_list()) for m in models],
        [label for p in validation for label in p.labels],
        [m.probabilities(texts) for m in models],
        np.asarray(three, dtype=bool),
        folds,
    )


def judge(probs: Probabilities, th: Thresholds) -> Judged:
    """The figures of the candidate with the best fixture macro-F1 at ``th``."""
    fixture = [labels(p, th).tolist() for p in probs.fixture]
    f1s = [figures(probs.fixture_gold, f)["macro_f1"] for f in fixture]
    best = int(np.argmax(f1s))
    val = labels(probs.val[best], th)
    gold = np.asarray(probs.val_gold)
    three = probs.three_class
    val_f1 = figures(gold[three].tolist(), val[three].tolist())["macro_f1"] if three.any() else None
    cv_f1 = None
    if probs.folds is not None:
        cv = labels(probs.folds.probabilities[best], th).tolist()
        cv_f1 = figures(probs.folds.gold, cv)["macro_f1"]
    return Judged(
        keeps_fixture_floors(probs.fixture_gold, fixture[best]),
        f1s[best],
        polar_rate(probs.val_gold, val.tolist()),
        val_f1,
        cv_f1,
    )


def choose_thresholds(
    candidates: Candidates, fixture: Path, say: Callable[[str], None] = lambda _: None
) -> Thresholds:
    """The shared pair (the module docstring's rule); ``say`` gets one line per pair."""
    grid = [Thresholds(n, p) for n in THRESHOLD_GRID for p in THRESHOLD_GRID]
    probs = {
        lang: candidate_probabilities(v, m, fixture, lang, folds)
        for lang, (v, m, folds) in candidates.items()
    }
    judged = {th: {lang: judge(p, th) for lang, p in probs.items()} for th in grid}
    for th, per in judged.items():
        say(f"thresholds {th.negative}/{th.positive}: " + describe(per))
    return pick(judged)


def describe(per_language: dict[str, Judged]) -> str:
    """'en ok polar 0.712 F1 0.690; es ok polar 0.611 F1 0.547 CV 0.552; zh -- polar 0.830
    F1 -': one pair's figures."""
    return "; ".join(
        f"{lang} {'ok' if j.fixture_ok else '--'} polar {j.val_polar:.3f} "
        f"F1 {'-' if j.val_f1 is None else f'{j.val_f1:.3f}'}"
        + ("" if j.cv_f1 is None else f" CV {j.cv_f1:.3f}")
        for lang, j in per_language.items()
    )


def pick(judged: dict[Thresholds, dict[str, Judged]]) -> Thresholds:
    """The pair of ``judged`` (pair -> language -> figures) the module docstring's rule picks."""

    def fixture_f1(th: Thresholds) -> float:
        return float(np.mean([j.fixture_f1 for j in judged[th].values()]))

    kept = [th for th, per in judged.items() if all(j.fixture_ok for j in per.values())]
    if not kept:
        return max(judged, key=fixture_f1)
    languages = next(iter(judged.values())).keys()
    best_f1 = {lang: max((judged[th][lang].floor_f1 or 0.0) for th in kept) for lang in languages}
    floor = {
        lang: best - VAL_MACRO_F1_SLACK
        if best < VAL_MACRO_F1_TARGET
        else max(best - VAL_MACRO_F1_SLACK, VAL_MACRO_F1_TARGET)
        for lang, best in best_f1.items()
    }
    admissible = [
        th
        for th in kept
        if all(j.floor_f1 is None or j.floor_f1 >= floor[lang] for lang, j in judged[th].items())
    ]

    def val_polar(th: Thresholds) -> float:
        return float(np.mean([j.val_polar for j in judged[th].values()]))

    return max(admissible, key=lambda th: (val_polar(th), fixture_f1(th)))


def choose_gate(model: SentimentModel, fixture: Path) -> SentimentModel:
    """A gated model (Chinese) with the lowest gate confidence of GATE_GRID that keeps the
    fixture floors at GATE_THRESHOLDS: the lower the confidence, the more polar texts keep
    their label (a gated text is neutral), so this is the best polar rate the floors allow.
    The model's own confidence stays when no grid value keeps them."""
    frame = read_labelled_toml(fixture, model.language)
    gold, texts = frame["label"].to_list(), frame["text"].to_list()
    for confidence in sorted(GATE_GRID):
        gated = replace(model, gate_confidence=confidence)
        if keeps_fixture_floors(gold, labels(gated.probabilities(texts), GATE_THRESHOLDS).tolist()):
            return gated
    return model
