"""(k) The negative-feedback surge after a release: complaints only where and when planted, at
the planted share, and every other message byte for byte what it is without the surge."""

from __future__ import annotations

import tomllib

import numpy as np
import polars as pl
import pytest

from sample_data import build, conversations, surge
from sample_data import effects as fx
from sample_data.config import LANGUAGES
from sample_data.content import CODE, TEMPLATE_DIR
from sample_data.threads import CUSTOMER

SCALE = 0.4


def complaint_texts() -> set[str]:
    texts = set()
    for language in ("zh", "en", "es", "ru", "fr"):
        with open(TEMPLATE_DIR / f"{language}.toml", "rb") as handle:
            texts |= set(tomllib.load(handle)["customer"]["complaint"])
    return texts


@pytest.fixture(scope="module")
def both(monkeypatch_module) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The messages with the surge, and the same world's messages without it."""
    world, pools = build._world(7, SCALE)
    with_surge = conversations.messages(world, pools)
    monkeypatch_module.setattr(surge, "complain", lambda w, p, m, cls, body: body)
    world, pools = build._world(7, SCALE)
    return with_surge, conversations.messages(world, pools)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_complaints_are_spanish_customer_messages_of_tickets_opened_after_the_release(both):
    planted, _ = both
    complaints = planted.filter(pl.col("body").is_in(list(complaint_texts())))
    assert complaints.height > 20
    assert complaints["language"].unique().to_list() == [fx.SURGE_LANGUAGE]
    assert complaints["sender_type"].unique().to_list() == ["customer"]
    days = complaints["sent_at"].cast(pl.String).str.slice(0, 10)
    assert days.min() == str(fx.RELEASE_DATE)  # sent from the release day on ...
    tickets = complaints["conversation_id"].unique()
    opened = planted.filter(pl.col("conversation_id").is_in(tickets.implode()))
    first = opened.group_by("conversation_id").agg(pl.col("sent_at").min())["sent_at"]
    start, end = surge.surge_window()
    # ... in tickets whose first message is within the window (a ticket opens with one)
    assert first.dt.epoch("s").min() >= start and first.dt.epoch("s").max() < end


def test_the_surge_replaces_its_share_of_replies_and_nothing_else(both):
    planted, plain = both
    assert planted.height == plain.height
    changed = planted["body"] != plain["body"]
    assert (planted.filter(changed)["body"].is_in(list(complaint_texts()))).all()
    world, _ = build._world(7, SCALE)
    m = conversations._message_columns(world)
    _, cls, _, _ = conversations._planted_classes(world)
    chosen = surge.complaint_rows(world, m, cls)
    assert int(changed.sum()) == len(chosen)
    # the candidates: customer replies in Spanish tickets created in the window
    start, end = surge.surge_window()
    ticket = np.where(m["in_ticket"], m["conv"], 0)
    created = world.tickets["created"][ticket]
    candidates = (m["in_ticket"] & (m["role"] == CUSTOMER) & (created >= start) & (created < end)
                  & (m["lang"] == LANGUAGES.index(fx.SURGE_LANGUAGE))
                  & (cls == CODE["customer.reply"]))  # fmt: skip
    share = len(chosen) / int(candidates.sum())
    # about 130 candidates at this scale: the share's standard error is about 4 points
    assert abs(share - fx.SURGE_SHARE) < 0.12
