"""Export cells (strings) to typed canonical values: text, enums, numbers, booleans, lists.

Every function takes a whole ``pl.Series`` of strings (nulls allowed, values
not yet stripped) and returns a Series of the target type. A non-null value
that cannot be read comes back null, so the loader can quarantine the row by
comparing input-not-null with output-null. Work is done with Polars
expressions; Python runs only over the distinct values of a JSON list column
that Polars cannot decode in one go.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from types import MappingProxyType

import polars as pl

_FOLD = r"[\s_\-]+"

# fmt: off
SYNONYMS: dict[str, dict[str, str]] = {
    "status": {
        "new": "new", "unopened": "new", "unassigned": "new",
        "open": "open", "reopened": "open", "in progress": "open", "assigned": "open",
        "pending": "pending", "Pending Customer Response": "pending",
        "waiting on customer": "pending", "waiting for customer": "pending",
        "awaiting customer": "pending", "awaiting reply": "pending",
        "hold": "hold", "on-hold": "hold", "on hold": "hold", "waiting on third party": "hold",
        "solved": "solved", "resolved": "solved", "done": "solved", "fixed": "solved",
        "closed": "closed", "archived": "closed",
    },
    "priority": {
        "low": "low", "lowest": "low", "p4": "low",
        "normal": "normal", "medium": "normal", "moderate": "normal", "p3": "normal",
        "high": "high", "p2": "high",
        "urgent": "urgent", "critical": "urgent", "highest": "urgent", "emergency": "urgent",
        "p1": "urgent",
    },
    "channel": {
        "email": "email", "e-mail": "email", "mail": "email", "outbound email": "email",
        "chat": "chat", "live chat": "chat", "messaging": "chat", "in-app chat": "chat",
        "native_messaging": "chat", "whatsapp": "chat",
        "web": "web", "web form": "web", "webform": "web", "form": "web", "portal": "web",
        "feedback widget": "web", "contact form": "web",
        "app": "app", "mobile app": "app", "in-app": "app", "mobile": "app", "mobile_sdk": "app",
        "social": "social", "social media": "social", "twitter": "social", "facebook": "social",
        "x": "social", "instagram": "social",
        "wechat": "wechat", "weixin": "wechat", "微信": "wechat",
        "qq": "qq",
        "phone": "phone", "voice": "phone", "call": "phone", "telephone": "phone",
        "bot": "bot", "chatbot": "bot",
    },
    "sender_type": {
        "customer": "customer", "end-user": "customer", "end_user": "customer",
        "requester": "customer", "user": "customer", "client": "customer",
        "visitor": "customer", "contact": "customer",
        "agent": "agent", "admin": "agent", "staff": "agent", "support": "agent",
        "human": "agent", "operator": "agent",
        "bot": "bot", "chatbot": "bot", "automation": "bot", "ai": "bot",
        "system": "system", "action": "system", "note": "system",
    },
    "field": {
        "status": "status",
        "assignee": "assignee", "assignee_id": "assignee",
        "priority": "priority",
        "group": "group", "group_id": "group",
    },
}
# fmt: on


def _fold(key: str) -> str:
    """A synonym key as compared: lower case, no whitespace, underscores or hyphens."""
    return re.sub(_FOLD, "", key.lower())


_FOLDED: dict[str, dict[str, str]] = {
    field: {_fold(spelling): value for spelling, value in table.items()}
    for field, table in SYNONYMS.items()
}


def normalize_text(values: pl.Series) -> pl.Series:
    """Strip surrounding whitespace; an empty cell becomes null. Inner newlines are kept."""
    text = values.cast(pl.String).str.strip_chars()
    return text.set(text == "", None)


def _lookup(keys: pl.Series, table: Mapping[str, str]) -> pl.Series:
    """``table[key]`` per value, null where the key is absent."""
    if not table:
        return pl.repeat(None, len(keys), dtype=pl.String, eager=True)
    return keys.replace_strict(dict(table), default=None, return_dtype=pl.String)


_NO_OVERRIDES: Mapping[str, str] = MappingProxyType({})


def normalize_enum(
    values: pl.Series, field: str, overrides: Mapping[str, str] = _NO_OVERRIDES
) -> pl.Series:
    """Canonical value of an enum column (status, priority, channel, sender_type, field).

    Tried in order: ``overrides`` (the mapping's [values.FIELD]) on the stripped
    value exactly, then ignoring case; SYNONYMS ignoring case, whitespace,
    underscores and hyphens; else the stripped value lower-cased, which
    validation rejects if it is not allowed. Fields without synonyms (language,
    category ...) get their overrides and are otherwise only stripped.
    """
    text = normalize_text(values)
    lowered = text.str.to_lowercase()
    candidates = [
        _lookup(text, {key.strip(): value for key, value in overrides.items()}),
        _lookup(lowered, {k.strip().lower(): v for k, v in reversed(list(overrides.items()))}),
    ]
    if field in _FOLDED:
        candidates += [_lookup(lowered.str.replace_all(_FOLD, ""), _FOLDED[field]), lowered]
    else:
        candidates.append(text)
    return pl.select(pl.coalesce(candidates)).to_series().alias(values.name)


def parse_int(values: pl.Series) -> pl.Series:
    """Int64; '3', ' 3 ' and '3.0' read as 3, while '3.5' and 'abc' are unreadable (null)."""
    text = normalize_text(values)
    number = text.cast(pl.Float64, strict=False)
    whole = number.is_finite() & (number == number.floor()) & (number.abs() < 2**53)
    from_float = number.set(~whole.fill_null(False), None).cast(pl.Int64)
    return text.cast(pl.Int64, strict=False).fill_null(from_float).alias(values.name)


def parse_float(values: pl.Series) -> pl.Series:
    """Float64; 'nan' and 'inf' count as unreadable (null), since no canonical figure can be one."""
    number = normalize_text(values).cast(pl.Float64, strict=False)
    return number.set(~number.is_finite().fill_null(True), None).alias(values.name)


_BOOLS = {
    **dict.fromkeys(("true", "t", "yes", "y", "1", "on"), True),
    **dict.fromkeys(("false", "f", "no", "n", "0", "off"), False),
}


def parse_bool(values: pl.Series) -> pl.Series:
    """Boolean from true/false, t/f, yes/no, y/n, 1/0, on/off in any case."""
    lowered = normalize_text(values).str.to_lowercase()
    return lowered.replace_strict(_BOOLS, default=None, return_dtype=pl.Boolean).alias(values.name)


def _json_arrays(texts: pl.Series) -> pl.Series:
    """Distinct '[...]' texts as List(String): JSON arrays, or a bracketed comma list as fallback."""
    try:
        return texts.str.json_decode(pl.List(pl.String))
    except pl.exceptions.PolarsError:
        return pl.Series([_one_array(text) for text in texts], dtype=pl.List(pl.String))


def _one_array(text: str) -> list[str]:
    """One '[...]' text: a JSON array's items as text, else "['a', 'b']" split on commas."""
    try:
        items = json.loads(text)
    except ValueError:
        return [item.strip().strip("'\"") for item in text[1:-1].split(",")]
    if not isinstance(items, list):
        return [text]
    return [
        item if isinstance(item, str) else json.dumps(item) for item in items if item is not None
    ]


def parse_list(values: pl.Series, separator: str = ",") -> pl.Series:
    """List(String) from a JSON array text ('["a","b"]', '[]') or a ``separator``-separated list.

    Items are stripped and empty items dropped; case is kept. An empty cell is
    null, '[]' an empty list.
    """
    text = normalize_text(values)
    bracketed = text.filter(text.str.starts_with("[") & text.str.ends_with("]")).unique()
    decoded = pl.DataFrame({"text": bracketed, "json": _json_arrays(bracketed)})
    frame = pl.DataFrame({"text": text}).join(decoded, on="text", how="left", maintain_order="left")
    items = pl.coalesce(pl.col("json"), pl.col("text").str.split(separator))
    items = items.list.eval(pl.element().str.strip_chars()).list.eval(
        pl.element().filter(pl.element() != "")
    )
    return frame.select(items.alias(values.name)).to_series()
