"""Which contact days retention can follow: their days 1-30 must lie within the activity data.

Not a metric (nothing is measured): the Retention page uses it to open on the latest period
whose windows can be followed when the chosen one cannot (e.g. the last 30 days, whose
30-day windows have not ended yet).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from metrics.core.contacts import Warehouse
from metrics.core.filters import Filters
from metrics.core.settings import Settings
from metrics.retention.fact import WINDOWS

FIRST_WINDOW = WINDOWS[0]


def followable_days(wh: Warehouse, settings: Settings) -> tuple[date | None, date | None]:
    """The first and last contact creation day whose days 1-30 window lies within the oldest
    and newest activity dates (None, None without activity data). ``settings`` is unused
    today: windows count in the reporting time zone's days, as the retention fact does."""
    _, low, high = FIRST_WINDOW
    row = wh.query("SELECT min(active_on) AS lo, max(active_on) AS hi FROM customer_activity").row(
        0
    )
    if row[0] is None:
        return None, None
    first, last = row[0] - timedelta(days=low), row[1] - timedelta(days=high)
    return (first, last) if first <= last else (None, None)


def latest_followable(
    wh: Warehouse, settings: Settings, filters: Filters, days: int = 30
) -> Filters | None:
    """``filters`` moved to the latest period of the same length (``days`` when open) whose
    contacts' days 1-30 can all be followed; None when no day can."""
    first, last = followable_days(wh, settings)
    if first is None or last is None:
        return None
    if filters.date_from and filters.date_to:
        days = (filters.date_to - filters.date_from).days + 1
    start = max(first, last - timedelta(days=days - 1))
    return replace(filters, date_from=start, date_to=last)
