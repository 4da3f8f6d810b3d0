"""Where the automatic judges are trusted: the (category, language) pairs that are scored.

Decided per language on the latest untouched run of the hand-labelled set
(``tests/fixtures/qa``): "blind2" (``docs/qa_runs/12-blind2-only-run.tsv``), 120
conversations written and labelled by two people who never saw the scorer, in styles unlike
the team's (a formal custodial desk, a community-moderator team), scored once after the
judges were fixed on the first blind split ("blind"). A category is scored in a language
when its failure verdict reached the aims of issue 16 there - precision at least 0.9 and
recall at least 0.8, 1.0 for the critical security hygiene - and still does on every
evaluation split of that language. Everywhere else its verdict is stored as "not_scored",
never guessed; docs/qa.md publishes the figures and tests/quality/test_qa_labelled_set.py
checks this table against them, so the two cannot drift apart.

On blind2 the fixes made on blind did not carry to new styles for closing (precision 0.50
to 0.71: invitations back worded unlike any list), comprehension, solution and tone (recall
0.10 to 0.25), and cost a false greeting failure on slang openers in en and es.

Security hygiene is not scored (blind2: recall 1.0 in zh, en, es, fr but precision 0.75 to
0.86 - warnings and explanations naming the words or a password, and a card's last four
digits, are flagged - and in ru a request to forward the bot's message "with the code" was
missed: recall 5/6), but the failures it finds are kept in every
language: a missed request costs a customer the funds, a false alarm a trainer's look. So a
conversation shows "no" when a request or an outside link was found and "not scored"
otherwise, never "yes".
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
    "greeting": frozenset({"fr", "ru", "zh"}),
    "empathy": frozenset({"es", "ru", "zh"}),
    "comprehension": _NONE,
    "solution": _NONE,
    "closing": _NONE,
    "tone": _NONE,
    "readability": frozenset({"es", "ru"}),
    "responsiveness": _ALL,
    "security": _NONE,
}


def is_scored(category: str, language: str | None) -> bool:
    """True when ``category``'s automatic verdicts are trusted in ``language``."""
    if category in LANGUAGE_FREE:
        return True
    return language in SCORED.get(category, frozenset())
