"""dashboard.data's cache keys: the settings are told apart by their content (a digest of
their pickle, not Streamlit's slower walk of the dataclass), so a changed setting is never
served a result computed for other settings."""

from __future__ import annotations

from dataclasses import replace

from dashboard import data
from metrics.core.settings import Settings, load_settings

CALLS: list[Settings] = []


def _count(warehouse, settings: Settings) -> float:
    CALLS.append(settings)
    return settings.sla_minutes["urgent"]


def test_equal_settings_share_a_key_and_any_changed_field_changes_it():
    base = load_settings(None)
    assert data.settings_key(replace(base)) == data.settings_key(base)  # a new, equal object
    changed = [
        replace(base, sla_minutes={**base.sla_minutes, "urgent": 61.0}),  # inside a dict
        replace(base, default_hours=replace(base.default_hours, timezone="Europe/Berlin")),
        replace(base, small_sample=31),
    ]
    keys = {data.settings_key(s) for s in changed}
    assert len(keys) == 3 and data.settings_key(base) not in keys


def test_a_cached_call_is_computed_once_per_settings_content(tiny_db):
    CALLS.clear()
    base = load_settings(None)
    assert data.cached(_count, base) == 60.0
    assert data.cached(_count, replace(base)) == 60.0  # equal content: from the cache
    assert len(CALLS) == 1
    other = replace(base, sla_minutes={**base.sla_minutes, "urgent": 61.0})
    assert data.cached(_count, other) == 61.0  # computed anew, not the 60.0 of the base
    assert len(CALLS) == 2
