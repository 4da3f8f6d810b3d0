"""The conversation review rubric: categories with weights, a critical flag and a version.

It is part of the settings (``[quality]`` in ``metrics/core/default_settings.toml``
documents every key). The automatic scorer (``metrics.quality.scoring``) judges the
built-in categories; a category added here without an automatic judge is scored by
people only (``qa_reviews``). Every stored verdict and score records ``Rubric.label``,
the version the team gave the rubric plus a fingerprint of its content, so a weight
changed without bumping the version is still told apart.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

VERDICTS: tuple[str, ...] = ("yes", "no", "na", "not_scored")

# Minutes a customer may wait for an agent's reply, per channel (responsiveness).
DEFAULT_REPLY_TARGETS: dict[str, float] = {
    "chat": 10.0, "app": 10.0, "bot": 10.0, "wechat": 10.0, "qq": 10.0, "phone": 10.0,
    "social": 240.0, "email": 1440.0, "web": 1440.0,
}  # fmt: skip


class RubricError(ValueError):
    """A ``[quality]`` section that cannot be used; the message names the key."""


@dataclass(frozen=True)
class RubricCategory:
    """One rubric line: scale yes / no / not applicable, a weight, critical or not."""

    name: str
    label: str
    weight: float
    critical: bool = False
    description: str = ""


@dataclass(frozen=True)
class Rubric:
    """The review rubric and the thresholds its automatic judges use."""

    version: str = "1"
    categories: tuple[RubricCategory, ...] = ()
    pass_mark: float = 0.5
    reply_targets: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_REPLY_TARGETS))
    default_reply_target: float = 1440.0
    max_chars: int = 600
    max_cjk_chars: int = 200
    jargon: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    allowed_addresses: tuple[str, ...] = ()
    # (category, language) pairs a team trusts beyond the shipped coverage ([quality.trusted])
    trusted: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    @property
    def fingerprint(self) -> str:
        """Eight hex digits that change whenever any part of the rubric changes."""
        # an empty trust list leaves the fingerprint of rubrics scored before it existed
        text = repr(self) + (f"trusted={self.trusted!r}" if self.trusted else "")
        return hashlib.sha256(text.encode()).hexdigest()[:8]

    @property
    def label(self) -> str:
        """What a score records: the team's version and the content fingerprint, "1+3f9a0c2e"."""
        return f"{self.version}+{self.fingerprint}"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.categories)

    def category(self, name: str) -> RubricCategory | None:
        """The category called ``name``, or None when the rubric has none."""
        return next((c for c in self.categories if c.name == name), None)

    def reply_target(self, channel: str | None) -> float:
        """Minutes allowed for a reply on ``channel`` (the default for unknown channels)."""
        return self.reply_targets.get(channel or "", self.default_reply_target)


def _category(name: str, spec: Any, label: str) -> RubricCategory:
    if not isinstance(spec, dict):
        raise RubricError(f"{label}: [quality.categories.{name}] must be a table")
    try:
        weight = float(spec.get("weight", 1))
    except (TypeError, ValueError):
        raise RubricError(f"{label}: quality.categories.{name}.weight must be a number") from None
    if weight < 0:
        raise RubricError(f"{label}: quality.categories.{name}.weight must not be negative")
    return RubricCategory(
        name=name,
        label=str(spec.get("label", name.replace("_", " ").capitalize())),
        weight=weight,
        critical=bool(spec.get("critical", False)),
        description=str(spec.get("description", "")),
    )


def _strings(section: dict[str, Any], key: str, label: str) -> tuple[str, ...]:
    values = section.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise RubricError(f"{label}: {key} must be a list of strings")
    return tuple(v.strip() for v in values if v.strip())


TRUSTABLE_LANGUAGES: tuple[str, ...] = ("zh", "en", "es", "ru", "fr")


def _trusted(section: dict[str, Any], label: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for category in section:
        for language in _strings(section, category, label):
            if language not in TRUSTABLE_LANGUAGES:
                raise RubricError(
                    f"{label}: quality.trusted.{category}: {language!r} is not a language the"
                    f" judges read (expected some of {', '.join(TRUSTABLE_LANGUAGES)})"
                )
            pairs.append((category, language))
    return tuple(sorted(set(pairs)))


def rubric_from_dict(data: dict[str, Any], label: str = "settings") -> Rubric:
    """Build the Rubric from the parsed ``[quality]`` table (every key optional)."""
    categories = tuple(
        _category(name, spec, label) for name, spec in data.get("categories", {}).items()
    )
    if categories and not any(c.weight > 0 for c in categories):
        raise RubricError(f"{label}: quality.categories: at least one weight must be above 0")
    replies = data.get("responsiveness", {})
    readability = data.get("readability", {})
    security = data.get("security", {})
    targets = {k: float(v) for k, v in replies.items() if k != "default"}
    return Rubric(
        version=str(data.get("version", "1")),
        categories=categories,
        pass_mark=float(data.get("pass_mark", 0.5)),
        reply_targets=DEFAULT_REPLY_TARGETS | targets,
        default_reply_target=float(replies.get("default", 1440)),
        max_chars=int(readability.get("max_chars", 600)),
        max_cjk_chars=int(readability.get("max_cjk_chars", 200)),
        jargon=_strings(readability, "jargon", label),
        allowed_domains=tuple(d.lower() for d in _strings(security, "allowed_domains", label)),
        allowed_addresses=_strings(security, "allowed_addresses", label),
        trusted=_trusted(data.get("trusted", {}), label),
    )


def review_score(verdicts: dict[str, str], rubric: Rubric) -> float | None:
    """Weighted mean of the categories that apply (yes = 1, no = 0), or 0 when a critical
    category failed; None when no weighted category applies.

    Categories with verdict na or not_scored, or not in the rubric, do not count.
    """
    weight = passed = 0.0
    for category in rubric.categories:
        verdict = verdicts.get(category.name)
        if verdict == "no" and category.critical:
            return 0.0
        if verdict in ("yes", "no") and category.weight > 0:
            weight += category.weight
            passed += category.weight if verdict == "yes" else 0.0
    return passed / weight if weight else None
