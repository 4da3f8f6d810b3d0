"""How good a stored sentiment method is, from the model card's figures (the manifest).

Pages show each language's method beside its measured accuracy; a warehouse scored by an
older model version is flagged so it can be re-scored (``python -m etl rescore``).
"""

from __future__ import annotations

from dataclasses import dataclass

from etl.sentiment import MODEL_PREFIX, production_methods
from etl.sentiment.models import MODELS_DIR, manifest


@dataclass(frozen=True)
class MethodQuality:
    """A method's figures on the support fixture and its lowest corpus test macro-F1."""

    method: str
    language: str
    fixture_accuracy: float
    fixture_macro_f1: float
    corpus_macro_f1_min: float
    current: bool  # the method the shipped models use for this language today


def _evaluated(language: str, name: str, method: str, current: bool) -> MethodQuality | None:
    entry = manifest(MODELS_DIR)["languages"].get(language, {})
    results = entry.get("evaluation", {}).get(name)
    if results is None:
        return None
    corpus = [r["macro_f1"] for split, r in results.items() if split != "fixture"]
    return MethodQuality(
        method=method,
        language=language,
        fixture_accuracy=results["fixture"]["accuracy"],
        fixture_macro_f1=results["fixture"]["macro_f1"],
        corpus_macro_f1_min=min(corpus) if corpus else float("nan"),
        current=current,
    )


def method_quality(method: str, language: str) -> MethodQuality | None:
    """Figures of ``method`` (as stored in messages.sentiment_method) for ``language``;
    None when the model card has none (an older model version, an unmeasured lexicon)."""
    current = production_methods().get(language) == method
    if method.startswith(MODEL_PREFIX):
        if not current:
            return None
        production = manifest(MODELS_DIR)["languages"][language]["production"]
        return _evaluated(language, production, method, current)
    return _evaluated(language, method, method, current)


def current_methods() -> set[str]:
    """Every method a load would store today: the production methods, and the lexicon
    scorers of languages without a trained model (e.g. 'leia' for Portuguese)."""
    from etl.sentiment_scorers import enabled_scorers

    production = production_methods()
    legacy = {s.method for lang, s in enabled_scorers().items() if lang not in production}
    return set(production.values()) | legacy


def outdated_methods(methods: list[str]) -> list[str]:
    """The stored methods that a load would no longer use: re-score the warehouse."""
    current = current_methods()
    return sorted(m for m in set(methods) if m not in current)
