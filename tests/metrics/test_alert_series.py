"""The alerts' per-day series in one query (``metrics.alerts.series.daily_figures``) on
hand-written contacts: each day and group's figure, computed by hand, and the same rows as
the metric function called once per group (``alert_series_reference``).

Reporting zone UTC; two days, 2026-01-05 and 06. Each contact has one customer message
(its score) and at most one agent reply:

T1  5th 09:00  chat   en  -0.6  reply 09:10 (10 min)
T2  5th 10:00  chat   de   0.3  reply 10:30 (30 min)
T3  5th 11:00  email  en  -0.5  reply 12:00 (60 min)
T4  6th 09:00  chat   en   0.2  no reply (unanswered)
T5  6th 10:00  (no channel)  en  -0.7  reply 10:20 (20 min)
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import polars as pl
import pytest
from alert_series_reference import per_group_calls
from builders import msg, ticket
from polars.testing import assert_frame_equal

from metrics.alerts.series import daily_figures
from metrics.core.filters import Filters
from metrics.core.settings import load_settings

SETTINGS = load_settings()
DAYS = Filters(date_from=date(2026, 1, 5), date_to=date(2026, 1, 6))
FIFTH, SIXTH = date(2026, 1, 5), date(2026, 1, 6)
CONTACTS = [
    ("T1", "2026-01-05 09:00", "chat", "en", -0.6, "2026-01-05 09:10"),
    ("T2", "2026-01-05 10:00", "chat", "de", 0.3, "2026-01-05 10:30"),
    ("T3", "2026-01-05 11:00", "email", "en", -0.5, "2026-01-05 12:00"),
    ("T4", "2026-01-06 09:00", "chat", "en", 0.2, None),
    ("T5", "2026-01-06 10:00", None, "en", -0.7, "2026-01-06 10:20"),
]


@pytest.fixture
def wh(make_wh):
    tickets, messages = [], []
    for tid, created, channel, language, score, reply in CONTACTS:
        tickets.append(ticket(tid, created, channel=channel, language=language))
        messages.append(
            msg(tid, "customer", created, sentiment=score, sentiment_method="vader", language=language)
        )  # fmt: skip
        if reply:
            messages.append(msg(tid, "agent", reply, sender_id="A1"))
    return make_wh({"tickets": tickets, "messages": messages})


def rows(frame: pl.DataFrame) -> list[tuple]:
    return [tuple(row) for row in frame.iter_rows()]


def test_contacts_per_day_overall_and_per_channel(wh):
    # Overall: the 5th T1-T3 = 3, the 6th T4, T5 = 2. Per channel: the 5th chat T1, T2 = 2 and
    # email T3 = 1; the 6th chat T4 = 1 (T5 has no channel: in no group).
    overall = daily_figures(wh, SETTINGS, "contacts", DAYS, None)
    assert rows(overall.sort("day")) == [(FIFTH, None, 3.0, 3), (SIXTH, None, 2.0, 2)]
    per_channel = daily_figures(wh, SETTINGS, "contacts", DAYS, "channel").sort("group", "day")
    assert rows(per_channel) == [(FIFTH, "chat", 2.0, 2), (SIXTH, "chat", 1.0, 1), (FIFTH, "email", 1.0, 1)]  # fmt: skip


def test_median_first_response_per_day_and_channel(wh):
    # The 5th: chat median(10, 30) = 20 (n 2), email 60 (n 1), all three median(10, 30, 60)
    # = 30; the 6th: chat only T4, unanswered, so n 0 and no row; overall T5's 20 (n 1).
    per_channel = daily_figures(wh, SETTINGS, "frt_median", DAYS, "channel").sort("group", "day")
    assert rows(per_channel) == [(FIFTH, "chat", 20.0, 2), (FIFTH, "email", 60.0, 1)]
    overall = daily_figures(wh, SETTINGS, "frt_median", DAYS, None).sort("day")
    assert rows(overall) == [(FIFTH, None, 30.0, 3), (SIXTH, None, 20.0, 1)]


def test_negative_share_per_day_and_language(wh):
    # The 5th: en T1 -0.6 and T3 -0.5, both negative: 2 / 2 = 1.0; de T2 0.3: 0 / 1 = 0.0.
    # The 6th: en T4 0.2 and T5 -0.7: 1 / 2 = 0.5.
    per_language = daily_figures(wh, SETTINGS, "negative_share", DAYS, "language")
    assert rows(per_language.sort("group", "day")) == [
        (FIFTH, "de", 0.0, 1), (FIFTH, "en", 1.0, 2), (SIXTH, "en", 0.5, 2),
    ]  # fmt: skip


def test_the_filters_narrow_every_group(wh):
    # English only, per channel: the 5th chat T1 and email T3, the 6th chat T4.
    english = replace(DAYS, language=("en",))
    per_channel = daily_figures(wh, SETTINGS, "contacts", english, "channel").sort("group", "day")
    assert rows(per_channel) == [(FIFTH, "chat", 1.0, 1), (SIXTH, "chat", 1.0, 1), (FIFTH, "email", 1.0, 1)]  # fmt: skip


@pytest.mark.parametrize("metric", ["contacts", "frt_median", "negative_share"])
@pytest.mark.parametrize("by", [None, "channel", "language"])
def test_the_one_query_is_the_per_group_calls(wh, metric, by):
    for filters in (DAYS, replace(DAYS, language=("en",)), replace(DAYS, channel=("email",))):
        got = daily_figures(wh, SETTINGS, metric, filters, by).sort("group", "day", nulls_last=True)
        assert_frame_equal(got, per_group_calls(wh, SETTINGS, metric, filters, by))
