"""Business time: minutes inside a support-hours calendar, exact across DST, holidays and weekends.

A calendar becomes a table of its open intervals in UTC with the business
minutes that came before each one. Business minutes up to an instant t are
then ``before + clamp(t - open_at, 0, close_at - open_at)`` of the last
interval opening at or before t, and a duration is the difference of two
such values. The same rule runs in SQL (ASOF join, see ``metrics.core.contacts``)
and in Python (``business_minutes``, the reference the tests check it with).
"""

from __future__ import annotations

import bisect
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays as holiday_calendars
import polars as pl

from metrics.core.settings import Settings, SupportHours

DEFAULT_CALENDAR = "__default__"


def closed_days(hours: SupportHours, start: date, end: date) -> set[date]:
    """Days the calendar is closed all day: its own holidays and its country's public holidays."""
    days = {d for d in hours.holidays if start <= d <= end}
    if hours.holiday_country:
        years = range(start.year, end.year + 1)
        days |= {d for d in holiday_calendars.country_holidays(hours.holiday_country, years=years)}
    return days


def open_intervals(hours: SupportHours, start: date, end: date) -> list[tuple[datetime, datetime]]:
    """UTC open intervals of ``hours`` on local days ``start``..``end`` (inclusive), in order.

    Local wall-clock times are converted with the zone's rules for that day, so a
    09:00-18:00 day is 9 hours long even on the day clocks change (only the
    UTC instants move). A range ending "24:00" closes at the next local midnight.
    """
    zone = ZoneInfo(hours.timezone)
    closed = closed_days(hours, start, end)
    out: list[tuple[datetime, datetime]] = []
    day = start
    while day <= end:
        if day not in closed:
            for opens, closes in hours.weekly.get(day.weekday(), ()):
                close_day = day + timedelta(days=1) if closes == time(0, 0) else day
                begin = datetime.combine(day, opens, zone).astimezone(UTC)
                finish = datetime.combine(close_day, closes, zone).astimezone(UTC)
                if finish > begin:
                    out.append((begin, finish))
        day += timedelta(days=1)
    return out


def calendar_frame(settings: Settings, start: date, end: date) -> pl.DataFrame:
    """Open intervals of every configured calendar, with the business minutes before each.

    Columns: calendar (team name, or DEFAULT_CALENDAR), open_at, close_at (UTC),
    minutes_before (Float64). 24x7 calendars have no rows: callers use calendar
    time for them.
    """
    rows: list[tuple[str, datetime, datetime, float]] = []
    named = {DEFAULT_CALENDAR: settings.default_hours, **settings.team_hours}
    for name, hours in named.items():
        if hours.always_open:
            continue
        total = 0.0
        for begin, finish in open_intervals(
            hours, start - timedelta(days=1), end + timedelta(days=1)
        ):
            rows.append((name, begin, finish, total))
            total += (finish - begin).total_seconds() / 60.0
    schema = {
        "calendar": pl.String,
        "open_at": pl.Datetime("us", "UTC"),
        "close_at": pl.Datetime("us", "UTC"),
        "minutes_before": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def business_minutes(hours: SupportHours, start: datetime, end: datetime) -> float:
    """Business minutes between two aware instants (0 when end <= start); the Python reference."""
    if end <= start:
        return 0.0
    if hours.always_open:
        return (end - start).total_seconds() / 60.0
    zone = ZoneInfo(hours.timezone)
    first = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date() + timedelta(days=1)
    intervals = open_intervals(hours, first, last)
    opens = [begin for begin, _ in intervals]
    total = 0.0
    index = max(bisect.bisect_right(opens, start) - 1, 0)
    for begin, finish in intervals[index:]:
        if begin >= end:
            break
        overlap = (min(finish, end) - max(begin, start)).total_seconds()
        total += max(overlap, 0.0) / 60.0
    return total
