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

# "blind-6": the judges fixed on the blind5 split by classes of wording (every category but
# responsiveness), after "blind-5" fixed them on blind4 and on probe6's Russian requests
SCORER_VERSION = "blind-6"

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
