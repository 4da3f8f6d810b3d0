"""Writing fitted models and their manifest (versions, checksums, thresholds, figures)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np

from etl.sentiment.decision import Thresholds
from etl.sentiment.models import FORMAT, MANIFEST, SentimentModel, model_arrays, sha256
from etl.sentiment.train import Recipe


def write_model(model: SentimentModel, arrays: tuple[np.ndarray, ...], out: Path) -> dict:
    """Save one model's arrays as ``<lang>.npz``; its manifest entry (file, sha256, spec ...)."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{model.language}.npz"
    np.savez_compressed(path, **model_arrays(*arrays))
    return {
        "version": model.version,
        "file": path.name,
        "sha256": sha256(path),
        "bytes": path.stat().st_size,
        "features": model.spec.to_json(),
        "prior": model.prior,
        "temperature": round(model.temperature, 6),
        "gate": model.gate,
        "gate_confidence": model.gate_confidence,
    }


def recipe_json(recipe: Recipe) -> dict:
    data = asdict(recipe)
    data.pop("spec")
    return data


def write_manifest(out: Path, thresholds: Thresholds, languages: dict[str, dict]) -> Path:
    """``manifest.json``: format, the shared thresholds and one entry per language."""
    path = out / MANIFEST
    body = {
        "format": FORMAT,
        "thresholds": {"negative": thresholds.negative, "positive": thresholds.positive},
        "languages": languages,
    }
    path.write_text(json.dumps(body, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return path
