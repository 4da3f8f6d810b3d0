"""The phrase lists of the automatic judges, one TOML file per language in ``phrases/``.

Each list holds regular expressions in the Rust syntax Polars runs (no look-around). A
feature's pattern joins every language's entries, so a reply mixing languages (Chinese
agents often write English terms) is still read; case is ignored. ``vague`` lists words
(or, for Chinese, phrases) that say nothing about what a problem is.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

LANGUAGES: tuple[str, ...] = ("zh", "en", "es", "ru", "fr")
PHRASE_DIR = Path(__file__).with_name("phrases")
FEATURES: tuple[str, ...] = (
    "greeting", "empathy", "closing", "tone", "jargon", "action", "refusal", "deferral",
    "dismissal", "suggestion", "info_request", "secret_noun", "secret_cue", "secret_negation", "secret_backref",
    "secret_reassurance", "secret_selfservice", "secret_party", "secret_weak_noun",
    "secret_weak_exception", "secret_routine_ask", "ask_cue", "secret_harmless", "customer_repeat",
    "customer_correction", "jargon_harmless", "agent_misread", "action_harmless",
)  # fmt: skip
ASK_KINDS: tuple[str, ...] = (
    "tx", "address", "email", "network", "version", "device", "reference",
)  # fmt: skip
ASK_LABELS: dict[str, str] = {
    "tx": "the transaction hash", "address": "the wallet address", "email": "the e-mail address",
    "network": "the network", "version": "the app version", "device": "the phone model",
    "reference": "the order, case or ticket number",
}  # fmt: skip


@dataclass(frozen=True)
class Phrases:
    """Every feature's combined pattern, the ask patterns per item, and the vague vocabulary."""

    patterns: dict[str, str]
    asks: dict[str, str]
    vague_words: frozenset[str]
    vague_phrases: str
    # closing's pattern per language: one alternation of every language's invitations back
    # overflows the regex engine's lazy DFA cache (about 8x slower over the same sentences)
    closing_parts: tuple[str, ...] = ()
    # every feature's pattern per language, for the long lists whose one alternation is as
    # slow (security's negations and self-service uses: 20-100x slower whole than in parts)
    parts: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _joined(entries: list[str]) -> str:
    if not entries:  # an empty list matches nothing (not every text's empty string)
        return r"(?i)([^\s\S])"
    return "(?i)(" + "|".join(f"(?:{e})" for e in entries) + ")"


@cache
def phrases(languages: tuple[str, ...] = LANGUAGES) -> Phrases:
    """The combined patterns of ``languages`` (read once per process)."""
    data = {
        lang: tomllib.loads((PHRASE_DIR / f"{lang}.toml").read_text("utf-8")) for lang in languages
    }
    patterns = {
        feature: _joined([e for lang in languages for e in data[lang].get(feature, [])])
        for feature in FEATURES
    }
    asks = {
        kind: _joined([e for lang in languages for e in data[lang]["ask"].get(kind, [])])
        for kind in ASK_KINDS
    }
    spaced = [lang for lang in languages if lang != "zh"]
    words = frozenset(w.lower() for lang in spaced for w in data[lang].get("vague", []))
    chinese = sorted(data["zh"]["vague"], key=len, reverse=True) if "zh" in data else []
    closing = tuple(_joined(data[lang].get("closing", [])) for lang in languages)
    parts = {
        feature: tuple(_joined(data[lang].get(feature, [])) for lang in languages)
        for feature in FEATURES
    }
    return Phrases(patterns, asks, words, "|".join(chinese) or r"[^\s\S]", closing, parts)
