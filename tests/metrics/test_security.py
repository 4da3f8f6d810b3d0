"""Security incidents and the breach list on hand-written tickets."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import msg, ticket, ts

from metrics.core.aggregate import wilson_interval
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.operations.security import security_breaches, security_incidents
from metrics.registry import REGISTRY
from warehouse.reader import ReadOnlyWarehouse

SETTINGS = load_settings()  # targets: first response 15 min, escalation 60 min
AS_OF = ts("2026-01-05 12:00")


def incident(tid: str, created: str, reply: str | None, escalated: str | None, **extra) -> dict:
    return ticket(
        tid,
        f"2026-01-05 {created}",
        first_response_at=ts(f"2026-01-05 {reply}") if reply else None,
        escalated_at=ts(f"2026-01-05 {escalated}") if escalated else None,
        agent_id=extra.pop("agent_id", "a1"),
        team=extra.pop("team", "t1"),
        category=extra.pop("category", "security"),
        **extra,
    )


def security_tables() -> dict:
    return {
        "tickets": [
            # S1: 10 min (met), escalated after 40 (met)
            incident("S1", "09:00", "09:10", "09:40"),
            # S2, an incident by its tag: 30 min (15 over), escalated after 120 (60 over)
            incident("S2", "09:00", "09:30", "11:00", category="login", tags=["phishing"]),
            # S3: never answered nor escalated; 180 min old at 12:00: over both
            incident("S3", "09:00", None, None),
            # S4: 10 min old at 12:00: pending on both
            incident("S4", "11:50", None, None),
            # S5: 5 min (met), escalated after 90 (30 over)
            incident("S5", "10:00", "10:05", "11:30", agent_id="a2", team="t2"),
            # S6: 20 min (5 over), escalated after 30 (met)
            incident("S6", "10:00", "10:20", "10:30", agent_id="a2", team="t2"),
            # N7 is not an incident
            incident("N7", "09:00", None, None, category="billing"),
        ],
        "messages": [],
    }


def test_security_incidents_summarise_both_clocks_and_breach_shares(make_wh):
    wh = make_wh(security_tables())
    # first response: 10, 30, 5, 20 -> 5, 10, 20, 30: median 15; p90 at rank 2.7:
    #   20 + 0.7 * 10 = 27. Breached: S2 (30 > 15), S3 (unanswered, 180 min old), S6 (20);
    #   pending: S4 -> 3 of 5 decided
    # escalation: 40, 120, 90, 30 -> 30, 40, 90, 120: median 65; p90: 90 + 0.7 * 30 = 111.
    #   Breached: S2, S3 (not escalated, 180 min old), S5 (90); pending S4 -> 3 of 5
    frt_low, frt_high = wilson_interval(3, 5)
    assert security_incidents(wh, SETTINGS, Filters(), as_of=AS_OF).to_dicts() == [
        {
            "n": 6,
            "answered": 4,
            "frt_median": 15.0,
            "frt_p90": pytest.approx(27.0),
            "frt_breaches": 3,
            "frt_pending": 1,
            "escalated": 4,
            "escalation_median": 65.0,
            "escalation_p90": pytest.approx(111.0),
            "escalation_breaches": 3,
            "escalation_pending": 1,
            "frt_breach_rate": 0.6,
            "frt_ci_low": frt_low,
            "frt_ci_high": frt_high,
            "escalation_breach_rate": 0.6,
            "escalation_ci_low": frt_low,
            "escalation_ci_high": frt_high,
        }
    ]


def test_the_breach_list_is_one_row_per_incident_worst_first(make_wh):
    wh = make_wh(security_tables())
    # S3: 180 - 15 = 165 and 180 - 60 = 120 over; S2: 15 and 60 over; S5: escalation 30
    # over; S6: first response 5 over
    frame = security_breaches(wh, SETTINGS, Filters(), as_of=AS_OF)
    assert frame.drop("source", "created_at").rows() == [
        ("S3", "a1", "t1", "both", 165.0, 165.0, 120.0, False, False),
        ("S2", "a1", "t1", "both", 60.0, 15.0, 60.0, True, True),
        ("S5", "a2", "t2", "escalation", 30.0, None, 30.0, True, True),
        ("S6", "a2", "t2", "first_response", 5.0, 5.0, None, True, True),
    ]
    assert frame.columns == [
        "source", "contact_id", "created_at", "agent_id", "team", "target", "minutes_over",
        "first_response_minutes_over", "escalation_minutes_over", "answered", "escalated",
    ]  # fmt: skip


def test_without_as_of_the_clock_stops_at_the_newest_timestamp(make_wh):
    wh = make_wh(security_tables())
    # newest: S4 created at 11:50 -> S3 is 170 min old: 155 and 110 over; S4 is pending
    top = security_breaches(wh, SETTINGS, Filters()).row(0, named=True)
    assert (top["contact_id"], top["first_response_minutes_over"]) == ("S3", 155.0)
    assert top["escalation_minutes_over"] == 110.0
    # as the CLI passes it: ISO text, naive = UTC
    text = security_breaches(wh, SETTINGS, Filters(), as_of="2026-01-05 12:00").row(0)
    assert text[1] == "S3" and text[6] == 165.0


def test_a_chat_answered_only_by_the_bot_is_not_answered(make_wh):
    wh = make_wh(
        {
            "tickets": [ticket("S1", "2026-01-05 09:00", category="security")],
            "messages": [
                msg("S1", "customer", "2026-01-05 09:00"),
                msg("S1", "bot", "2026-01-05 09:01"),
                msg("S1", "agent", "2026-01-05 09:40"),
            ],
        }
    )
    # the bot's 09:01 is not a response: the agent's 09:40 is, 40 min (25 over)
    row = security_incidents(wh, SETTINGS, Filters(), as_of=AS_OF).row(0, named=True)
    assert (row["frt_median"], row["frt_breaches"], row["escalation_breaches"]) == (40.0, 1, 1)


def test_security_incidents_break_down_by_team(make_wh):
    wh = make_wh(security_tables())
    frame = security_incidents(wh, SETTINGS, Filters(), by="team", as_of=AS_OF)
    # t1: S1..S4, 2 of 3 decided breached on first response; t2: S5, S6, 1 of 2
    assert frame.select("team", "n", "frt_breaches", "frt_breach_rate").rows() == [
        ("t1", 4, 2, 2 / 3),
        ("t2", 2, 1, 0.5),
    ]


def test_an_empty_warehouse_has_no_incidents_and_no_breaches(make_wh):
    wh = make_wh({})
    row = security_incidents(wh, SETTINGS, Filters()).row(0, named=True)
    assert (row["n"], row["frt_median"], row["frt_breach_rate"]) == (0, None, None)
    assert security_breaches(wh, SETTINGS, Filters()).is_empty()
    with pytest.raises(ValueError, match="filters"):
        security_breaches(wh, SETTINGS, Filters(), by="agent")


def test_the_security_metrics_are_registered():
    assert {"security_incidents", "security_breaches"} <= set(REGISTRY)


DEMO_SEED, DEMO_SCALE = 7, 0.1  # the planted share is exact at any scale; 0.1 builds in ~4 s


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> ReadOnlyWarehouse:
    """The demo warehouse, built once per test session (test_bot.py builds the same file)."""
    try:
        from sample_data import build_demo
    except ImportError as err:
        # Under a bare `pytest` the folder tests/sample_data (no __init__.py) can shadow the
        # package; `python -m pytest` (the Makefile's way) puts the project root first.
        pytest.skip(f"sample_data.build_demo is not importable ({err})")
    db = tmp_path_factory.getbasetemp() / f"demo-{DEMO_SEED}-{DEMO_SCALE}" / "warehouse.duckdb"
    if not db.exists():
        build_demo(db, seed=DEMO_SEED, scale=DEMO_SCALE)
    return ReadOnlyWarehouse(Path(db))


def test_the_demo_escalates_20_percent_of_security_tickets_late(demo):
    from sample_data import effects

    # Planted (h): every ticket of category security (merged duplicates aside) is escalated,
    # exactly 20% of them later than the 1-hour target. The planted target is the settings'
    # escalation target, and the planted tickets are the security category (tags aside).
    assert SETTINGS.security_escalation_minutes == effects.SECURITY_TARGET_MINUTES
    filters = Filters(category=("security",))
    row = security_incidents(demo, SETTINGS, filters).row(0, named=True)
    assert row["n"] > 200
    assert row["escalated"] == row["n"]
    assert row["escalation_breach_rate"] == pytest.approx(effects.SECURITY_LATE_SHARE, rel=0.10)
    late = security_breaches(demo, SETTINGS, filters)
    assert late.filter(late["target"] != "first_response").height == row["escalation_breaches"]
