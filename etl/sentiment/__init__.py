"""Per-language sentiment: the shipped trained models and the method each language uses.

``production_methods()`` names, per language, the method that scores it (a trained model
'model-<lang>@<version>', or a lexicon such as 'vader' where that won on the support
fixture); ``score_batch(method, texts)`` gives scores in [-1, 1] read at +-0.05
(decision.py). Models are loaded on first use, their checksums verified (models.py).
Training: ``python -m etl sentiment train`` (retrain.py); figures: docs/sentiment.md.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from etl.sentiment.decision import Thresholds, scores
from etl.sentiment.models import MODELS_DIR, ModelIntegrityError, load_model, manifest

MODEL_PREFIX = "model-"

__all__ = [
    "ModelIntegrityError",
    "is_model_method",
    "production_methods",
    "score_batch",
    "thresholds",
]


def is_model_method(method: str) -> bool:
    return method.startswith(MODEL_PREFIX)


@cache
def production_methods() -> dict[str, str]:
    """Stored method name per language of the shipped manifest, e.g. {'zh': 'model-zh@1'}."""
    out = {}
    for language, entry in manifest(MODELS_DIR)["languages"].items():
        chosen = entry["production"]
        out[language] = (
            f"{MODEL_PREFIX}{language}@{entry['version']}" if "file" in entry else chosen
        )
    return out


def thresholds() -> Thresholds:
    """The shared minimum probabilities of a negative and of a positive label."""
    data = manifest(MODELS_DIR)["thresholds"]
    return Thresholds(float(data["negative"]), float(data["positive"]))


def prepare(method: str) -> None:
    """Load what ``method`` needs (a pool worker calls this once)."""
    if is_model_method(method):
        load_model(method.removeprefix(MODEL_PREFIX).split("@")[0])


def score_batch(method: str, texts: list[str]) -> list[float]:
    """Scores in [-1, 1] of ``texts`` with a model method of production_methods()."""
    language, _, version = method.removeprefix(MODEL_PREFIX).partition("@")
    model = load_model(language)
    if model.version != version:
        raise ModelIntegrityError(f"{method}: the shipped model is version {model.version}")
    return scores(model.probabilities(texts), thresholds()).astype(np.float64).tolist()
