"""The headline summary (Overview tiles and `python -m metrics summary`) on hand-written contacts."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

from builders import msg, ticket, ts

from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.reports import summary
from metrics.reports.summary import headline
from metrics.response.first_response import first_response_time

SETTINGS = load_settings()


def summary_tables() -> dict[str, list[dict[str, Any]]]:
    """Six tickets and one chat without a ticket, 3-5 March 2025 (UTC, 24x7 support hours).

    T1 C1 billing normal: reply after 30 min, solved after 120 min, never reopened, CSAT 5
    T2 C5 account high: replies after 10 and 40 min, solved after 1440 min, reopened once, CSAT 2
    T3 C2 login urgent: open, never answered (older than its 60-min target: SLA breached)
    T4 C3 billing low: first_response_at after 50 min, solved after 120 min, 1 reply, CSAT 4;
       the same customer comes back in billing the next day (T5): a repeat, not FCR
    T5 C3 billing normal: first_response_at after 20 min, open
    T6 (no customer) login normal: reply after 5 min, solved after 30 min, 3 replies
    K1 chat of C4 (no ticket): bot after 1 min, agent after 5 min; its one message is unscored
    """
    solved = {"status": "solved"}
    tickets = [
        ticket("T1", "2025-03-03 09:00", customer_id="C1", category="billing", priority="normal",
               solved_at=ts("2025-03-03 11:00"), reopens=0, **solved),
        ticket("T2", "2025-03-03 10:00", customer_id="C5", category="account", priority="high",
               solved_at=ts("2025-03-04 10:00"), reopens=1, **solved),
        ticket("T3", "2025-03-04 08:00", customer_id="C2", category="login", priority="urgent",
               status="open"),
        ticket("T4", "2025-03-04 12:00", customer_id="C3", category="billing", priority="low",
               first_response_at=ts("2025-03-04 12:50"), solved_at=ts("2025-03-04 14:00"),
               reopens=0, agent_replies=1, **solved),
        ticket("T5", "2025-03-05 09:00", customer_id="C3", category="billing", priority="normal",
               first_response_at=ts("2025-03-05 09:20"), status="open"),
        ticket("T6", "2025-03-05 10:00", category="login", priority="normal",
               first_response_at=ts("2025-03-05 10:05"), solved_at=ts("2025-03-05 10:30"),
               reopens=0, agent_replies=3, **solved),
    ]  # fmt: skip
    messages = [
        msg("T1", "customer", "2025-03-03 09:00", sentiment=0.5, sentiment_method="vader"),
        msg("T1", "agent", "2025-03-03 09:30"),
        msg("T2", "customer", "2025-03-03 10:00", sentiment=-0.6, sentiment_method="vader"),
        msg("T2", "agent", "2025-03-03 10:10"),
        msg("T2", "customer", "2025-03-03 10:20", sentiment=-0.2, sentiment_method="vader"),
        msg("T2", "agent", "2025-03-03 10:40"),
        msg("K1", "customer", "2025-03-05 15:00", sender_id="C4", language="es"),
        msg("K1", "bot", "2025-03-05 15:01"),
        msg("K1", "agent", "2025-03-05 15:05", sender_id="A2"),
    ]
    surveys = [
        {"source": "t", "ticket_id": "T1", "score": 5},
        {"source": "t", "ticket_id": "T2", "score": 2},
        {"source": "t", "ticket_id": "T4", "score": 4},
    ]
    return {"tickets": tickets, "messages": messages, "surveys": surveys}


def rounded(value: Any, digits: int = 6) -> Any:
    """Floats rounded so that hand-computed fractions compare literally."""
    if isinstance(value, dict):
        return {k: rounded(v, digits) for k, v in value.items()}
    if isinstance(value, float):
        return round(value, digits)
    return value


def test_headline_has_every_figure_hand_computed(make_wh):
    wh = make_wh(summary_tables())
    result = headline(wh, SETTINGS, Filters())
    statuses = {key: state["status"] for key, state in result.pop("availability").items()}
    # 24x7 settings: business time is calendar time (partial); T6 has no customer (6 of 7
    # contacts have one: FCR and repeat partial); K1's message is unscored (3 of 4: partial)
    assert statuses == {
        "contacts": "available", "frt_minutes": "available",
        "frt_business_minutes": "partial", "resolution_minutes": "available",
        "fcr_rate": "partial", "one_touch_rate": "available", "reopen_rate": "available",
        "repeat_contact_rate": "partial", "sla_attainment": "partial", "csat": "available",
        "sentiment": "partial",
    }  # fmt: skip
    assert rounded(result) == {
        # first and last creation day in the data, since the filter's range is open
        "period": {"from": "2025-03-03", "to": "2025-03-05", "timezone": "UTC"},
        "contacts": 7,  # T1-T6 + K1
        "tickets": 6,
        "conversations": 1,
        "unanswered": 1,  # T3
        # FRT 30 (T1), 10 (T2), 50 (T4), 20 (T5), 5 (T6), 5 (K1) -> sorted 5 5 10 20 30 50:
        # median (10 + 20) / 2 = 15; p90 at rank 0.9 * 5 = 4.5: 30 + 0.5 * (50 - 30) = 40
        "frt_minutes": {"n": 6, "median": 15.0, "p90": 40.0},
        "frt_business_minutes": {"n": 6, "median": 15.0, "p90": 40.0},  # 24x7: same
        # first solve: T6 30, T1 120, T4 120, T2 1440; median (120 + 120) / 2 = 120;
        # p90 at rank 0.9 * 3 = 2.7: 120 + 0.7 * (1440 - 120) = 1044
        "resolution_minutes": {"n": 4, "median": 120.0, "p90": 1044.0},
        # solved T1 T2 T4 T6; FCR: T1 yes, T2 reopened, T4 followed by T5 in billing within
        # 7 days, T6 excluded (customer unknown) -> 1 / 3
        "fcr_rate": {"n": 3, "value": round(1 / 3, 6)},
        # one agent reply: T1 (messages), T4 (agent_replies 1); T2 has 2, T6 has 3 -> 2 / 4
        "one_touch_rate": {"n": 4, "value": 0.5},
        # reopened: T2 only -> 1 / 4
        "reopen_rate": {"n": 4, "value": 0.25},
        # known customer: T1 T2 T3 T4 T5 K1 (T6 excluded); followed within 7 days: T4 -> 1 / 6
        "repeat_contact_rate": {"n": 6, "value": round(1 / 6, 6)},
        # every answered contact is within its target (30<=480, 10<=240, 50<=1440, 20<=480,
        # 5<=480, K1 5<=480 default); T3 is unanswered past its 60 min -> breached: 6 / 7
        "sla_attainment": {"n": 7, "value": round(6 / 7, 6)},
        # scores 5, 2, 4: 2 of 3 are 4-5; mean 11 / 3; responses on 3 of 4 solved tickets
        "csat": {"responses": 3, "value": round(2 / 3, 6), "mean": round(11 / 3, 6),
                 "response_rate": 0.75},
        # scored customer messages 0.5, -0.6, -0.2 (K1's is unscored): mean -0.3 / 3 = -0.1;
        # negative (<= -0.05): 2 of 3; coverage 3 scored of 4 customer messages
        "sentiment": {"n": 3, "mean": -0.1, "negative_share": round(2 / 3, 6), "coverage": 0.75},
    }  # fmt: skip


def test_a_date_filter_sets_the_period_and_scopes_every_figure(make_wh):
    wh = make_wh(summary_tables())
    result = headline(wh, SETTINGS, Filters(date_from=date(2025, 3, 4), date_to=date(2025, 3, 4)))
    # 4 March: T3 (unanswered, unsolved) and T4 (FRT 50, solved in 120, one reply, CSAT 4)
    assert result["period"] == {"from": "2025-03-04", "to": "2025-03-04", "timezone": "UTC"}
    assert (result["contacts"], result["tickets"], result["conversations"]) == (2, 2, 0)
    assert result["frt_minutes"] == {"n": 1, "median": 50.0, "p90": 50.0}
    assert result["one_touch_rate"] == {"n": 1, "value": 1.0}
    assert result["csat"] == {"responses": 1, "value": 1.0, "mean": 4.0, "response_rate": 1.0}


def test_rates_are_null_when_nothing_matches_and_the_result_is_json(make_wh):
    wh = make_wh(summary_tables())
    result = headline(wh, SETTINGS, Filters(channel=("phone",)))
    assert result["period"] == {"from": None, "to": None, "timezone": "UTC"}
    assert result["contacts"] == result["unanswered"] == 0
    assert result["resolution_minutes"] == {"n": 0, "median": None, "p90": None}
    for key in ("fcr_rate", "one_touch_rate", "reopen_rate", "repeat_contact_rate"):
        assert result[key] == {"n": 0, "value": None}
    assert result["csat"] == {"responses": 0, "value": None, "mean": None, "response_rate": None}
    assert result["sentiment"]["n"] == 0 and result["sentiment"]["mean"] is None
    assert json.loads(json.dumps(result)) == result
    # nothing matches: every block says so, with the reason, and no command to load anything
    assert result["availability"]["csat"] == {
        "status": "not_available",
        "reasons": ["no contact matches these filters (widen the period or a filter)"],
        "commands": [],
    }


def test_a_block_whose_inputs_are_missing_has_no_values_not_zeros(make_wh):
    wh = make_wh({"tickets": [ticket("T1", "2025-03-03 09:00", status="solved",
                                     solved_at=ts("2025-03-03 10:00"))]})  # fmt: skip
    result = headline(wh, SETTINGS, Filters())
    # 1 solved ticket and no surveys: the response rate is not "0%", it is not available
    assert result["csat"] == {"responses": 0, "value": None, "mean": None, "response_rate": None}
    assert result["availability"]["csat"]["commands"] == [
        "python -m etl load surveys FILE --db PATH"
    ]


def test_the_summary_equals_the_registered_metric(make_wh):
    wh = make_wh(summary_tables())
    frt = first_response_time(wh, SETTINGS, Filters()).row(0, named=True)
    result = headline(wh, SETTINGS, Filters())
    assert result["frt_minutes"] == {k: frt[k] for k in ("n", "median", "p90")}
    assert result["unanswered"] == frt["unanswered"]


def test_the_period_is_counted_in_the_reporting_time_zone(make_wh):
    wh = make_wh({"tickets": [ticket("T1", "2025-03-03 20:00")]})
    settings = replace(SETTINGS, reporting_timezone="Asia/Shanghai")
    # 20:00 UTC is 04:00 the next day in Shanghai (UTC+8)
    assert headline(wh, settings, Filters())["period"] == {
        "from": "2025-03-04", "to": "2025-03-04", "timezone": "Asia/Shanghai",
    }  # fmt: skip


def test_a_period_and_the_one_before_are_counted_in_one_query(make_wh):
    wh = make_wh(summary_tables())
    current = Filters(date_from=date(2025, 3, 4), date_to=date(2025, 3, 5))
    previous = current.previous_period()  # 2-3 March
    now, before = summary.period_figures(wh, SETTINGS, [current, previous])
    # 4-5 March: T3 T4 T5 T6 and K1; FRT 50 (T4), 20 (T5), 5 (T6), 5 (K1), T3 unanswered:
    # sorted 5 5 20 50, median (5 + 20) / 2 = 12.5, p90 at rank 2.7: 20 + 0.7 * 30 = 41
    assert (now[""]["contacts"], now[""]["tickets"], now[""]["conversations"]) == (5, 4, 1)
    assert rounded(now["frt_minutes"]) == {
        "n": 4, "unanswered": 1, "bot_only": 0, "outbound": 0, "median": 12.5, "p90": 41.0,
    }  # fmt: skip
    # 2-3 March: T1 and T2; FRT 30 and 10: median 20, p90 at rank 0.9: 10 + 0.9 * 20 = 28;
    # CSAT 5 and 2: one satisfied, mean 3.5, both solved tickets rated
    assert (before[""]["contacts"], before[""]["first_day"]) == (2, date(2025, 3, 3))
    assert rounded(before["frt_minutes"])["median"] == 20.0
    assert rounded(before["frt_minutes"])["p90"] == 28.0
    assert before["csat"] == {"n": 2, "satisfied": 1, "mean": 3.5, "solved": 2, "unrated": 0}
    # T2 reopened: 1 of the 2 solved tickets; sentiment 0.5, -0.6, -0.2: mean -0.3 / 3
    assert (before["reopen_rate"]["n"], before["reopen_rate"]["hits"]) == (2, 1)
    assert rounded(before["sentiment"])["mean"] == -0.1
    # each period alone gives the same figures
    assert summary.period_figures(wh, SETTINGS, [previous]) == [before]
    assert summary.period_figures(wh, SETTINGS, [current]) == [now]


def test_an_empty_previous_period_has_zero_counts_and_no_values(make_wh):
    wh = make_wh(summary_tables())
    current = Filters(date_from=date(2025, 3, 3), date_to=date(2025, 3, 5))
    _, before = summary.period_figures(wh, SETTINGS, [current, current.previous_period()])
    # 28 February - 2 March: no contact at all
    assert before[""] == {
        "contacts": 0, "tickets": 0, "conversations": 0, "first_day": None, "last_day": None,
    }  # fmt: skip
    assert (before["frt_minutes"]["n"], before["frt_minutes"]["median"]) == (0, None)
    assert (before["sla_attainment"]["n"], before["sla_attainment"]["hits"]) == (0, 0)
    assert (before["sentiment"]["n"], before["sentiment"]["mean"]) == (0, None)
    assert headline(wh, SETTINGS, current.previous_period())["fcr_rate"] == {
        "n": 0, "value": None,
    }  # fmt: skip


def test_the_previous_period_comes_with_the_period_and_equals_its_own_headline(
    make_wh, monkeypatch
):
    tables = summary_tables()
    current = Filters(date_from=date(2025, 3, 4), date_to=date(2025, 3, 5))
    previous = current.previous_period()
    alone = headline(make_wh(tables), SETTINGS, previous)
    wh = make_wh(tables)
    headline(wh, SETTINGS, current)
    asked: list[list[Filters]] = []
    counting = summary.period_figures
    monkeypatch.setattr(
        summary, "period_figures", lambda w, s, p: asked.append(p) or counting(w, s, p)
    )
    # the Overview's second call: answered from the first call's query
    assert headline(wh, SETTINGS, previous) == alone
    assert asked == []


def test_an_agent_choice_takes_csat_from_the_metric_by_assignee(make_wh):
    tables = summary_tables()
    tables["tickets"] = [dict(t, agent_id="A1") for t in tables["tickets"]]
    wh = make_wh(tables)
    found = summary.period_figures(wh, SETTINGS, [Filters(agent=("A1",))])[0]
    assert "csat" not in found  # csat applies the choice to the assignee at rating time
    result = headline(wh, SETTINGS, Filters(agent=("A1",)))
    # no assignee history: a rating counts for the ticket's agent, A1: scores 5, 2, 4
    assert rounded(result["csat"]) == {
        "responses": 3, "value": round(2 / 3, 6), "mean": round(11 / 3, 6), "response_rate": 0.75,
    }  # fmt: skip
