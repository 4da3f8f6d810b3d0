"""Helpers for the derived-fact tests: every metric called through the stored and the lazy path.

The lazy path is the reader building each fact in memory on first use (``stored_facts=False``),
as every page did before facts were built at load time. Both readers share one clock, so
read-time parts (an unanswered ticket's SLA breach) see the same "now". Floats are compared to
1e-9 relative: the same SQL sums doubles in whatever order DuckDB's threads meet the rows, so
even two lazy runs differ in the last bits; everything else must be equal.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
from polars.testing import assert_frame_equal

from metrics.core.filters import Filters
from metrics.core.settings import Settings
from metrics.registry import MetricInfo, all_metrics
from warehouse.reader import ReadOnlyWarehouse

BREAKDOWNS = ("channel", "week")


def readers(db: Path, as_of: datetime | None = None) -> tuple[ReadOnlyWarehouse, ReadOnlyWarehouse]:
    """(stored, lazy) readers of ``db`` on one clock."""
    clock = as_of or datetime.now(UTC)
    return ReadOnlyWarehouse(db, as_of=clock), ReadOnlyWarehouse(
        db, as_of=clock, stored_facts=False
    )


def variants(
    info: MetricInfo, wh: ReadOnlyWarehouse, breakdowns: tuple[str, ...] = BREAKDOWNS
) -> Iterator[dict[str, Any]]:
    """The keyword arguments to call ``info`` with: its defaults, each option value, the
    ``breakdowns``; the reader's clock for ``as_of``, an agent for the scorecard."""
    parameters = inspect.signature(info.function).parameters
    base: dict[str, Any] = {}
    if "as_of" in parameters:
        base["as_of"] = wh.as_of
    if info.name == "agent_scorecard":
        base["agent"] = wh.scalar("SELECT min(agent_id) FROM tickets") or "nobody"
    yield base
    for key, choices in info.options.items():
        if isinstance(choices, tuple):
            for choice in choices[1:]:
                yield {**base, key: choice}
    if "by" in parameters:
        for by in breakdowns:
            yield {**base, "by": by}


def last_month(wh: ReadOnlyWarehouse) -> Filters:
    """The dashboard's default period: the last 30 days of data."""
    last = wh.scalar("SELECT max(created_at)::DATE FROM tickets")
    return Filters(last - timedelta(days=29), last) if last else Filters()


def compare_every_metric(
    db: Path, settings: Settings, breakdowns: tuple[str, ...] = BREAKDOWNS
) -> list[str]:
    """Call every registered metric both ways, over all dates and over the last 30 days;
    the calls whose results differ (empty: none).

    The stored path must really be in use: at least the contact fact is stored.
    """
    stored, lazy = readers(db)
    assert stored.stored_fact("fact_contacts", _contacts_fingerprint(settings)), (
        f"{db}: the contact fact is not stored for these settings"
    )
    differ = []
    for info in all_metrics().values():
        for filters in (Filters(), last_month(stored)):
            for kwargs in variants(info, stored, breakdowns):
                outcome = _outcomes(info, stored, lazy, settings, filters, kwargs)
                if outcome:
                    differ.append(f"{info.name} {kwargs} {filters}: {outcome}")
    stored.close()
    lazy.close()
    return differ


def _outcomes(info, stored, lazy, settings, filters, kwargs) -> str:
    results = []
    for wh in (stored, lazy):
        try:
            results.append(info.function(wh, settings, filters, **kwargs))
        except ValueError as err:  # a metric refusing an input refuses it on both paths
            results.append(f"ValueError: {err}")
    first, second = results
    if isinstance(first, str) or isinstance(second, str):
        return "" if first == second else f"{first!s:.200} != {second!s:.200}"
    try:
        assert_frame_equal(first, second, check_exact=False, rel_tol=1e-9, abs_tol=1e-12)
    except AssertionError as err:
        return str(err).splitlines()[0]
    return ""


def _contacts_fingerprint(settings: Settings) -> str:
    from metrics.core.contacts import contacts_fact

    return contacts_fact(settings).fingerprint


def fact_rows(db: Path, table: str) -> pl.DataFrame:
    """A stored fact's rows in a canonical order (storage order is not part of a fact)."""
    wh = ReadOnlyWarehouse(db)
    try:
        frame = wh.query(f"SELECT * FROM {table}")  # noqa: S608 - names from the fact catalogue
    finally:
        wh.close()
    return frame.sort(frame.columns, nulls_last=True)
