"""Where the automatic judges are trusted: the (category, language) pairs that are scored.

Decided per language on the latest untouched run of the hand-labelled set
(``tests/fixtures/qa``): "blind3" (``docs/qa_runs/13-blind3-only-run.tsv``), 120
conversations written and labelled by two people who never saw the scorer, in styles unlike
any before (an outsourced contact centre, second-line engineers), scored once after the
judges were fixed on the earlier blind splits ("blind", "blind2"). A category is scored in a
language when its failure verdict reached the aims of issue 16 there - precision at least
0.9 and recall at least 0.8, 1.0 for the critical security hygiene - and still does on every
evaluation split of that language. Everywhere else its verdict is stored as "not_scored",
never guessed (a team may trust a judge it checked itself: ``[quality.trusted]``);
docs/qa.md publishes the figures and tests/quality/test_qa_labelled_set.py checks this table
against them, so the two cannot drift apart.

On blind3: greeting, empathy and responsiveness 1.00 / 1.00 in every language; readability
holds in ru and zh; closing does not (precision 0.62 to 0.86), nor comprehension, solution or
tone (recall 0.0 to 0.75).

Security hygiene is not scored: blind3 caught 30 of 30 requests (recall 1.0 in every
language) but flagged 5 safe conversations (precision 0.75 to 0.86 outside zh), and zh,
exact on blind3, misses requests on the splits written against the judge (probe6).
The failures it finds are kept in every language: a missed request costs a customer the
funds, a false alarm a trainer's look. So a conversation shows "no" when a request or an
outside link was found and "not scored" otherwise, never "yes".
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
    "comprehension": _NONE,
    "solution": _NONE,
    "closing": _NONE,
    "tone": _NONE,
    "readability": frozenset({"ru", "zh"}),
    "responsiveness": _ALL,
    "security": _NONE,
}


def is_scored(category: str, language: str | None) -> bool:
    """True when ``category``'s automatic verdicts are trusted in ``language``."""
    if category in LANGUAGE_FREE:
        return True
    return language in SCORED.get(category, frozenset())
