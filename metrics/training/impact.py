"""Training impact: did a course change the trained agents' KPIs, against agents not yet trained?

Per course, agents form cohorts by completion day (their first completion of the course, a
day in the reporting time zone). For a cohort on day d and a window of W days: *before* =
days d-W .. d-1, *after* = days d+1 .. d+W (the completion day mixes both and is left out),
*pre* = days d-2W .. d-W-1 (pre-trend check). The trained side is the cohort's agents; the
control side is every agent with a contact in those windows and no completion of the course
on or before d+W: agents trained later are controls until then, agents trained earlier or
inside the after window are left out. Staggered completion days are separate cohorts,
stacked (each cohort x stratum is one unit of ``metrics.training.stats``).

A contact counts for its agent (the ticket's agent, else the first replier). The filters'
date range cuts the windows like any other contact filter.

Estimators. FRT is compared as the mean of log minutes (a geometric mean): the long tail
of slow e-mails cannot swamp it as it does a mean, a change in speed is a ratio ("-25%")
that is the same in every stratum, and stratum means of logs average exactly, which
medians do not. CSAT is the mean score (a course moves scores, not only the 4-5 share),
FCR the rate among solved tickets with a known outcome, sentiment the mean of per-contact
means (scored contacts only, never a neutral 0). Ticket mix: stratified cell means rather
than a regression, so the printed levels reconcile with the DiD and a stratum without
comparison is visible (``unmatched``); mix="channel_language" or coarser trades mix
control for data when strata are sparse. The interval resamples agents, the unit that
was trained, within side and team (``metrics.training.stats``).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import polars as pl

from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.filters import Filters
from metrics.core.metric import metric
from metrics.core.settings import Settings
from metrics.quality.outcome import outcome_label, quality_contacts_table
from metrics.training.sql import (
    CELLS_SQL,
    COMPLETIONS_SQL,
    METHODS_SQL,
    TRAINED_WINDOWS_SQL,
    WINDOWS_SQL,
)
from metrics.training.stats import (
    AFTER,
    AGENT_SCHEMA,
    BEFORE,
    IMPACT_SCHEMA,
    before_after,
    bootstrap_weights,
    comparison,
    course_cells,
    draw_sums,
)
from metrics.voice.followup_facts import customer_counts_table
from metrics.voice.sentiment import UNSPECIFIED_METHOD

# Ticket-mix strata: the option value and the contact columns whose values make a stratum
# (joined by "|", a missing value as "-"; a fixed list).
MIX: dict[str, tuple[str, ...]] = {
    "category_channel_language": ("category", "channel", "language"),
    "channel_language": ("channel", "language"),
    "language": ("language",),
    "none": (),
}
FRT_FLOOR_MINUTES = 0.1  # an instant reply would be log(0): FRT counts as at least 6 seconds
MAX_DRAWS = 10_000  # memory grows with draws x strata; more adds nothing to a 95% interval


@dataclass(frozen=True)
class Kpi:
    """One KPI: the contact column, the SQL value summed, its scale, unit and estimator."""

    name: str
    column: str
    value: str
    log_scale: bool
    unit: str
    estimator: str


KPIS: tuple[Kpi, ...] = (
    Kpi("frt", "c.frt_minutes", "ln(greatest(c.frt_minutes, $frt_floor))", True, "minutes",
        "geometric mean FRT (mean of log minutes)"),
    Kpi("fcr", "c.fcr", "CAST(c.fcr AS INTEGER)", False, "share", "FCR rate"),
    Kpi("csat", "c.csat_score", "CAST(c.csat_score AS DOUBLE)", False, "score 1-5", "mean score"),
    Kpi("sentiment", "c.sentiment_mean", "c.sentiment_mean", False, "score -1..1",
        "mean per-contact customer sentiment"),
)  # fmt: skip


def kpis_for(settings: Settings, quality: str = "") -> tuple[Kpi, ...]:
    """The KPIs compared: the fixed four, plus a quality outcome when ``quality`` names one
    ("score" or a rubric category: metrics.quality.outcome)."""
    if not quality:
        return KPIS
    label = outcome_label(settings, quality)
    return (*KPIS, Kpi("quality", "c.qa_value", "c.qa_value", False, "share", label))


def _check(window_days: int, min_tickets: int = 1, draws: int = 0) -> None:
    for name, value, least, most in (
        ("window_days", window_days, 1, 366), ("min_tickets", min_tickets, 1, 10**6),
        ("draws", draws, 0, MAX_DRAWS),
    ):  # fmt: skip
        if not least <= value <= most:
            raise ValueError(f"{name} must be between {least} and {most} (got {value})")


def _windowed(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    course: str | None,
    window_days: int,
    quality: str = "",
    trained_reach: int | None = None,
    table: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """The WITH clause of the windows and its parameters; with ``trained_reach`` (days
    before the completion day) the trained side's rows only (``TRAINED_WINDOWS_SQL``).
    ``table``: rows with the contact fact's filter columns, agent_id and created_day to
    window instead of the contacts (default: the contact fact, with the quality outcome)."""
    if table is None:
        table = (
            quality_contacts_table(wh, settings, quality)
            if quality
            else contacts_table(wh, settings)
        )
    where, params = filters.where(settings.reporting_timezone)
    params |= {"timezone": settings.reporting_timezone, "course": course, "window": window_days}
    if trained_reach is None:
        return WINDOWS_SQL.format(table=table, where=where), params
    return TRAINED_WINDOWS_SQL.format(table=table, where=where), params | {"reach": trained_reach}


def cells_frame(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    course: str | None,
    window_days: int,
    mix: str,
    quality: str = "",
    trained_reach: int | None = None,
) -> pl.DataFrame:
    """Contacts and KPI counts/sums per course, cohort, agent, team, side, period, stratum
    (rows in no particular order: their consumers sort or sum them); with ``trained_reach``
    only the trained side's rows, from that many days before the completion day. Grouped by
    the stratum's columns, then joined: values containing "|" can give two rows one key
    (their consumers sum them)."""
    if mix not in MIX:
        raise ValueError(f"unknown mix {mix!r}; expected one of: {', '.join(MIX)}")
    windows, params = _windowed(wh, settings, filters, course, window_days, quality, trained_reach)
    kpis = kpis_for(settings, quality)
    aggregates = "".join(
        f", count({k.column}) AS n_{k.name}, CAST(sum({k.value}) AS DOUBLE) AS s_{k.name}"
        for k in kpis
    )
    sql = windows + CELLS_SQL.format(
        keys="".join(f", c.{column}" for column in MIX[mix]),
        aggregates=aggregates,
        stratum=_stratum(MIX[mix]),
        sums="".join(f", n_{k.name}, s_{k.name}" for k in kpis),
    )
    return wh.query(sql, params | {"frt_floor": FRT_FLOOR_MINUTES})


def _stratum(columns: tuple[str, ...]) -> str:
    """SQL of the stratum over the grouped cells ``c``: its columns' values joined by "|"."""
    if not columns:
        return "'all'"
    values = [f"coalesce(c.{column}, '-')" for column in columns]
    return values[0] if len(values) == 1 else f"concat_ws('|', {', '.join(values)})"


@metric(
    "training_impact",
    label="Training impact",
    unit="KPI change (minutes, share, score points) and %",
    family="training",
    definition=(
        "Difference-in-differences per course and KPI: (trained after - trained before) - "
        "(control after - control before) over the same calendar windows, window_days before "
        "and after the completion day (left out). Controls: agents with no completion of the "
        "course on or before the after window's end. Ticket mix: within each stratum (mix, "
        "default category x channel x language) the DiD of cell means, weighted by the trained "
        "side's contacts after. KPIs: FRT as a geometric mean (mean of log minutes, so "
        "relative_pct = exp(DiD) - 1), FCR rate, mean CSAT score, mean per-contact customer "
        "sentiment; with the option quality (score or a rubric category) the quality review's "
        "score or the category's pass rate besides. 95% percentile bootstrap interval resampling agents within side and team "
        "(draws, fixed seed). Pre-trend: the same DiD over the two windows before the course, "
        "flagged when its interval excludes zero."
    ),
    variant=(
        "stratified DiD weighted by the trained side's after-window contacts; staggered "
        "completion days as stacked cohorts; agent bootstrap"
    ),
    exclusions=(
        "fewer than min_tickets (default 30) contacts with the KPI on a side: status 'not "
        "enough data' and no figures; strata lacking one of the four cells (unmatched); the "
        "completion day; contacts without an agent; merged duplicates; agents trained before "
        "the cohort or inside its after window"
    ),
    options={"mix": tuple(MIX)},
)
def training_impact(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    course: str | None = None,
    window_days: int = 28,
    mix: str = "category_channel_language",
    draws: int = 1000,
    seed: int = 7,
    min_tickets: int = 30,
    quality: str = "",
) -> pl.DataFrame:
    """One row per course (every course, or ``course``) and KPI (frt, fcr, csat, sentiment;
    plus "quality" when ``quality`` names an outcome: "score" or a rubric category).

    Levels and ``absolute`` are in the KPI's unit (FRT: geometric-mean minutes, FCR: share,
    CSAT: score, sentiment: score), mix-adjusted to the trained side's after-window contacts;
    ``relative_pct`` is the change against the counterfactual (trained after, had it moved
    like the controls), in %. n_* count the contacts with the KPI used on each side,
    ``unmatched`` those of the two windows in strata lacking a cell.
    """
    _check(window_days, min_tickets, draws)
    kpis = kpis_for(settings, quality)
    # The scoring methods' query runs beside the cells and the bootstrap (DuckDB and the
    # matrix products release the GIL): the page waits for the longer of the two only.
    with ThreadPoolExecutor(max_workers=1) as pool:
        scored = pool.submit(_sentiment_methods, wh, settings, filters, course, window_days)
        frame = cells_frame(wh, settings, filters, course, window_days, mix, quality)
        rows = _impact_rows(frame, draws, seed, min_tickets, kpis)
        methods = dict(scored.result().iter_rows())
    for row in rows:
        if row["kpi"] == "sentiment":
            row["estimator"] += f" ({methods.get(row['course'], 'no scored messages')})"
    return pl.DataFrame(rows, schema=IMPACT_SCHEMA)


def _impact_rows(
    frame: pl.DataFrame, draws: int, seed: int, min_tickets: int, kpis: tuple[Kpi, ...] = KPIS
) -> list[dict[str, Any]]:
    """One row per course and KPI from the cell table: the comparison's fields."""
    rows = []
    for name in sorted(frame["course"].unique().to_list()):
        part = frame.filter(pl.col("course") == name)
        cells = course_cells(part, [k.name for k in kpis])
        weights = bootstrap_weights(cells.groups, draws, seed)
        n, s = draw_sums(cells, weights)
        described = {
            "course": name,
            "cohorts": part["cohort"].n_unique(),
            "trained_agents": cells.side_agents[1],
            "control_agents": cells.side_agents[0],
        }
        for k, kpi in enumerate(kpis):
            figures = comparison(n[k], s[k], kpi.log_scale, min_tickets, cells.in_windows[k])
            rows.append({"kpi": kpi.name, "unit": kpi.unit, "estimator": kpi.estimator})
            rows[-1] |= described | figures
    return rows


def _sentiment_methods(
    wh: Warehouse, settings: Settings, filters: Filters, course: str | None, window_days: int
) -> pl.DataFrame:
    """Per course: the scoring methods of the trained side's scored customer messages (in
    its pre, before and after windows). Read off the customer message counts per contact
    and method, stored with the contact's columns in creation order: the windows' days
    skip most of it, and the join is on the few completing agents, not on the trained
    contacts' conversation ids against every conversation's methods."""
    windows, params = _windowed(
        wh, settings, filters, course, window_days, trained_reach=2 * window_days,
        table=customer_counts_table(wh, settings),
    )  # fmt: skip
    return wh.query(windows + METHODS_SQL, params | {"unspecified": UNSPECIFIED_METHOD})


@metric(
    "training_agent_before_after",
    label="Training: each agent before and after",
    unit="KPI level per window (minutes, share, score)",
    family="training",
    definition=(
        "Per trained agent and KPI: the level in the window_days before the agent's own "
        "completion day and in the window_days after it (the day itself left out), with the "
        "contacts on each side. FRT as a geometric mean in minutes, FCR as a share, CSAT as "
        "the mean score, sentiment as the mean per-contact customer sentiment. Not adjusted "
        "for ticket mix or the team's own trend: a start for the trainer's conversation, not "
        "an effect estimate (training_impact is)."
    ),
    variant="the agent's first completion of the course; small_sample below settings' size",
    exclusions="contacts without the KPI, the completion day, merged duplicates",
)
def training_agent_before_after(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    course: str | None = None,
    window_days: int = 28,
    quality: str = "",
) -> pl.DataFrame:
    """One row per course, trained agent and KPI (and the quality outcome, see
    training_impact): n_before, before, n_after, after, change
    (after - before, KPI unit), change_pct, small_sample (a side below settings'
    small_sample; figures shown anyway). Agents without contacts are listed with n 0. The
    agent and team filters choose the agents listed; every filter restricts the contacts."""
    _check(window_days)
    kpis = kpis_for(settings, quality)
    # the trained side's before and after windows: the only cells read below
    cells = cells_frame(
        wh, settings, filters, course, window_days, "none", quality, trained_reach=window_days
    )
    params = {"timezone": settings.reporting_timezone, "course": course}
    completions = wh.query(
        COMPLETIONS_SQL, params | {"agents": list(filters.agent), "teams": list(filters.team)}
    )
    own = cells.filter(pl.col("trained") & pl.col("period").is_in([BEFORE, AFTER]))
    sums = own.group_by("course", "agent_id", "period").agg(
        pl.col(f"{p}_{k.name}").sum() for k in kpis for p in ("n", "s")
    )
    lookup = {(r["course"], r["agent_id"], r["period"]): r for r in sums.iter_rows(named=True)}
    rows = [
        done
        | {"kpi": k.name, "unit": k.unit}
        | before_after(
            _sums(lookup, done, k.name, BEFORE),
            _sums(lookup, done, k.name, AFTER),
            k.log_scale,
            settings.small_sample,
        )
        for done in completions.iter_rows(named=True)
        for k in kpis
    ]
    return pl.DataFrame(rows, schema=AGENT_SCHEMA)


def _sums(
    lookup: dict[tuple[Any, ...], dict[str, Any]], done: dict[str, Any], kpi: str, period: int
) -> tuple[float, float]:
    cell = lookup.get((done["course"], done["agent_id"], period), {})
    return cell.get(f"n_{kpi}") or 0, cell.get(f"s_{kpi}") or 0.0
