"""Contact volume by group and by hour of week; counted and paged contact rows with a search."""

from __future__ import annotations

from datetime import date

import pytest
from builders import msg, ticket

from metrics.core.contacts import contacts
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.operations.volume import (
    contact_count,
    contact_page,
    contact_volume,
    volume_by_hour_of_week,
)

SETTINGS = load_settings()


@pytest.fixture
def wh(make_wh):
    # 2026-01-05 is a Monday
    return make_wh({
        "tickets": [
            ticket("T1", "2026-01-05 09:15", channel="email", category="billing", agent_id="A1"),
            ticket("T2", "2026-01-05 09:45", channel="email", category="security"),
            ticket("T3", "2026-01-06 14:00", channel="web", category="billing"),
            ticket("T4", "2026-01-06 15:00", merged_into="T3"),
        ],
        "messages": [msg("C1", "customer", "2026-01-11 23:00")],  # Sunday, a chat without ticket
    })  # fmt: skip


def test_volume_overall_and_by_day_counts_tickets_and_chats_without_merged(wh):
    assert contact_volume(wh, SETTINGS, Filters()).to_dicts() == [
        {"contacts": 4, "tickets": 3, "conversations": 1}
    ]
    assert contact_volume(wh, SETTINGS, Filters(), by="day").to_dicts() == [
        {"day": date(2026, 1, 5), "contacts": 2, "tickets": 2, "conversations": 0},
        {"day": date(2026, 1, 6), "contacts": 1, "tickets": 1, "conversations": 0},
        {"day": date(2026, 1, 11), "contacts": 1, "tickets": 0, "conversations": 1},
    ]


def test_volume_by_hour_of_week_lists_all_168_slots_with_a_weekly_rate(wh):
    frame = volume_by_hour_of_week(wh, SETTINGS, Filters(date(2026, 1, 5), date(2026, 1, 18)))
    assert frame.height == 168
    busy = frame.filter(frame["contacts"] > 0).to_dicts()
    # 14 days = 2 weeks: per_week = contacts / 2
    assert busy == [
        {"weekday": 1, "hour": 9, "contacts": 2, "per_week": 1.0},
        {"weekday": 2, "hour": 14, "contacts": 1, "per_week": 0.5},
        {"weekday": 7, "hour": 23, "contacts": 1, "per_week": 0.5},
    ]


def test_search_looks_in_text_columns_case_insensitively(wh):
    assert contact_count(wh, SETTINGS, Filters()) == 4
    assert contact_count(wh, SETTINGS, Filters(), "BILLING") == 2
    assert contact_count(wh, SETTINGS, Filters(channel=("email",)), "billing") == 1
    assert contact_count(wh, SETTINGS, Filters(), "a1") == 1


def test_pages_are_slices_of_the_export_rows_in_the_same_order(wh):
    every = contacts(wh, SETTINGS, Filters()).select("contact_id", "channel")
    first = contact_page(wh, SETTINGS, Filters(), columns=("contact_id", "channel"), limit=3)
    rest = contact_page(
        wh, SETTINGS, Filters(), columns=("contact_id", "channel"), limit=3, offset=3
    )
    assert first.vstack(rest).to_dicts() == every.to_dicts()
    assert first["contact_id"].to_list() == ["T1", "T2", "T3"]


def test_a_page_refuses_columns_outside_the_export(wh):
    with pytest.raises(ValueError, match="unknown or no columns"):
        contact_page(wh, SETTINGS, Filters(), columns=("contact_id", "1; DROP TABLE tickets"))
