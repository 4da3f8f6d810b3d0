"""Run the whole simulation for one seed and scale: the numeric facts of the demo period.

Each stage draws from its own random stream ([seed, stage]), so changing one
stage never shifts the numbers of another.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from sample_data import clock
from sample_data.activity import activity_days
from sample_data.contacts import (
    BOT_ONLY,
    COMEBACK,
    MERGED,
    REPEAT,
    TICKET,
    Table,
    build_contacts,
    customer_count,
    pool_sizes,
    take,
)
from sample_data.content import Content, load_content
from sample_data.feedback import bad_tickets, surveys
from sample_data.roster import Roster, build_roster
from sample_data.service import escalations, first_responses
from sample_data.shifts import Shifts, build_shifts
from sample_data.status import summarise, ticket_events
from sample_data.threads import bot_threads, ticket_threads


def stream(seed: int, stage: int) -> np.random.Generator:
    """The random stream of one generation stage."""
    return np.random.default_rng([seed, stage])


@dataclass(frozen=True)
class World:
    """Everything generated, as arrays and frames keyed by ticket / conversation index."""

    seed: int
    scale: float
    content: Content
    roster: Roster
    shifts: Shifts
    tickets: Table  # contact attributes of each ticket; "parent" = ticket index or -1
    bots: Table  # contact attributes of each bot-only chat
    first: np.ndarray
    agent: np.ndarray
    escalated: np.ndarray
    summary: pl.DataFrame
    events: Table
    messages: Table  # ticket messages, cut at the export time (conv = ticket index)
    bot_messages: Table  # conv = bot chat index
    surveys: Table
    customer_lang: np.ndarray
    active_customer: np.ndarray
    active_day: np.ndarray
    contact_bad: Table  # retention inputs: customer, created, bad, lapsed


def _split(contacts: Table) -> tuple[Table, Table]:
    """Tickets and bot-only chats; parents re-indexed within their own table."""
    tix = np.flatnonzero(contacts["kind"] == TICKET)
    bix = np.flatnonzero(contacts["kind"] == BOT_ONLY)
    t_pos = np.full(len(contacts["kind"]), -1)
    t_pos[tix] = np.arange(len(tix))
    b_pos = np.full(len(contacts["kind"]), -1)
    b_pos[bix] = np.arange(len(bix))
    tickets, bots = take(contacts, tix), take(contacts, bix)
    parent = tickets["parent"]
    tickets["parent"] = np.where(
        np.isin(tickets["origin"], (REPEAT, MERGED)), t_pos[np.maximum(parent, 0)], -1
    )
    tickets["bot_parent"] = np.where(
        tickets["origin"] == COMEBACK, b_pos[np.maximum(parent, 0)], -1
    )
    return tickets, bots


def _customer_languages(contacts: Table, n: int, scale: float) -> np.ndarray:
    """Language of every customer: from the language pools, or from their contacts."""
    sizes = pool_sizes(scale)
    lang = np.repeat(np.arange(len(sizes)), sizes)
    out = np.zeros(n, dtype=np.int64)
    out[: len(lang)] = lang
    out[contacts["customer"]] = contacts["lang"]
    return out


def _retention(
    seed: int, tickets: Table, bots: Table, bad: np.ndarray, n_customers: int
) -> tuple[np.ndarray, ...]:
    """Activity days of every customer, with lapses after bad contacts."""
    came_back = np.zeros(len(bots["created"]), dtype=bool)
    came_back[tickets["bot_parent"][tickets["bot_parent"] >= 0]] = True
    real = tickets["origin"] != MERGED
    inputs = {
        "customer": np.concatenate([tickets["customer"][real], bots["customer"]]),
        "created": np.concatenate([tickets["created"][real], bots["created"]]),
        "bad": np.concatenate([bad[real], came_back]),
    }
    who, day, lapsed = activity_days(
        stream(seed, 9), n_customers, inputs["customer"], inputs["created"], inputs["bad"]
    )
    inputs["lapsed"] = lapsed
    return who, day, inputs


def simulate(seed: int = 7, scale: float = 1.0) -> World:
    """The demo period for ``seed`` and ``scale`` (about 30,000 tickets per unit of scale)."""
    content = load_content()
    roster = build_roster(stream(seed, 1), content, scale)
    shifts = build_shifts(roster)
    contacts = build_contacts(stream(seed, 2), scale)
    tickets, bots = _split(contacts)
    first, agent = first_responses(stream(seed, 3), tickets, roster, shifts)
    escalated = escalations(stream(seed, 4), tickets)
    threads = ticket_threads(stream(seed, 5), tickets, first, agent, roster, shifts)
    events = ticket_events(stream(seed, 6), tickets, first, agent, threads, escalated)
    messages = take(threads.messages, np.flatnonzero(threads.messages["t"] < clock.END))
    summary = summarise(len(first), messages, events)
    survey = surveys(stream(seed, 7), tickets, summary, agent, roster)
    bad = bad_tickets(tickets, summary, survey)
    bot_messages = bot_threads(stream(seed, 8), bots["created"])
    bot_messages = take(bot_messages, np.flatnonzero(bot_messages["t"] < clock.END))
    n_customers = max(customer_count(scale), int(contacts["customer"].max()) + 1)
    who, day, retention = _retention(seed, tickets, bots, bad, n_customers)
    return World(
        seed, scale, content, roster, shifts, tickets, bots, first, agent, escalated, summary, events,
        messages, bot_messages, survey, _customer_languages(contacts, n_customers, scale), who, day, retention,
    )  # fmt: skip
