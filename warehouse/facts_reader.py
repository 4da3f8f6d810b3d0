"""Prebuilt facts (``python -m metrics facts``) read with DuckDB over Parquet, as a warehouse.

A facts folder holds one folder of Parquet per derived fact (``fact_contacts/`` ...) and
``_facts.json``: which engine built them, when, from which lake (and its data version),
and each fact's fingerprint and row count. :class:`FactsWarehouse` is a
``ReadOnlyWarehouse`` whose tables are the lake's (drill-down rows come from the lake) and
whose stored facts are the folder's: ``fact_builds`` and ``warehouse_state`` are made from
the manifest, so a fact built for other settings or an older lake is not used (the reader
builds it on first use from the lake, as it would from a warehouse file).
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from warehouse.lake import attach_lake, read_manifest, sql_string
from warehouse.reader import FACTS_MANIFEST, ReadOnlyWarehouse
from warehouse.schema import FACT_BUILDS, STATE

FACTS_VERSION = 1
# One row: which engine built the prebuilt facts, when, where and from which lake.
FACTS_ORIGIN = "facts_origin"


def is_facts_folder(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is a folder of prebuilt facts."""
    return (Path(path) / FACTS_MANIFEST).is_file()


def read_facts_manifest(folder: str | os.PathLike[str]) -> dict[str, Any]:
    """The manifest of a facts folder (``FileNotFoundError`` naming it when there is none)."""
    path = Path(folder) / FACTS_MANIFEST
    if not path.is_file():
        raise FileNotFoundError(
            f"{folder}: no prebuilt facts here (no {FACTS_MANIFEST}); build them with "
            "python -m metrics facts --lake DIR --out DIR"
        )
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("facts_version") != FACTS_VERSION:
        raise ValueError(f"{folder}: facts format {manifest.get('facts_version')}, expected 1")
    return manifest


def lake_of(folder: Path, manifest: dict[str, Any]) -> Path:
    """The lake the facts were built from (a relative path is relative to the folder)."""
    lake = Path(manifest["lake"])
    return lake if lake.is_absolute() else (folder / lake).resolve()


class FactsWarehouse(ReadOnlyWarehouse):
    """A read-only warehouse made of a lake and the facts prebuilt from it."""

    def _attach(self) -> list[str]:
        manifest = read_facts_manifest(self.path)
        self.manifest = manifest
        lake = lake_of(self.path, manifest)
        names = [n for n in attach_lake(self._con, lake) if n not in (FACT_BUILDS, STATE)]
        for table in manifest["facts"]:
            glob = str(self.path / table / "*.parquet")
            # Table names come from the manifest, checked against the fact naming pattern.
            if not table.startswith("fact_") or not table.replace("_", "").isalnum():
                raise ValueError(f"{self.path}: not a fact table name: {table!r}")
            self._con.execute(
                f'CREATE VIEW "{table}" AS SELECT * FROM read_parquet({sql_string(glob)})'  # noqa: S608
            )
            names.append(table)
        _builds_tables(self._con, manifest, read_manifest(lake).get("data_version", 0))
        _origin_table(self._con, manifest, lake)
        return [*names, FACT_BUILDS, STATE, FACTS_ORIGIN]

    @property
    def engine(self) -> str:
        """Which engine built the facts (``duckdb`` or ``spark``)."""
        return str(self.manifest["engine"])

    @property
    def built_at(self) -> datetime:
        return datetime.fromisoformat(self.manifest["built_at"])


def _builds_tables(
    con: duckdb.DuckDBPyConnection, manifest: dict[str, Any], lake_version: int
) -> None:
    """``fact_builds`` and ``warehouse_state`` as a warehouse file would hold them."""
    con.execute(f"DROP VIEW IF EXISTS {STATE}")
    con.execute(f"DROP VIEW IF EXISTS {FACT_BUILDS}")
    con.execute(f"CREATE TABLE {STATE} (data_version BIGINT NOT NULL)")
    con.execute(f"INSERT INTO {STATE} VALUES (?)", [int(lake_version)])  # noqa: S608
    con.execute(
        f"""CREATE TABLE {FACT_BUILDS} (name VARCHAR, fingerprint VARCHAR, data_version BIGINT,
            built_at TIMESTAMPTZ, mode VARCHAR, row_count BIGINT, seconds DOUBLE,
            origin VARCHAR)"""
    )
    mode = f"{manifest['engine']} (prebuilt)"
    for table, fact in manifest["facts"].items():
        con.execute(
            f"INSERT INTO {FACT_BUILDS} VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",  # noqa: S608
            [
                table,
                fact["fingerprint"],
                int(manifest["lake_data_version"]),
                datetime.fromisoformat(manifest["built_at"]),
                mode,
                int(fact["rows"]),
                float(fact["seconds"]),
            ],
        )


def _origin_table(con: duckdb.DuckDBPyConnection, manifest: dict[str, Any], lake: Path) -> None:
    con.execute(
        f"""CREATE TABLE {FACTS_ORIGIN} AS SELECT CAST($engine AS VARCHAR) AS engine,
            CAST($version AS VARCHAR) AS engine_version, CAST($master AS VARCHAR) AS master,
            CAST($built_at AS TIMESTAMPTZ) AS built_at, CAST($seconds AS DOUBLE) AS seconds,
            CAST($lake AS VARCHAR) AS lake""",  # noqa: S608
        {
            "engine": manifest["engine"],
            "version": manifest.get("engine_version"),
            "master": manifest.get("master"),
            "built_at": datetime.fromisoformat(manifest["built_at"]),
            "seconds": manifest.get("seconds"),
            "lake": str(lake),
        },
    )


def open_reader(path: str | os.PathLike[str], memory_limit: str | None = None) -> ReadOnlyWarehouse:
    """A warehouse file, or a folder of prebuilt facts, opened read-only."""
    if is_facts_folder(path):
        return FactsWarehouse(path, memory_limit)
    return ReadOnlyWarehouse(path, memory_limit)
