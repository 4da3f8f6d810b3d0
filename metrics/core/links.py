"""Links back to the dashboard: a page opened with the same filters (``period=custom`` and
the dates spelled out, as the dashboard writes its own URLs), under the settings' base URL."""

from __future__ import annotations

from urllib.parse import urlencode

from metrics.core.filters import DIMENSIONS, Filters


def filters_query(filters: Filters) -> str:
    """``?…`` that opens a page with ``filters`` (as ``dashboard.filter_state.query_string``)."""
    params: dict[str, list[str]] = {
        "period": ["custom" if filters.date_from or filters.date_to else "all"]
    }
    if filters.date_from:
        params["from"] = [filters.date_from.isoformat()]
    if filters.date_to:
        params["to"] = [filters.date_to.isoformat()]
    for name in DIMENSIONS:
        if getattr(filters, name):
            params[name] = list(getattr(filters, name))
    return "?" + urlencode(params, doseq=True)


def page_link(base_url: str, page: str, filters: Filters) -> str:
    """The dashboard ``page`` (its url_path, e.g. "overview") showing ``filters``."""
    return f"{base_url.rstrip('/')}/{page}{filters_query(filters)}"
