"""Where the automatic judges are trusted: the (category, language) pairs that are scored.

Decided per language on the latest untouched run of the hand-labelled set
(``tests/fixtures/qa``): "blind4" (``docs/qa_runs/14-blind4-only-run.tsv``), 180
conversations written by three people who never saw the scorer (a self-custody startup whose
engineers answer support, a regulated custodial desk pasting policy text, a night team of
non-native speakers on messaging apps), checked by a fourth, and scored once after the judges
were fixed on the earlier blind splits ("blind" to "blind3"). A category is scored in a
language when its failure verdict reached the aims of issue 16 there - precision at least
0.9 and recall at least 0.8, 1.0 for the critical security hygiene - and still does on every
evaluation split of that language. Everywhere else its verdict is stored as "not_scored",
never guessed (a team may trust a judge it checked itself: ``[quality.trusted]``);
docs/qa.md publishes the figures and tests/quality/test_qa_labelled_set.py checks this table
against them, so the two cannot drift apart.

On blind4: greeting and responsiveness 1.00 / 1.00 in every language; empathy holds in es
and fr (one false failure in en, ru, two in zh: precision 0.80-0.89), comprehension in es
and zh, readability in fr and zh, tone in zh; closing does not (precision 0.57 to 0.80),
nor solution (recall 0.0 to 0.5).

Security hygiene is not scored: blind4 caught 44 of 45 requests (es missed an agent asking
for the exported key: "pégamelo aquí", a class fixed after the run: scorer blind-4) and
flagged 8 safe conversations (precision 0.75-0.82 in en, fr, zh); ru, exact on blind4,
misses requests on probe6.
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
    "empathy": frozenset({"es", "fr"}),
    "comprehension": frozenset({"es", "zh"}),
    "solution": _NONE,
    "closing": _NONE,
    "tone": frozenset({"zh"}),
    "readability": frozenset({"fr", "zh"}),
    "responsiveness": _ALL,
    "security": _NONE,
}


def is_scored(category: str, language: str | None) -> bool:
    """True when ``category``'s automatic verdicts are trusted in ``language``."""
    if category in LANGUAGE_FREE:
        return True
    return language in SCORED.get(category, frozenset())
