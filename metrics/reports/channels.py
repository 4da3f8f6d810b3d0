"""The headline figures side by side per channel (or any other breakdown).

Like ``metrics.reports.summary.headline``, this only assembles the registered metric
functions, each broken down the same way, so a channel's row can never disagree with the
metric's own figure filtered on that channel.
"""

from __future__ import annotations

import polars as pl

from metrics.core.contacts import Warehouse
from metrics.core.filters import Filters
from metrics.core.metric import metric
from metrics.core.settings import Settings
from metrics.operations.volume import contact_volume
from metrics.response.first_response import first_response_time
from metrics.response.resolution import (
    fcr_rate,
    first_resolution_time,
    repeat_contact_rate,
    sla_attainment,
)
from metrics.voice.csat import csat

# (metric function, its columns -> the breakdown's columns)
PARTS = (
    (first_response_time, {"n": "frt_n", "median": "frt_median", "p90": "frt_p90",
                           "unanswered": "unanswered"}),
    (first_resolution_time, {"n": "resolution_n", "median": "resolution_median"}),
    (fcr_rate, {"n": "fcr_n", "value": "fcr"}),
    (sla_attainment, {"n": "sla_n", "value": "sla"}),
    (csat, {"n": "csat_n", "value": "csat"}),
    (repeat_contact_rate, {"n": "repeat_n", "value": "repeat_rate"}),
)  # fmt: skip
COLUMNS = (
    "contacts", "share", "frt_n", "frt_median", "frt_p90", "unanswered", "resolution_n",
    "resolution_median", "fcr_n", "fcr", "sla_n", "sla", "csat_n", "csat", "repeat_n",
    "repeat_rate",
)  # fmt: skip


@metric(
    "channel_breakdown",
    label="Figures by channel",
    unit="mixed (contacts, minutes, shares)",
    family="volume",
    definition=(
        "Per channel: contacts and their share of all contacts, median and p90 first response "
        "time (and unanswered contacts), median first resolution time, FCR, SLA attainment, "
        "CSAT (share of 4-5) and repeat-contact rate, each with its own n, each computed by "
        "its registered metric (frt, first_resolution_time, fcr_rate, sla_attainment, csat, "
        "repeat_contact_rate) broken down by channel."
    ),
    variant="by='channel' (default) or any other breakdown; rates are null where their n is 0",
    exclusions="as for each figure's own metric; contacts without a channel are one row (null)",
)
def channel_breakdown(
    wh: Warehouse, settings: Settings, filters: Filters, by: str | None = None
) -> pl.DataFrame:
    """One row per channel (or ``by`` group), most contacts first, with COLUMNS."""
    key = by or "channel"
    frame = contact_volume(wh, settings, filters, by=key).select(key, "contacts")
    total = int(frame["contacts"].sum() or 0)
    frame = frame.with_columns(share=pl.col("contacts") / total if total else pl.lit(None))
    for fn, names in PARTS:
        part = fn(wh, settings, filters, by=key).select(
            key, *[pl.col(k).alias(v) for k, v in names.items()]
        )
        frame = frame.join(part, on=key, how="left", nulls_equal=True, maintain_order="left")
    return frame.select(key, *COLUMNS).sort(["contacts", key], descending=[True, False],
                                           nulls_last=True)  # fmt: skip
