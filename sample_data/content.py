"""Message templates in five languages, read from sample_data/templates/<lang>.toml.

A template class ("customer.open", "agent.first", ...) holds either one list of
texts or one list per ticket category. Messages pick a template by index
arithmetic (class, language, category -> a slice of one flat text array), so
choosing 10 million bodies is a few numpy operations, and macros repeat the way
real agents' macros do.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from sample_data.config import CATEGORIES, LANGUAGES

TEMPLATE_DIR = Path(__file__).parent / "templates"
CLASSES = (
    "customer.open",
    "customer.human",
    "customer.nudge",
    "customer.reply",
    "customer.thanks",
    "customer.reopen",
    "customer.repeat",
    "customer.merged",
    "customer.bot_ok",
    "customer.seed",
    "customer.key",
    "agent.first",
    "agent.reply",
    "agent.final",
    "agent.reopen",
    "bot.greeting",
    "bot.article",
    "bot.closing",
    "system.handover",
    "survey.positive",
    "survey.neutral",
    "survey.negative",
    "subject",
    # Quality review effects (sample_data/quality.py), appended so earlier codes stay put.
    "agent.quality.first_bare",
    "agent.quality.first_cold",
    "agent.quality.first_warm",
    "agent.quality.reply_cold",
    "agent.quality.final_bare",
    "agent.quality.seed_ask",
    # The negative-feedback surge after a release (sample_data/surge.py).
    "customer.complaint",
)
CODE = {name: i for i, name in enumerate(CLASSES)}
_GENERIC = len(CATEGORIES)  # category slot used by classes that have one list for all


@dataclass(frozen=True)
class Content:
    """All templates as one flat array plus (class, language, category) -> slice tables."""

    texts: np.ndarray  # object array of template strings
    offsets: np.ndarray  # (classes, languages, categories + 1)
    counts: np.ndarray
    per_category: np.ndarray  # (classes,) bool
    data: dict[str, dict]  # the parsed TOML per language (names and value pools)

    def choose(
        self, rng: np.random.Generator, cls: np.ndarray, lang: np.ndarray, cat: np.ndarray
    ) -> np.ndarray:
        """Index into ``texts`` of a random template of each (class, language, category)."""
        cat_slot = np.where(self.per_category[cls], cat, _GENERIC)
        n = self.counts[cls, lang, cat_slot]
        pick = (rng.random(len(cls)) * n).astype(np.int64)
        return self.offsets[cls, lang, cat_slot] + np.minimum(pick, n - 1)

    def pool(self, lang: int, name: str) -> list[str]:
        """A value pool of one language ([values] in its TOML), e.g. devices or greetings."""
        return self.data[LANGUAGES[lang]]["values"][name]

    def agent_names(self, rng: np.random.Generator, teams: list[str]) -> list[tuple[str, str]]:
        """Distinct (full name, given name) per agent, drawn from the team language's name lists."""
        out: list[tuple[str, str]] = [("", "")] * len(teams)
        for code in sorted(set(teams)):
            names = self.data[code]["names"]
            given, family = names["agent_given"], names["agent_family"]
            members = [i for i, t in enumerate(teams) if t == code]
            pool = len(given) * len(family)  # distinct names first; large rosters repeat some
            combos = np.resize(rng.permutation(pool), len(members))
            for i, combo in zip(members, combos, strict=True):
                g, f = given[combo % len(given)], family[combo // len(given)]
                full = f"{f}{g}" if names.get("family_first") else f"{g} {f}"
                out[i] = (full, g)
        return out


def _entries(section: object, cls: str, lang: str) -> dict[int, list[str]]:
    """Category slot -> texts for one class in one language; raises on a gap."""
    if isinstance(section, list):
        return {_GENERIC: [str(t) for t in section]}
    if not isinstance(section, dict):
        raise ValueError(f"templates/{lang}.toml: {cls} must be a list or a table of lists")
    missing = [c for c in CATEGORIES if not section.get(c)]
    if missing:
        raise ValueError(f"templates/{lang}.toml: {cls} has no texts for {', '.join(missing)}")
    return {i: [str(t) for t in section[c]] for i, c in enumerate(CATEGORIES)}


@cache
def load_content() -> Content:
    """Read and check every language's templates (cached: they never change at run time)."""
    data = {
        lang: tomllib.loads((TEMPLATE_DIR / f"{lang}.toml").read_text(encoding="utf-8"))
        for lang in LANGUAGES
    }
    shape = (len(CLASSES), len(LANGUAGES), len(CATEGORIES) + 1)
    offsets, counts = np.zeros(shape, dtype=np.int64), np.zeros(shape, dtype=np.int64)
    per_category = np.zeros(len(CLASSES), dtype=bool)
    texts: list[str] = []
    for c, cls in enumerate(CLASSES):
        for l_idx, lang in enumerate(LANGUAGES):
            section: object = data[lang]
            for part in cls.split("."):  # "agent.quality.seed_ask" -> [agent.quality] seed_ask
                section = section.get(part) if isinstance(section, dict) else None
            if section is None:
                raise ValueError(f"templates/{lang}.toml: {cls} is missing")
            for slot, items in _entries(section, cls, lang).items():
                if not items:
                    raise ValueError(f"templates/{lang}.toml: {cls} is empty")
                per_category[c] |= slot != _GENERIC
                offsets[c, l_idx, slot], counts[c, l_idx, slot] = len(texts), len(items)
                texts += items
    return Content(np.array(texts, dtype=object), offsets, counts, per_category, data)
