"""Where the automatic judges are trusted: the (category, language) pairs that are scored.

A judge is trusted in a language when its precision and recall on the held-out part of
the hand-labelled set (``tests/fixtures/qa``) reach the aims of issue 16: precision of the
failure verdict at least 0.9 and recall at least 0.8 (1.0 for the critical security
hygiene). Everywhere else the verdict is stored as "not_scored", never guessed; docs/qa.md
publishes the figures and tests/quality/test_labelled_set.py checks this table against
them, so the two cannot drift apart.
"""

from __future__ import annotations

from metrics.quality.scoring.phrases import LANGUAGES

# Judged from timestamps alone: the same in every language, including unknown ones.
LANGUAGE_FREE: frozenset[str] = frozenset({"responsiveness"})

_ALL = frozenset(LANGUAGES)
SCORED: dict[str, frozenset[str]] = {
    "greeting": _ALL,
    "empathy": _ALL,
    "comprehension": _ALL,
    "solution": _ALL,
    "closing": _ALL,
    "tone": _ALL,
    "readability": _ALL,
    "responsiveness": _ALL,
    "security": _ALL,
}


def is_scored(category: str, language: str | None) -> bool:
    """True when ``category``'s automatic verdicts are trusted in ``language``."""
    if category in LANGUAGE_FREE:
        return True
    return language in SCORED.get(category, frozenset())
