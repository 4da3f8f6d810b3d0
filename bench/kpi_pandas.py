"""The headline KPIs by our code against the same KPIs written the way an analyst would in pandas.

Both sides read the benchmark warehouse over all dates, merged duplicates left out. Ours is
``metrics.reports.summary.headline`` on a fresh read-only warehouse (cold: it builds the
contact fact) and again on the same one (warm). The analyst's version loads the four tables it needs into
pandas and computes FRT, resolution time, FCR, one-touch, reopen, repeat-contact and SLA rates,
CSAT and sentiment with merges and group-bys, in calendar time (no business hours, no bot
hand-over rules, tickets only), so a few figures differ slightly; both are printed.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from bench import dataset
from bench.results import record
from bench.timing import seconds
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.reports.summary import headline
from warehouse.reader import ReadOnlyWarehouse

KEY = ["source", "ticket_id"]
QUERIES = {
    "tickets": "SELECT source, ticket_id, created_at, priority, category, customer_id, merged_into"
    " FROM tickets",
    "messages": "SELECT source, conversation_id AS ticket_id, sent_at, sender_type, sentiment"
    " FROM messages",
    "events": "SELECT source, ticket_id, changed_at, value FROM ticket_events WHERE field = 'status'",
    "surveys": "SELECT source, ticket_id, score FROM surveys",
}


def load_frames(db) -> dict[str, pd.DataFrame]:
    """The columns the analyst needs, as pandas frames."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {name: con.execute(sql).df() for name, sql in QUERIES.items()}
    finally:
        con.close()


def analyst_kpis(
    frames: dict[str, pd.DataFrame], sla: dict[str, int], days: int = 7
) -> dict[str, Any]:
    """Headline KPIs, pandas style (minutes; rates as fractions)."""
    t = frames["tickets"]
    t = t[t["merged_into"].isna()].copy()
    m = frames["messages"]
    customer = m[m["sender_type"] == "customer"]
    first_customer = customer.groupby(KEY)["sent_at"].min().rename("first_customer_at")
    agent = m[m["sender_type"] == "agent"].merge(first_customer.reset_index(), on=KEY)
    agent = agent[agent["sent_at"] >= agent["first_customer_at"]]
    t = t.merge(
        agent.groupby(KEY)["sent_at"].min().rename("first_reply_at").reset_index(),
        on=KEY,
        how="left",
    )
    t = t.merge(
        m[m["sender_type"] == "agent"].groupby(KEY).size().rename("agent_messages").reset_index(),
        on=KEY,
        how="left",
    )
    t["frt"] = (t["first_reply_at"] - t["created_at"]).dt.total_seconds() / 60
    t.loc[t["frt"] < 0, "frt"] = None

    e = frames["events"].sort_values("changed_at")
    solves = e[e["value"] == "solved"].groupby(KEY)["changed_at"].agg(["min", "max", "count"])
    solves.columns = ["first_solved_at", "last_solved_at", "solves"]
    last = e.groupby(KEY)["value"].last().rename("last_status")
    t = t.merge(solves.reset_index(), on=KEY, how="left").merge(
        last.reset_index(), on=KEY, how="left"
    )
    t["solved"] = t["last_status"].isin(["solved", "closed"])
    t["reopens"] = (t["solves"].fillna(0) - 1).clip(lower=0)
    t["resolution"] = (t["first_solved_at"] - t["created_at"]).dt.total_seconds() / 60

    t = t.sort_values(["customer_id", "created_at"])
    t["next_contact_at"] = t.groupby("customer_id")["created_at"].shift(-1)
    t["next_same_at"] = t.groupby(["customer_id", "category"])["created_at"].shift(-1)
    window = pd.Timedelta(days=days)
    t["repeat"] = (t["next_contact_at"] - t["created_at"]) <= window
    solved = t[t["solved"]]
    after_solve = solved["last_solved_at"].fillna(solved["created_at"]) + window
    fcr = (solved["reopens"] == 0) & (
        solved["next_same_at"].isna() | (solved["next_same_at"] > after_solve)
    )
    target = t["priority"].map(sla).fillna(sla["default"])
    answered = t[t["frt"].notna()]

    s = frames["surveys"].merge(t[KEY], on=KEY)
    c = customer.merge(t[KEY], on=KEY)
    scored = c["sentiment"].dropna()
    return {
        "tickets": len(t),
        "frt_median": answered["frt"].median(),
        "frt_p90": answered["frt"].quantile(0.9),
        "resolution_median": solved["resolution"].median(),
        "fcr_rate": fcr.mean(),
        "one_touch_rate": (solved["agent_messages"] == 1).mean(),
        "reopen_rate": (solved["reopens"] > 0).mean(),
        "repeat_contact_rate": t["repeat"].mean(),
        "sla_attainment": (answered["frt"] <= target[answered.index]).mean(),
        "csat": (s["score"] >= 4).mean(),
        "csat_mean": s["score"].mean(),
        "sentiment_mean": scored.mean(),
        "negative_share": (scored <= -0.05).mean(),
    }  # fmt: skip


def ours(head: dict[str, Any]) -> dict[str, Any]:
    """The same figures picked out of ``metrics.reports.summary.headline``."""
    return {
        "tickets": head["tickets"],
        "frt_median": head["frt_minutes"]["median"],
        "frt_p90": head["frt_minutes"]["p90"],
        "resolution_median": head["resolution_minutes"]["median"],
        "fcr_rate": head["fcr_rate"]["value"],
        "one_touch_rate": head["one_touch_rate"]["value"],
        "reopen_rate": head["reopen_rate"]["value"],
        "repeat_contact_rate": head["repeat_contact_rate"]["value"],
        "sla_attainment": head["sla_attainment"]["value"],
        "csat": head["csat"]["value"],
        "csat_mean": head["csat"]["mean"],
        "sentiment_mean": head["sentiment"]["mean"],
        "negative_share": head["sentiment"]["negative_share"],
    }


def _timed(fn) -> tuple[float, Any]:
    box: list[Any] = []
    spent = seconds(lambda: box.append(fn()))
    return spent, box[0]


def _round(db, settings, sla: dict[str, int]) -> dict[str, tuple[float, Any]]:
    """One round of both sides: (seconds, result) per step."""
    wh = ReadOnlyWarehouse(db)
    try:
        steps = {"cold": _timed(lambda: ours(headline(wh, settings, Filters())))}
        steps["warm"] = _timed(lambda: headline(wh, settings, Filters()))
    finally:
        wh.close()
    steps["load"] = _timed(lambda: load_frames(db))
    frames = steps["load"][1]
    steps["compute"] = _timed(lambda: analyst_kpis(frames, sla, settings.fcr_days))
    steps["load"] = (steps["load"][0], None)  # let the frames go before the next round
    return steps


def run(
    scale: float = dataset.FULL_SCALE, write: bool = True, repeats: int = 2
) -> dict[str, float]:
    """Seconds of both sides (best of ``repeats``, interleaved) and pandas / ours ratios."""
    data = dataset.ensure(scale)
    settings = load_settings(None)
    sla = {**settings.sla_minutes, "default": settings.sla_default_minutes}
    rounds = [_round(data.db, settings, sla) for _ in range(max(1, repeats))]
    best = {step: min(r[step][0] for r in rounds) for step in rounds[0]}
    mine, theirs = rounds[-1]["cold"][1], rounds[-1]["compute"][1]
    figures = {
        "ours_cold_seconds": best["cold"],
        "ours_warm_seconds": best["warm"],
        "pandas_load_seconds": best["load"],
        "pandas_compute_seconds": best["compute"],
        "ratio_cold": (best["load"] + best["compute"]) / best["cold"],
        "ratio_warm": best["compute"] / best["warm"],
    }
    if write:
        record(
            f"Headline KPIs: ours against pandas (scale {scale:g})",
            _lines(figures, mine, theirs, repeats),
        )
    return figures


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    return f"{value:,.4g}" if isinstance(value, float) else f"{value:,}"


def _lines(
    figures: dict[str, float], mine: dict[str, Any], theirs: dict[str, Any], repeats: int
) -> list[str]:
    lines = [
        f"All dates, merged duplicates excluded; best of {repeats}, runs interleaved."
        " Ratio = pandas seconds / our seconds (above 1: ours is faster).",
        "",
        "| step | seconds |",
        "|---|---|",
        f"| ours, fresh warehouse (contact fact built) | {figures['ours_cold_seconds']:.2f} |",
        f"| ours, warm (contact fact in memory) | {figures['ours_warm_seconds']:.2f} |",
        f"| pandas: load the 4 tables from DuckDB | {figures['pandas_load_seconds']:.2f} |",
        f"| pandas: compute the KPIs | {figures['pandas_compute_seconds']:.2f} |",
        f"| ratio, first answer (pandas load + compute / ours cold) | {figures['ratio_cold']:.1f} |",
        f"| ratio, next answer (pandas compute / ours warm) | {figures['ratio_warm']:.1f} |",
        "",
        "| KPI | ours | pandas |",
        "|---|---|---|",
    ]
    lines += [
        f"| {name} | {_fmt(mine.get(name))} | {_fmt(value)} |" for name, value in theirs.items()
    ]
    return lines
