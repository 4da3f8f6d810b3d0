"""Benchmark warehouses past the generator's memory: several disjoint demo worlds in one.

The demo generator holds a whole world in memory (about 2 GB per 10 units of scale, and the
chat export's load as much again), so a scale-100 warehouse (3M tickets, 30M messages) on this
24 GB machine is built as shards of at most SHARD_SCALE: each generated with its own seed and
its own id ranges (tickets, customers, messages, agents), then loaded into the same warehouse.
That is a support team three times as large over the same months, with three times the
customers and agents: the same shape per customer, three times the volume per day.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator

from sample_data import conversations, malformed, roster, tables

SHARD_SCALE = 34.0  # the largest scale generated in one piece (the full benchmark is 33)


def shard_scales(scale: float) -> list[float]:
    """The scales of the shards a warehouse at ``scale`` is built from (equal parts)."""
    count = max(1, math.ceil(scale / SHARD_SCALE))
    return [scale / count] * count


@contextlib.contextmanager
def disjoint_ids(shard: int) -> Iterator[None]:
    """Generate with id ranges of their own for shard ``shard`` (0: the generator's own)."""
    moved = [
        (tables, "TICKET_ID_BASE", 100_000_000),
        (tables, "CUSTOMER_ID_BASE", 100_000_000),
        (conversations, "TICKET_ID_BASE", 100_000_000),
        (conversations, "CUSTOMER_ID_BASE", 100_000_000),
        (conversations, "MESSAGE_ID_BASE", 100_000_000_000),
        (roster, "AGENT_ID_BASE", 100_000),
        (malformed, "_FRESH_ID_BASE", 1_000_000),
    ]
    saved = [getattr(module, name) for module, name, _ in moved]
    try:
        for module, name, step in moved:
            setattr(module, name, getattr(module, name) + shard * step)
        yield
    finally:
        for (module, name, _), value in zip(moved, saved, strict=True):
            setattr(module, name, value)
