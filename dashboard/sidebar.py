"""The sidebar every page shares: which warehouse is open and when it was last loaded."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from dashboard import data
from dashboard.config import WarehouseLocation
from metrics.reports.data_health import last_load_at


def format_utc(moment: datetime | None, empty: str = "never") -> str:
    """``2026-01-07 08:00 UTC`` (minutes), or ``empty`` for None."""
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else empty


def warehouse_panel(location: WarehouseLocation) -> None:
    """Show the warehouse path and its last load; stop the run when the file cannot be read."""
    try:
        last = data.cached(last_load_at)
    except Exception as err:  # a corrupt or foreign file: say so instead of a traceback
        st.error(f"Cannot read the warehouse at `{location.path}`: {err}")
        st.stop()
    with st.sidebar:
        st.markdown(f"**Warehouse** ({location.detail})")
        st.code(str(location.path), language=None, wrap_lines=True)
        st.markdown(f"**Last load:** {format_utc(last, 'no loads yet')}")
