"""Staffing by hour of week: Erlang C agents needed per slot against agents on shift.

Slots, team time zones, the period and presence come from ``metrics.coverage.shifts`` as
for the other coverage metrics (``metrics.coverage.gaps``); Erlang C is ``metrics.coverage.erlang``.
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl

from metrics.core.contacts import Warehouse
from metrics.core.facts import Fact, fact_table
from metrics.core.filters import Filters
from metrics.core.metric import metric
from metrics.core.pooling import pooled_slots_sql
from metrics.core.settings import Settings
from metrics.coverage.erlang import erlang_c, erlang_c_probability
from metrics.coverage.gaps import NEEDS_AGENT, SLOT_DEFINITION, finish
from metrics.coverage.shifts import Scope, prepare, slot_frame, slot_label

# Each agent message with the gap since the same agent's previous message (all time): built
# once per warehouse version, so a filter change does not re-run the window over every message.
REPLY_GAPS_SQL = """
    SELECT m.source, m.conversation_id, m.sender_id, m.sent_at,
        epoch(m.sent_at) - epoch(lag(m.sent_at) OVER (
            PARTITION BY m.sender_id ORDER BY m.sent_at, m.message_id)) AS gap_seconds
    FROM messages AS m
    WHERE m.sender_type = 'agent' AND m.sender_id IS NOT NULL AND m.sent_at IS NOT NULL
"""
REPLY_GAPS = Fact(
    name="agent_reply_gaps",
    sql=REPLY_GAPS_SQL,
    reads=frozenset({"messages"}),
    grain="agent_time",
    key=("sender_id", "sent_at"),
)
HANDLE_TIME_SQL = """
    agent_messages AS (
        SELECT g.source, g.conversation_id, g.gap_seconds FROM {gaps} AS g
        WHERE g.sent_at >= $p_start - to_seconds(CAST($gap_seconds AS DOUBLE))
    )
    SELECT c.grp, count(DISTINCT (c.source, c.contact_id)) AS contacts, count(*) AS replies,
        count(*) FILTER (WHERE m.gap_seconds <= $gap_seconds) AS timed,
        sum(m.gap_seconds) FILTER (WHERE m.gap_seconds <= $gap_seconds) AS worked_seconds
    FROM agent_messages AS m
    JOIN contacts_in AS c ON c.source = m.source AND c.contact_id = m.conversation_id
    GROUP BY c.grp
"""


def reply_gaps_table(wh: Warehouse) -> str:
    """Name of the derived fact (source, conversation_id, sender_id, sent_at, gap_seconds) of
    every agent message: the seconds since that agent's previous message (null for their
    first). Stored by the load, else built on first use."""
    return fact_table(wh, REPLY_GAPS)


def handle_times(
    wh: Warehouse, settings: Settings, scope: Scope, gap_minutes: float
) -> dict[Any, float]:
    """AHT in minutes per group, where the messages give at least small_sample timed ones.

    A reply's gap counts when at most ``gap_minutes``; replies sent before the period's
    start less that gap are left out, as a window over the period alone would. Remembered per
    scope (both staffing views need it).
    """
    return wh.remember(
        ("handle_times", scope.key, gap_minutes),
        lambda: _handle_times(wh, settings, scope, gap_minutes),
    )


def _handle_times(
    wh: Warehouse, settings: Settings, scope: Scope, gap_minutes: float
) -> dict[Any, float]:
    body = HANDLE_TIME_SQL.format(gaps=reply_gaps_table(wh))
    sql = f"WITH {scope.contacts_cte('c.contact_id, c.source')},\n{body}"
    out: dict[Any, float] = {}
    for row in scope.run(wh, sql, {"gap_seconds": gap_minutes * 60.0}).iter_rows(named=True):
        if row["timed"] >= max(settings.small_sample, 1) and row["worked_seconds"] > 0:
            per_message = row["worked_seconds"] / row["timed"]
            out[row["grp"]] = per_message * row["replies"] / row["contacts"] / 60.0
    return out


def expected_wait(traffic: float, agents: int, aht_minutes: float) -> float | None:
    """Erlang C average speed of answer (seconds) with ``agents``; None if they cannot keep up."""
    if traffic <= 0:
        return 0.0
    if agents <= traffic:
        return None
    return erlang_c_probability(traffic, agents) * aht_minutes * 60.0 / (agents - traffic)


# A slot's arrival rate rests on at least $min_n contacts: its own, else those of the same
# hour on every weekday, else of its part of the day (metrics.core.pooling), as contacts per
# occurrence of the slots pooled (their rates weighted by how often each occurs in the
# period); with fewer still, no rate (a rate over the whole week would erase the day's shape).
RATE_POOLS = ("hour of week", "hour of day", "part of day")
POOLED_RATES_SQL = (
    "WITH slot_rows AS (SELECT * FROM slots)"  # noqa: S608
    + pooled_slots_sql(
        "slot_rows",
        ("grp",),
        n="CAST(sum(n) AS BIGINT)",
        value="round(sum(contacts_per_week * weeks) / sum(weeks), 12)",
        pools=RATE_POOLS,
    )
    + """
    SELECT r.*, p.value AS rate_per_week, p.pooled, p.basis_n
    FROM slot_rows AS r
    JOIN pooled AS p ON p.grp IS NOT DISTINCT FROM r.grp AND p.hour_of_week = r.hour_of_week
    ORDER BY r.grp NULLS LAST, r.hour_of_week
"""
)


def pooled_rates(wh: Warehouse, slots: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    """The slots with rate_per_week (the arrival rate Erlang C is given), pooled (the pool it
    rests on, None: fewer than small_sample contacts even over the slot's part of the day)
    and basis_n (the contacts of that pool, else of the part of the day)."""
    min_n = max(settings.small_sample, 1)
    return wh.query(POOLED_RATES_SQL, {"min_n": min_n}, frames={"slots": slots})


UNJUDGED = dict.fromkeys(
    ("contacts_per_week", "traffic_erlangs", "agents_needed", "rostered_needed", "gap",
     "expected_wait_seconds")
)  # fmt: skip


def staffing_slot(slot: dict[str, Any], aht: tuple[float, str], settings: Settings) -> dict:
    """One slot's Erlang C figures against its agents on shift, on its pooled arrival rate
    (none when it has no rate: not enough data)."""
    shrinkage = settings.staffing_shrinkage
    if slot["pooled"] is None:
        return _row(slot, aht) | UNJUDGED
    need = erlang_c(
        slot["rate_per_week"],
        60.0,
        aht[0],
        settings.staffing_target_seconds,
        settings.staffing_service_level,
        shrinkage,
    )
    taking = math.floor(slot["on_shift"] * (1.0 - shrinkage) + 0.5)
    return _row(slot, aht) | {
        "contacts_per_week": slot["rate_per_week"], "traffic_erlangs": need["traffic_erlangs"],
        "agents_needed": need["agents"], "rostered_needed": need["rostered_agents"],
        "gap": round(need["rostered_agents"] - slot["on_shift"], 6),
        "expected_wait_seconds": expected_wait(need["traffic_erlangs"], taking, aht[0]),
    }  # fmt: skip


def _row(slot: dict[str, Any], aht: tuple[float, str]) -> dict[str, Any]:
    return {
        "grp": slot["grp"], "weekday": slot["weekday"], "hour": slot["hour"],
        "hour_of_week": slot["hour_of_week"], "n": slot["n"], "pooled": slot["pooled"],
        "basis_n": slot["basis_n"], "aht_minutes": aht[0], "aht_source": aht[1],
        "on_shift": slot["on_shift"], "frt_median": slot["frt_median"],
        "on_shift_source": slot["on_shift_source"],
    }  # fmt: skip


STAFFING_SCHEMA = {
    "weekday": pl.Int64, "hour": pl.Int64, "hour_of_week": pl.Int64, "n": pl.Int64,
    "pooled": pl.String, "basis_n": pl.Int64, "contacts_per_week": pl.Float64,
    "aht_minutes": pl.Float64, "aht_source": pl.String,
    "traffic_erlangs": pl.Float64, "agents_needed": pl.Int64, "rostered_needed": pl.Int64,
    "on_shift": pl.Float64, "gap": pl.Float64, "expected_wait_seconds": pl.Float64,
    "frt_median": pl.Float64, "on_shift_source": pl.String,
}  # fmt: skip
PERIOD_SCHEMA = {
    "starts": pl.String, "ends": pl.String, "start_hour_of_week": pl.Int64, "hours": pl.Int64,
    "min_on_shift": pl.Float64, "max_rostered_needed": pl.Int64,
    "agent_hours_short": pl.Float64, "contacts_per_week": pl.Float64, "n": pl.Int64,
    "pooled_hours": pl.Int64,
}  # fmt: skip


def cyclic_runs(hours: list[int]) -> list[list[int]]:
    """Sorted hours of the week in runs of consecutive hours (Sunday 23h runs into Monday 0h)."""
    runs: list[list[int]] = []
    for hour in hours:
        if runs and runs[-1][-1] == hour - 1:
            runs[-1].append(hour)
        else:
            runs.append([hour])
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][-1] == 167:
        runs[0] = runs.pop() + runs[0]
    return runs


def gap_periods(slots: pl.DataFrame, min_gap: float) -> pl.DataFrame:
    """Per group, runs of consecutive slots short by at least ``min_gap`` agents, largest first.

    A slot without a rate (too few contacts even pooled) is not judged: it ends a run.
    """
    rows = []
    for (grp,), part in slots.group_by("grp", maintain_order=True):
        by_hour = {row["hour_of_week"]: row for row in part.iter_rows(named=True)}
        short = {h for h, r in by_hour.items() if r["gap"] is not None and r["gap"] >= min_gap}
        for run in cyclic_runs(sorted(short)):
            rows.append({"grp": grp, **_period([by_hour[h] for h in run])})
    frame = pl.DataFrame(rows, schema={"grp": slots.schema["grp"]} | PERIOD_SCHEMA)
    return frame.sort(["agent_hours_short", "contacts_per_week"], descending=True)


def _period(cells: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "starts": slot_label(cells[0]["hour_of_week"]),
        "ends": slot_label(cells[-1]["hour_of_week"] + 1),
        "start_hour_of_week": cells[0]["hour_of_week"], "hours": len(cells),
        "min_on_shift": min(c["on_shift"] for c in cells),
        "max_rostered_needed": max(c["rostered_needed"] for c in cells),
        "agent_hours_short": round(sum(max(c["gap"], 0.0) for c in cells), 6),
        "contacts_per_week": sum(c["contacts_per_week"] for c in cells),
        "n": sum(c["n"] for c in cells),
        "pooled_hours": sum(c["pooled"] != "hour of week" for c in cells),
    }  # fmt: skip


VIEWS = ("slots", "gaps")


@metric(
    "staffing_by_hour",
    label="Staffing by hour of week (Erlang C)",
    unit="agents",
    family="coverage",
    definition=(
        "Per hour of the week: agents needed by Erlang C (metrics.coverage.erlang.erlang_c) for "
        "staffing.service_level of contacts answered within staffing.target_seconds, from "
        "the arrival rate (contacts_per_week: mean contacts needing an agent in the slot per "
        "week, per 60-minute interval) and the handle time. The rate rests on at least "
        "reporting.small_sample contacts: a slot with fewer borrows the same hour on every "
        "weekday, then its part of the day (00-06, 06-12, 12-18, 18-24h), as contacts per "
        "occurrence of the slots pooled (pooled names which, basis_n its contacts); with fewer "
        "still the slot has no rate and no gap (not enough data, never a shortfall); rostered_needed = needed / (1 - staffing.shrinkage), "
        "rounded up; gap = rostered_needed - on_shift; expected_wait_seconds = Erlang C "
        "average speed of answer with the agents on shift who take contacts (on_shift x "
        "(1 - shrinkage), rounded), null when they cannot keep up; n = the slot's (or period's) "
        "own contacts over the period. Handle time (AHT): an "
        "agent message takes the time since the same agent's previous message when that is "
        "at most aht_gap_minutes (10: continuous work); AHT = the mean of those x the mean "
        "agent messages per answered contact; with fewer than reporting.small_sample such "
        "messages, staffing.default_aht_minutes; aht_minutes > 0 overrides." + SLOT_DEFINITION
    ),
    variant=(
        "view='slots': every slot, by gap then contacts per week, largest first; view='gaps': "
        "runs of consecutive slots (across midnight and the week's end; a slot without a "
        "rate ends one) with gap >= min_gap (0.5), sorted by agent_hours_short (the sum of "
        "their gaps, per week); pooled_hours = those of its hours whose rate is pooled"
    ),
    exclusions=NEEDS_AGENT,
    options={"view": VIEWS},
)
def staffing_by_hour(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    by: str | None = None,
    view: str = "slots",
    aht_minutes: float = 0.0,
    aht_gap_minutes: float = 10.0,
    min_gap: float = 0.5,
) -> pl.DataFrame:
    """Erlang C agents needed per slot against agents on shift: the gap and expected wait.

    Each slot's arrival rate rests on at least settings' small_sample contacts, pooled from
    the same hour on every weekday or the slot's part of the day when its own are fewer
    (``pooled``, ``basis_n``); a slot with fewer still has no rate and no gap.
    """
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}, got {view!r}")
    scope = prepare(wh, settings, filters, by)
    slots = pooled_rates(wh, slot_frame(wh, scope), settings)
    fallback = (
        (aht_minutes, "option") if aht_minutes > 0 else (settings.default_aht_minutes, "settings")
    )
    ahts: dict[Any, tuple[float, str]] = {}
    if aht_minutes <= 0:
        estimated = handle_times(wh, settings, scope, aht_gap_minutes)
        ahts = {grp: (aht, "messages") for grp, aht in estimated.items()}
    rows = [
        staffing_slot(slot, ahts.get(slot["grp"], fallback), settings)
        for slot in slots.iter_rows(named=True)
    ]
    frame = pl.DataFrame(rows, schema={"grp": slots.schema["grp"]} | STAFFING_SCHEMA)
    if view == "gaps":
        return finish(gap_periods(frame, min_gap), by)
    order = ["gap", "contacts_per_week", "grp", "hour_of_week"]
    return finish(frame.sort(order, descending=[True, True, False, False], nulls_last=True), by)
