"""Where the automatic judges are trusted: the (category, language) pairs that are scored.

Decided per language on the latest untouched run of the hand-labelled set
(``tests/fixtures/qa``): "blind6" (``docs/qa_runs/16-blind6-only-run.tsv``), 180
conversations written by three people who never saw the scorer (a follow-the-sun night and
weekend shift writing quick chats, developers of a start-up answering tickets between releases,
the compliance and fraud desk of a regulated wallet with a card), checked by a fourth, and
scored once after the judges were fixed on the earlier blind splits ("blind" to "blind5"). A
category is scored in a
language when its failure verdict reached the aims of issue 16 there - precision at least
0.9 and recall at least 0.8, 1.0 for the critical security hygiene - and still does on every
evaluation split of that language. Everywhere else its verdict is stored as "not_scored",
never guessed (a team may trust a judge it checked itself: ``[quality.trusted]``);
docs/qa.md publishes the figures and tests/quality/test_qa_labelled_set.py checks this table
against them, so the two cannot drift apart.

On blind6: responsiveness and greeting 1.00 / 1.00 in every language; comprehension holds in
en, es, ru and zh (fr caught 4 of 6); closing in en (8 of 8, no false failure; 1 to 7 false
failures elsewhere); empathy in ru only (one to four correct-but-cold replies read as cold, or
acknowledgements in words the lists do not hold, elsewhere: precision 0.64-0.88);
readability in fr only (a false failure on a field name or a duty word in en, es, ru, zh);
solution and tone do not (recall 0.0 to 0.67).

Security hygiene is scored in es (9 of 9 requests, no false alarm). Elsewhere blind6 caught 34
of 36 requests (ru missed two) and flagged 11 safe conversations (warnings and explanations:
precision 0.64-0.88). The failures it finds are kept in every language: a missed request
costs a customer the funds, a false alarm a trainer's look. So where it is not scored a
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
    "greeting": _ALL,
    "empathy": frozenset({"ru"}),
    "comprehension": frozenset({"en", "es", "ru", "zh"}),
    "solution": _NONE,
    "closing": frozenset({"en"}),
    "tone": _NONE,
    "readability": frozenset({"fr"}),
    "responsiveness": _ALL,
    "security": frozenset({"es"}),
}


def is_scored(category: str, language: str | None) -> bool:
    """True when ``category``'s automatic verdicts are trusted in ``language``."""
    if category in LANGUAGE_FREE:
        return True
    return language in SCORED.get(category, frozenset())
