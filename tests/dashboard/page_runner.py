"""Run one dashboard page headless with AppTest and read what it shows."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from streamlit.testing.v1 import AppTest

if TYPE_CHECKING:
    import pandas as pd

APP = Path(__file__).resolve().parents[2] / "app.py"


def open_page(
    page: str, params: Mapping[str, str | list[str]] | None = None, timeout: float = 60
) -> AppTest:
    """``page`` (e.g. "pages/retention.py") run through app.py with ``params`` in the URL."""
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for name, value in (params or {}).items():
        at.query_params[name] = value
    at.switch_page(page)
    return at.run()


def metric_value(at: AppTest, label: str) -> str:
    """The shown value of the tile labelled ``label``."""
    return next(m.value for m in at.metric if m.label == label)


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page that has ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)
