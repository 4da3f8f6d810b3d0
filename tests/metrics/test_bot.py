"""Bot deflection, hand-over and false resolution on hand-written contacts."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from builders import msg, ticket, ts

from metrics.core.aggregate import wilson_interval
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.operations.bot import bot_deflection, bot_false_resolution, bot_handover
from metrics.registry import REGISTRY
from warehouse.reader import ReadOnlyWarehouse

SETTINGS = load_settings()  # windows.fcr_days = 7


def bot_tables() -> dict:
    """Six bot conversations, a ticket without the bot, and two later contacts."""
    return {
        "tickets": [
            # B4: the bot answered, nobody else, and the ticket was solved: bot-resolved.
            ticket(
                "B4",
                "2026-01-05 08:00",
                customer_id="u4",
                status="solved",
                solved_at=ts("2026-01-05 10:00"),
            ),
            # B5: the bot answered, the ticket is still open and no human replied: abandoned.
            ticket("B5", "2026-01-05 08:00", customer_id="u5", status="open"),
            ticket("T7", "2026-01-05 08:00", customer_id="u7", channel="email"),
            # u1 comes back 3 days after B1 (within 7 days): B1 was a false resolution.
            ticket("T10", "2026-01-08 09:00", customer_id="u1", channel="email"),
            # u2 comes back 15 days after B2: outside the window.
            ticket("T11", "2026-01-20 09:00", customer_id="u2", channel="email"),
            # u4 comes back 7 days 1.5 hours after B4 was created but within 7 days of its
            # solve at 10:00: the window runs from the last solve.
            ticket("T12", "2026-01-12 09:30", customer_id="u4", channel="email"),
        ],  # fmt: skip
        "messages": [
            msg("B1", "customer", "2026-01-05 09:00", sender_id="u1"),
            msg("B1", "bot", "2026-01-05 09:01"),
            msg("B2", "customer", "2026-01-05 09:00", sender_id="u2"),
            msg("B2", "bot", "2026-01-05 09:01"),
            # B3: handed over to a human
            msg("B3", "customer", "2026-01-05 09:00", sender_id="u3"),
            msg("B3", "bot", "2026-01-05 09:01"),
            msg("B3", "agent", "2026-01-05 09:05", sender_id="a1"),
            msg("B4", "customer", "2026-01-05 08:00", sender_id="u4"),
            msg("B4", "bot", "2026-01-05 08:01"),
            msg("B5", "customer", "2026-01-05 08:00", sender_id="u5"),
            msg("B5", "bot", "2026-01-05 08:01"),
            # B6: bot-resolved, but the customer wrote without an id: unknown customer
            msg("B6", "customer", "2026-01-05 09:00", sender_id=None),
            msg("B6", "bot", "2026-01-05 09:01"),
        ],
    }


def rate(n: int, hits: int, **counts: int) -> dict:
    low, high = wilson_interval(hits, n)
    value = hits / n if n else None
    return {"n": n, "hits": hits, **counts, "value": value, "ci_low": low, "ci_high": high}


def test_bot_deflection_is_bot_resolved_over_bot_conversations(make_wh):
    wh = make_wh(bot_tables())
    # bot conversations B1..B6 = 6; resolved alone: B1, B2, B4 (solved ticket), B6 = 4;
    # without the bot: T7, T10, T11, T12; abandoned: B5
    assert bot_deflection(wh, SETTINGS, Filters()).to_dicts() == [
        rate(6, 4, without_bot=4, abandoned=1)
    ]


def test_bot_handover_counts_conversations_a_human_answered(make_wh):
    wh = make_wh(bot_tables())
    # handed over: B3 = 1 of 6
    assert bot_handover(wh, SETTINGS, Filters()).to_dicts() == [
        rate(6, 1, without_bot=4, abandoned=1)
    ]


def test_false_resolution_counts_customers_back_within_the_fcr_window(make_wh):
    wh = make_wh(bot_tables())
    # bot-resolved with a known customer: B1, B2, B4 = 3; back within 7 days: B1 (3 days),
    # B4 (7 days - 30 min after its solve) = 2; B6 has no customer; not bot-resolved: B3, B5,
    # T7, T10, T11, T12 = 6
    expected = [rate(3, 2, unknown_customer=1, not_bot_resolved=6)]
    assert bot_false_resolution(wh, SETTINGS, Filters()).to_dicts() == expected
    # the later contacts fall outside a one-day filter, and still count
    day = Filters(date_from=date(2026, 1, 5), date_to=date(2026, 1, 5))
    expected_day = [rate(3, 2, unknown_customer=1, not_bot_resolved=3)]
    assert bot_false_resolution(wh, SETTINGS, day).to_dicts() == expected_day


def test_bot_rates_break_down_by_channel(make_wh):
    wh = make_wh(bot_tables())
    frame = bot_deflection(wh, SETTINGS, Filters(), by="channel")
    # chat-only conversations B1, B2, B3, B6 (channel chat); tickets B4, B5 have no channel
    assert frame.select("channel", "n", "hits").rows() == [
        ("chat", 4, 3),
        ("email", 0, 0),
        (None, 2, 1),
    ]
    frame = bot_false_resolution(wh, SETTINGS, Filters(), by="channel")
    assert frame.select("channel", "n", "hits").rows() == [
        ("chat", 2, 1),
        ("email", 0, 0),
        (None, 1, 1),
    ]


def test_an_empty_warehouse_gives_n_zero_and_no_rate(make_wh):
    wh = make_wh({})
    assert bot_deflection(wh, SETTINGS, Filters()).to_dicts() == [
        rate(0, 0, without_bot=0, abandoned=0)
    ]
    assert bot_false_resolution(wh, SETTINGS, Filters()).to_dicts() == [
        rate(0, 0, unknown_customer=0, not_bot_resolved=0)
    ]


def test_the_bot_metrics_are_registered():
    assert {"bot_deflection", "bot_handover", "bot_false_resolution"} <= set(REGISTRY)


DEMO_SEED, DEMO_SCALE = 7, 0.1  # the planted shares are exact at any scale; 0.1 builds in ~4 s


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> ReadOnlyWarehouse:
    """The demo warehouse, built once per test session (test_security.py reuses the file)."""
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


def test_the_demo_bot_resolves_30_percent_of_in_app_chats(demo):
    from sample_data import effects

    # Planted (g): exactly 30% of the in-app chats are resolved by the bot alone. Every
    # in-app chat of the demo starts with the bot, so "conversations the bot answered"
    # restricted to chat is the planted denominator. Within 10% of the planted size.
    row = bot_deflection(demo, SETTINGS, Filters(channel=("chat",))).row(0, named=True)
    assert row["n"] > 500
    assert row["value"] == pytest.approx(effects.BOT_RESOLVED_SHARE, rel=0.10)


def test_the_demo_bot_false_resolutions_are_10_percent(demo):
    from sample_data import effects

    # Planted (g): exactly 10% of the bot-resolved chats created at least FCR_WINDOW_DAYS
    # before the export's end get a new contact 2 h to 7 days - 1 h later (on another
    # channel). Later chats draw their comeback at random and it may fall after the end,
    # so the comparison stops a window (plus a day of margin) before the end.
    assert SETTINGS.fcr_days == effects.FCR_WINDOW_DAYS
    last = (effects.PERIOD_END - timedelta(days=effects.FCR_WINDOW_DAYS + 1)).date()
    row = bot_false_resolution(demo, SETTINGS, Filters(date_to=last)).row(0, named=True)
    assert row["n"] > 200
    assert row["value"] == pytest.approx(effects.BOT_FALSE_RESOLUTION_SHARE, rel=0.10)
