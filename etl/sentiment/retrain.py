"""``python -m etl sentiment train``: fit every candidate method, choose the shared thresholds
on the support fixture, evaluate every method, pick each language's production method, ship."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from etl.sentiment.corpora import LANGUAGES, Split, read_corpora, read_labelled_toml
from etl.sentiment.decision import Thresholds, labels
from etl.sentiment.evaluate import LEGACY, evaluate, legacy_labeller, model_labeller
from etl.sentiment.models import SentimentModel
from etl.sentiment.recipes import CANDIDATES, THRESHOLD_GRID
from etl.sentiment.scoring import figures
from etl.sentiment.ship import recipe_json, write_manifest, write_model
from etl.sentiment.train import fit, split_parts

Say = Callable[[str], None]


@dataclass
class Fitted:
    """One language's splits and its fitted candidate models with their shipped arrays."""

    tests: list[Split]
    training: list[dict]
    models: dict[str, tuple[SentimentModel, tuple[np.ndarray, ...]]]


def fit_language(language: str, corpora: Path, version: str, say: Say) -> Fitted:
    splits = read_corpora(corpora, language)
    parts, calibration = split_parts(splits, language)
    models = {}
    for name, recipe in CANDIDATES[language].items():
        say(f"{language}: fitting {name} on {sum(len(p.texts) for p in parts):,} texts")
        models[name] = fit(language, version, parts, calibration, recipe)
    training = [{"source": p.source, "rows": len(p.texts)} for p in parts]
    return Fitted([s for s in splits if s.split == "test"], training, models)


def choose_thresholds(fitted: dict[str, Fitted], fixture: Path) -> Thresholds:
    """The (negative, positive) pair of THRESHOLD_GRID with the best mean fixture macro-F1 of
    each language's best candidate: one pair for every language."""
    probs = {}
    for language, f in fitted.items():
        frame = read_labelled_toml(fixture, language)
        gold = frame["label"].to_list()
        probs[language] = [
            (gold, m.probabilities(frame["text"].to_list())) for m, _ in f.models.values()
        ]

    def quality(th: Thresholds) -> float:
        per_language = [
            max(figures(gold, labels(p, th).tolist())["macro_f1"] for gold, p in candidates)
            for candidates in probs.values()
        ]
        return float(np.mean(per_language))

    grid = [Thresholds(n, p) for n in THRESHOLD_GRID for p in THRESHOLD_GRID]
    return max(grid, key=quality)


def acceptable(results: dict, baseline: dict) -> bool:
    """Every corpus test split at least as good (macro-F1) as today's scorer, ``baseline``."""
    return all(
        r["macro_f1"] >= baseline[split]["macro_f1"]
        for split, r in results.items()
        if split != "fixture"
    )


def _corpus_mean(results: dict) -> float:
    return float(np.mean([r["macro_f1"] for split, r in results.items() if split != "fixture"]))


def production(evaluation: dict[str, dict], legacy: str) -> str:
    """The acceptable method with the best fixture macro-F1 (ties: the better mean corpus
    macro-F1); today's scorer ``legacy`` is always acceptable, so it stays where no model
    beats it."""
    eligible = [m for m, r in evaluation.items() if acceptable(r, evaluation[legacy])]
    return max(
        eligible,
        key=lambda m: (evaluation[m]["fixture"]["macro_f1"], _corpus_mean(evaluation[m])),
    )


def train(
    corpora: Path,
    out: Path,
    fixture: Path,
    version: str,
    languages: tuple[str, ...] = LANGUAGES,
    say: Say = print,
) -> dict:
    """Fit, evaluate and ship; returns the manifest's language entries."""
    fitted = {lang: fit_language(lang, corpora, version, say) for lang in languages}
    thresholds = choose_thresholds(fitted, fixture)
    say(f"thresholds: negative {thresholds.negative}, positive {thresholds.positive}")
    entries = {}
    for language, f in fitted.items():
        labellers = {LEGACY[language]: legacy_labeller(LEGACY[language])}
        labellers |= {name: model_labeller(m, thresholds) for name, (m, _) in f.models.items()}
        evaluation = {
            name: evaluate(lab, f.tests, fixture, language) for name, lab in labellers.items()
        }
        chosen = production(evaluation, LEGACY[language])
        say(f"{language}: production method {chosen}")
        entry = {"production": chosen, "legacy": LEGACY[language], "training": f.training}
        if chosen in f.models:
            model, arrays = f.models[chosen]
            entry |= write_model(model, arrays, out)
            entry["recipe"] = recipe_json(CANDIDATES[language][chosen])
        entry["evaluation"] = evaluation
        entries[language] = entry
    write_manifest(out, thresholds, entries)
    return entries
