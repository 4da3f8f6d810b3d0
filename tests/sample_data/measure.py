"""Each planted effect measured on the generated rows, the way sample_data/README.md states it.

Durations are compared as geometric means within a channel (and priority)
stratum: the log-normal draws make the log the natural scale, and stratifying
keeps a change in channel mix from passing for a change in speed.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from pathlib import Path

import polars as pl
from readback import (
    activity,
    agents,
    first_responses,
    messages,
    shifts,
    surveys,
    tickets,
    trainings,
)

from sample_data import effects as fx

CRASH_DAYS = [fx.CRASH_START.date() + timedelta(days=i) for i in range(fx.CRASH_DAYS)]
END = fx.PERIOD_END


def _in_crash(col: str) -> pl.Expr:
    return pl.col(col).dt.date().is_in(CRASH_DAYS)


def _geo(frame: pl.DataFrame, strata: list[str], reference: pl.Expr, by: list[str]) -> pl.DataFrame:
    """Geometric-mean FRT of each ``by`` group relative to the reference rows of its stratum."""
    logged = frame.with_columns(lf=pl.col("frt_min").log())
    base = logged.filter(reference).group_by(strata).agg(b=pl.col("lf").mean())
    rel = logged.join(base, on=strata).with_columns(rel=pl.col("lf") - pl.col("b"))
    return rel.group_by(by).agg(ratio=pl.col("rel").mean().exp(), n=pl.len())


def _ratio(table: pl.DataFrame, **where: object) -> float:
    row = table.filter(*[pl.col(k) == v for k, v in where.items()])
    return float(row["ratio"][0])


def _course(folder: Path, course: str) -> tuple[list[str], datetime]:
    done = trainings(folder).filter(pl.col("Course") == course)
    return done["Employee ID"].to_list(), done["completed_at"].max()


def training_frt(
    folder: Path, course: str = fx.TRAINING_COURSE, teams: tuple[str, ...] = fx.TRAINING_TEAMS
) -> dict[str, float]:
    """FRT after / before the course for takers and non-takers of the same teams, and their ratio."""
    takers, when = _course(folder, course)
    frt = first_responses(folder).filter(pl.col("team").is_in(teams) & ~_in_crash("start"))
    frt = frt.with_columns(took=pl.col("replier").is_in(takers), after=pl.col("start") >= when)
    table = _geo(frt, ["channel", "took"], ~pl.col("after"), ["took", "after"])
    took = _ratio(table, took=True, after=True)
    other = _ratio(table, took=False, after=True)
    return {"trained": took, "untrained": other, "did": took / other}


def training_csat(folder: Path) -> dict[str, float]:
    """Mean survey score after minus before the course, for takers and non-takers."""
    takers, when = _course(folder, fx.TRAINING_COURSE)
    t = tickets(folder).filter(pl.col("team").is_in(fx.TRAINING_TEAMS) & ~_in_crash("created_at"))
    s = surveys(folder).join(t.select("ticket_id", "agent_id", "created_at"), on="ticket_id")
    s = s.with_columns(took=pl.col("agent_id").is_in(takers), after=pl.col("created_at") >= when)
    mean = s.group_by("took", "after").agg(m=pl.col("rating").mean())

    def shift(took: bool) -> float:
        get = {row["after"]: row["m"] for row in mean.filter(pl.col("took") == took).to_dicts()}
        return get[True] - get[False]

    return {"trained": shift(True), "untrained": shift(False)}


def contacts_per_day(folder: Path) -> pl.DataFrame:
    """Tickets (not merged copies) and bot-only chats per UTC day."""
    t = tickets(folder).filter(pl.col("merged_into").is_null())
    bots = bot_chats(folder)
    days = pl.concat(
        [t.select(day=pl.col("created_at").dt.date()), bots.select(day=pl.col("start").dt.date())]
    )
    return days.group_by("day").len().sort("day")


def crash_volume(folder: Path) -> list[float]:
    """Each crash day's contacts over the median of the same weekday in the 4 weeks around it."""
    daily = contacts_per_day(folder).with_columns(wd=pl.col("day").dt.weekday())
    out = []
    for day in CRASH_DAYS:
        near = daily.filter(
            (pl.col("wd") == day.isoweekday())
            & (pl.col("day") - day).dt.total_days().abs().le(28)
            & ~pl.col("day").is_in(CRASH_DAYS)
        )
        out.append(daily.filter(pl.col("day") == day)["len"][0] / near["len"].median())
    return out


def crash_mix(folder: Path) -> float:
    """Share of crash-day tickets about security or stuck transfers."""
    t = tickets(folder).filter(_in_crash("created_at"))
    return t["category"].is_in(["security", "transfer_stuck"]).mean()


def crash_frt(folder: Path) -> list[float]:
    """FRT of zh and en tickets (24h teams) on each crash day vs the two weeks before."""
    frt = first_responses(folder).filter(pl.col("team").is_in(["zh", "en"]))
    frt = frt.with_columns(day=pl.col("start").dt.date())
    before = pl.col("day").is_between(
        CRASH_DAYS[0] - timedelta(days=14), CRASH_DAYS[0] - timedelta(days=1)
    )
    table = _geo(frt, ["channel", "priority"], before, ["day"])
    return [_ratio(table, day=d) for d in CRASH_DAYS]


def night_gap(folder: Path) -> float:
    """zh FRT for tickets created 00:00-06:00 Shanghai over the rest of the day."""
    frt = first_responses(folder).filter((pl.col("team") == "zh") & ~_in_crash("start"))
    frt = frt.with_columns(
        night=pl.col("start").dt.convert_time_zone("Asia/Shanghai").dt.hour() < fx.NIGHT_HOURS[1]
    )
    return _ratio(_geo(frt, ["channel"], ~pl.col("night"), ["night"]), night=True)


def zh_night_staffing(folder: Path) -> set[int]:
    """How many zh agents are on shift at 03:00 Shanghai, over every night of the period."""
    zh_agents = agents(folder).filter(pl.col("Team") == "Support - Chinese")["Agent ID"]
    s = shifts(folder).filter(pl.col("Agent ID").is_in(zh_agents.implode()))
    counts = set()
    for day in range(0, (END - fx.PERIOD_START).days):
        probe = datetime(2026, 5, 1, 19, tzinfo=fx.PERIOD_START.tzinfo) + timedelta(
            days=day
        )  # 03:00 UTC+8
        counts.add(
            s.filter((pl.col("Shift start") <= probe) & (pl.col("Shift end") > probe)).height
        )
    return counts


def retention(folder: Path) -> dict[bool, float]:
    """Share of ticket contacts whose customer is active in days 1-30 after, by bad experience."""
    t = tickets(folder).filter(pl.col("merged_into").is_null())
    later = t.select("customer_id", "category", c2="created_at")
    repeat = t.join(later, on=["customer_id", "category"]).filter(
        (pl.col("c2") > pl.col("created_at"))
        & (pl.col("c2") <= pl.col("created_at") + pl.duration(days=7))
    )["ticket_id"]
    x = t.join(surveys(folder).select("ticket_id", "rating"), on="ticket_id", how="left")
    fcr = (
        pl.col("status").is_in(["solved", "closed"])
        & (pl.col("reopens") == 0)
        & ~pl.col("ticket_id").is_in(repeat.implode())
    )
    x = x.with_columns(
        bad=~fcr | (pl.col("rating") <= 2).fill_null(False), day=pl.col("created_at").dt.date()
    )
    x = x.filter(pl.col("day") < date(2026, 10, 1))  # the whole 30-day window lies in the period
    act = activity(folder).select(customer_id="user_id", d="event_date")
    hits = x.select("ticket_id", "customer_id", "day", "bad").join(
        act, on="customer_id", how="left"
    )
    hits = hits.with_columns(
        hit=(pl.col("d") > pl.col("day")) & (pl.col("d") <= pl.col("day") + pl.duration(days=30))
    )
    per = hits.group_by("ticket_id", "bad").agg(active=pl.col("hit").any())
    return {
        row["bad"]: row["active"]
        for row in per.group_by("bad").agg(pl.col("active").mean()).to_dicts()
    }


def bot_chats(folder: Path) -> pl.DataFrame:
    """Conversations that belong to no ticket: the chats the bot closed alone."""
    known = tickets(folder)["ticket_id"].implode()
    msgs = messages(folder).filter(~pl.col("conversation_id").is_in(known))
    return msgs.group_by("conversation_id").agg(
        start=pl.col("sent_at").min(),
        customer=pl.col("sender_id").filter(pl.col("sender_type") == "customer").first(),
        agents=(pl.col("sender_type") == "agent").sum(),
    )


def bot_rates(folder: Path) -> dict[str, float]:
    """Bot-only share of in-app chats, and the share of their customers back within 7 days."""
    bots = bot_chats(folder)
    t = tickets(folder)
    handed_over = t.filter(pl.col("via_bot")).height
    window = bots.filter(pl.col("start") < END - timedelta(days=fx.FCR_WINDOW_DAYS))
    back = window.join(
        t.select("customer_id", "created_at"), left_on="customer", right_on="customer_id"
    ).filter(
        (pl.col("created_at") > pl.col("start"))
        & (pl.col("created_at") <= pl.col("start") + pl.duration(days=7))
    )
    return {
        "resolved_share": bots.height / (bots.height + handed_over),
        "false_share": back["conversation_id"].n_unique() / window.height,
        "agent_messages": float(bots["agents"].sum()),
    }


def security(folder: Path) -> dict[str, float]:
    """Share of security tickets escalated, and escalated after the 1-hour target."""
    sec = tickets(folder).filter(
        (pl.col("category") == "security")
        & pl.col("merged_into").is_null()
        & (pl.col("created_at") < END - timedelta(days=1))
    )
    minutes = (pl.col("escalated_at") - pl.col("created_at")).dt.total_minutes()
    return {
        "escalated": sec["escalated_at"].is_not_null().mean(),
        "late": sec.select((minutes > fx.SECURITY_TARGET_MINUTES).mean()).item(),
    }


def reopen_rates(folder: Path, team: str = fx.REOPEN_AGENT_TEAM) -> pl.DataFrame:
    """Per agent of ``team``: share of its solved tickets reopened at least once."""
    solved = tickets(folder).filter(
        pl.col("status").is_in(["solved", "closed"])
        & (pl.col("team") == team)
        & pl.col("agent_id").is_not_null()
    )
    return solved.group_by("agent_id").agg(rate=(pl.col("reopens") > 0).mean()).sort("rate")


def agent_extremes(folder: Path) -> dict[str, str]:
    """The agent with the lowest median FRT and the one with the lowest CSAT (share of 4-5)."""
    frt = first_responses(folder).group_by("replier").agg(m=pl.col("frt_min").median()).sort("m")
    s = surveys(folder).join(tickets(folder).select("ticket_id", "agent_id"), on="ticket_id")
    csat = s.group_by("agent_id").agg(c=(pl.col("rating") >= 4).mean()).sort("c")
    return {"fastest": frt["replier"][0], "lowest_csat": csat["agent_id"][0]}


def log_ratio(value: float, target: float) -> float:
    """Distance of a ratio from its target on the log scale."""
    return abs(math.log(value / target))
