"""The latest period retention can follow (metrics.retention.window)."""

from __future__ import annotations

from datetime import date

from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.retention.window import followable_days, latest_followable

SETTINGS = load_settings()


def activity(*days: str) -> dict:
    return {"customer_activity": [{"customer_id": "C1", "active_on": date.fromisoformat(d)}
                                  for d in days]}  # fmt: skip


def test_the_last_followable_day_is_30_days_before_the_newest_activity(make_wh):
    wh = make_wh(activity("2026-01-01", "2026-03-31"))
    # days 1-30 after D within 2026-01-01 .. 03-31: D + 1 >= 01-01 and D + 30 <= 03-31
    assert followable_days(wh, SETTINGS) == (date(2025, 12, 31), date(2026, 3, 1))
    # the last 30 days (to 03-31) cannot be followed: the same 30 days, ending 03-01
    moved = latest_followable(wh, SETTINGS, Filters(date(2026, 3, 2), date(2026, 3, 31)))
    assert moved == Filters(date(2026, 1, 31), date(2026, 3, 1))
    # an open period becomes the latest 30 days; never earlier than the first followable day
    assert latest_followable(wh, SETTINGS, Filters(), days=90) == Filters(
        date(2025, 12, 31), date(2026, 3, 1)
    )


def test_without_enough_activity_nothing_can_be_followed(make_wh):
    assert latest_followable(make_wh({}), SETTINGS, Filters()) is None
    assert followable_days(make_wh(activity("2026-01-01", "2026-01-10")), SETTINGS) == (None, None)
