"""A quality figure as a per-contact outcome, so Training impact can ask "did the empathy
course move empathy?": the contact fact plus one column, ``qa_value``.

``outcome`` is "score" (the automatic review score, 0..1) or a rubric category (1 when the
conversation passed it, 0 when it failed, null when n/a or not scored). The table is kept
per warehouse version, settings and outcome, like the contact fact.
"""

from __future__ import annotations

import hashlib

from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.settings import Settings
from metrics.quality.scope import available

SCORE = "score"


def outcome_label(settings: Settings, outcome: str) -> str:
    """What the outcome measures, in words; ValueError for an unknown outcome."""
    if outcome == SCORE:
        return "automatic quality score"
    category = settings.quality.category(outcome)
    if category is None:
        known = ", ".join((SCORE, *settings.quality.names))
        raise ValueError(f"unknown quality outcome {outcome!r}; expected one of: {known}")
    return f"pass rate of {category.label}"


def quality_contacts_table(wh: Warehouse, settings: Settings, outcome: str) -> str:
    """Name of the contact fact with ``qa_value`` for ``outcome`` (built on first use)."""
    outcome_label(settings, outcome)
    contacts = contacts_table(wh, settings)
    # the contact fact's name carries its fingerprint; the rubric and outcome complete it
    tag = hashlib.sha256(f"{contacts}\x1f{settings.quality!r}\x1f{outcome}".encode()).hexdigest()
    name = f"contacts_qa_{tag[:16]}"
    if not available(wh):
        sql = f"SELECT c.*, CAST(NULL AS DOUBLE) AS qa_value FROM {contacts} AS c"  # noqa: S608
        return wh.materialize(name, sql, {}, dict)
    if outcome == SCORE:
        sql = f"""
            SELECT c.*, s.score AS qa_value FROM {contacts} AS c
            LEFT JOIN qa_scores AS s ON s.source = c.source AND s.conversation_id = c.contact_id
        """  # noqa: S608
        return wh.materialize(name, sql, {}, dict)
    sql = f"""
        SELECT c.*, CASE v.verdict WHEN 'yes' THEN 1.0 WHEN 'no' THEN 0.0 END AS qa_value
        FROM {contacts} AS c
        LEFT JOIN qa_verdicts AS v ON v.source = c.source AND v.conversation_id = c.contact_id
            AND v.category = $category
    """  # noqa: S608
    return wh.materialize(name, sql, {"category": outcome}, dict)
