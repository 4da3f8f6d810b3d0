"""Where the automatic judges are trusted: the (category, language) pairs that are scored.

Decided on the "last" split of the hand-labelled set (``tests/fixtures/qa``): 40
conversations written after every pattern fix and scored once, so nothing was tuned on
them (``docs/qa_runs/4-last-first-run.tsv``). A category is scored when its failure
verdict reached the aims of issue 16 there - precision at least 0.9 and recall at least
0.8, 1.0 for the critical security hygiene - and still does on every evaluation split of
each language. Everywhere else its verdict is stored as "not_scored", never guessed;
docs/qa.md publishes the figures and tests/quality/test_labelled_set.py checks this
table against them, so the two cannot drift apart.

Security hygiene is not scored (recall 0.4 on the last split: a request for a secret can
be worded in more ways than any phrase list holds), but the failures it does find are
kept in every language - none of them was a false alarm in any split - so a conversation
shows "no" when a request was found and "not scored" otherwise, never "yes".
"""

from __future__ import annotations

from metrics.quality.scoring.phrases import LANGUAGES

# Judged from timestamps alone: the same in every language, including unknown ones.
LANGUAGE_FREE: frozenset[str] = frozenset({"responsiveness"})
# Failures kept where the category is not scored: found with no false alarm in any split.
FAILURES_KEPT: frozenset[str] = frozenset({"security"})

_ALL = frozenset(LANGUAGES)
_NONE: frozenset[str] = frozenset()
SCORED: dict[str, frozenset[str]] = {
    "greeting": _ALL,
    "empathy": _ALL,
    "comprehension": _ALL,
    "solution": _NONE,
    "closing": _ALL,
    "tone": _NONE,
    "readability": _NONE,
    "responsiveness": _ALL,
    "security": _NONE,
}


def is_scored(category: str, language: str | None) -> bool:
    """True when ``category``'s automatic verdicts are trusted in ``language``."""
    if category in LANGUAGE_FREE:
        return True
    return language in SCORED.get(category, frozenset())
