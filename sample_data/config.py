"""Base rates of the simulated support operation: volumes, mixes, teams, shifts, timings.

These are the "normal" behaviour the planted effects (sample_data.effects) stand out from.
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE = "demo"
BASE_CUSTOMERS = 12_000
BASE_CONTACTS_PER_DAY = 137.0  # new contacts a day at scale 1 (tickets and bot-only chats)
TREND_GROWTH = 0.25  # volume grows 25% over the period
WEEKDAY_FACTOR = (1.10, 1.02, 1.0, 1.0, 0.95, 0.80, 0.85)  # Monday first

LANGUAGES = ("zh", "en", "es", "ru", "fr")
LANGUAGE_SHARE = (0.30, 0.30, 0.15, 0.12, 0.13)

CHANNELS = ("email", "chat", "web", "social", "wechat", "qq")
CHAT_LIKE = ("chat", "wechat", "qq")
# Channel mix per language, in CHANNELS order; "chat" is the in-app chat the bot answers first.
CHANNEL_MIX = {
    "zh": (0.16, 0.30, 0.10, 0.02, 0.30, 0.12),
    "en": (0.33, 0.38, 0.17, 0.12, 0.0, 0.0),
    "es": (0.30, 0.40, 0.15, 0.15, 0.0, 0.0),
    "ru": (0.32, 0.40, 0.18, 0.10, 0.0, 0.0),
    "fr": (0.36, 0.38, 0.18, 0.08, 0.0, 0.0),
}

CATEGORIES = (
    "transfer_stuck",
    "gas_fees",
    "swap_failed",
    "token_missing",
    "security",
    "seed_phrase_lost",
    "staking",
    "app_crash",
    "account",
)
CATEGORY_MIX = (0.22, 0.12, 0.11, 0.13, 0.06, 0.05, 0.08, 0.10, 0.13)
# Chance that a ticket is not resolved first time and the customer writes again within 7 days.
REPEAT_SHARE = (0.14, 0.06, 0.12, 0.08, 0.18, 0.15, 0.07, 0.12, 0.08)
# How often the bot manages a category alone (relative weight for picking bot-resolved chats).
BOT_AFFINITY = (0.8, 1.6, 1.0, 1.8, 0.15, 0.6, 1.4, 1.0, 1.2)
# Priority mix per category: (low, normal, high, urgent).
PRIORITY_MIX = {
    "transfer_stuck": (0.05, 0.55, 0.35, 0.05),
    "gas_fees": (0.35, 0.60, 0.05, 0.0),
    "swap_failed": (0.10, 0.65, 0.25, 0.0),
    "token_missing": (0.30, 0.65, 0.05, 0.0),
    "security": (0.0, 0.0, 0.15, 0.85),
    "seed_phrase_lost": (0.0, 0.20, 0.60, 0.20),
    "staking": (0.30, 0.65, 0.05, 0.0),
    "app_crash": (0.10, 0.60, 0.30, 0.0),
    "account": (0.35, 0.60, 0.05, 0.0),
}
PRIORITIES = ("low", "normal", "high", "urgent")
PRIORITY_FRT = (1.2, 1.0, 0.7, 0.35)

# Daytime first response: median minutes and log-normal sigma per channel.
FRT_MEDIAN_MIN = {
    "email": 300.0,
    "chat": 3.0,
    "web": 240.0,
    "social": 45.0,
    "wechat": 8.0,
    "qq": 10.0,
}
FRT_SIGMA = {"email": 0.9, "chat": 0.7, "web": 0.9, "social": 0.9, "wechat": 0.8, "qq": 0.8}
MIN_FRT_SECONDS = 20
MAX_FRT_SECONDS = 6 * 86400  # before coverage gaps (weekends) add to it
# Customer/agent turn gaps after the first reply: median seconds, sigma.
CUSTOMER_GAP = {"chat": (60.0, 0.8), "mail": (4 * 3600.0, 1.1)}
AGENT_GAP = {"chat": (90.0, 0.7), "mail": (2 * 3600.0, 1.0)}
# Exchanges (customer message + agent reply) after the first: 1 + Poisson(mean).
EXTRA_EXCHANGES = {"email": 1.4, "web": 1.2, "social": 1.0, "chat": 6.0, "wechat": 4.5, "qq": 4.5}
THANKS_SHARE = 0.45
UNANSWERED_SHARE = 0.015
MERGED_SHARE = 0.005  # of e-mail tickets: the customer wrote twice, the copy is merged
SURVEY_RESPONSE = {
    "email": 0.25,
    "chat": 0.35,
    "web": 0.25,
    "social": 0.15,
    "wechat": 0.30,
    "qq": 0.30,
}
AUTO_CLOSE_DAYS = 4

# Arrivals by local hour (0-23), relative; English contacts come from every time zone.
HOURLY = (
    0.30, 0.22, 0.18, 0.16, 0.18, 0.25, 0.40, 0.60, 0.85, 1.00, 1.10, 1.15,
    1.10, 1.10, 1.15, 1.15, 1.10, 1.05, 1.05, 1.10, 1.15, 1.10, 0.90, 0.60,
)  # fmt: skip
HOURLY_FLATTEN = {"en": 0.6}


@dataclass(frozen=True)
class ShiftTemplate:
    """Agents working the same local hours; days off rotate so the slot is never empty."""

    start_hour: int
    hours: int
    agents: int
    weekends: bool = True
    night_rotation: bool = False  # exactly one of the agents on shift each day


@dataclass(frozen=True)
class Team:
    """A language team: its helpdesk group, time zone, spoken languages and shifts."""

    code: str
    group: str
    timezone: str
    languages: tuple[str, ...]
    templates: tuple[ShiftTemplate, ...]


T = ShiftTemplate
TEAMS = (
    Team("zh", "Support - Chinese", "Asia/Shanghai", ("zh", "en"), (T(0, 6, 2, night_rotation=True), T(6, 8, 3), T(10, 8, 2), T(16, 8, 3))),
    Team("en", "Support - English", "Europe/London", ("en",), (T(6, 8, 4), T(14, 8, 4), T(22, 8, 2))),
    Team("es", "Support - Spanish", "Europe/Madrid", ("es", "en"), (T(7, 8, 2), T(15, 8, 2), T(23, 8, 2))),
    Team("ru", "Support - Russian", "Europe/Moscow", ("ru", "en"), (T(8, 9, 3, weekends=False), T(12, 9, 3, weekends=False))),
    Team("fr", "Support - French", "Europe/Paris", ("fr", "en"), (T(8, 8, 4), T(14, 8, 4))),
)  # fmt: skip
TEAM_INDEX = {team.code: i for i, team in enumerate(TEAMS)}
SECURITY_GROUP = "Security"
