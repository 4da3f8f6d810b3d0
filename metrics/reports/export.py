"""The contact export: one row per contact with every per-contact figure, as CSV or Parquet.

These are the rows behind every figure (``metrics.core.contacts.contacts``), the same
ones the Explore page downloads. CSV text that a spreadsheet would run as a
formula is neutralised (OWASP "CSV injection"); Parquet keeps the typed values.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from metrics.core.contacts import EXPORT_COLUMNS, Warehouse, contacts
from metrics.core.filters import Filters
from metrics.core.settings import Settings

# A cell starting with one of these is a formula (or DDE payload) to Excel, LibreOffice, Sheets.
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
FORMATS: tuple[str, ...] = (".csv", ".parquet")


def formula_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every text cell that starts like a formula prefixed with a single quote.

    Only text (and categorical) columns change; numeric, boolean and time columns stay typed,
    so a negative number is still a number. Use before writing any CSV a person may open.
    """
    text_columns = [
        name
        for name, dtype in frame.schema.items()
        if dtype == pl.String or isinstance(dtype, (pl.Categorical, pl.Enum))
    ]
    pattern = "^[" + "".join(FORMULA_PREFIXES).replace("-", r"\-") + "]"
    return frame.with_columns(
        pl.when(pl.col(name).cast(pl.String).str.contains(pattern))
        .then(pl.lit("'") + pl.col(name).cast(pl.String))
        .otherwise(pl.col(name).cast(pl.String))
        .alias(name)
        for name in text_columns
    )


def export_contacts(wh: Warehouse, settings: Settings, filters: Filters, out: Path) -> int:
    """Write the filtered contact rows (EXPORT_COLUMNS) to ``out``; return the row count.

    The format follows the suffix: ``.csv`` (formula-safe, UTF-8, header row) or
    ``.parquet``. Raises ValueError for any other suffix, FileNotFoundError when the
    folder does not exist.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{out}: export format must be one of {', '.join(FORMATS)}")
    if not out.parent.is_dir():
        raise FileNotFoundError(f"{out.parent}: no such folder for the export")
    frame = contacts(wh, settings, filters, EXPORT_COLUMNS)
    if suffix == ".csv":
        formula_safe(frame).write_csv(out)
    else:
        frame.write_parquet(out)
    return frame.height
