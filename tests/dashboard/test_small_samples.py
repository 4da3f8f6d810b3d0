"""A conclusion never rests on a handful of items: a back-tested accuracy (or any tile given a
``min_n``) on fewer than settings' small_sample items says "not enough data", its n and what
would make it available, never the value (a descriptive level keeps its small-sample flag)."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
from matrix import SETS
from page_runner import open_page
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def _tile_app(n: int, min_n: int) -> AppTest:
    def app(n: int, min_n: int) -> None:
        from dashboard import tiles
        from metrics.core.settings import load_settings

        tile = tiles.Tile(
            "Answered within the published wait", 0.0, "share", "wait_estimates", n,
            min_n=min_n, needs="Load more weeks.",
        )  # fmt: skip
        tiles.tile(tile, load_settings(), False)

    return AppTest.from_function(app, kwargs={"n": n, "min_n": min_n}).run()


def test_a_conclusion_on_two_items_is_not_enough_data_with_its_n_and_what_would_help():
    at = _tile_app(2, 30)
    assert not at.exception
    assert not at.metric  # no "0.0%" drawn as a figure
    shown = [m.value for m in at.markdown]
    assert any("not enough data" in text for text in shown), shown
    assert [c.value for c in at.caption] == [
        "n = 2 < 30: too few to conclude from. Load more weeks."
    ]


def test_a_conclusion_on_enough_items_or_a_level_without_min_n_shows_its_value():
    enough = _tile_app(30, 30)  # 30 is not below 30
    assert [m.value for m in enough.metric] == ["0.0%"]
    level = _tile_app(2, 0)  # no min_n: a level, shown and flagged as a small sample
    assert [m.value for m in level.metric] == ["0.0%"]
    assert any("small sample (n = 2 < 30)" in m.value for m in level.markdown)


def test_groups_below_the_minimum_are_left_out_and_named():
    from dashboard.views.samples import enough_groups

    rates = pl.DataFrame({"channel": ["chat", "email", "phone", "web"], "n": [2, 30, 0, 29]})
    kept, note = enough_groups(rates, 30, groups="channel")
    # only email has n >= 30; chat (2) and web (29) are too few; phone (0) is no data
    assert kept["channel"].to_list() == ["email"]
    assert note == (
        "Not enough data: 2 channels with fewer than 30 scored contacts (n = 2, 29) not drawn."
    )
    kept, note = enough_groups(rates.filter(pl.col("n") != 2), 1)
    assert kept["channel"].to_list() == ["email", "web"]
    assert note == ""
    many = pl.DataFrame({"agent": list("abcdef"), "n": [1, 2, 4, 3, 1, 2]})
    kept, note = enough_groups(many, 30, "conversations reviewed", "agent")
    # six agents, all below 30: none drawn, their n given as a range (1 to 4)
    assert kept.is_empty()
    assert note == (
        "Not enough data: 6 agents with fewer than 30 conversations reviewed (n = 1 to 4) "
        "not drawn."
    )


@pytest.fixture
def page_on(real_warehouses_shared, clean_env, monkeypatch):
    """A page run on a real-data set's warehouse (the name in ``SETS``), without exception."""

    def run(name: str, page: str) -> AppTest:
        db, _ = real_warehouses_shared.load(SETS[name])
        monkeypatch.setenv("SUPPORT_DB", str(db))
        at = open_page(f"pages/{page}.py", timeout=120)
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


def test_the_ubuntu_wait_back_test_without_a_published_estimate_is_not_a_percentage(page_on):
    # The Ubuntu chats' last 30 days (the default period, November 2012) hold 20 answered
    # contacts. The back-test scores the estimate the table publishes, pooled as it pools: no
    # channel and language had 30 answered contacts in the 4 weeks before any week of the
    # period, even over all its hours (the most: 17 before the period's end), so no estimate was
    # published and none of the 20 is scored (n = 0), not a share of the 2 whose own slot had
    # history (the back-test before pooling).
    at = page_on("ubuntu", "response_times")
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Answered within the published wait"] == "no data"
    assert tiles["Typical miss"] == "no data"
    captions = [c.value for c in at.caption]
    assert any(c.startswith("No data: no answered contacts with an estimate") for c in captions)
    assert any("the most: n = 17" in i.value for i in at.info)
    titles = [chart.proto.spec for chart in at.get("plotly_chart")]
    assert not any("Answered within the estimate" in spec for spec in titles)


def test_the_ubuntu_quality_scores_per_agent_on_one_or_two_chats_are_not_drawn(page_on):
    # November 2012: 20 reviewed conversations shared by 17 helpers (1 or 2 each, < 30):
    # no bar, no pass rate in the grid; the helpers are named as too few instead.
    at = page_on("ubuntu", "quality")
    specs = [chart.proto.spec for chart in at.get("plotly_chart")]
    assert not any("Automatic quality score by agent" in spec for spec in specs)
    assert not [d for d in at.dataframe if "agent" in d.value.columns]
    captions = [c.value for c in at.caption]
    assert any(
        c.startswith("Not enough data: 17 agents with fewer than 30 conversations reviewed")
        for c in captions
    ), captions
    # no people's reviews are loaded: the tile says not available, not "no data"
    assert "Internal quality score (people)" not in [m.label for m in at.metric]
    assert any("not available" in m.value for m in at.markdown)


def test_a_trend_needs_two_weeks_on_a_line():
    from dashboard.views.scorecard import trend_gap

    week = pl.date(2026, 10, 5)
    empty = pl.DataFrame(schema={"week": pl.Date, "who": pl.String, "value": pl.Float64})
    assert trend_gap(empty, "Ana", "CSAT").startswith("No data: no week of the period has CSAT")
    one = pl.DataFrame({"who": ["Ana", "team en"], "value": [1.0, 2.0]}).with_columns(week=week)
    assert trend_gap(one, "Ana", "CSAT").startswith("Not enough data for a trend")
    # the team has two weeks: a line to read, with the agent's one point beside it
    two = pl.concat(
        [one, one.filter(pl.col("who") == "team en").with_columns(week=pl.date(2026, 10, 12))]
    )
    assert trend_gap(two, "Ana", "CSAT") == ""


def test_the_ubuntu_scorecard_draws_no_empty_trend_for_a_helper_without_contacts(page_on):
    # The first helper in the list, AAA, answered nobody in the 26 weeks to 2012-11-30 and
    # there are no teams: the trend chart was drawn with empty axes; it now says no data.
    at = page_on("ubuntu", "agent_scorecards")
    assert at.selectbox[0].value == "AAA"
    specs = [chart.proto.spec for chart in at.get("plotly_chart")]
    assert not any("per week, agent vs team" in spec for spec in specs)
    assert any(i.value.startswith("No data: no week of the period has") for i in at.info)


def test_one_day_of_contacts_is_drawn_on_a_readable_axis():
    from datetime import date

    from dashboard.charts.common import duration_trend, volume_trend

    # Zendesk's last 30 days hold one ticket (2020-12-22): the axis read "23:59:59.9996" and
    # the counts "0, 0, 0, 1, 1, 1".
    one = pl.DataFrame({
        "day": [date(2020, 12, 22)], "contacts": [1], "tickets": [1], "conversations": [0],
    })  # fmt: skip
    drawn = volume_trend(one, "day")
    layout = drawn.layout
    assert layout.yaxis.dtick == 1
    assert list(layout.xaxis.range) == [date(2020, 12, 21), date(2020, 12, 23)]
    assert layout.xaxis.dtick == 86_400_000  # a tick a day (ms), not "2020-12-21" four times
    assert drawn.data[0].width == 0.8 * 86_400_000  # the bar is most of its day, not a hairline
    waits = one.with_columns(n=pl.lit(1), median=pl.lit(42.0), p90=pl.lit(60.0))
    # a week alone: a week either side
    week = duration_trend(waits.rename({"day": "week"}), "week", "Reply time").layout
    assert list(week.xaxis.range) == [date(2020, 12, 15), date(2020, 12, 29)]
    many = pl.DataFrame({
        "day": [date(2020, 12, 21), date(2020, 12, 22)], "contacts": [40, 7], "tickets": [40, 7],
        "conversations": [0, 0],
    })  # fmt: skip
    layout = volume_trend(many, "day").layout
    assert layout.xaxis.range is None and layout.yaxis.dtick is None


def test_count_axes_of_a_handful_tick_in_whole_numbers():
    from dashboard.charts.operations import backlog_ages, backlog_trend, channel_volume

    # Zendesk's last 30 days: one e-mail ticket; the axis ticked 0.2 apart, printed "0, 0, 1, 1"
    channels = channel_volume(pl.DataFrame({"channel": ["email"], "contacts": [1], "share": [1.0]}))
    assert channels.layout.yaxis.dtick == 1
    days = pl.DataFrame({
        "day": ["2020-12-21", "2020-12-22"], "open": [0, 1], "opened": [0, 1], "closed": [0, 0],
    })  # fmt: skip
    assert backlog_trend(days, "day").layout.yaxis.dtick == 1
    ages = pl.DataFrame({"band": ["under 1 hour"], "band_order": [0], "from_hours": [0], "n": [40]})
    assert backlog_ages(ages).layout.yaxis.dtick is None  # 40: plotly's own steps


def test_no_status_history_in_the_period_says_no_data_and_nothing_about_zero_open(page_on):
    # Zendesk's last 30 days (2020-11-23 to 2020-12-22) hold one ticket, with no status
    # change in the period: "No data", and no "0 of them are still open" after it.
    at = page_on("zendesk", "response_times")
    captions = [c.value for c in at.caption]
    assert any(c.startswith("No data: no tickets with a status history") for c in captions)
    assert not any("of them are still open" in c for c in captions), captions


def test_csat_without_creation_times_has_no_weekly_trend(page_on, real_data):
    # The Kaggle export has 2,769 survey ratings but no ticket creation time: the CSAT tiles
    # stand, the weekly trend (which places a rating by its contact's creation week) drew
    # empty axes; it now says not available and why.
    at = page_on("kaggle", "customer_voice")
    rated = pl.read_csv(
        real_data / SETS["kaggle"][1][2], columns=["Customer Satisfaction Rating"]
    ).drop_nulls()
    satisfied = rated.filter(pl.col("Customer Satisfaction Rating") >= 4).height
    assert (rated.height, satisfied) == (2769, 1087)  # 1,087 / 2,769 = 39.3%
    assert [m.value for m in at.metric if m.label == "CSAT"] == [f"{satisfied / rated.height:.1%}"]
    specs = [chart.proto.spec for chart in at.get("plotly_chart")]
    assert not any("CSAT per " in spec for spec in specs)
    texts = [i.value for i in at.info]
    # its own rule (csat_trend: ratings of contacts with a creation time), not peak days'
    assert (
        "**CSAT per week: not available.** None of the 2,769 survey responses of these contacts "
        "belongs to a contact with a creation time, which places a rating in a week (the export "
        "has none). To make it available: `python -m etl load tickets FILE --db PATH --mapping "
        "MAPPING`." in texts
    ), texts
    # nor an agent: no per-agent table of one "(none)" row (the total again)
    assert not any(e.label.startswith("CSAT per agent") for e in at.expander)
    assert (
        "CSAT per agent: no breakdown by agent: none of these contacts has one (see Data "
        "health)." in [c.value for c in at.caption]
    )


def test_no_channel_breakdown_of_the_wait_back_test_when_no_contact_has_a_channel(page_on):
    # The event log's tickets have no channel: the per-channel chart was one "(none)" bar,
    # the total again. The back-test itself (n = 35 >= 30 in its last 30 days) is shown.
    at = page_on("tickets_only", "response_times")
    shown = {m.label: m.value for m in at.metric}
    assert shown["Answered within the published wait"].endswith("%")
    assert any("n = 35" in c.value for c in at.caption)
    specs = [chart.proto.spec for chart in at.get("plotly_chart")]
    assert not any("Answered within the estimate" in spec for spec in specs)


def test_a_breakdown_where_no_contact_has_the_group_is_not_drawn():
    from dashboard.views.samples import no_breakdown

    unknown = pl.DataFrame(
        {"agent": [None], "n": [809]}, schema={"agent": pl.String, "n": pl.Int64}
    )
    assert no_breakdown(unknown, "agent") == (
        "No breakdown by agent: none of these contacts has one (see Data health)."
    )
    some = pl.DataFrame({"agent": [None, "a1"], "n": [800, 9]})
    assert no_breakdown(some, "agent") == ""


def test_the_multilingual_tickets_have_no_agent_so_no_quality_bar_per_agent(page_on):
    # The multilingual export names no agent: the per-agent quality chart was one "(none)" bar
    # (the total again) and the grid one "None" row.
    at = page_on("multilingual", "quality")
    specs = [chart.proto.spec for chart in at.get("plotly_chart")]
    assert not any("Automatic quality score by agent" in spec for spec in specs)
    assert not [d for d in at.dataframe if "agent" in d.value.columns]
    assert any(i.value.startswith("No breakdown by agent") for i in at.info)


def test_negative_messages_without_times_are_not_called_no_negative_message():
    from dashboard.views.voice import negatives_by_language, topic_notes

    languages = pl.DataFrame({
        "language": ["en", "de"], "n": [486, 0], "negative_share": [0.05349794, None],
    })  # fmt: skip
    negatives = negatives_by_language(languages)
    assert negatives == {"en": 26}  # 486 x 0.0535 = 26.0
    topics = pl.DataFrame({
        "language": ["en", "de"], "status": ["not enough text"] * 2, "n": [0, 0],
        "scored_messages": [486, 0],
    })  # fmt: skip
    assert topic_notes(topics, 50, negatives) == [
        "English (en): not available: its 26 negative messages carry no time (topics place "
        "each text in a week); loading the messages with their times would give topics.",
        "German (de): no negative message and no comment on a 1-2 survey, and its messages "
        "are not scored.",
    ]


def test_the_multilingual_export_untimed_negatives_are_not_reported_as_none(page_on):
    # The multilingual tickets' messages carry no times; 19 of the 486 scored English ones
    # (3.9%; 26 before the 2026.12.07.5 models read less praise as negative, 18 with them; the
    # 2026.12.07.6 English model one more) are negative,
    # yet topics said "English (en): no negative message".
    at = page_on("multilingual", "customer_voice")
    notes = next(c.value for c in at.caption if c.value.startswith("No topics for:"))
    assert "English (en): no negative message" not in notes
    assert "English (en): not available: its 19 negative messages carry no time" in notes


def _provisional_tile_app(provisional: str) -> AppTest:
    def app(provisional: str) -> None:
        from dashboard import tiles
        from metrics.core.settings import load_settings

        tile = tiles.Tile(
            "Reopen rate", 0.032, "share", "reopen_rate", 63, previous=0.043, better="lower",
            provisional=provisional,
        )  # fmt: skip
        tiles.tile(tile, load_settings(), True)

    return AppTest.from_function(app, kwargs={"provisional": provisional}).run()


def _colour(at: AppTest) -> str:
    proto = at.metric[0].proto
    return proto.DESCRIPTOR.fields_by_name["color"].enum_type.values_by_number[proto.color].name


def test_the_change_of_a_provisional_figure_is_not_coloured_as_better_or_worse():
    # The event log's last 30 days: reopen rate 3.2% against 4.3% (-1.1 pp), still moving
    # (reopens of recent tickets are still to come): the fall was drawn green, a verdict.
    moving = _provisional_tile_app("still moving: 95% of reopens come within 20 days")
    assert not moving.exception
    assert [(m.value, m.delta) for m in moving.metric] == [("3.2%", "-1.1 pp")]
    assert _colour(moving) == "GRAY"
    assert any("its change is not judged" in m.value for m in moving.markdown)
    settled = _provisional_tile_app("")
    assert _colour(settled) == "GREEN"  # lower is better, and it fell


def test_a_list_of_every_failure_is_not_flagged_as_a_small_sample(
    real_warehouses_shared, clean_env, monkeypatch, tmp_path
):
    # The ABCD sample read by a team that trusts every judge in English (the shipped coverage
    # scores none of ABCD's failed categories in English): 3 conversations, 4 failed
    # verdicts, all of them listed: a count of a whole list, not a sample ("n = 4 ... small
    # sample" read as if a figure were estimated).
    from etl.quality.rescore import rescore_quality
    from metrics.core.settings import load_settings

    trust = ROOT / "tests" / "fixtures" / "quality" / "trust_english.toml"
    db, _ = real_warehouses_shared.load(SETS["abcd"])
    copy = tmp_path / "abcd.duckdb"
    shutil.copyfile(db, copy)
    rescore_quality(copy, load_settings(trust))
    monkeypatch.setenv("SUPPORT_DB", str(copy))
    monkeypatch.setenv("SUPPORT_SETTINGS", str(trust))
    at = open_page("pages/quality.py", timeout=120)
    assert not at.exception, [e.value for e in at.exception]
    listed = [c.value for c in at.caption if "failed verdicts listed" in c.value]
    assert listed == ["Computed over 4 failed verdicts listed · all data (UTC)."]


def test_a_waits_to_publish_row_says_what_it_rests_on_or_not_enough_data():
    from dashboard.views.operations import estimate_table, no_estimate_words

    estimates = pl.DataFrame({
        "channel": ["chat"] * 4, "language": ["en"] * 4, "weekday": [0, 0, 0, 1],
        "hour": [9, 10, 20, 9], "hour_of_week": [9, 10, 20, 33], "n": [31, 2, 1, 0],
        "unanswered": [0, 0, 0, 1], "estimate_minutes": [12.0, 15.0, 20.0, None],
        "pooled": ["hour of week", "hour of day", "part of day", None],
        "basis_n": [31, 40, 35, 3],
    })  # fmt: skip
    # Mon 10h borrows 10:00 on every weekday; Mon 20h the 18-24h part of the day; Tue 09h has
    # 3 answered contacts even over every hour: no wait.
    assert estimate_table(estimates, 30)["basis"].to_list() == [
        "this hour of the week (n = 31)",
        "10:00 on every weekday (n = 40)",
        "18-24h on every weekday (n = 35)",
        "not enough data (n = 3 < 30, even over every hour of this channel and language)",
    ]
    assert no_estimate_words(estimates, 30) == ""
    # without a channel or language the pool is every hour of the week, and no column of None
    unknown = estimates.with_columns(channel=None, language=None).tail(1)
    table = estimate_table(unknown.with_columns(pooled=pl.lit("all hours"), basis_n=31), 30)
    assert table.columns == ["slot", "estimate_minutes", "basis", "n", "unanswered"]
    assert table["basis"].to_list() == ["every hour of the week (n = 31)"]
    nothing = estimates.with_columns(estimate_minutes=None, pooled=None, basis_n=pl.lit(3))
    assert no_estimate_words(nothing, 30).startswith(
        "**Waits to publish: not enough data.** No channel and language has 30 answered "
        "contacts in the weeks before the period's end, even over all its hours (the most: n = 3)"
    )


def test_the_ubuntu_waits_to_publish_are_not_recommended_from_one_or_two_chats(page_on):
    # The Ubuntu chats' 4 weeks before 2012-12-01 hold 17 answered chats (1 or 2 per hour of
    # the week, 17 over all hours of chat/en < 30): no wait is recommended, and no table of
    # medians of one chat.
    at = page_on("ubuntu", "response_times")
    assert not [d for d in at.dataframe if "estimate_minutes" in d.value.columns]
    texts = [i.value for i in at.info]
    assert any(
        t.startswith("**Waits to publish: not enough data.**") and "(the most: n = 17)" in t
        for t in texts
    ), texts


def test_the_event_log_waits_to_publish_each_rest_on_thirty_contacts(page_on):
    # The event log's tickets (no channel, no language): 1-4 answered contacts per hour of the
    # week, so each row borrows its part of the day or every hour; none rests on fewer than 30.
    at = page_on("tickets_only", "response_times")
    table = next(d.value for d in at.dataframe if "estimate_minutes" in d.value.columns)
    # no column of "None" for the channel and language no ticket has
    assert "channel" not in table.columns and "language" not in table.columns
    assert table["n"].max() < 30
    basis = [int(b.rsplit("n = ", 1)[1].split(")")[0].split(" ")[0]) for b in table["basis"]]
    published = table["estimate_minutes"].notna().tolist()
    assert all(n >= 30 for n, shown in zip(basis, published, strict=True) if shown)
    assert any(published)


def test_staffing_slots_without_a_rate_even_pooled_are_not_judged():
    from dashboard.views.coverage import (
        covered_words,
        pooled_words,
        slot_basis,
        slots_left_out,
        staffing_too_few,
    )

    slots = pl.DataFrame({
        "hour_of_week": [9, 3, 23], "hour": [9, 3, 23], "n": [40, 3, 0],
        "pooled": ["hour of week", "hour of day", None], "basis_n": [40, 34, 12],
    })  # fmt: skip
    # Mon 09h rests on its own 40 contacts, Mon 03h on 03h of every weekday (34), Mon 23h
    # has 12 even over 18-24h (< 30): blank, not "covered"
    assert slot_basis(slots, 30) == [
        "this hour of the week (n = 40)",
        "03:00 on every weekday (n = 34)",
        "not enough data (n = 12 < 30, even over 18-24h on every weekday)",
    ]
    assert slots_left_out(slots, 30) == (
        "Not enough data: 1 of 3 hours of the week have fewer than 30 contacts even over "
        "their part of the day on every weekday, and are left blank, neither short nor covered."
    )
    assert pooled_words(slots, 30).startswith(
        "1 of 3 hours of the week have fewer than 30 contacts of their own: their arrival rate "
        "is that of the same hour on every weekday (1) or of their part of the day (0)"
    )
    assert staffing_too_few(slots, 30) == ""
    sparse = slots.with_columns(pooled=pl.Series([None, None, None], dtype=pl.String))
    assert staffing_too_few(sparse, 30).startswith(
        "**Staffing gaps: not enough data.** No hour of the week has 30 contacts needing an "
        "agent in this period, even over the same hour on every weekday or its part of the "
        "day (the most: n = 40)."
    )
    # no short period: a success only when no hour was left unjudged
    none = pl.DataFrame({"starts": [], "n": []}, schema={"starts": pl.String, "n": pl.Int64})
    assert covered_words(none, "").startswith("Every hour of the week has at least")
    assert covered_words(none, slots_left_out(slots, 30)).startswith(
        "No hour with enough contacts is short of agents; the others are not judged"
    )


def test_the_ubuntu_staffing_gap_from_one_chat_per_hour_is_not_drawn(page_on):
    # November 2012: 20 chats over 168 hours of the week, at most 1 in any hour (< 30), and
    # fewer than 30 even pooled (the most, over a part of the day on every weekday: 7): the
    # Erlang C shortfall from 0-1 contacts was drawn as a conclusion; now not enough data.
    at = page_on("ubuntu", "coverage")
    specs = [chart.proto.spec for chart in at.get("plotly_chart")]
    assert not any("Staffing gap per hour" in spec for spec in specs)
    assert not [d for d in at.dataframe if "agent_hours_short" in d.value.columns]
    assert not [s for s in at.success if "rostered agents" in s.value]
    texts = [i.value for i in at.info]
    assert any(
        t.startswith("**Staffing gaps: not enough data.**") and "(the most: n = 7)" in t
        for t in texts
    ), texts


def test_the_event_log_scorecard_n_reads_not_available_or_its_count_never_none(page_on):
    # The event log's tickets have no surveys, messages or reviews: those rows had an empty n,
    # which the grid printed as "None"; the n shown is now a text: the count, "not available"
    # (no inputs) or "no data" (none in the period).
    from dashboard.views.scorecard import TABLE_CONFIG

    at = page_on("tickets_only", "agent_scorecards")
    table = next(d.value for d in at.dataframe if "n_text" in d.value.columns)
    assert TABLE_CONFIG["n"] is None and TABLE_CONFIG["n_text"] == "n"
    assert table["n_text"].notna().all()
    rows = dict(zip(table["label"], table["n_text"], strict=True))
    assert rows["CSAT (share of 4-5)"] == "not available"
    assert rows["Quality score (automatic review)"] == "not available"
    counted = table[table["n"].notna()]
    assert not counted.empty
    assert list(counted["n_text"]) == [f"{int(n):,}" for n in counted["n"]]


def test_a_scorecard_row_without_items_says_no_data_in_its_n():
    from dashboard.views.scorecard import scorecard_table

    def row(figure: str, n: int, value: float | None) -> dict:
        return {
            "figure": figure, "label": figure, "unit": "share", "value": value,
            "team_median": None, "previous": None, "change": None, "n": n,
            "direction": "lower", "ci_low": None, "ci_high": None, "availability": "available",
            "verdict": "not_judged", "verdict_reason": "no comparison group",
            "provisional": "", "gap": None,
        }  # fmt: skip

    card = pl.DataFrame([row("reopen_rate", 0, None), row("sla", 1234, 0.5), row("csat", 0, None)])
    table = scorecard_table(card, 30, {"csat": "not available: no survey responses are loaded"})
    # no reopen known in the period: no data; 1,234 SLA tickets; CSAT has no inputs
    assert table["n_text"].to_list() == ["no data", "1,234", "not available"]


def test_the_event_log_draws_no_breakdown_by_priority_or_channel_it_does_not_have(page_on):
    # The event log's tickets have neither a priority nor a channel: the Overview's SLA by
    # priority was one "(none)" bar (the SLA tile again), the channel chart one "(none)" bar
    # and its table one "None" row (the totals again).
    overview = page_on("tickets_only", "overview")
    specs = [chart.proto.spec for chart in overview.get("plotly_chart")]
    assert not any("SLA attainment by priority" in spec for spec in specs)
    assert "No breakdown by priority: none of these contacts has one (see Data health)." in [
        i.value for i in overview.info
    ]
    channels = page_on("tickets_only", "channels_backlog")
    specs = [chart.proto.spec for chart in channels.get("plotly_chart")]
    assert not any("Contacts per channel" in spec for spec in specs)
    assert not [d for d in channels.dataframe if "share" in d.value.columns]  # the channel table
    assert "No breakdown by channel: none of these contacts has one (see Data health)." in [
        i.value for i in channels.info
    ]


def test_a_forecast_back_test_on_a_handful_of_contacts_gives_no_verdict():
    from dashboard.views.coverage import backtest_tiles, backtest_words

    score = {
        "n": 56, "folds": 4, "contacts": 3, "mae": 0.12, "mae_naive": 0.05, "smape": 188.8,
        "smape_naive": 10.7, "beats_naive": False,
    }  # fmt: skip
    # 56 back-tested days holding 3 contacts (< 30): no "does not beat", the tiles too few
    assert backtest_words(score, 30) == (
        "Not enough data to compare the forecasts: the 56 back-tested days (the last 4 x 14) "
        "hold 3 contacts (< 30); more days of contacts would give the back-test more."
    )
    assert [(t.n, t.too_few) for t in backtest_tiles(score, 30)] == [(3, True), (3, True)]
    enough = score | {"contacts": 30}  # 30 is not below 30: the verdict and the errors stand
    assert backtest_words(enough, 30).startswith(
        "Rolling-origin back-test over the last 4 x 14 days: the model does not beat"
    )
    assert [(t.n, t.too_few) for t in backtest_tiles(enough, 30)] == [(56, False), (56, False)]


def test_the_zendesk_forecast_back_test_on_three_contacts_is_not_a_verdict(page_on):
    # Zendesk's last 56 days (2020-10-28 to 12-22) hold 3 contacts (tickets 14173 on 10-28 and
    # 16988 on 12-22, comment-only conversation 14352 on 11-01): "the model does not beat
    # seasonal naive (0.1 vs 0.1 contacts a day)" and MAE tiles of 0.12 and 0.05 were shown.
    at = page_on("zendesk", "coverage")
    labels = [m.label for m in at.metric]
    assert "Forecast error (MAE)" not in labels and "Seasonal naive error (MAE)" not in labels
    captions = [c.value for c in at.caption]
    assert not any("beat seasonal naive" in c for c in captions), captions
    assert any(c.startswith("Not enough data to compare the forecasts") for c in captions)
    assert any(c.startswith("n = 3 < 30: too few to conclude from.") for c in captions)
