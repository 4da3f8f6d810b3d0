"""Breakdowns every metric offers: by agent, team, channel, language, category, priority,
source, day, week or hour of day (in the reporting time zone)."""

from __future__ import annotations

# Group name -> SQL expression over a contact relation aliased `c`. A fixed list:
# user input only ever selects a key, never supplies SQL.
GROUPS: dict[str, str] = {
    "agent": "c.agent_id",
    "team": "c.team",
    "channel": "c.channel",
    "language": "c.language",
    "category": "c.category",
    "priority": "c.priority",
    "source": "c.source",
    "day": "c.created_day",
    "week": "date_trunc('week', c.created_day)",
    "month": "date_trunc('month', c.created_day)",
    "hour": "hour(c.created_at AT TIME ZONE $timezone)",
}


class UnknownGroup(ValueError):
    """A breakdown that does not exist; the message lists the ones that do."""


def group_expr(by: str | None) -> str | None:
    """SQL expression for breakdown ``by`` (None for the overall figure)."""
    if by is None:
        return None
    try:
        return GROUPS[by]
    except KeyError:
        raise UnknownGroup(
            f"unknown breakdown {by!r}; expected one of: {', '.join(GROUPS)}"
        ) from None
