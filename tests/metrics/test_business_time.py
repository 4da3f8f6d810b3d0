"""Business time against hand-computed cases: weekends, holidays, DST, multi-day spans, off-hours."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import polars as pl

from metrics.core.business_time import business_minutes, calendar_frame, open_intervals
from metrics.core.settings import SupportHours, settings_from_dict

NY = ZoneInfo("America/New_York")
SH = ZoneInfo("Asia/Shanghai")
WEEKDAYS_9_TO_17 = {d: ((time(9), time(17)),) for d in range(5)}


def at(zone: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone)


def test_a_24x7_calendar_counts_calendar_time():
    hours = SupportHours()
    # 2026-01-05 09:00 -> 2026-01-06 10:30 UTC = 25.5 h = 1530 min
    assert (
        business_minutes(
            hours, at(ZoneInfo("UTC"), 2026, 1, 5, 9), at(ZoneInfo("UTC"), 2026, 1, 6, 10, 30)
        )
        == 1530.0
    )


def test_within_one_day_only_open_hours_count():
    hours = SupportHours("America/New_York", WEEKDAYS_9_TO_17)
    # Tue 2026-01-06 08:00 -> 10:15: open from 09:00, so 75 min
    assert business_minutes(hours, at(NY, 2026, 1, 6, 8), at(NY, 2026, 1, 6, 10, 15)) == 75.0


def test_a_ticket_opened_outside_hours_waits_until_opening():
    hours = SupportHours("America/New_York", WEEKDAYS_9_TO_17)
    # Tue 20:00 -> Wed 09:30: closed all night, then 30 min on Wednesday
    assert business_minutes(hours, at(NY, 2026, 1, 6, 20), at(NY, 2026, 1, 7, 9, 30)) == 30.0


def test_weekends_do_not_count():
    hours = SupportHours("America/New_York", WEEKDAYS_9_TO_17)
    # Fri 2026-01-09 16:00 -> Mon 2026-01-12 10:00: Fri 60 + Mon 60 = 120 min
    assert business_minutes(hours, at(NY, 2026, 1, 9, 16), at(NY, 2026, 1, 12, 10)) == 120.0


def test_a_multi_day_span_adds_whole_days():
    hours = SupportHours("America/New_York", WEEKDAYS_9_TO_17)
    # Mon 2026-01-05 12:00 -> Thu 2026-01-08 12:00: Mon 5 h + Tue 8 h + Wed 8 h + Thu 3 h = 24 h
    assert business_minutes(hours, at(NY, 2026, 1, 5, 12), at(NY, 2026, 1, 8, 12)) == 24 * 60.0


def test_holidays_from_the_list_and_the_country_are_closed():
    listed = SupportHours("America/New_York", WEEKDAYS_9_TO_17, holidays=(date(2026, 1, 6),))
    # Mon 16:00 -> Wed 10:00 with Tuesday a listed holiday: Mon 60 + Wed 60 = 120 min
    assert business_minutes(listed, at(NY, 2026, 1, 5, 16), at(NY, 2026, 1, 7, 10)) == 120.0
    china = SupportHours("Asia/Shanghai", WEEKDAYS_9_TO_17, holiday_country="CN")
    # Wed 2026-09-30 16:00 -> Thu 2026-10-08 10:00 Shanghai. python-holidays closes Oct 1, 2,
    # 3, 5 (observed), 6 and 7 (substituted days off); Oct 3-4 are the weekend anyway.
    # Open: Wed 09-30 16-17 (60) + Thu 10-08 09-10 (60) = 120 min
    assert business_minutes(china, at(SH, 2026, 9, 30, 16), at(SH, 2026, 10, 8, 10)) == 120.0


def test_a_working_day_keeps_its_length_across_dst_changes():
    hours = SupportHours("America/New_York", WEEKDAYS_9_TO_17)
    # Spring forward (Sun 2024-03-10): Fri 2024-03-08 16:00 EST -> Mon 03-11 10:00 EDT = 60 + 60
    assert business_minutes(hours, at(NY, 2024, 3, 8, 16), at(NY, 2024, 3, 11, 10)) == 120.0
    # Fall back (Sun 2024-11-03): Fri 11-01 16:00 EDT -> Mon 11-04 10:00 EST = 60 + 60
    assert business_minutes(hours, at(NY, 2024, 11, 1, 16), at(NY, 2024, 11, 4, 10)) == 120.0
    # The UTC instants move: Monday 09:00 is 13:00 UTC before and 14:00 UTC after the change
    (monday,) = [i for i in open_intervals(hours, date(2024, 11, 4), date(2024, 11, 4))]
    assert monday[0].hour == 14


def test_a_night_shift_range_ending_at_midnight():
    hours = SupportHours("Asia/Shanghai", {0: ((time(18), time(0)),)})
    # Mon 2026-01-05 17:00 -> Tue 01:00 Shanghai: open 18:00-24:00 Monday = 360 min
    assert business_minutes(hours, at(SH, 2026, 1, 5, 17), at(SH, 2026, 1, 6, 1)) == 360.0


def test_the_sql_calendar_frame_matches_the_python_reference():
    settings = settings_from_dict(
        {
            "support_hours": {
                "teams": {
                    "zh": {
                        "timezone": "Asia/Shanghai",
                        "weekly": {"mon": ["09:00-12:00", "13:00-18:00"]},
                    }
                }
            }
        }
    )
    frame = calendar_frame(settings, date(2026, 1, 5), date(2026, 1, 12))
    zh = frame.filter(pl.col("calendar") == "zh")
    # Mondays 2026-01-05 and 2026-01-12 (plus the padding day either side: none are Mondays)
    assert zh.height == 4
    # minutes_before accumulates: 0, 180 (09-12), 480 (+13-18), 660
    assert zh["minutes_before"].to_list() == [0.0, 180.0, 480.0, 660.0]
