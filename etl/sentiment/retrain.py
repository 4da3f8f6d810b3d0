"""``python -m etl sentiment train``: fit every candidate method, choose the shared thresholds
on the support fixture, evaluate every method, pick each language's production method, ship."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from etl.sentiment.choice import choose_gate, choose_thresholds
from etl.sentiment.corpora import LANGUAGES, Split, read_corpora
from etl.sentiment.evaluate import LEGACY, evaluate, legacy_labeller, model_labeller
from etl.sentiment.models import SentimentModel
from etl.sentiment.recipes import CANDIDATES
from etl.sentiment.ship import recipe_json, write_manifest, write_model
from etl.sentiment.train import Part, fit, split_parts

Say = Callable[[str], None]


@dataclass
class Fitted:
    """One language's splits and its fitted candidate models with their shipped arrays."""

    tests: list[Split]
    validation: list[Part]
    training: list[dict]
    models: dict[str, tuple[SentimentModel, tuple[np.ndarray, ...]]]


def fit_language(language: str, corpora: Path, fixture: Path, version: str, say: Say) -> Fitted:
    """Every candidate of ``language`` fitted (a gated one with its gate confidence chosen)."""
    splits = read_corpora(corpora, language)
    parts, calibration = split_parts(splits, language)
    models = {}
    for name, recipe in CANDIDATES[language].items():
        say(f"{language}: fitting {name} on {sum(len(p.texts) for p in parts):,} texts")
        model, arrays = fit(language, version, parts, calibration, recipe)
        if model.gate is not None:
            model = choose_gate(model, fixture)
            say(f"{language}: {name} gate confidence {model.gate_confidence}")
        models[name] = (model, arrays)
    training = [{"source": p.source, "rows": len(p.texts)} for p in parts]
    return Fitted([s for s in splits if s.split == "test"], calibration, training, models)


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
    fitted = {lang: fit_language(lang, corpora, fixture, version, say) for lang in languages}
    thresholds = choose_thresholds(
        {lang: (f.validation, [m for m, _ in f.models.values()]) for lang, f in fitted.items()},
        fixture,
        say,
    )
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
