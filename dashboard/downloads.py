"""The contact export as download bytes: exactly what ``python -m metrics export contacts``
writes for the same filters (the same function writes both), made only when clicked."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from dashboard import data
from metrics.core.filters import Filters
from metrics.core.settings import Settings
from metrics.reports.export import export_contacts


def export_bytes(warehouse_path: Path, settings: Settings, filters: Filters, suffix: str) -> bytes:
    """The filtered contact rows as ``.csv`` (formula-safe) or ``.parquet`` bytes."""
    wh = data.warehouse(warehouse_path)
    with tempfile.TemporaryDirectory(prefix="contacts-") as folder:
        out = Path(folder) / f"contacts{suffix}"
        export_contacts(wh, settings, filters, out)
        return out.read_bytes()


def deferred(settings: Settings, filters: Filters, suffix: str) -> Callable[[], bytes]:
    """A no-argument function for ``st.download_button(data=...)``: the file is built on click."""
    path = data.current_location().path
    return lambda: export_bytes(path, settings, filters, suffix)


def file_name(filters: Filters, suffix: str) -> str:
    """``contacts_2026-10-02_2026-10-31.csv`` (``all`` for an open end)."""
    return f"contacts_{filters.date_from or 'all'}_{filters.date_to or 'all'}{suffix}"
