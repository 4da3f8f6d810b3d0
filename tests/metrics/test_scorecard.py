"""Agent scorecard and coaching examples on a hand-written team."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from builders import msg, ticket, ts

from metrics.agents.coaching import coaching_examples
from metrics.agents.scorecard import HIGHER, LOWER, agent_scorecard, gap
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.registry import REGISTRY

SETTINGS = load_settings()
WEEK = Filters(date_from=date(2026, 1, 5), date_to=date(2026, 1, 11))


def handled(
    ticket_id: str,
    day: str,
    agent: str,
    reply_after: int,
    solve_after: int,
    score: int | None = None,
    mood: float = 0.0,
    reopens: int = 0,
    tone: float | None = None,
) -> dict:
    """A solved ticket created 09:00: the customer writes (scored ``mood``), the agent
    replies ``reply_after`` minutes later (its own message scored ``tone``), it is solved
    ``solve_after`` minutes after creation."""
    created = ts(f"{day} 09:00")
    return {
        "ticket": ticket(ticket_id, f"{day} 09:00", agent_id=agent, status="solved",
                         priority="normal", reopens=reopens, customer_id=f"C-{ticket_id}",
                         solved_at=created + timedelta(minutes=solve_after)),
        "messages": [
            msg(ticket_id, "customer", f"{day} 09:00", sentiment=mood, sentiment_method="vader"),
            {**msg(ticket_id, "agent", f"{day} 09:00", sender_id=agent, agent_sentiment=tone),
             "sent_at": created + timedelta(minutes=reply_after)},
        ],
        "survey": None if score is None else {"source": "t", "ticket_id": ticket_id, "score": score},
    }  # fmt: skip


def team_warehouse(make_wh):
    cases = [
        # this week (2026-01-05): A1 is the agent on the card
        handled("T1", "2026-01-05", "A1", 60, 240, score=2, mood=-0.6, tone=-0.5),
        handled("T2", "2026-01-05", "A1", 100, 240, score=4, mood=0.5, reopens=1, tone=0.3),
        handled("T3", "2026-01-05", "A2", 10, 60, score=5, mood=0.2, tone=0.4),
        handled("T4", "2026-01-05", "A2", 20, 60, score=4, mood=-0.3, tone=0.0),
        handled("T5", "2026-01-05", "A3", 30, 60, score=4, mood=0.1, tone=0.2),
        # A4 is in another team: never part of the en team's median
        handled("T7", "2026-01-05", "A4", 5, 10, score=5),
        # the week before (2026-01-01, inside 2025-12-29 .. 2026-01-04)
        handled("T6", "2026-01-01", "A1", 20, 30, score=5),
    ]
    return make_wh(
        {
            "tickets": [c["ticket"] for c in cases],
            "messages": [m for c in cases for m in c["messages"]],
            "surveys": [c["survey"] for c in cases if c["survey"]],
            "agents": [
                {"agent_id": "A1", "team": "en"},
                {"agent_id": "A2", "team": "en"},
                {"agent_id": "A3", "team": "en"},
                {"agent_id": "A4", "team": "fr"},
            ],
        }
    )


def test_scorecard_lists_weakest_areas_first_against_the_team_median(make_wh):
    card = agent_scorecard(team_warehouse(make_wh), SETTINGS, WEEK, agent="A1")
    # per agent (A1 | A2 | A3) -> team median; gap = worse-direction distance / larger value
    # reopen:     1/2 = 0.5 | 0 | 0 -> 0          gap (0.5 - 0)/0.5 = 1.0
    # own tone:   -0.5, 0.3 -> 1/2 = 0.5 | 0 | 0 -> 0   gap 1.0 (listed after reopen: ties
    #             keep the scorecard's order); the customers' moods are not part of it
    # first res.: med(240,240) = 240 | 60 | 60 -> 60   gap (240 - 60)/240 = 0.75
    # FRT:        med(60,100) = 80 | 15 | 30 -> 30     gap (80 - 30)/80 = 0.625 (24x7: business too)
    # FCR:        T1 yes, T2 reopened -> 0.5 | 1 | 1 -> 1   gap (1 - 0.5)/1 = 0.5
    # CSAT 4-5:   2 and 4 -> 1/2 = 0.5 | 1 | 1 -> 1       gap (1 - 0.5)/1 = 0.5
    # CSAT mean:  3.0 | 4.5 | 4.0 -> 4.0                   gap (4 - 3)/4 = 0.25
    # one-touch 1|1|1, SLA (all within 480 min) 1|1|1, negative share 1/2 | 1/2 | 0 -> 0.5,
    # contacts 2 | 2 | 1 -> 2: all level, gap 0, in the scorecard's own order
    # A4 (team fr, FRT 5) is left out: with it the FRT median would be 22.5
    rows = card.select("figure", "value", "n", "team_median", "team_agents", "gap").rows()
    assert rows == [
        ("reopen_rate", 0.5, 2, 0.0, 3, 1.0),
        ("negative_tone_share", 0.5, 2, 0.0, 3, 1.0),
        ("first_resolution_time", 240.0, 2, 60.0, 3, 0.75),
        ("frt", 80.0, 2, 30.0, 3, 0.625),
        ("frt_business", 80.0, 2, 30.0, 3, 0.625),
        ("fcr_rate", 0.5, 2, 1.0, 3, 0.5),
        ("csat", 0.5, 2, 1.0, 3, 0.5),
        ("csat_mean", 3.0, 2, 4.0, 3, 0.25),
        ("one_touch_rate", 1.0, 2, 1.0, 3, 0.0),
        ("negative_sentiment_share", 0.5, 2, 0.5, 3, 0.0),
        ("sla_attainment", 1.0, 2, 1.0, 3, 0.0),
        ("tickets_handled", 2.0, 2, 2.0, 3, 0.0),
    ]
    assert set(card["team"]) == {"en"} and set(card["agent"]) == {"A1"}


def test_scorecard_compares_with_the_previous_period_of_equal_length(make_wh):
    card = agent_scorecard(team_warehouse(make_wh), SETTINGS, WEEK, agent="A1")
    # previous 7 days = 2025-12-29 .. 2026-01-04: only T6 (reply 20 min, solved 30, score 5)
    # FRT 80 now vs 20 then: change +60; CSAT 0.5 now vs 1.0 then: change -0.5
    by_figure = {r["figure"]: r for r in card.to_dicts()}
    assert [
        (by_figure[f]["previous"], by_figure[f]["previous_n"], by_figure[f]["change"])
        for f in ("frt", "first_resolution_time", "csat", "tickets_handled")
    ] == [(20.0, 1, 60.0), (30.0, 1, 210.0), (1.0, 1, -0.5), (1.0, 1, 1.0)]


def test_rates_carry_a_wilson_interval_and_durations_do_not(make_wh):
    card = agent_scorecard(team_warehouse(make_wh), SETTINGS, WEEK, agent="A1")
    by_figure = {r["figure"]: r for r in card.to_dicts()}
    # reopen 1/2: Wilson centre (0.5 + 1.96^2/4)/(1 + 1.96^2/2) = 0.5, half-width
    # 1.96 * sqrt(0.25/2 + 1.96^2/16)/(1 + 1.96^2/2) = 0.4055 -> (0.0945, 0.9055)
    reopen = by_figure["reopen_rate"]
    assert (reopen["ci_low"], reopen["ci_high"]) == (
        pytest.approx(0.0945, abs=1e-4),
        pytest.approx(0.9055, abs=1e-4),
    )
    assert (by_figure["frt"]["ci_low"], by_figure["frt"]["ci_high"]) == (None, None)


def test_without_a_date_range_there_is_no_previous_period(make_wh):
    card = agent_scorecard(team_warehouse(make_wh), SETTINGS, Filters(agent=("A1",)))
    # all time: A1 has T1, T2, T6 -> 3 contacts; no previous period to compare with
    handled_row = card.filter(card["figure"] == "tickets_handled").row(0, named=True)
    assert (handled_row["value"], handled_row["previous"], handled_row["change"]) == (
        3.0,
        None,
        None,
    )


def test_an_agent_with_no_contacts_gets_empty_figures_not_an_error(make_wh):
    card = agent_scorecard(team_warehouse(make_wh), SETTINGS, WEEK, agent="A9")
    # not in the roster and no contacts: no team, no values (0 contacts handled), no gaps
    values = dict(zip(card["figure"], card["value"], strict=True))
    assert values.pop("tickets_handled") == 0.0
    assert set(values.values()) == {None}
    assert card["gap"].null_count() == len(card) and card["team"].to_list() == [None] * len(card)


def test_the_gap_points_the_worse_way_for_either_direction():
    # lower is better: 80 vs 30 -> (80 - 30)/80; higher is better: 0.5 vs 1.0 -> (1 - 0.5)/1
    assert gap(80.0, 30.0, LOWER) == 0.625
    assert gap(0.5, 1.0, HIGHER) == 0.5
    assert gap(30.0, 80.0, LOWER) == -0.625
    assert (gap(0.0, 0.0, LOWER), gap(None, 1.0, HIGHER), gap(1.0, None, HIGHER)) == (
        0.0,
        None,
        None,
    )


def test_the_scorecard_needs_one_agent(make_wh):
    with pytest.raises(ValueError, match="one agent"):
        agent_scorecard(make_wh({}), SETTINGS, Filters())


def coaching_warehouse(make_wh):
    day = "2026-01-05"
    tickets = [
        ticket(t, f"{day} 09:0{i}", agent_id="A1") for i, t in enumerate("T1 T2 T3 T4 T5".split())
    ]
    tickets.append(ticket("T6", f"{day} 09:00", agent_id="A2"))
    messages = [
        msg("T1", "customer", f"{day} 09:00", body="where is my transfer", sentiment=-0.3, sentiment_method="vader"),
        msg("T1", "agent", f"{day} 09:10", body="checking", sender_id="A1"),
        msg("T4", "customer", f"{day} 09:03", body="thanks so much", sentiment=0.5, sentiment_method="vader"),
        msg("T4", "agent", f"{day} 09:20", body="closing this", sender_id="A1"),
        msg("T4", "customer", f"{day} 09:30", body="this is terrible", sentiment=-0.8, sentiment_method="vader"),
        msg("T5", "customer", f"{day} 09:04", body="meh", sentiment=-0.2, sentiment_method="vader"),
        msg("T6", "customer", f"{day} 09:00", body="awful", sentiment=-0.9, sentiment_method="vader"),
    ]  # fmt: skip
    surveys = [
        {"source": "t", "ticket_id": "T1", "score": 1, "comment": "too slow"},
        {"source": "t", "ticket_id": "T2", "score": 3, "comment": "ok"},
        {"source": "t", "ticket_id": "T3", "score": 5, "comment": "great"},
    ]
    return make_wh({"tickets": tickets, "messages": messages, "surveys": surveys})


def test_coaching_examples_pick_low_ratings_then_the_most_negative_endings(make_wh):
    wh = coaching_warehouse(make_wh)
    frame = coaching_examples(wh, SETTINGS, Filters(), "A1")
    # ratings 1-3 lowest first: T1 (1), T2 (3); T3's 5 is no coaching case.
    # most negative last customer message (<= -0.05), not already listed: T4 ends at -0.8
    # (it started at +0.5), T5 at -0.2; T1 (-0.3) is already listed; T6 is A2's
    assert frame.select("reason", "contact_id", "score", "comment", "sentiment_last").rows() == [
        ("lowest_csat", "T1", 1, "too slow", -0.3),
        ("lowest_csat", "T2", 3, "ok", None),
        ("most_negative", "T4", None, None, -0.8),
        ("most_negative", "T5", None, None, -0.2),
    ]
    t4 = frame.row(2, named=True)["transcript"]
    assert [(m["sender_type"], m["body"]) for m in t4] == [
        ("customer", "thanks so much"),
        ("agent", "closing this"),
        ("customer", "this is terrible"),
    ]
    assert frame.row(1, named=True)["transcript"] == []  # T2 has no messages


def test_coaching_examples_limit_each_list(make_wh):
    frame = coaching_examples(coaching_warehouse(make_wh), SETTINGS, Filters(), "A1", limit=1)
    assert frame.select("reason", "contact_id").rows() == [
        ("lowest_csat", "T1"),
        ("most_negative", "T4"),
    ]


def test_the_scorecard_is_registered():
    assert REGISTRY["agent_scorecard"].function is agent_scorecard
