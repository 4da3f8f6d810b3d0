"""``as_of``: the instant that open items are measured to, by default the end of the data.

A metric that asks "how long has this been waiting?" of something still open (a ticket's
current status, an unanswered security incident) needs an end point. Today's clock would
make an export from last month look a month late, so the default is the newest instant
recorded in the warehouse; a user can name another (``--option as_of=2026-10-31T18:00``).
"""

from __future__ import annotations

import inspect
from datetime import UTC, datetime

from metrics.core.contacts import Warehouse

NEWEST_SQL = """
    SELECT max(t) FROM (
        SELECT max(greatest(created_at, updated_at, first_response_at, solved_at, closed_at,
            escalated_at)) AS t FROM tickets
        UNION ALL SELECT max(sent_at) FROM messages
        UNION ALL SELECT max(changed_at) FROM ticket_events
    ) AS newest
"""
EXPECTED = "expected an ISO date-time such as 2026-10-31T18:00 or 2026-10-31T18:00+08:00"


def newest_timestamp(wh: Warehouse) -> datetime | None:
    """The warehouse's newest recorded instant (tickets, messages, status events); None when
    it holds none. Filters do not change it: found once per reader and file version, then
    remembered (a scan of every message: tens of ms per call on a lake's Parquet)."""
    return wh.remember(("newest_timestamp",), lambda: wh.query(NEWEST_SQL).item())


def parse_instant(value: datetime | str) -> datetime:
    """``value`` as an aware instant: ISO text (a date alone means its midnight) or a
    datetime; without a zone it is UTC. ValueError with what was expected otherwise."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a date-time; {EXPECTED}") from None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def as_of_instant(wh: Warehouse, as_of: datetime | str | None) -> datetime:
    """The instant open items run to: ``as_of`` when given, else the newest data, else now."""
    if as_of is not None:
        return parse_instant(as_of)
    return newest_timestamp(wh) or datetime.now(UTC)


def is_instant_option(parameter: inspect.Parameter) -> bool:
    """True for a metric option typed as a date-time (the CLI parses it as one)."""
    annotation = parameter.annotation
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    return "datetime" in str(text)
