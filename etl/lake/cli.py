"""The lake's side of ``python -m etl``: a load's tables written to a lake, a whole export."""

from __future__ import annotations

from pathlib import Path

from etl.canonical import TABLES
from etl.lake.export import export_lake
from warehouse.lake import PARTITIONED

STATE = Path("_state") / "warehouse.duckdb"


def lake_state(lake: Path) -> Path:
    """The warehouse a lake's loads go through when no --db is given: it does the upsert,
    accounting, redaction and derived facts exactly as for any warehouse."""
    path = Path(lake) / STATE
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def write_loaded_tables(db: Path, lake: Path, kind: str) -> str:
    """Write the tables a load of ``kind`` into ``db`` may have changed to ``lake``: its own
    and every small table (accounting, quarantine, warehouse state, quality verdicts ...);
    the other month-partitioned tables stay as they were written."""
    mine = TABLES[kind].table
    written = export_lake(db, lake, tables=None, keep=lambda t: t == mine or t not in PARTITIONED)
    shown = ", ".join(f"{name} {rows:,}" for name, rows in written.items())
    return f"lake {lake}: wrote {shown} rows"


def export_report(db: Path, out: Path) -> str:
    """Write every table of ``db`` to the lake ``out``; one line per table."""
    written = export_lake(db, out)
    lines = [f"{name}: {rows:,} rows" for name, rows in written.items()]
    lines.append(f"lake written to {out} ({len(written)} tables; layout: docs/lake.md)")
    return "\n".join(lines)
