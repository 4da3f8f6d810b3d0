"""The sidebar every page shares: which warehouse is open and when it was last loaded."""

from __future__ import annotations

import os
from datetime import datetime

import streamlit as st

from dashboard import data
from dashboard.config import ConfigError, WarehouseLocation, settings_file
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
        settings_panel()


def settings_panel() -> None:
    """Name the settings file in use (SLA targets, support hours, time zone), or say there is
    none and how to write one."""
    try:
        path = settings_file()
    except ConfigError:  # current_settings() has shown the error and stopped the run already
        return
    if path is None:
        st.markdown(
            "**Settings:** the built-in defaults. `support-dashboard settings init` writes a"
            " commented settings.toml to change them."
        )
        return
    origin = "SUPPORT_SETTINGS" if os.environ.get("SUPPORT_SETTINGS") else "./settings.toml"
    st.markdown(f"**Settings** ({origin})")
    st.code(str(path.resolve()), language=None, wrap_lines=True)
