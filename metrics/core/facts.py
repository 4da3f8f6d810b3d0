"""Derived facts: one SQL definition each, built at load time or, failing that, on first use.

A :class:`Fact` is the definition of a filter-independent table many metric calls share (the
contact fact, retention windows, negative texts ...): its SQL, the parameters bound from
settings, the facts it reads (``{name}`` placeholders in the SQL) and the lookup frames it
registers. ``metrics.facts`` builds every fact into the warehouse file in the same write that
brings the data (and keeps it up to date incrementally); :func:`fact_table` hands a metric
the stored table when the file holds it for the current data and the same definition (the
*fingerprint*: SQL, parameters, settings behind the frames, inputs), and otherwise builds it
in the reader's memory on first use, from the same definition. The optional ``finish`` SQL is
the read-time part (e.g. what depends on "now"): a view over the table, never stored.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from metrics.core.settings import Settings

import polars as pl

T = TypeVar("T")

# Bump when the way facts are stored changes (not their SQL: that is in the fingerprint).
FACT_FORMAT = 1


class Runner(Protocol):
    """What a fact's lookup frames are computed with (a warehouse, or a writer's adapter)."""

    def query(
        self,
        sql: str,
        params: dict[str, Any] | None = None,
        frames: dict[str, pl.DataFrame] | None = None,
    ) -> pl.DataFrame: ...


class FactReader(Runner, Protocol):
    """What metrics need from a read-only warehouse (``ReadOnlyWarehouse`` provides it): queries,
    derived facts, and intermediate results remembered per file version."""

    def remember(self, key: Hashable, build: Callable[[], T]) -> T: ...

    def stored_fact(self, name: str, fingerprint: str) -> str | None: ...

    def view(self, name: str, sql: str) -> str: ...

    def materialize(
        self,
        name: str,
        sql: str,
        params: dict[str, Any],
        frames: Callable[[], dict[str, pl.DataFrame]],
    ) -> str: ...


# How the incremental upkeep scopes a fact (metrics.facts.scopes): rows of the changed
# contacts; of every contact of the changed customers; of agents' messages from the first
# changed one on; of the changed clock days; or the whole table, rebuilt.
GRAINS = ("contact", "customer", "agent_time", "day", "whole")


@dataclass(frozen=True)
class Fact:
    """The definition of one derived fact (see the module docstring)."""

    name: str
    sql: str
    params: tuple[tuple[str, Any], ...] = ()
    inputs: tuple[Fact, ...] = ()
    finish_inputs: tuple[Fact, ...] = ()
    reads: frozenset[str] = frozenset()
    grain: str = "whole"
    frame_key: str = ""
    frames: Callable[[Runner], dict[str, pl.DataFrame]] | None = field(default=None, compare=False)
    origin: Callable[[Runner], str] | None = field(default=None, compare=False)
    finish: str | None = None
    order_by: str | None = None
    key: tuple[str, ...] = ("source", "contact_id")
    # A customer-grain fact reading ``customer_activity`` only as "the customer has a row" and
    # "a row dated these many days (first, last) after a contact's creation day": the upkeep
    # then copies the dates its contacts can reach, not all of the customers' activity.
    activity_days: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if self.grain not in GRAINS:
            raise ValueError(f"fact {self.name}: grain must be one of {GRAINS}")

    @property
    def table(self) -> str:
        """Name of the stored table in the warehouse file."""
        return f"fact_{self.name}"

    @property
    def fingerprint(self) -> str:
        """Hash of everything the stored rows depend on besides the data."""
        parts = [
            str(FACT_FORMAT), self.name, self.sql, repr(self.params), self.frame_key,
            *(f.fingerprint for f in self.inputs),
        ]  # fmt: skip
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    def bound(self) -> dict[str, Any]:
        return dict(self.params)

    def lookups(self, runner: Runner) -> dict[str, pl.DataFrame]:
        return self.frames(runner) if self.frames else {}

    def render(self, tables: dict[str, str]) -> str:
        """The SQL with each input fact's placeholder replaced by ``tables[input.name]``."""
        return self.sql.format(**{f.name: tables[f.name] for f in self.inputs})


def fact_table(wh: FactReader, fact: Fact) -> str:
    """Name under which queries read ``fact`` (stored if current, else built on first use)."""
    base, inputs = _base_table(wh, fact)
    if fact.finish is None:
        return base
    inputs |= {f.name: _base_table(wh, f)[0] for f in fact.finish_inputs}
    name = f"{fact.name}_{fact.fingerprint[:12]}"
    return wh.view(name, fact.finish.format(table=base, **inputs))


def _base_table(wh: FactReader, fact: Fact) -> tuple[str, dict[str, str]]:
    """The fact's table without its read-time part, and its inputs' tables."""
    inputs = {f.name: _base_table(wh, f)[0] for f in fact.inputs}
    stored = wh.stored_fact(fact.table, fact.fingerprint)
    if stored is not None:
        return stored, inputs
    name = f"{fact.name}_{fact.fingerprint[:12]}_built"
    sql = fact.sql.format(**inputs)
    return wh.materialize(name, sql, fact.bound(), lambda: fact.lookups(wh)), inputs


def per_settings(build: Callable[[Settings], Fact]) -> Callable[[Settings], Fact]:
    """``build`` remembered for the last few settings (by value: Settings holds dicts, so it
    is not hashable), since every metric call asks for its facts' definitions."""
    cache: OrderedDict[str, Fact] = OrderedDict()
    lock = threading.Lock()

    def definition(settings: Settings) -> Fact:
        key = repr(settings)
        with lock:
            if key in cache:
                cache.move_to_end(key)
                return cache[key]
        fact = build(settings)
        with lock:
            cache[key] = fact
            while len(cache) > 16:
                cache.popitem(last=False)
        return fact

    definition.__doc__ = build.__doc__
    definition.__name__ = build.__name__
    return definition
