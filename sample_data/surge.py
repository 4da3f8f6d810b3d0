"""(k) Negative feedback after a release: for a few days one language's customers complain.

A share of the customer replies in that language's tickets created on the release day and
the days after becomes a complaint about the new version (``customer.complaint`` in
templates/<lang>.toml, texts the language's sentiment model reads negative). The complaints
replace bodies already filled, drawn from their own random stream, so no other message,
placeholder value or planted effect changes.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

import numpy as np
import polars as pl

from sample_data import effects as fx
from sample_data.clock import DAY, epoch
from sample_data.config import LANGUAGES
from sample_data.content import CODE
from sample_data.texts import Pools, fill
from sample_data.threads import CUSTOMER
from sample_data.world import World, stream

STREAM = 24  # sample_data.world.stream(seed, STREAM): this module's own draws


def surge_window() -> tuple[int, int]:
    """[start, end) in epoch seconds: the release day 00:00 UTC and SURGE_DAYS later."""
    start = epoch(datetime.combine(fx.RELEASE_DATE, time(), UTC))
    return start, start + fx.SURGE_DAYS * DAY


def complaint_rows(w: World, m: dict[str, np.ndarray], cls: np.ndarray) -> np.ndarray:
    """Indices of the messages (``m`` as conversations._message_columns) that complain."""
    start, end = surge_window()
    ticket = np.where(m["in_ticket"], m["conv"], 0)  # bot-only chats: any index, masked below
    created = np.where(m["in_ticket"], w.tickets["created"][ticket], -1)
    candidates = np.flatnonzero(
        m["in_ticket"]
        & (m["role"] == CUSTOMER)
        & (cls == CODE["customer.reply"])
        & (m["lang"] == LANGUAGES.index(fx.SURGE_LANGUAGE))
        & (created >= start)
        & (created < end)
    )
    chosen = stream(w.seed, STREAM).random(len(candidates)) < fx.SURGE_SHARE
    return candidates[chosen]


def complain(
    w: World, pools: Pools, m: dict[str, np.ndarray], cls: np.ndarray, body: pl.Series
) -> pl.Series:
    """``body`` with the surge's complaints in place of the chosen customer replies."""
    rows = complaint_rows(w, m, cls)
    if not len(rows):
        return body
    texts = fill(
        stream(w.seed, STREAM + 1), w.content, pools, np.full(len(rows), CODE["customer.complaint"]),
        m["lang"][rows], m["cat"][rows], m["customer"][rows], {},
    )  # fmt: skip
    return body.scatter(rows, texts)
