"""The warehouse: the only package that opens a DuckDB connection.

Writers go through :func:`warehouse.writer.open_for_write` (build-then-swap);
readers through :class:`warehouse.reader.ReadOnlyWarehouse` (read-only ATTACH
keyed on the file's identity, so a swapped-in file is picked up at once).
"""
