"""``python -m etl rescore --what qa --db PATH``: score every conversation again.

For a changed rubric (a new weight, a new allow-listed domain) or a new scorer version.
Built then swapped like a load (``warehouse.writer.open_for_write``): the dashboard keeps
reading the old file until the new one is complete, and a stopped rescore changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from etl.errors import UnusableInput
from etl.quality.store import QualityRun, score_into
from metrics.core.settings import Settings
from metrics.facts import refresh_facts
from warehouse import changes
from warehouse.writer import open_for_write


def rescore_quality(db: Path, settings: Settings) -> QualityRun:
    """Score every conversation of ``db`` on ``settings.quality`` and swap the result in."""
    if not Path(db).is_file():
        raise UnusableInput(f"{db}: no such warehouse")
    with open_for_write(db, compact=True) as con:  # every verdict rewritten
        # Only the quality fact reads the scorer's tables: it is rebuilt (every conversation
        # is noted), the other facts are only re-stamped for the new data version.
        changes.begin(con)
        run = score_into(con, settings.quality)
        refresh_facts(con, settings)
    return run
