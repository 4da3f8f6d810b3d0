"""``python -m etl sentiment train``: fit every candidate method, choose the shared thresholds
on the support fixture, evaluate every method, pick each language's production method, ship."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from etl.sentiment.choice import choose_gate, choose_thresholds
from etl.sentiment.corpora import LANGUAGES, Split, read_corpora
from etl.sentiment.crossval import Folds, out_of_fold, pooled
from etl.sentiment.decision import Thresholds
from etl.sentiment.evaluate import LEGACY, evaluate, legacy_labeller, model_labeller
from etl.sentiment.models import MANIFEST, SentimentModel, load_model, manifest
from etl.sentiment.recipes import CANDIDATES, CV_CORPORA, CV_FOLDS
from etl.sentiment.ship import recipe_json, write_manifest, write_model
from etl.sentiment.train import (
    Part,
    Recipe,
    borrowed_parts,
    fit,
    own_corpus_parts,
    split_parts,
)

Say = Callable[[str], None]


@dataclass
class Fitted:
    """One language's splits and its fitted candidate models with their shipped arrays."""

    tests: list[Split]
    validation: list[Part]
    training: dict[str, list[dict]]  # rows per source, per candidate; "" = the language's own
    models: dict[str, tuple[SentimentModel, tuple[np.ndarray, ...]]]
    folds: Folds | None = None  # cross-validated probabilities per candidate (CV_CORPORA)


def cross_validate(
    language: str, corpora: Path, splits: list[Split], recipes: list[Recipe], say: Say
) -> Folds | None:
    """Out-of-fold probabilities of each recipe over the language's CV_CORPORA (crossval.py),
    None for a language without them."""
    pool = pooled(splits, CV_CORPORA.get(language, ()))
    if pool is None:
        return None
    parts = [p for p in split_parts(splits, language)[0] if p.source not in CV_CORPORA[language]]
    probabilities = []
    for recipe in recipes:
        say(
            f"{language}: {CV_FOLDS}-fold cross-validation over {pool.source} ({len(pool.texts):,})"
        )
        others = parts + borrowed_parts(corpora, recipe) + own_corpus_parts(recipe, language)
        probabilities.append(out_of_fold(language, pool, others, recipe, CV_FOLDS))
    return Folds(pool.labels, probabilities)


def fit_language(language: str, corpora: Path, fixture: Path, version: str, say: Say) -> Fitted:
    """Every candidate of ``language`` fitted (a gated one with its gate confidence chosen)."""
    splits = read_corpora(corpora, language)
    parts, calibration = split_parts(splits, language)
    models = {}
    training = {"": [{"source": p.source, "rows": len(p.texts)} for p in parts]}
    for name, recipe in CANDIDATES[language].items():
        borrowed = borrowed_parts(corpora, recipe)
        missing = len(recipe.borrowed) - len(borrowed)
        if missing:
            say(f"{language}: {name}: {missing} borrowed corpora not under {corpora}, left out")
        used = parts + borrowed + own_corpus_parts(recipe, language)
        say(f"{language}: fitting {name} on {sum(len(p.texts) for p in used):,} texts")
        model, arrays = fit(language, version, used, calibration, recipe)
        if model.gate is not None:
            model = choose_gate(model, fixture)
            say(f"{language}: {name} gate confidence {model.gate_confidence}")
        models[name] = (model, arrays)
        training[name] = [{"source": p.source, "rows": len(p.texts)} for p in used]
    folds = cross_validate(language, corpora, splits, list(CANDIDATES[language].values()), say)
    return Fitted([s for s in splits if s.split == "test"], calibration, training, models, folds)


def kept_recipe(language: str, entry: dict) -> Recipe:
    """The recipe of a kept language's shipped model, for its cross-validation: the candidate
    of recipes.py it was trained with (a shipped model whose recipe is no longer there cannot
    be cross-validated: retrain that language too)."""
    recipe = CANDIDATES[language].get(entry["production"])
    shipped = entry.get("recipe")
    if recipe is None or not json_equal(recipe_json(recipe), shipped):
        raise RuntimeError(
            f"{language}: the shipped model's recipe is not recipes.py's {entry['production']!r}: "
            "its cross-validated figure cannot be rebuilt; retrain it too (--languages)"
        )
    return recipe


def json_equal(current: dict, shipped: dict | None) -> bool:
    """Whether a recipe and a shipped one agree once written as JSON (tuples read back as
    lists); a field added to Recipe after the model shipped agrees when it has its default."""
    defaults = recipe_json(Recipe())
    current = {k: v for k, v in current.items() if k in (shipped or {}) or v != defaults[k]}
    return json.dumps(current, sort_keys=True) == json.dumps(shipped, sort_keys=True)


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


def kept_entries(out: Path, languages: tuple[str, ...]) -> dict[str, dict]:
    """Manifest entries already in ``out`` for the languages not being retrained (a partial
    retrain, ``--languages es,fr`` into the shipped folder, keeps the others as they are)."""
    if not (out / MANIFEST).exists():
        return {}
    manifest.cache_clear()
    return {k: v for k, v in manifest(out)["languages"].items() if k not in languages}


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
    kept = kept_entries(out, languages)
    candidates = {
        lang: (f.validation, [m for m, _ in f.models.values()], f.folds)
        for lang, f in fitted.items()
    }
    for lang in kept:  # the shipped models of the languages not retrained join the choice
        splits = read_corpora(corpora, lang)
        validation = split_parts(splits, lang)[1]
        folds = None
        if lang in CV_CORPORA:
            folds = cross_validate(lang, corpora, splits, [kept_recipe(lang, kept[lang])], say)
        candidates[lang] = (validation, [load_model(lang, out)], folds)
    thresholds = choose_thresholds(candidates, fixture, say)
    say(f"thresholds: negative {thresholds.negative}, positive {thresholds.positive}")
    if kept and thresholds != Thresholds(**manifest(out)["thresholds"]):
        raise RuntimeError(
            f"the shared thresholds move to {thresholds}: the kept languages' figures would be "
            "stale; retrain every language"
        )
    entries = dict(kept)
    for language, f in fitted.items():
        labellers = {LEGACY[language]: legacy_labeller(LEGACY[language])}
        labellers |= {name: model_labeller(m, thresholds) for name, (m, _) in f.models.items()}
        evaluation = {
            name: evaluate(lab, f.tests, fixture, language) for name, lab in labellers.items()
        }
        chosen = production(evaluation, LEGACY[language])
        say(f"{language}: production method {chosen}")
        entry = {
            "production": chosen,
            "legacy": LEGACY[language],
            "training": f.training.get(chosen, f.training[""]),
        }
        if chosen in f.models:
            model, arrays = f.models[chosen]
            entry |= write_model(model, arrays, out)
            entry["recipe"] = recipe_json(CANDIDATES[language][chosen])
        entry["evaluation"] = evaluation
        entries[language] = entry
    write_manifest(out, thresholds, {lang: entries[lang] for lang in LANGUAGES if lang in entries})
    return entries
