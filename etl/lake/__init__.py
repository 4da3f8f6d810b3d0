"""The lake: the warehouse's canonical tables as month-partitioned Parquet (docs/lake.md)."""

from etl.lake.export import export_lake
from warehouse.lake import LAKE_VERSION, lake_tables, read_manifest

__all__ = ["LAKE_VERSION", "export_lake", "lake_tables", "read_manifest"]
