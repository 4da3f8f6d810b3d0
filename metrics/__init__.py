"""Metrics: named, documented functions over the warehouse that return Polars frames.

Each function takes an open read-only warehouse (``warehouse.reader.ReadOnlyWarehouse``)
and its inputs as arguments; none of them reads the environment or imports Streamlit,
so every figure a page shows can be reproduced from the command line.
"""
