"""Whether the pages read derived facts the loads built, or build them on first use."""

from __future__ import annotations

import polars as pl

from metrics.core.contacts import Warehouse
from metrics.core.settings import Settings
from metrics.facts import all_facts

STORED = "built at load"
PREBUILT = "prebuilt"  # by python -m metrics facts (read with SUPPORT_FACTS)
SETTINGS_DIFFER = "built on first use: stored for other settings"
OLDER_DATA = "built on first use: stored for older data"
MISSING = "built on first use: not stored"
SCHEMA = {
    "fact": pl.String, "state": pl.String, "mode": pl.String, "rows": pl.Int64,
    "seconds": pl.Float64, "built_at": pl.Datetime("us", "UTC"),
}  # fmt: skip


def derived_facts(wh: Warehouse, settings: Settings) -> pl.DataFrame:
    """One row per derived fact the pages read for ``settings``: fact, state (STORED, or why it
    is built on first use), and how the last write kept it: mode (full, incremental,
    unchanged), rows, seconds, built_at (UTC)."""
    builds = _builds(wh)
    rows = []
    for fact in all_facts(settings):
        found = builds.get(fact.table)
        if found is None:
            state = MISSING
        elif found["fingerprint"] != fact.fingerprint:
            state = SETTINGS_DIFFER
        else:
            stored = PREBUILT if found["mode"].endswith("(prebuilt)") else STORED
            state = stored if found["current"] else OLDER_DATA
        rows.append({"fact": fact.name, "state": state} | _figures(found))
    return pl.DataFrame(rows, schema=SCHEMA)


def _builds(wh: Warehouse) -> dict[str, dict]:
    if (
        wh.query(
            "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name IN"
            " ('fact_builds', 'warehouse_state')"
        ).item()
        < 2
    ):
        return {}
    frame = wh.query(
        "SELECT f.*, f.data_version = (SELECT max(data_version) FROM warehouse_state)"
        " AS current FROM fact_builds AS f"
    )
    return {row["name"]: row for row in frame.iter_rows(named=True)}


def _figures(found: dict | None) -> dict:
    if found is None:
        return {"mode": None, "rows": None, "seconds": None, "built_at": None}
    return {
        "mode": found["mode"], "rows": found["row_count"], "seconds": found["seconds"],
        "built_at": found["built_at"],
    }  # fmt: skip


def prebuilt_origin(wh: Warehouse) -> dict | None:
    """Which engine prebuilt the facts the pages read (``python -m metrics facts``; read with
    SUPPORT_FACTS), when, in how many seconds and from which lake: engine, engine_version,
    master, built_at (UTC), seconds, lake. None for a warehouse file (its loads build them)."""
    if "facts_origin" not in wh.tables:
        return None
    return wh.query("SELECT * FROM facts_origin").row(0, named=True)
