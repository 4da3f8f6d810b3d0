"""Every page's metric calls on the benchmark warehouse, first visit and warm.

Targets (issue 20): a page's first visit after a server start or a load under 3 s, and every
page under 0.5 s warm, whole page. The calls are those ``pages/*.py`` (and the sidebar every
page shows) make through ``dashboard.data.cached`` on first opening, with the dashboard's
default filters (the last 30 days of data, "day" trends) and its default choices (first agent,
first course, FCR split ...). They run on ``warehouse.reader.ReadOnlyWarehouse`` directly, with
the dashboard's DuckDB memory limit (``dashboard.data.DUCKDB_MEMORY``) but without Streamlit's
result cache, on the derived facts the load built (``metrics.facts``):

- *first visit*: a fresh warehouse object per page, the sidebar's calls then the page's, as in
  a server just started (or a load just swapped in) with that page opened first.
- *warm*: the page's calls again on that object (DuckDB's buffers filled), the best of
  ``repeats`` rounds of the whole page (its wall time, each call's own best beside it), the reader's remembered intermediate results (``remember``) forgotten before
  each round: what a new filter choice costs. The sidebar's calls do not depend on the filters
  (Streamlit answers them from its cache, and what they remember per file version, such as
  the settling lags, stays remembered in the server), so after forgetting they run again,
  untimed.

A call the page starts on a thread and shows later (the Overview's alerts,
``dashboard.background.Pending``) is labelled ``BESIDE`` and runs the same way here: the
page's time is the round's wall time, which waits for it. Its per-call warm figure is its
time alone (on its thread it also waits for the cores the other calls hold).
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from bench import dataset
from bench.page_calls import BESIDE, Call, operations_calls, quality_calls
from bench.results import record
from bench.timing import load_average, seconds, verdict
from metrics.agents import coaching, scorecard
from metrics.core import dimensions
from metrics.core.availability import availability_table
from metrics.core.filters import DIMENSIONS, Filters
from metrics.core.inputs import data_facts, table_counts
from metrics.core.provisional import settling
from metrics.core.settings import Settings, load_settings
from metrics.coverage import gaps as coverage
from metrics.coverage import staffing as coverage_staffing
from metrics.notify.commands import period_alerts
from metrics.operations import forecast, peaks, volume
from metrics.reports import data_health, fact_health, redaction_health, summary
from metrics.reports.export import export_contacts
from metrics.response import first_response as response
from metrics.response import resolution
from metrics.retention import experience as retention
from metrics.training import impact as training
from metrics.voice import csat, followup, sentiment, topics
from warehouse.facts_reader import open_reader
from warehouse.reader import ReadOnlyWarehouse

TARGET_MS = 300.0  # one call, warm (DESIGN section 7)
PAGE_WARM_MS = 500.0  # a whole page, warm (issue 20)
FIRST_VISIT_MS = 3000.0  # sidebar and page on a fresh warehouse object (issue 20)
EXPLORE_COLUMNS = (
    "source", "contact_id", "created_at", "contact_type", "channel", "language", "team",
    "agent_id", "priority", "category", "status", "frt_minutes", "first_resolution_minutes",
    "fcr", "sla_met", "csat_score", "sentiment_last",
)  # fmt: skip


@dataclass(frozen=True)
class Defaults:
    """What a first visit picks: filters, their previous period, and each page's first choice."""

    chosen: Filters
    previous: Filters
    span: tuple[Any, Any]
    agent: str
    team: str | None
    course: str | None
    quarantine: tuple[str | None, str | None]
    as_of: datetime | None
    tables: dict[str, int]


def defaults(wh: ReadOnlyWarehouse, settings: Settings) -> Defaults:
    """The default filters (last 30 days of data) and first choices, as the pages make them."""
    span = dimensions.data_span(wh, settings)
    last = span[1]
    chosen = Filters(last - timedelta(days=29), last) if last else Filters()
    agents = dimensions.dimension_values(wh, settings, "agent")
    agent = agents["value"][0] if agents.height else ""
    card = scorecard.agent_scorecard(wh, settings, chosen, agent=agent)
    everything = replace(chosen, date_from=None, date_to=None)
    done = training.training_agent_before_after(wh, settings, everything, window_days=28)
    courses = sorted(done["course"].unique().to_list()) if done.height else []
    reasons = data_health.quarantine_reasons(wh)
    first = reasons.row(0, named=True) if reasons.height else {}
    return Defaults(
        chosen,
        chosen.previous_period(),
        span,
        agent,
        card["team"][0] if card.height else None,
        courses[0] if courses else None,
        (first.get("kind"), first.get("reason")),
        settling(wh, settings).as_of,
        table_counts(wh),
    )


def _widen(filters: Filters, days: int, span: tuple[Any, Any]) -> Filters:
    # dashboard.filters.widen: the agent trend's half year up to the period's end.
    end = filters.date_to or span[1]
    start = end - timedelta(days=days - 1)
    return replace(filters, date_from=max(start, span[0]) if span[0] else start, date_to=end)


def _sidebar(s: Settings) -> list[Call]:
    calls: list[Call] = [
        ("last_load_at", data_health.last_load_at),
        ("data_span", lambda wh: dimensions.data_span(wh, s)),
    ]
    for name in DIMENSIONS:
        calls.append((f"dimension_values {name}", lambda wh, n=name: dimensions.dimension_values(wh, s, n)))  # fmt: skip
    # dashboard.availability and dashboard.periods: once per warehouse version, whatever the page
    calls.append(("table_counts", table_counts))
    calls.append(("settling", lambda wh: settling(wh, s)))
    return calls


def _gates(s: Settings, f: Filters, tables: dict[str, int]) -> Call:
    # Every section's availability.gate: the contact counts for these filters (Streamlit caches
    # them per filter choice, so the first page opened with new filters pays them; the
    # warehouse-wide table counts are the sidebar's, cached once per warehouse version).
    return ("availability data_facts", lambda wh: data_facts(wh, s, f, tables=tables))


def page_calls(s: Settings, d: Defaults, folder: Path) -> dict[str, list[Call]]:
    """Per page, its metric calls in the order the page makes them."""
    f, p = d.chosen, d.previous
    everything = replace(f, date_from=None, date_to=None)
    trend = _widen(f, 182, d.span)
    team_trend = replace(trend, agent=(), team=(d.team,)) if d.team else None
    gate = _gates(s, f, d.tables)
    return {
        "sidebar (every page)": _sidebar(s),
        "Overview": [
            (f"period_alerts{BESIDE}", lambda wh: period_alerts(wh, s, f)),
            gate,
            ("summary.headline", lambda wh: summary.headline(wh, s, f)),
            ("summary.headline previous period", lambda wh: summary.headline(wh, s, p)),
            ("contact_volume by day", lambda wh: volume.contact_volume(wh, s, f, by="day")),
            ("first_response_time by day", lambda wh: response.first_response_time(wh, s, f, by="day")),
            ("sla_attainment by priority", lambda wh: resolution.sla_attainment(wh, s, f, by="priority")),
            ("coverage_by_hour", lambda wh: coverage.coverage_by_hour(wh, s, f)),
        ],
        "Agent scorecards": [
            _gates(s, f, d.tables),  # everyone: the default filters name no agent
            ("agent_scorecard", lambda wh: scorecard.agent_scorecard(wh, s, f, agent=d.agent)),
            ("agent_trainings", lambda wh: dimensions.agent_trainings(wh, s, d.agent)),
            ("agent FRT by week", lambda wh: response.first_response_time(wh, s, replace(trend, agent=(d.agent,)), by="week")),
            ("team FRT by week", lambda wh: response.first_response_time(wh, s, team_trend or trend, by="week")),
            ("coaching_examples", lambda wh: coaching.coaching_examples(wh, s, f, d.agent, 5)),
        ],
        "Training impact": [
            _gates(s, everything, d.tables),
            ("training_agent_before_after", lambda wh: training.training_agent_before_after(wh, s, everything, window_days=28)),
            ("training_impact", lambda wh: training.training_impact(wh, s, everything, course=d.course, window_days=28, min_tickets=30)),
        ],
        "Quality review": [gate, *quality_calls(s, f)],
        "Customer voice": [
            ("contact_count", lambda wh: volume.contact_count(wh, s, f)),
            gate,
            (f"negative_topics{BESIDE}", lambda wh: topics.negative_topics(wh, s, f, min_texts=50)),
            ("csat", lambda wh: csat.csat(wh, s, f, attribution="assignee")),
            ("csat previous period", lambda wh: csat.csat(wh, s, p, attribution="assignee")),
            ("csat by day", lambda wh: csat.csat(wh, s, f, by="day", attribution="assignee")),
            ("csat by agent", lambda wh: csat.csat(wh, s, f, by="agent", attribution="assignee")),
            ("sentiment per method", lambda wh: sentiment.sentiment(wh, s, f)),
            ("sentiment by language", lambda wh: sentiment.sentiment(wh, s, f, by="language", per_method=False)),
            ("sentiment by language per method", lambda wh: sentiment.sentiment(wh, s, f, by="language")),
            ("sentiment_change", lambda wh: sentiment.sentiment_change(wh, s, f)),
            ("negative_followup", lambda wh: followup.negative_followup(wh, s, f)),
            ("negative_followup by language", lambda wh: followup.negative_followup(wh, s, f, by="language")),
            ("negative_unfollowed", lambda wh: followup.negative_unfollowed(wh, s, f, limit=100)),
            # the topics' section is drawn last (in its place): it waits for the thread's models
            ("negative_topics per week", lambda wh: topics.negative_topics(wh, s, f, min_texts=50, per="week")),
        ],
        "Retention": [
            ("contact_count", lambda wh: volume.contact_count(wh, s, f)),
            gate,
            ("retention", lambda wh: retention.retention(wh, s, f, split="fcr")),
            ("retention_gap", lambda wh: retention.retention_gap(wh, s, f, split="fcr", days_after="1-30")),
            ("retention_cohorts", lambda wh: retention.retention_cohorts(wh, s, f)),
        ],
        "Coverage and staffing": [
            ("contact_count", lambda wh: volume.contact_count(wh, s, f)),
            gate,
            ("coverage_by_hour", lambda wh: coverage.coverage_by_hour(wh, s, f)),
            ("staffing_by_hour", lambda wh: coverage_staffing.staffing_by_hour(wh, s, f, aht_minutes=0.0)),
            ("staffing_by_hour gaps", lambda wh: coverage_staffing.staffing_by_hour(wh, s, f, view="gaps", aht_minutes=0.0)),
            ("after_hours", lambda wh: coverage.after_hours(wh, s, f)),
            ("language_gaps", lambda wh: coverage.language_gaps(wh, s, f, slot="all")),
            ("peak_days days", lambda wh: peaks.peak_days(wh, s, f, view="days")),
            ("peak_days", lambda wh: peaks.peak_days(wh, s, f)),
            ("volume_forecast", lambda wh: forecast.volume_forecast(wh, s, f)),
            ("volume_forecast backtest", lambda wh: forecast.volume_forecast(wh, s, f, view="backtest")),
        ],
        **operations_calls(s, f, d.as_of, gate),
        "Explore and export": [
            ("contact_count", lambda wh: volume.contact_count(wh, s, f)),
            ("contact_count search ''", lambda wh: volume.contact_count(wh, s, f, "")),
            ("contact_page (export head, 500 rows)", lambda wh: volume.contact_page(wh, s, f, "", EXPLORE_COLUMNS, 500, 0)),
            ("export_contacts parquet (on click)", lambda wh: export_contacts(wh, s, f, folder / "contacts.parquet")),
        ],
        "Data health": [
            ("schema_version", data_health.schema_version),
            ("redaction_status", redaction_health.redaction_status),
            ("table_freshness", lambda wh: data_health.table_freshness(wh, now=datetime.now(UTC).replace(second=0, microsecond=0))),
            ("load_totals", data_health.load_totals),
            ("load_runs", lambda wh: data_health.load_runs(wh, limit=200)),
            ("quarantine_reasons", data_health.quarantine_reasons),
            ("quarantine_examples", lambda wh: data_health.quarantine_examples(wh, kind=d.quarantine[0], reason=d.quarantine[1])),
            ("scoring_methods", data_health.scoring_methods),
            ("availability_table", lambda wh: availability_table(wh, s, Filters())),
            ("derived_facts", lambda wh: fact_health.derived_facts(wh, s)),
        ],
    }  # fmt: skip


def _open(db: Path) -> ReadOnlyWarehouse:
    """The warehouse as the dashboard opens it (same DuckDB memory limit): a warehouse file,
    or a folder of prebuilt facts and its lake (``bench.facts_pages``)."""
    from dashboard.data import DUCKDB_MEMORY  # imports streamlit: one "no runtime" warning

    return open_reader(db, memory_limit=DUCKDB_MEMORY)


def _round(wh: ReadOnlyWarehouse, calls: list[Call]) -> tuple[float, dict[str, float], float]:
    """One pass over a page's shown calls as the page makes them: a call labelled ``BESIDE``
    starts on a thread where it stands and the page waits for it at its end
    (``dashboard.background.Pending``). The round's wall ms (what the visitor waits), each
    call's own ms, and the round's CPU ms (every thread of this process)."""
    own: dict[str, float] = {}
    threads: list[threading.Thread] = []

    def timed(label: str, fn: Callable[[ReadOnlyWarehouse], Any]) -> None:
        own[label] = 1000 * seconds(lambda: fn(wh))

    started, started_cpu = time.perf_counter(), time.process_time()
    for label, fn in calls:
        if label.endswith(BESIDE):
            threads.append(threading.Thread(target=timed, args=(label, fn)))
            threads[-1].start()
        elif "on click" not in label:
            timed(label, fn)
    for thread in threads:
        thread.join()
    wall = 1000 * (time.perf_counter() - started)
    return wall, own, 1000 * (time.process_time() - started_cpu)


def _measure(db: Path, sidebar: list[Call], calls: list[Call], repeats: int) -> PageTiming:
    """First visit (sidebar and page on a fresh object), per call (label, cold ms, best warm
    ms), and the page's best warm round: its wall ms and CPU ms (every thread of this
    process; on a shared machine wall time also counts the waits for a core). On-click calls
    are timed after each round, outside the page's figures."""
    wh = _open(db)
    clicks = [(label, fn) for label, fn in calls if "on click" in label]
    try:
        side = sum(1000 * seconds(lambda fn=fn: fn(wh)) for _, fn in sidebar)
        first, cold, _ = _round(wh, calls)
        cold |= {label: 1000 * seconds(lambda fn=fn: fn(wh)) for label, fn in clicks}
        warm = {label: float("inf") for label, _ in calls}
        page_ms = page_cpu = float("inf")
        for _ in range(max(1, repeats)):
            # What a new filter choice costs: nothing of the last choice is reused, but what the
            # sidebar made once per file version (settling, the warehouse counts) the server
            # still remembers, so it is made again here, untimed.
            wh.forget()
            for _, fn in sidebar:
                fn(wh)
            wall, own, cpu = _round(wh, calls)
            own |= {label: 1000 * seconds(lambda fn=fn: fn(wh)) for label, fn in clicks}
            own |= _alone(
                wh, sidebar, [(label, fn) for label, fn in calls if label.endswith(BESIDE)]
            )
            warm = {label: min(warm[label], own[label]) for label in warm}
            if wall < page_ms:
                page_ms, page_cpu = wall, cpu
    finally:
        wh.close()
    rows = [(label, cold[label], warm[label]) for label, _ in calls]
    return PageTiming(side + first, rows, page_cpu, page_ms)


def _alone(wh: ReadOnlyWarehouse, sidebar: list[Call], beside: list[Call]) -> dict[str, float]:
    """Each call a page runs on a thread, timed alone (ms): its per-call figure, since on its
    thread its time also counts the waits for a core the page's other calls hold. Made as a
    warm round's calls are: what the reader remembers forgotten, the sidebar's made again."""
    alone = {}
    for label, fn in beside:
        wh.forget()
        for _, made in sidebar:
            made(wh)
        alone[label] = 1000 * seconds(lambda fn=fn: fn(wh))
    return alone


class PageTiming(NamedTuple):
    """One page: first visit ms, (call, cold ms, best warm ms) per call, and the best warm
    round's CPU ms and wall ms (the whole page as the visitor waits for it)."""

    first_ms: float
    calls: list[tuple[str, float, float]]
    warm_cpu_ms: float
    warm_ms: float


Results = dict[str, PageTiming]


def measure_pages(db: Path, repeats: int) -> tuple[Defaults, Results]:
    """The defaults chosen, and per page (first-visit ms, [(call, cold ms, warm ms)])."""
    settings = load_settings(None)
    probe = _open(db)  # capped as the dashboard's: the growth curve's peak memory counts it
    try:
        chosen = defaults(probe, settings)
    finally:
        probe.close()
    results: Results = {}
    with tempfile.TemporaryDirectory(prefix="sqd-bench-pages-") as tmp:
        calls = page_calls(settings, chosen, Path(tmp))
        sidebar = calls.pop("sidebar (every page)")
        for page, page_calls_ in calls.items():
            results[page] = _measure(db, sidebar, page_calls_, repeats)
    return chosen, results


def page_figures(results: Results) -> dict[str, float]:
    """Each page's first visit and warm total, the slowest warm call, pages over target."""
    timed = [(page, *row) for page, timing in results.items() for row in timing.calls]
    shown = [row for row in timed if "on click" not in row[1]]
    figures: dict[str, float] = {
        "slowest_warm_ms": max(row[3] for row in shown),
        "calls_over_target": float(sum(row[3] >= TARGET_MS for row in shown)),
    }
    for page, timing in results.items():
        figures[f"{page} warm_ms"] = timing.warm_ms
        figures[f"{page} first_visit_ms"] = timing.first_ms
        figures[f"{page} warm_cpu_ms"] = timing.warm_cpu_ms
    figures["pages_over_warm_target"] = float(
        sum(figures[f"{p} warm_ms"] >= PAGE_WARM_MS for p in results)
    )
    figures["pages_over_first_visit_target"] = float(
        sum(figures[f"{p} first_visit_ms"] >= FIRST_VISIT_MS for p in results)
    )
    return figures


def run(
    scale: float = dataset.FULL_SCALE, write: bool = True, repeats: int = 3
) -> dict[str, float]:
    """First-visit and warm milliseconds per page and call; figures: each page's first visit
    and warm total, the slowest warm call, and how many pages miss a target."""
    data = dataset.ensure(scale)
    chosen, results = measure_pages(data.db, repeats)
    if write:
        record(f"Page metric calls (scale {scale:g})", _table(data, chosen, results, repeats))
    return page_figures(results)


def _table(data, chosen: Defaults, results, repeats: int) -> list[str]:
    tickets = ReadOnlyWarehouse(data.db)
    try:
        counts = tickets.query(
            "SELECT (SELECT count(*) FROM tickets) AS t, (SELECT count(*) FROM messages) AS m"
        ).row(0)
    finally:
        tickets.close()
    lines = [
        f"{counts[0]:,} tickets, {counts[1]:,} messages; filters {chosen.chosen.date_from} to"
        f" {chosen.chosen.date_to} (the default last 30 days); warm = the best of {repeats}"
        " rounds of the whole page (its wall time: a call marked *on a thread* runs beside the"
        " others, as the page runs it); per call, its own best warm ms (a call on a thread"
        " timed again alone, its cold ms on its thread);"
        f" load average {load_average()} at the start.",
        "",
        "| page | first visit ms (< 3,000) | warm ms (< 500) | warm CPU ms (all threads) | |",
        "|---|---|---|---|---|",
    ]
    for page, t in results.items():
        met = verdict(t.first_ms < FIRST_VISIT_MS and t.warm_ms < PAGE_WARM_MS)
        lines.append(
            f"| {page} | {t.first_ms:,.0f} | {t.warm_ms:,.0f} | {t.warm_cpu_ms:,.0f} | {met} |"
        )
    lines += ["", "| page | call | cold ms | warm ms |", "|---|---|---|---|"]
    for page, t in results.items():
        lines += [
            f"| {page} | {label} | {cold:,.0f} | {warm:,.0f} |" for label, cold, warm in t.calls
        ]
    return lines
