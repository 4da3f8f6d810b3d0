"""The scorecard's figures: what each is, which way is better, and how to get it per agent.

Every figure is computed by the metric function that defines it (FRT in
``metrics.response.first_response``, resolution rates in ``metrics.response.resolution``,
CSAT, sentiment), broken down by agent, so one definition serves the agent and the team.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from metrics.agents.periods import (
    agent_frames,
    agent_quality_samples,
    agent_samples,
    contacts_handled,
)
from metrics.agents.tone import agent_tone
from metrics.core.compare import CONTEXT, HIGHER, LOWER
from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.filters import Filters
from metrics.core.settings import Settings
from metrics.quality.coverage_rows import scored_categories
from metrics.quality.scores import agent_quality_scores, scorecard_quality
from metrics.response import first_response as response
from metrics.response import resolution
from metrics.voice.csat import attributed_where, attribution_expr, csat
from metrics.voice.sentiment import sentiment_totals

# Per-agent frame: columns agent, value, n, hits (hits null for figures that are not rates).
PerAgent = Callable[["Calls", Filters], pl.DataFrame]


@dataclass
class Calls:
    """The metric calls of one scorecard, by agent: each metric frame is computed once per
    call and period (CSAT share and mean come from one csat() frame; one-touch from the
    fcr_rate() frame, which carries the one_touch_rate figures beside FCR). ``prefetch``
    computes every frame of several periods at once (``metrics.agents.periods``)."""

    wh: Warehouse
    settings: Settings
    attribution: str
    frames: dict[tuple[str, Filters], pl.DataFrame] = field(default_factory=dict)
    scores: dict[tuple[str, Filters], list[float]] = field(default_factory=dict)

    def by_agent(self, fn: Callable[..., pl.DataFrame], filters: Filters) -> pl.DataFrame:
        """``fn(..., by="agent")`` over ``filters``, computed on first use in this call."""
        key = (fn.__name__, filters)
        if key not in self.frames:
            options = {"attribution": self.attribution} if fn is csat else {}
            self.frames[key] = fn(self.wh, self.settings, filters, by="agent", **options)
        return self.frames[key]

    def samples(self, filters: Filters, agent: str) -> pl.DataFrame:
        """The agent's per-contact values over ``filters`` (for intervals of medians and
        means): frt, frt_business, first_resolution_time and csat_mean (the attributed
        score), one row per contact, null where a contact has none."""
        key = (f"samples:{agent}", filters)
        if key not in self.frames:
            self.frames[key] = _samples(self, filters, agent)
        return self.frames[key]

    def quality_scores(self, filters: Filters, agent: str) -> list[float]:
        """The automatic review score of each of the agent's reviewed contacts."""
        key = (agent, filters)
        if key not in self.scores:
            self.scores[key] = agent_quality_scores(self.wh, self.settings, filters, agent)
        return self.scores[key]

    def prefetch(
        self, periods: list[Filters], agent: str, peers: list[str],
        run: Callable[[Callable[[], Any]], Any] = lambda build: build(),
    ) -> None:  # fmt: skip
        """Every figure's frame with the rows of ``agent`` and ``peers``, the agent's
        samples and review scores over each of ``periods`` (filters differing only in their
        dates) in six queries; ``run`` starts each (e.g. a thread pool's submit). Later
        ``by_agent`` calls for those periods read these frames: they hold no other agent."""
        wh, settings, agents = self.wh, self.settings, [agent, *peers]
        samples = run(lambda: agent_samples(wh, settings, periods, agent, self.attribution))
        scores = run(lambda: agent_quality_samples(wh, settings, periods, agent))
        self.frames |= agent_frames(wh, settings, periods, self.attribution, agents, run)
        for period, frame in _result(samples).items():
            self.frames[f"samples:{agent}", period] = frame
        for period, values in _result(scores).items():
            self.scores[agent, period] = values


def _result(started: Any) -> Any:
    return started.result() if hasattr(started, "result") else started


SAMPLES_SQL = """
    SELECT c.frt_minutes AS frt, c.frt_business_minutes AS frt_business,
        c.first_resolution_minutes AS first_resolution_time, NULL::DOUBLE AS csat_mean
    FROM {table} AS c WHERE {where} AND c.agent_id = $agent
    UNION ALL
    SELECT NULL, NULL, NULL, c.csat_score::DOUBLE FROM {table} AS c
    WHERE {rated} AND {agent_expr} = $agent AND c.csat_score IS NOT NULL
"""


def _samples(calls: Calls, filters: Filters, agent: str) -> pl.DataFrame:
    settings = calls.settings
    where, params = filters.where(settings.reporting_timezone)
    rated, rated_params = attributed_where(settings, filters, calls.attribution)
    table = contacts_table(calls.wh, settings)
    sql = SAMPLES_SQL.format(
        table=table, where=where, rated=rated, agent_expr=attribution_expr(calls.attribution)
    )
    return calls.wh.query(sql, {**params, **rated_params, "agent": agent})


@dataclass(frozen=True)
class Figure:
    """One scorecard row: what it is, which way is better, how to get it per agent, the
    metric whose availability and settling rules it follows, and what its interval is."""

    name: str
    label: str
    unit: str
    direction: str
    per_agent: PerAgent
    metric: str
    interval: str  # "wilson" (rates), "median" (durations), "mean" (scores),
    # "quality" (mean of the automatic review scores), "none"
    counts: bool = False  # a count: an agent without rows has 0, not "no value"

    @property
    def is_rate(self) -> bool:
        return self.interval == "wilson"


def _duration(fn: Callable[..., pl.DataFrame]) -> PerAgent:
    def per_agent(calls: Calls, filters: Filters) -> pl.DataFrame:
        frame = calls.by_agent(fn, filters)
        return frame.select("agent", value="median", n="n", hits=pl.lit(None, pl.Int64))

    return per_agent


def _rate(fn: Callable[..., pl.DataFrame]) -> PerAgent:
    def per_agent(calls: Calls, filters: Filters) -> pl.DataFrame:
        return calls.by_agent(fn, filters).select("agent", "value", "n", "hits")

    return per_agent


def _one_touch(calls: Calls, filters: Filters) -> pl.DataFrame:
    frame = calls.by_agent(resolution.fcr_rate, filters)
    return frame.select("agent", value="one_touch_value", n="one_touch_n", hits="one_touch_hits")


def _csat_share(calls: Calls, filters: Filters) -> pl.DataFrame:
    return calls.by_agent(csat, filters).select("agent", "value", "n", hits="satisfied")


def _csat_mean(calls: Calls, filters: Filters) -> pl.DataFrame:
    frame = calls.by_agent(csat, filters)
    return frame.select("agent", value="mean", n="n", hits=pl.lit(None, pl.Int64))


def _negative_share(calls: Calls, filters: Filters) -> pl.DataFrame:
    frame = calls.by_agent(sentiment_totals, filters)
    return frame.select("agent", value="negative_share", n="n", hits="negative")


def _negative_tone(calls: Calls, filters: Filters) -> pl.DataFrame:
    frame = calls.by_agent(agent_tone, filters)
    return frame.select("agent", value="negative_share", n="n", hits="negative")


def _handled(calls: Calls, filters: Filters) -> pl.DataFrame:
    frame = calls.by_agent(contacts_handled, filters)
    return frame.select(
        "agent", value=pl.col("n").cast(pl.Float64), n="n", hits=pl.lit(None, pl.Int64)
    )


FIGURES: tuple[Figure, ...] = (
    Figure("frt", "First response time (median)", "minutes", LOWER,
           _duration(response.first_response_time), "frt", "median"),
    Figure("frt_business", "First response time, business hours (median)", "minutes", LOWER,
           _duration(response.first_response_time_business), "frt_business", "median"),
    Figure("first_resolution_time", "First resolution time (median)", "minutes", LOWER,
           _duration(resolution.first_resolution_time), "first_resolution_time", "median"),
    Figure("one_touch_rate", "One-touch resolution rate", "share", HIGHER, _one_touch,
           "one_touch_rate", "wilson"),
    Figure("reopen_rate", "Reopen rate", "share", LOWER, _rate(resolution.reopen_rate),
           "reopen_rate", "wilson"),
    Figure("fcr_rate", "First-contact resolution rate", "share", HIGHER,
           _rate(resolution.fcr_rate), "fcr_rate", "wilson"),
    Figure("csat", "CSAT (share of 4-5)", "share", HIGHER, _csat_share, "csat", "wilson"),
    Figure("csat_mean", "CSAT mean score", "score 1-5", HIGHER, _csat_mean, "csat", "mean"),
    Figure("negative_sentiment_share", "Negative customer messages", "share", LOWER,
           _negative_share, "sentiment", "wilson"),
    Figure("negative_tone_share", "Negative tone in own messages", "share", LOWER,
           _negative_tone, "agent_tone", "wilson"),
    Figure("sla_attainment", "SLA attainment", "share", HIGHER,
           _rate(resolution.sla_attainment), "sla_attainment", "wilson"),
    Figure("tickets_handled", "Contacts handled", "contacts", CONTEXT, _handled, "contacts",
           "none", True),
)  # fmt: skip


def _quality_score(calls: Calls, filters: Filters) -> pl.DataFrame:
    frame = calls.by_agent(scorecard_quality, filters)
    return frame.select("agent", value="score", n="n", hits=pl.lit(None, pl.Int64))


def _quality_category(category: str) -> PerAgent:
    def per_agent(calls: Calls, filters: Filters) -> pl.DataFrame:
        frame = calls.by_agent(scorecard_quality, filters)
        hits, n = pl.col(f"hits_{category}"), pl.col(f"n_{category}")
        value = pl.when(n > 0).then(hits / n)
        return frame.filter(n > 0).select("agent", value=value, n=n, hits=hits)

    return per_agent


def quality_figures(settings: Settings) -> tuple[Figure, ...]:
    """The quality review's rows of the scorecard: the automatic score and the pass rate of
    each rubric category the scorer judges (docs/qa.md); same verdict rule as every figure."""
    rows = [Figure("qa_score", "Quality score (automatic review)", "share", HIGHER,
                   _quality_score, "qa_auto_score", "quality")]  # fmt: skip
    for category in settings.quality.categories:
        if category.name in scored_categories():
            rows.append(Figure(f"qa_{category.name}", f"Quality: {category.label}", "share",
                               HIGHER, _quality_category(category.name), "qa_category_scores",
                               "wilson"))  # fmt: skip
    return tuple(rows)


def figures_of(settings: Settings) -> tuple[Figure, ...]:
    """Every scorecard figure under ``settings``: the fixed ones and the quality review's."""
    return FIGURES + quality_figures(settings)
