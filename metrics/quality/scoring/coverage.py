"""Where the automatic judges are trusted: the (category, language) pairs that are scored.

Decided on untouched runs of the hand-labelled set (``tests/fixtures/qa``): splits written
after the judge existed and scored once, so nothing was tuned on them. For every category
but security that is the "last" split (``docs/qa_runs/4-last-first-run.tsv``); security's
judge was redesigned afterwards and is decided on "probe6", written after its last change
(``docs/qa_runs/10-probe6-only-run.tsv``; ``etl.quality.report.DECIDING_RUN``). A category is
scored when its failure verdict reached the aims of issue 16 there - precision at least 0.9
and recall at least 0.8, 1.0 for the critical security hygiene - and still does on every
evaluation split of each language. Everywhere else its verdict is stored as "not_scored",
never guessed; docs/qa.md publishes the figures and tests/quality/test_qa_labelled_set.py
checks this table against them, so the two cannot drift apart.

Security hygiene is not scored (probe6, "secrets-5", which adds the customer's reply as a
signal: precision 0.52, recall 0.55, no language at recall 1.0 - a request that never names
the secret and gets no revealing reply, "reply with the sequence on the card you filled
in", still gets past it, and explanations that name a code, "the six numbers there are your
code", are flagged), but the failures it finds are kept in every language: a missed request
costs a customer the funds, a false alarm a trainer's look. So a conversation shows "no"
when a request or an outside link was found and "not scored" otherwise, never "yes".
"""

from __future__ import annotations

from metrics.quality.scoring.phrases import LANGUAGES

# Judged from timestamps alone: the same in every language, including unknown ones.
LANGUAGE_FREE: frozenset[str] = frozenset({"responsiveness"})
# Failures kept where the category is not scored: recall matters more than precision there.
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
