"""Quality review scoring (issue 16): conversations scored per second, and the Quality page's
metric calls, on the benchmark warehouse.

Three measurements on a private copy of the benchmark warehouse:

- *scorer*: ``score_conversations`` alone on one load-time chunk (``etl.quality.store.CHUNK``
  conversations, their messages already read), best of ``repeats``: the rate of the code that
  judges the rubric. Target: at least 20,000 conversations per second on two cores.
- *rescore*: ``etl.quality.rescore.rescore_quality`` over every conversation (what ``python -m
  etl rescore --what qa`` and a full load do): read each chunk from DuckDB, score it, write the
  verdicts and scores, swap the file in.
- *pages*: the Quality page's calls (``bench.page_calls.quality_calls``) and the agent
  scorecard (which gained the quality rows) cold and warm on the scored copy, with the
  dashboard's default filters (target: each under 300 ms warm). Warm rounds keep what the
  sidebar computes once per file version, as ``bench.page_metrics`` does.

Wall-clock seconds are reported beside the process's CPU seconds: on a shared machine the
wall clock includes the time other processes held the cores, the CPU time does not.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import duckdb

from bench import dataset
from bench.page_calls import quality_calls
from bench.page_metrics import TARGET_MS, _measure, _sidebar, defaults
from bench.processes import load_average
from bench.results import record
from bench.timing import rate, verdict
from etl.quality.rescore import rescore_quality
from etl.quality.store import _MESSAGES, _TICKETS, CHUNK
from metrics.agents.scorecard import agent_scorecard
from metrics.core.settings import load_settings
from metrics.quality.scoring import MESSAGE_COLUMNS, score_conversations
from warehouse.reader import ReadOnlyWarehouse

TARGET = 20_000.0  # conversations per second


def _timed(fn) -> tuple[float, float, object]:  # noqa: ANN001
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _one_chunk(db: Path, size: int):  # noqa: ANN202
    """Messages and tickets of ``size`` conversations with a message, as a load chunk reads them."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        first = "SELECT DISTINCT source, conversation_id FROM messages ORDER BY 1, 2 LIMIT $n"
        keys = con.sql(first, params={"n": int(size)}).pl()
        con.register("qa_keys", keys.to_arrow())
        messages = con.sql(
            f"{_MESSAGES} JOIN qa_keys AS k USING (source, conversation_id)"  # noqa: S608
        ).pl()
        tickets = con.sql(
            f"{_TICKETS} JOIN qa_keys AS k ON k.source = t.source AND k.conversation_id = t.ticket_id"  # noqa: S608
        ).pl()
    finally:
        con.close()
    return messages.select(MESSAGE_COLUMNS), tickets


def _scorer(db: Path, rubric, repeats: int) -> tuple[float, float, int, int]:  # noqa: ANN001
    """Best (wall, CPU) seconds of scoring one chunk, its conversations and messages."""
    messages, tickets = _one_chunk(db, CHUNK)
    best = (float("inf"), float("inf"), 0)
    for _ in range(max(1, repeats)):
        wall, cpu, scored = _timed(lambda: score_conversations(messages, rubric, tickets))
        best = min(best, (wall, cpu, scored.scores.height))
    return (*best, messages.height)


def run(
    scale: float = dataset.FULL_SCALE,
    write: bool = True,
    repeats: int = 2,
    source_db: Path | None = None,
) -> dict[str, float]:
    """Figures: scorer and rescore rates (wall and CPU), slowest warm Quality page call.

    ``source_db`` measures another warehouse instead of the benchmark one (copied first).
    """
    settings = load_settings(None)
    source = Path(source_db) if source_db else dataset.ensure(scale).db
    started_load = load_average()
    with tempfile.TemporaryDirectory(prefix="sqd-bench-quality-") as tmp:
        db = Path(tmp) / "warehouse.duckdb"
        db.write_bytes(source.read_bytes())
        *best, chunk_messages = _scorer(db, settings.quality, repeats)
        wall_all, cpu_all, run_all = _timed(lambda: rescore_quality(db, settings))
        probe = ReadOnlyWarehouse(db)
        try:
            chosen = defaults(probe, settings)
            counts = probe.query(
                "SELECT (SELECT count(*) FROM tickets), (SELECT count(*) FROM messages),"
                " (SELECT count(*) FROM qa_verdicts)"
            ).row(0)
        finally:
            probe.close()
        calls = quality_calls(settings, chosen.chosen)
        calls.append(("agent_scorecard (with its quality rows)", lambda wh: agent_scorecard(
            wh, settings, chosen.chosen, agent=chosen.agent)))  # fmt: skip
        # The sidebar's calls are made (untimed) before each warm round, as the page benchmark
        # does: what they compute once per file version (settling, the warehouse counts) the
        # server remembers, so a new filter choice does not pay it again.
        timed = _measure(db, _sidebar(settings), calls, repeats).calls
    conversations = run_all.conversations
    figures = {
        "scorer_conversations": float(best[2]),
        "scorer_per_second_wall": rate(best[2], best[0]),
        "scorer_per_cpu_second": rate(best[2], best[1]),
        "rescore_conversations": float(conversations),
        "rescore_seconds": wall_all,
        "rescore_per_second_wall": rate(conversations, wall_all),
        "rescore_per_cpu_second": rate(conversations, cpu_all),
        "slowest_warm_ms": max(warm for _, _, warm in timed),
    }
    if write:
        lines = [
            f"{counts[0]:,} tickets, {counts[1]:,} messages; {conversations:,} conversations"
            f" with a message scored into {counts[2]:,} verdicts (rubric {settings.quality.label});"
            f" load average {started_load} at the start, {load_average()} at the end (the"
            " machine is shared: compare the CPU-second rates).",
            "",
            "| measurement | conversations | wall s | CPU s | per second (wall) |"
            " per CPU second | target |",
            "|---|---|---|---|---|---|---|",
            f"| scorer alone, one chunk ({chunk_messages:,} messages, best of {repeats}) |"
            f" {best[2]:,} | {best[0]:.1f} | {best[1]:.1f} |"
            f" {figures['scorer_per_second_wall']:,.0f} | {figures['scorer_per_cpu_second']:,.0f} |"
            f" >= {TARGET:,.0f}/s: {verdict(figures['scorer_per_second_wall'] >= TARGET)} |",
            f"| rescore of every conversation (read, score, write, swap) | {conversations:,} |"
            f" {wall_all:.1f} | {cpu_all:.1f} | {figures['rescore_per_second_wall']:,.0f} |"
            f" {figures['rescore_per_cpu_second']:,.0f} | |",
            "",
            f"Quality page calls (filters {chosen.chosen.date_from} to {chosen.chosen.date_to},"
            f" warm = best of {repeats}):",
            "",
            "| call | cold ms | warm ms | warm < 300 ms |",
            "|---|---|---|---|",
            *(
                f"| {label} | {cold:,.0f} | {warm:,.0f} | {verdict(warm < TARGET_MS)} |"
                for label, cold, warm in timed
            ),
        ]
        record(f"Quality scoring (scale {scale:g})", lines)
    return figures
