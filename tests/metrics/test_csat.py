"""CSAT on hand-written tickets and surveys."""

from __future__ import annotations

import pytest
from builders import msg, ticket, ts

from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.registry import REGISTRY
from metrics.voice.csat import csat

SETTINGS = load_settings()


def survey(ticket_id: str, score: int, responded: str | None = None, **extra: object) -> dict:
    return {
        "source": "t",
        "ticket_id": ticket_id,
        "score": score,
        "responded_at": ts(responded) if responded else None,
        **extra,
    }


def assigned(ticket_id: str, at: str, agent: str) -> dict:
    return {
        "source": "t",
        "ticket_id": ticket_id,
        "changed_at": ts(at),
        "field": "assignee",
        "value": agent,
    }


def solved(ticket_id: str, agent: str, **extra: object) -> dict:
    return ticket(ticket_id, "2026-01-05 09:00", agent_id=agent, status="solved", **extra)


def test_csat_share_mean_and_response_rate_count_unrated_solved_tickets(make_wh):
    wh = make_wh(
        {
            "tickets": [
                solved("T1", "A1"),
                solved("T2", "A1"),
                solved("T3", "A1"),
                solved("T4", "A2"),
                solved("T5", "A2"),
                ticket("T6", "2026-01-05 09:00", agent_id="A2", status="open"),
            ],
            "surveys": [
                survey("T1", 5),
                survey("T2", 4),
                survey("T3", 2),
                survey("T5", 1),
                survey("T6", 3),
            ],
        }
    )
    # responses: T1 5, T2 4, T3 2, T5 1, T6 3 -> n = 5, satisfied (4-5) = 2, value = 2/5 = 0.4,
    # mean = (5+4+2+1+3)/5 = 3.0. Solved tickets T1..T5 = 5, of which T4 unrated = 1;
    # response rate = (5 - 1)/5 = 0.8 (T6's response counts in the share, but T6 is not solved).
    # Wilson 95% for 2/5: centre (0.4 + 1.96^2/10)/(1 + 1.96^2/5) = 0.4435,
    # half-width 1.96 * sqrt(0.4*0.6/5 + 1.96^2/100)/(1 + 1.96^2/5) = 0.3258
    row = csat(wh, SETTINGS, Filters()).row(0, named=True)
    assert row == {
        "n": 5,
        "satisfied": 2,
        "value": 0.4,
        "ci_low": pytest.approx(0.1176, abs=1e-4),
        "ci_high": pytest.approx(0.7693, abs=1e-4),
        "mean": 3.0,
        "solved": 5,
        "unrated": 1,
        "response_rate": 0.8,
    }


def test_csat_by_agent_counts_each_agents_responses(make_wh):
    wh = make_wh(
        {
            "tickets": [solved("T1", "A1"), solved("T2", "A1"), solved("T3", "A2")],
            "surveys": [survey("T1", 5), survey("T2", 1)],
        }
    )
    # A1: scores 5 and 1 -> 1/2 satisfied, mean 3.0, both solved tickets rated;
    # A2: T3 solved, unrated -> n 0, value and mean null, response rate 0/1 = 0.0
    frame = csat(wh, SETTINGS, Filters(), by="agent")
    assert frame.select("agent", "n", "value", "mean", "solved", "unrated", "response_rate").to_dicts() == [
        {"agent": "A1", "n": 2, "value": 0.5, "mean": 3.0, "solved": 2, "unrated": 0, "response_rate": 1.0},
        {"agent": "A2", "n": 0, "value": None, "mean": None, "solved": 1, "unrated": 1, "response_rate": 0.0},
    ]  # fmt: skip


REASSIGNED = {
    "tickets": [solved("T1", "A3"), solved("T2", "A2")],
    # T1: A1 works it, it moves to A2 at 10:00, is rated 2 at 11:00, then moves to A3 at 12:00
    "ticket_events": [
        assigned("T1", "2026-01-05 09:00", "A1"),
        assigned("T1", "2026-01-05 10:00", "A2"),
        assigned("T1", "2026-01-05 12:00", "A3"),
    ],
    "messages": [
        msg("T1", "customer", "2026-01-05 09:00"),
        msg("T1", "agent", "2026-01-05 09:30", sender_id="A1"),
        msg("T2", "customer", "2026-01-05 09:00"),
        msg("T2", "agent", "2026-01-05 09:20", sender_id="A2"),
    ],
    "surveys": [survey("T1", 2, "2026-01-05 11:00"), survey("T2", 5, "2026-01-05 11:00")],
}


def test_attribution_to_the_assignee_at_rating_time(make_wh):
    wh = make_wh(REASSIGNED)
    # assignee at 11:00: T1 -> A2 (not A1 who replied, nor A3 who holds it now);
    # T2 has no assignee history -> its agent A2. A2: scores 2 and 5 -> 1/2, mean 3.5
    frame = csat(wh, SETTINGS, Filters(), by="agent", attribution="assignee")
    assert frame.select("agent", "n", "value", "mean").to_dicts() == [
        {"agent": "A2", "n": 2, "value": 0.5, "mean": 3.5},
    ]


def test_attribution_to_the_last_replier_gives_the_rating_to_who_answered(make_wh):
    wh = make_wh(REASSIGNED)
    # last agent message: T1 -> A1 (score 2: 0/1), T2 -> A2 (score 5: 1/1)
    frame = csat(wh, SETTINGS, Filters(), by="agent", attribution="last_replier")
    assert frame.select("agent", "n", "value", "mean").to_dicts() == [
        {"agent": "A1", "n": 1, "value": 0.0, "mean": 2.0},
        {"agent": "A2", "n": 1, "value": 1.0, "mean": 5.0},
    ]


def test_the_agent_filter_follows_the_attribution(make_wh):
    wh = make_wh(REASSIGNED)
    only_a1 = Filters(agent=("A1",))
    # T1's rating belongs to A1 only as its last replier; as assignee it is A2's
    assert csat(wh, SETTINGS, only_a1, attribution="last_replier")["n"].to_list() == [1]
    assert csat(wh, SETTINGS, only_a1, attribution="assignee")["n"].to_list() == [0]


def test_no_surveys_gives_no_share_and_counts_every_solved_ticket_unrated(make_wh):
    wh = make_wh({"tickets": [solved("T1", "A1"), solved("T2", "A1")]})
    row = csat(wh, SETTINGS, Filters()).row(0, named=True)
    assert row == {
        "n": 0,
        "satisfied": 0,
        "value": None,
        "ci_low": None,
        "ci_high": None,
        "mean": None,
        "solved": 2,
        "unrated": 2,
        "response_rate": 0.0,
    }


def test_an_empty_warehouse_gives_zero_counts_and_null_rates(make_wh):
    row = csat(make_wh({}), SETTINGS, Filters()).row(0, named=True)
    assert (row["n"], row["value"], row["mean"], row["solved"], row["response_rate"]) == (
        0,
        None,
        None,
        0,
        None,
    )


def test_an_unknown_attribution_is_refused_with_the_choices(make_wh):
    with pytest.raises(ValueError, match="assignee, last_replier"):
        csat(make_wh({}), SETTINGS, Filters(), attribution="owner")


def test_csat_is_registered_with_its_attribution_option():
    assert REGISTRY["csat"].options == {"attribution": ("assignee", "last_replier")}
    assert REGISTRY["csat"].function is csat
