"""Derived facts kept with the data: built by the write that brings it, updated incrementally.

``refresh_facts(con, settings)`` is the one call a writer makes (a load, a re-scoring, a
redaction) inside ``warehouse.writer.open_for_write``, after changing the data and before the
new file is swapped in. What the write changed is read from its notes (``warehouse.changes``;
loads take them, other writers may); without notes every fact is rebuilt whole. Each fact is
defined once, next to the metrics that read it (``all_facts`` lists them), and readers pick the
stored one up through ``metrics.core.facts.fact_table``.
"""

from metrics.facts.catalogue import all_facts
from metrics.facts.upkeep import FactOutcome, UpkeepReport, refresh_facts

__all__ = ["FactOutcome", "UpkeepReport", "all_facts", "refresh_facts"]
