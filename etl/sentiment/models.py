"""The shipped sentiment models: loading (checksum verified, lazily) and probabilities.

A model is a multinomial logistic regression over hashed n-gram features (features.py)
and optional prior features (priors.py), with a temperature that calibrates its
probabilities. It is stored as plain arrays in a compressed ``.npz`` (never a pickle) next
to ``manifest.json``, which holds each file's version and SHA-256, the feature spec, the
decision thresholds and the evaluation figures. Nothing is unpickled and a file whose
checksum differs from the manifest's is refused.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from etl.sentiment.corpora import LABELS
from etl.sentiment.features import FeatureSpec, counts, normalise, weigh
from etl.sentiment.gate import gate_hits
from etl.sentiment.priors import prior_features

MODELS_DIR = Path(__file__).with_name("models")
MANIFEST = "manifest.json"
FORMAT = 1
GATE_DIVISOR = 4.0


class ModelIntegrityError(RuntimeError):
    """A shipped model file is missing, altered or of an unknown format."""


@dataclass(frozen=True)
class SentimentModel:
    """One language's fitted model: weights over features, then softmax(logits / temperature)."""

    language: str
    version: str
    spec: FeatureSpec
    prior: str | None
    idf: np.ndarray  # (n_features,)
    coef: np.ndarray  # (n_features, 3), dense: 4.7 MB, and 3-4x faster to multiply than sparse
    prior_coef: np.ndarray  # (n_prior, 3)
    intercept: np.ndarray  # (3,)
    temperature: float
    gate: str | None = (
        None  # a word list (gate.GATES): texts without its words need gate_confidence
    )
    gate_confidence: float = 1.0

    @property
    def method(self) -> str:
        """The name stored in ``messages.sentiment_method``, e.g. 'model-zh@2026.12.1'."""
        return f"model-{self.language}@{self.version}"

    def logits(self, texts: list[str]) -> np.ndarray:
        features = weigh(counts(texts, self.spec), self.idf, self.spec)
        raw = features @ self.coef + self.intercept
        if self.prior_coef.size:
            raw = raw + prior_features(self.prior, texts) @ self.prior_coef
        return raw

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """Calibrated (n, 3) probabilities of negative, neutral, positive."""
        if not texts:
            return np.zeros((0, len(LABELS)))
        scaled = self.logits(texts) / self.temperature
        scaled -= scaled.max(axis=1, keepdims=True)
        exp = np.exp(scaled)
        probs = exp / exp.sum(axis=1, keepdims=True)
        return probs if self.gate is None else self._gated(texts, probs)

    def _gated(self, texts: list[str], probs: np.ndarray) -> np.ndarray:
        """A text with no word of the gate lexicon and no side at gate_confidence is neutral:
        its polar probabilities are divided by GATE_DIVISOR (direction kept, below any
        threshold), the rest moved to neutral. For Chinese, whose corpora have no neutral
        text, so the model reads plain support questions as reviews (docs/sentiment.md)."""
        clean = [normalise(t) for t in texts]  # '服务 太 差' (pre-tokenised) matches '太差'
        hits = gate_hits(self.gate, clean)
        gated = ~hits & (np.maximum(probs[:, 0], probs[:, 2]) < self.gate_confidence)
        out = probs.copy()
        out[gated, 0] /= GATE_DIVISOR
        out[gated, 2] /= GATE_DIVISOR
        out[gated, 1] = 1.0 - out[gated, 0] - out[gated, 2]
        return out


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def manifest(models_dir: Path = MODELS_DIR) -> dict:
    """The manifest of the models in ``models_dir`` (format, thresholds, languages)."""
    path = models_dir / MANIFEST
    if not path.exists():
        raise ModelIntegrityError(f"{path}: no sentiment model manifest")
    data = json.loads(path.read_text("utf-8"))
    if data.get("format") != FORMAT:
        raise ModelIntegrityError(f"{path}: format {data.get('format')!r}, expected {FORMAT}")
    return data


def _arrays(path: Path, expected_sha: str) -> dict[str, np.ndarray]:
    if not path.exists():
        raise ModelIntegrityError(f"{path}: model file missing")
    if sha256(path) != expected_sha:
        raise ModelIntegrityError(f"{path}: checksum differs from the manifest; refusing to load")
    with np.load(path, allow_pickle=False) as data:
        return {name: data[name] for name in data.files}


@cache
def load_model(language: str, models_dir: Path = MODELS_DIR) -> SentimentModel:
    """The shipped model of ``language``, read once per process after its checksum is verified."""
    entry = manifest(models_dir)["languages"].get(language)
    if entry is None:
        raise KeyError(f"no sentiment model for language {language!r}")
    arrays = _arrays(models_dir / entry["file"], entry["sha256"])
    spec = FeatureSpec.from_json(entry["features"])
    idf = np.full(spec.n_features, arrays["idf_default"][0], dtype=np.float32)
    idf[arrays["idf_index"]] = arrays["idf_values"].astype(np.float32)
    coef = np.zeros((spec.n_features, len(LABELS)), dtype=np.float32)
    coef[arrays["coef_index"]] = arrays["coef_values"].astype(np.float32)
    return SentimentModel(
        language=language,
        version=entry["version"],
        spec=spec,
        prior=entry.get("prior"),
        idf=idf,
        coef=coef,
        prior_coef=arrays["prior_coef"].astype(np.float32),
        intercept=arrays["intercept"].astype(np.float32),
        temperature=float(entry["temperature"]),
        gate=entry.get("gate"),
        gate_confidence=float(entry.get("gate_confidence", 1.0)),
    )


def model_arrays(
    idf: np.ndarray, coef: np.ndarray, prior_coef: np.ndarray, intercept: np.ndarray
) -> dict[str, np.ndarray]:
    """The arrays stored for a model: coefficients of used features only, in float16.

    Features never seen in training have zero weight and the same (largest) IDF, so only the
    used ones are stored; float16 keeps the files small (probabilities move < 0.005).
    """
    used = np.flatnonzero(np.abs(coef).sum(axis=1) > 0)
    default = idf.max(initial=1.0)
    seen = np.flatnonzero(idf != default)
    return {
        "coef_index": used.astype(np.int32),
        "coef_values": coef[used].astype(np.float16),
        "idf_index": seen.astype(np.int32),
        "idf_values": idf[seen].astype(np.float16),
        "idf_default": np.asarray([default], dtype=np.float32),
        "prior_coef": prior_coef.astype(np.float32),
        "intercept": intercept.astype(np.float32),
    }
