"""The automatic rubric scorer: frames of messages in, verdicts with evidence and scores out.

No database, no settings file, no environment: the caller passes the messages and the
rubric (``Settings.quality``). ``SCORER_VERSION`` names the phrase lists and rules; it is
stored beside every verdict with the rubric version.
"""

from __future__ import annotations

from metrics.quality.scoring.coverage import FAILURES_KEPT, LANGUAGE_FREE, SCORED, is_scored
from metrics.quality.scoring.phrases import LANGUAGES
from metrics.quality.scoring.score import (
    MESSAGE_COLUMNS,
    VERDICT_SCHEMA,
    Scored,
    review_scores,
    score_conversations,
)

# "blind-4": blind-3 (the judges fixed on the blind3 split by classes of wording) and the
# security request blind4 showed it missing (the key-export screen asked for, es)
SCORER_VERSION = "blind-4"

__all__ = [
    "FAILURES_KEPT",
    "LANGUAGES",
    "LANGUAGE_FREE",
    "MESSAGE_COLUMNS",
    "SCORED",
    "SCORER_VERSION",
    "VERDICT_SCHEMA",
    "Scored",
    "is_scored",
    "review_scores",
    "score_conversations",
]
