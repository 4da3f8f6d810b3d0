"""Where the automatic judges are trusted: the (category, language) pairs that are scored.

Decided per language on the latest untouched run of the hand-labelled set
(``tests/fixtures/qa``): "blind5" (``docs/qa_runs/15-blind5-only-run.tsv``), 180
conversations written by three people who never saw the scorer (an outsourced contact centre
working from macros with bot hand-overs and shift changes, a small community team on social
media and group chats, a premium desk and hardware repair desk writing formal e-mails),
checked by a fourth, and scored once after the judges were fixed on the earlier blind splits
("blind" to "blind4"). A category is scored in a
language when its failure verdict reached the aims of issue 16 there - precision at least
0.9 and recall at least 0.8, 1.0 for the critical security hygiene - and still does on every
evaluation split of that language. Everywhere else its verdict is stored as "not_scored",
never guessed (a team may trust a judge it checked itself: ``[quality.trusted]``);
docs/qa.md publishes the figures and tests/quality/test_qa_labelled_set.py checks this table
against them, so the two cannot drift apart.

On blind5: responsiveness 1.00 / 1.00 in every language; greeting holds in en, es and fr
(one informal greeting missed in ru and zh: precision 0.86-0.88); empathy in en, es, fr and
zh (two false failures in ru: 0.82); comprehension in en and fr (recall 0.50-0.67
elsewhere); readability in en, es, fr and ru (one false failure in zh); closing does not
(precision 0.58 to 0.75), nor solution or tone (recall 0.0 to 0.5).

Security hygiene is not scored: blind5 caught 42 of 45 requests (en, es and ru each missed
one: a screenshot of the recovery kit's QR code, eleven of the twelve words, the agent's own
address for a payment) and flagged 12 safe conversations (precision 0.72-0.88).
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
    "greeting": frozenset({"en", "es", "fr"}),
    "empathy": frozenset({"en", "es", "fr", "zh"}),
    "comprehension": frozenset({"en", "fr"}),
    "solution": _NONE,
    "closing": _NONE,
    "tone": _NONE,
    "readability": frozenset({"en", "es", "fr", "ru"}),
    "responsiveness": _ALL,
    "security": _NONE,
}


def is_scored(category: str, language: str | None) -> bool:
    """True when ``category``'s automatic verdicts are trusted in ``language``."""
    if category in LANGUAGE_FREE:
        return True
    return language in SCORED.get(category, frozenset())
