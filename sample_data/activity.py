"""Product activity: the days each customer used the wallet, with the retention effect planted.

Each customer is active on a random 15-45% of days. After a contact, the
customer lapses (no activity for 30 days, then an exponential tail or until
the next contact) with a share that depends on the experience: exactly
LAPSE_SHARE_BAD of bad contacts and LAPSE_SHARE_GOOD of good ones whose
30-day window lies inside the period. A contact that did not lapse is made
sure to show activity in its window, so the planted shares are what the rows show.
"""

from __future__ import annotations

import numpy as np

from sample_data import clock
from sample_data import effects as fx
from sample_data.contacts import pick_exact

DAYS = (clock.END - clock.START) // clock.DAY
WINDOW = fx.RETENTION_WINDOW_DAYS
_BLOCK = 50_000  # customers per block: bounds memory at large scales


def lapses(rng: np.random.Generator, day: np.ndarray, bad: np.ndarray) -> np.ndarray:
    """Which contacts lapse: exact shares among contacts whose window fits the period."""
    fits = day + WINDOW < DAYS
    out = np.zeros(len(day), dtype=bool)
    for flag, share in ((True, fx.LAPSE_SHARE_BAD), (False, fx.LAPSE_SHARE_GOOD)):
        group = np.flatnonzero(fits & (bad == flag))
        out[group] = pick_exact(rng, np.ones(len(group)), share)
        rest = np.flatnonzero(~fits & (bad == flag))
        out[rest] = rng.random(len(rest)) < share
    return out


def _lapse_ends(rng: np.random.Generator, customer: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Last dormant day of a lapse starting after each contact (if it lapses)."""
    order = np.lexsort((day, customer))
    nxt = np.full(len(day), DAYS + 365)
    same = customer[order][1:] == customer[order][:-1]
    nxt[order[:-1][same]] = day[order][1:][same]
    tail = rng.exponential(fx.LAPSE_EXTRA_DAYS_MEAN, len(day)).astype(np.int64)
    return np.maximum(day + WINDOW, np.minimum(day + WINDOW + tail, nxt - 1))


def _block(
    rng: np.random.Generator,
    n: int,
    customer: np.ndarray,
    day: np.ndarray,
    lapsed: np.ndarray,
    ends: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Active (customer, day) pairs of ``n`` customers whose contacts are given (local numbering)."""
    rate = rng.uniform(0.15, 0.45, n).astype(np.float32)
    active = rng.random((n, DAYS), dtype=np.float32) < rate[:, None]
    diff = np.zeros((n, DAYS + 2), dtype=np.int16)
    lap = np.flatnonzero(lapsed)
    np.add.at(diff, (customer[lap], np.minimum(day[lap] + 1, DAYS + 1)), 1)
    np.add.at(diff, (customer[lap], np.minimum(ends[lap] + 1, DAYS + 1)), -1)
    dormant = np.cumsum(diff, axis=1)[:, :DAYS] > 0
    active &= ~dormant
    need = np.flatnonzero(~lapsed & (day + WINDOW < DAYS))
    seen = np.concatenate(
        [np.zeros((n, 1), dtype=np.int32), np.cumsum(active, axis=1, dtype=np.int32)], axis=1
    )
    c, d = customer[need], day[need]
    empty = seen[c, d + WINDOW + 1] == seen[c, d + 1]
    c, d = c[empty], d[empty]
    window = d[:, None] + 1 + np.arange(WINDOW)[None, :]
    allowed = ~dormant[c[:, None], window]
    fixable = allowed.any(axis=1)
    active[c[fixable], window[fixable, allowed[fixable].argmax(axis=1)]] = True
    who, when = np.nonzero(active)
    return who, when


def activity_days(
    rng: np.random.Generator,
    n_customers: int,
    customer: np.ndarray,
    created: np.ndarray,
    bad: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(customer, day index) of every active day, and which contacts lapsed."""
    day = (created - clock.START) // clock.DAY
    lapsed = lapses(rng, day, bad)
    ends = _lapse_ends(rng, customer, day)
    who, when = [], []
    for first in range(0, n_customers, _BLOCK):
        n = min(_BLOCK, n_customers - first)
        mine = (customer >= first) & (customer < first + n)
        w, d = _block(rng, n, customer[mine] - first, day[mine], lapsed[mine], ends[mine])
        who.append(w + first)
        when.append(d)
    return np.concatenate(who), np.concatenate(when), lapsed
