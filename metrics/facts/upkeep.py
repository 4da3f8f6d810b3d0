"""Fact upkeep: after a write changed the data, bring every derived fact up to date with it.

:func:`refresh_facts` runs on the writer's connection, before the new file is swapped in, so
pages never see data without its facts. Per fact (in build order) it decides:

- *unchanged*: nothing it reads changed; only its stamp moves to the new data version;
- *incremental*: its definition runs over the changed units only (``metrics.facts.scopes``);
- *full*: rebuilt from all the data: when it is not stored yet, its definition or settings
  changed (fingerprint), it was not current before this write, the calendar origin moved,
  a fact it reads was rebuilt whole, a table it reads changed too much to list or in a way
  its grain cannot scope (agents, shifts), or the write noted no changes at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb

from metrics.core.facts import Fact
from metrics.core.settings import Settings
from metrics.facts import scopes, store
from metrics.facts.catalogue import all_facts
from warehouse import changes

# The tables each grain can scope by its units (others force a whole rebuild).
SCOPABLE: dict[str, frozenset[str]] = {
    "customer": frozenset({*changes.CONTACT_KEYS, "customer_activity"}),
    "contact": frozenset(changes.CONTACT_KEYS),
    "agent_time": frozenset({"messages"}),
    "day": frozenset({"messages"}),
    "whole": frozenset(),
}


@dataclass(frozen=True)
class FactOutcome:
    """What the upkeep did to one fact."""

    name: str
    mode: str
    seconds: float
    rows: int


@dataclass
class UpkeepReport:
    """Every fact's outcome, or the error that left them all as they were."""

    outcomes: list[FactOutcome] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None

    def summary(self) -> str:
        """One line for a load report."""
        if self.error:
            return f"derived facts not refreshed ({self.error}); pages build them on first use"
        modes = sorted({o.mode for o in self.outcomes})
        counts = ", ".join(f"{sum(o.mode == m for o in self.outcomes)} {m}" for m in modes)
        return f"derived facts refreshed in {self.seconds:.1f} s ({counts})"


@dataclass(frozen=True)
class _Noted:
    """The change notes of this write: tables with a change, tables changed wholesale."""

    noting: bool
    changed: frozenset[str]
    whole: frozenset[str]


def _noted(con: duckdb.DuckDBPyConnection) -> _Noted:
    if not changes.noting(con):
        return _Noted(False, frozenset(), frozenset())
    rows = con.execute(f"SELECT tbl, bool_or(whole) FROM {changes.CHANGES} GROUP BY tbl").fetchall()  # noqa: S608
    return _Noted(True, frozenset(t for t, _ in rows), frozenset(t for t, w in rows if w))


def _plan(
    fact: Fact,
    noted: _Noted,
    stored: dict[str, store.Stored],
    previous: int,
    origin: str | None,
    modes: dict[str, str],
) -> str:
    """full, incremental or unchanged for ``fact`` (see the module docstring)."""
    found = stored.get(fact.table)
    if (
        not noted.noting
        or found is None
        or found.fingerprint != fact.fingerprint
        or found.data_version != previous
        or (found.origin or "") != (origin or "")
        or any(modes[f.name] == "full" for f in fact.inputs)
    ):
        return "full"
    touched = fact.reads & noted.changed
    inputs_changed = any(modes[f.name] != "unchanged" for f in fact.inputs)
    if not touched and not inputs_changed:
        return "unchanged"
    if touched & noted.whole or not touched <= SCOPABLE[fact.grain]:
        return "full"
    return "incremental"


def _updater(fact: Fact, facts: tuple[Fact, ...]) -> Callable[[duckdb.DuckDBPyConnection], None]:
    """The incremental update for the fact's grain."""
    if fact.grain == "customer" and not fact.inputs:
        return lambda con: scopes.update_contact_hub(con, fact)
    if fact.grain == "customer":
        hub = next(f for f in fact.inputs if f.grain == "customer")
        return lambda con: scopes.update_customer_dependent(con, fact, hub)
    if fact.grain == "contact":
        return lambda con: scopes.update_contacts(con, fact)
    if fact.grain == "agent_time":
        return lambda con: scopes.update_agent_times(con, fact)
    return lambda con: scopes.update_days(con, fact)


def _keep(con: duckdb.DuckDBPyConnection, fact: Fact, mode: str, facts: tuple[Fact, ...]) -> str:
    """Apply ``mode`` to ``fact``; the mode it ended in (incremental may turn full)."""
    if mode == "incremental":
        try:
            _updater(fact, facts)(con)
            return mode
        except scopes.TooMany:
            mode = "full"
    if mode == "full":
        store.build_whole(con, fact)
    return mode


def refresh_facts(
    con: duckdb.DuckDBPyConnection, settings: Settings, *, full: bool = False
) -> UpkeepReport:
    """Bring every derived fact for ``settings`` up to date with the data on ``con`` (a
    writer's connection), in one transaction; ``full`` rebuilds each from all the data.

    On a database error the facts are left as they were (readers then build them on first
    use) and the report says why; the data the write brought is kept either way.
    """
    started = time.perf_counter()
    report = UpkeepReport()
    facts = all_facts(settings)
    noted = _noted(con) if not full else _Noted(False, frozenset(), frozenset())
    con.execute("BEGIN TRANSACTION")
    try:
        stored = store.stored_facts(con)
        previous = store.data_version(con) - 1
        modes: dict[str, str] = {}
        runner = store.WriteRunner(con)
        for fact in facts:
            begun = time.perf_counter()
            origin = fact.origin(runner) if fact.origin else None
            mode = _plan(fact, noted, stored, previous, origin, modes)
            modes[fact.name] = _keep(con, fact, mode, facts)
            seconds = time.perf_counter() - begun
            rows = store.stamp(con, fact, modes[fact.name], seconds, origin)
            report.outcomes.append(FactOutcome(fact.name, modes[fact.name], seconds, rows))
        store.drop_unknown(con, {f.table for f in facts})
        con.execute("COMMIT")
    except duckdb.Error as err:
        con.execute("ROLLBACK")
        report.outcomes.clear()
        report.error = str(err).strip().splitlines()[0]
    finally:
        scopes.drop_temporaries(con)
        report.seconds = time.perf_counter() - started
    return report
