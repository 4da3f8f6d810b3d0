"""Who contacts support, when, through which channel and about what.

A contact is a ticket or a chat the bot resolved alone (no ticket). Base
contacts arrive as a Poisson process per language and UTC hour; the market
crash adds its extra volume; then the planted follow-ups are added: repeat
tickets after contacts not resolved first time, comebacks after false bot
resolutions, and merged duplicates. A customer's base contacts are at least
15 days apart, so every contact within 7 days of another is a planted one.
"""

from __future__ import annotations

import numpy as np

from sample_data import clock, config
from sample_data import effects as fx
from sample_data.clock import DAY, HOUR

Table = dict[str, np.ndarray]
TICKET, BOT_ONLY = 0, 1
BASE, REPEAT, COMEBACK, MERGED = 0, 1, 2, 3
MIN_GAP = 15 * DAY
CHAT = config.CHANNELS.index("chat")
EMAIL = config.CHANNELS.index("email")


def take(table: Table, idx: np.ndarray) -> Table:
    """Rows ``idx`` of every column."""
    return {k: v[idx] for k, v in table.items()}


def concat(*tables: Table) -> Table:
    """Tables stacked row-wise (same columns)."""
    return {k: np.concatenate([t[k] for t in tables]) for k in tables[0]}


def draw(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One category index per row of a (rows, k) probability matrix."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs))[:, None] * cum[:, -1:]
    return np.minimum((u >= cum).sum(axis=1), probs.shape[1] - 1)


def pick_exact(rng: np.random.Generator, weights: np.ndarray, share: float) -> np.ndarray:
    """Mask of exactly round(share * n) rows, drawn without replacement in proportion to weights."""
    k = round(share * len(weights))
    keys = np.log(rng.random(len(weights))) / np.maximum(weights, 1e-9)
    chosen = np.zeros(len(weights), dtype=bool)
    if k:
        chosen[np.argpartition(-keys, k - 1)[:k]] = True
    return chosen


def followup_rate() -> float:
    """Expected planted follow-up contacts per base contact (keeps crash days at exactly 4x)."""
    mix = np.array(config.CATEGORY_MIX)
    chat = sum(
        s * config.CHANNEL_MIX[lang][CHAT]
        for lang, s in zip(config.LANGUAGES, config.LANGUAGE_SHARE, strict=True)
    )
    email = sum(
        s * config.CHANNEL_MIX[lang][EMAIL]
        for lang, s in zip(config.LANGUAGES, config.LANGUAGE_SHARE, strict=True)
    )
    bot = chat * fx.BOT_RESOLVED_SHARE
    repeat = (mix * np.array(config.REPEAT_SHARE)).sum()
    return (1 - bot) * repeat + bot * fx.BOT_FALSE_RESOLUTION_SHARE + email * config.MERGED_SHARE


def _arrivals(rng: np.random.Generator, scale: float) -> Table:
    """Base and crash-extra arrivals: language, creation time, crash flag."""
    hours = np.arange(clock.START, clock.END, HOUR)
    trend = 1 + config.TREND_GROWTH * (hours - clock.START) / (clock.END - clock.START)
    crash_start = clock.epoch(fx.CRASH_START)
    crash = (hours >= crash_start) & (hours < crash_start + fx.CRASH_DAYS * DAY)
    extra = (fx.CRASH_VOLUME_MULTIPLIER - 1) * (1 + followup_rate())
    curve = np.array(config.HOURLY) / np.mean(config.HOURLY)
    weekday = np.array(config.WEEKDAY_FACTOR) / np.mean(config.WEEKDAY_FACTOR)
    parts = []
    for lang, (team, share) in enumerate(zip(config.TEAMS, config.LANGUAGE_SHARE, strict=True)):
        flat = config.HOURLY_FLATTEN.get(team.code, 0.0)
        shape = flat + (1 - flat) * curve[clock.local_hour(team.timezone, hours)]
        lam = config.BASE_CONTACTS_PER_DAY * scale * share / 24 * shape * trend
        lam *= weekday[clock.local_weekday(team.timezone, hours)]
        for is_extra, rate in ((False, lam), (True, lam * extra * crash)):
            n = rng.poisson(rate)
            t = np.repeat(hours, n) + rng.integers(0, HOUR, n.sum())
            parts.append(
                {"created": t, "lang": np.full(len(t), lang), "crash": np.full(len(t), is_extra)}
            )
    return concat(*parts)


def _attributes(rng: np.random.Generator, c: Table) -> Table:
    """Category, channel, priority and contact kind of each arrival."""
    n = len(c["created"])
    base_mix = np.tile(config.CATEGORY_MIX, (n, 1))
    crash_mix = np.array([fx.CRASH_CATEGORY_MIX.get(cat, 0.0) for cat in config.CATEGORIES])
    base_mix[c["crash"]] = crash_mix
    c["category"] = draw(rng, base_mix)
    channel_mix = np.array([config.CHANNEL_MIX[lang] for lang in config.LANGUAGES])
    c["channel"] = draw(rng, channel_mix[c["lang"]])
    priority_mix = np.array([config.PRIORITY_MIX[cat] for cat in config.CATEGORIES])
    c["priority"] = draw(rng, priority_mix[c["category"]])
    c["kind"] = np.full(n, TICKET)
    chats = np.flatnonzero(c["channel"] == CHAT)
    affinity = np.array(config.BOT_AFFINITY)[c["category"][chats]]
    c["kind"][chats[pick_exact(rng, affinity, fx.BOT_RESOLVED_SHARE)]] = BOT_ONLY
    c["origin"] = np.full(n, BASE)
    c["parent"] = np.full(n, -1)
    return c


def _customers(
    rng: np.random.Generator, lang: np.ndarray, created: np.ndarray, scale: float
) -> np.ndarray:
    """Customer per contact, from the contact's language pool, base contacts >= 15 days apart."""
    sizes = pool_sizes(scale)
    starts = np.cumsum(sizes) - sizes
    cust = starts[lang] + rng.integers(0, sizes[lang])
    for _ in range(60):
        order = np.lexsort((created, cust))
        close = (cust[order][1:] == cust[order][:-1]) & (np.diff(created[order]) < MIN_GAP)
        bad = order[1:][close]
        if not len(bad):
            return cust
        cust[bad] = starts[lang[bad]] + rng.integers(0, sizes[lang[bad]])
    cust[bad] = sizes.sum() + np.arange(len(bad))  # a few new customers rather than a violation
    return cust


def pool_sizes(scale: float) -> np.ndarray:
    """Customers per language (their ids are consecutive, language by language)."""
    shares = np.array(config.LANGUAGE_SHARE)
    return np.maximum(1, np.round(customer_count(scale) * shares)).astype(np.int64)


def customer_count(scale: float) -> int:
    """Number of customers (all with product activity) at ``scale``."""
    return max(50, round(config.BASE_CUSTOMERS * scale))


def _followups(
    rng: np.random.Generator, c: Table, origin: int, parents: np.ndarray, delay: tuple[float, float]
) -> Table:
    """New contacts by the same customer about the same thing, ``delay`` seconds after the parent."""
    f = take(c, parents)
    f["created"] = f["created"] + rng.integers(int(delay[0]), int(delay[1]), len(parents))
    f["origin"] = np.full(len(parents), origin)
    f["parent"] = parents
    f["kind"] = np.full(len(parents), TICKET)
    f["crash"] = np.zeros(len(parents), dtype=bool)
    if origin != MERGED:
        f["channel"] = _not_chat(rng, f["lang"])
    return take(f, np.flatnonzero(f["created"] < clock.END))


def _not_chat(rng: np.random.Generator, lang: np.ndarray) -> np.ndarray:
    """A channel other than the in-app chat: follow-ups never enter the bot's funnel again."""
    mix = np.array([config.CHANNEL_MIX[code] for code in config.LANGUAGES])
    mix[:, CHAT] = 0.0
    return draw(rng, mix[lang])


def build_contacts(rng: np.random.Generator, scale: float) -> Table:
    """Every contact of the period, sorted by creation time."""
    c = _attributes(rng, _arrivals(rng, scale))
    c["customer"] = _customers(rng, c["lang"], c["created"], scale)
    base_ticket = (c["kind"] == TICKET) & (c["origin"] == BASE)
    repeat = base_ticket & (
        rng.random(len(base_ticket)) < np.array(config.REPEAT_SHARE)[c["category"]]
    )
    bots = np.flatnonzero(c["kind"] == BOT_ONLY)
    eligible = c["created"][bots] < clock.END - fx.FCR_WINDOW_DAYS * DAY
    back = np.zeros(len(bots), dtype=bool)
    back[eligible] = pick_exact(rng, np.ones(eligible.sum()), fx.BOT_FALSE_RESOLUTION_SHARE)
    back[~eligible] = rng.random((~eligible).sum()) < fx.BOT_FALSE_RESOLUTION_SHARE
    merged = (
        base_ticket & (c["channel"] == EMAIL) & (rng.random(len(base_ticket)) < config.MERGED_SHARE)
    )
    window = fx.FCR_WINDOW_DAYS * DAY - HOUR
    c = concat(
        c,
        _followups(rng, c, REPEAT, np.flatnonzero(repeat), (DAY / 2, window)),
        _followups(rng, c, COMEBACK, bots[back], (2 * HOUR, window)),
        _followups(rng, c, MERGED, np.flatnonzero(merged), (5 * 60, HOUR)),
    )
    order = np.argsort(c["created"], kind="stable")
    position = np.empty_like(order)
    position[order] = np.arange(len(order))
    c = take(c, order)
    c["parent"] = np.where(c["parent"] >= 0, position[np.maximum(c["parent"], 0)], -1)
    return c
