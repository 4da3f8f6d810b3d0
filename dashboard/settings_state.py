"""The metric settings the dashboard uses: ``SUPPORT_SETTINGS``, else ./settings.toml, else
the documented defaults (``metrics/default_settings.toml``), read once per file version."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.config import ConfigError, settings_file
from metrics.core.settings import Settings, SettingsError, load_settings


@st.cache_resource(max_entries=4, show_spinner=False)
def _load(path: str | None, mtime_ns: int) -> Settings:
    # `mtime_ns` is part of the cache key only: an edited file is read again.
    return load_settings(path)


def current_settings() -> Settings:
    """Settings for every metric call on this run (an edited file is picked up on the next).

    A settings file that cannot be used is shown as one plain error and the run stops.
    """
    try:
        path: Path | None = settings_file()
        if path is None:
            return _load(None, 0)
        return _load(str(path), path.stat().st_mtime_ns)
    except (ConfigError, SettingsError, OSError) as err:
        st.error(f"The settings cannot be used: {err}")
        st.stop()
        raise  # st.stop() ends the run; this line only satisfies type checkers
