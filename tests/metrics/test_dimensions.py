"""Filter choices, the data's span, the roster and training dates, on a hand-written warehouse."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from builders import msg, ticket, ts

from metrics.core.dimensions import agent_names, agent_trainings, data_span, dimension_values
from metrics.core.settings import Settings, load_settings

SETTINGS = load_settings()
SHANGHAI = Settings(reporting_timezone="Asia/Shanghai")


@pytest.fixture
def wh(make_wh):
    return make_wh({
        "tickets": [
            ticket("T1", "2026-01-05 09:00", channel="email", language="en", team="en",
                   agent_id="A1", priority="high", category="billing"),
            ticket("T2", "2026-01-06 10:00", channel="email", language="es", team="es",
                   agent_id="A2", priority="low"),
            # merged into T1: never offered as a choice, never counted
            ticket("T3", "2026-01-07 11:00", channel="social", agent_id="A3", merged_into="T1"),
        ],
        # a chat that belongs to no ticket: a contact on the 8th (UTC), 9th in Shanghai
        "messages": [msg("C9", "customer", "2026-01-08 23:30", language="fr")],
        "agents": [
            {"agent_id": "A1", "name": "Ann Lee", "team": "en"},
            {"agent_id": "A2", "name": None, "team": "es"},
        ],
        "trainings": [
            {"agent_id": "A1", "course": "Security basics", "completed_at": ts("2026-01-06 23:30")},
            {"agent_id": "A1", "course": "De-escalation", "completed_at": ts("2026-01-02 08:00")},
            {"agent_id": "A2", "course": "De-escalation", "completed_at": ts("2026-01-03 08:00")},
        ],
    })  # fmt: skip


def test_channel_values_count_contacts_and_leave_out_merged_duplicates(wh):
    # email: T1 and T2; chat: the conversation C9; social only on the merged T3
    assert dimension_values(wh, SETTINGS, "channel").to_dicts() == [
        {"value": "chat", "label": "chat", "contacts": 1},
        {"value": "email", "label": "email", "contacts": 2},
    ]


def test_agents_are_labelled_by_roster_name_else_by_id(wh):
    assert dimension_values(wh, SETTINGS, "agent").to_dicts() == [
        {"value": "A2", "label": "A2", "contacts": 1},
        {"value": "A1", "label": "Ann Lee (A1)", "contacts": 1},
    ]


def test_contacts_without_a_value_are_not_a_choice(wh):
    # only T1 has a category
    assert dimension_values(wh, SETTINGS, "category")["value"].to_list() == ["billing"]


def test_an_unknown_dimension_is_refused(wh):
    with pytest.raises(ValueError, match="unknown dimension 'subject'"):
        dimension_values(wh, SETTINGS, "subject")


def test_the_span_runs_from_the_first_to_the_last_creation_day_in_the_reporting_zone(wh):
    assert data_span(wh, SETTINGS) == (date(2026, 1, 5), date(2026, 1, 8))
    # 2026-01-08 23:30 UTC is 07:30 on the 9th in Shanghai (UTC+8)
    assert data_span(wh, SHANGHAI) == (date(2026, 1, 5), date(2026, 1, 9))


def test_an_empty_warehouse_has_no_span(make_wh):
    assert data_span(make_wh({}), SETTINGS) == (None, None)


def test_trainings_of_one_agent_oldest_first_with_the_local_day(wh):
    assert agent_trainings(wh, SHANGHAI, "A1").to_dicts() == [
        {"course": "De-escalation", "completed_at": datetime(2026, 1, 2, 8, 0, tzinfo=UTC),
         "completed_day": date(2026, 1, 2)},
        # 23:30 UTC on the 6th is the 7th in Shanghai
        {"course": "Security basics", "completed_at": datetime(2026, 1, 6, 23, 30, tzinfo=UTC),
         "completed_day": date(2026, 1, 7)},
    ]  # fmt: skip
    assert agent_trainings(wh, SETTINGS, "nobody").is_empty()


def test_the_roster_lists_every_agent(wh):
    assert agent_names(wh).to_dicts() == [
        {"agent_id": "A1", "name": "Ann Lee", "team": "en"},
        {"agent_id": "A2", "name": None, "team": "es"},
    ]
