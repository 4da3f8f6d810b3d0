"""The Overview's alerts list and digest download (issue 17)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import data
from dashboard.background import Pending
from metrics.core.filters import Filters
from metrics.core.settings import Settings
from metrics.notify.commands import digest_html, period_alerts


def start_alerts(settings: Settings, filters: Filters) -> Pending[list[dict[str, Any]]]:
    """The period's alerts evaluated on a thread beside the page (the Overview's longest call:
    every rule's daily series), for ``alerts_and_digest`` to show."""
    return Pending(data.cached, period_alerts, settings, filters)


def alerts_and_digest(
    settings: Settings, filters: Filters, pending: Pending[list[dict[str, Any]]] | None = None
) -> None:
    """The alerts that fired in the chosen period, with their explanation and link, and a
    button that downloads the digest for the current filters. ``pending``: the alerts
    started earlier by ``start_alerts`` (else evaluated here)."""
    fired = pending.result() if pending else data.cached(period_alerts, settings, filters)
    if not fired:
        st.caption("No alert rule fired in this period (rules: settings [alerts]).")
    for alert in fired:
        st.markdown(f":material/notifications: {alert['explanation']} [open]({alert['link']})")
    name = f"digest_{filters.date_from or 'start'}_{filters.date_to or 'end'}.html"
    st.download_button(
        "Download the digest (HTML)",
        data=lambda: data.cached(digest_html, settings, filters),
        file_name=name,
        mime="text/html",
        key="digest_download",
        on_click="ignore",
    )
