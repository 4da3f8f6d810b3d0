"""Data health says whether the pages read facts built at load, and why not when they do not."""

from __future__ import annotations

import shutil

from dashboard.views.health import facts_note
from metrics.core.settings import Settings, load_settings
from metrics.facts import all_facts
from metrics.reports.fact_health import OLDER_DATA, SETTINGS_DIFFER, STORED, derived_facts
from warehouse.reader import ReadOnlyWarehouse
from warehouse.writer import open_for_write

SETTINGS = load_settings()


def test_after_a_load_every_fact_is_built_for_the_settings_in_use(demo_db):
    facts = derived_facts(ReadOnlyWarehouse(demo_db), SETTINGS)
    assert set(facts["state"]) == {STORED} and facts.height == len(all_facts(SETTINGS))
    assert facts_note(facts)[0] == "success"


def test_other_settings_or_a_write_without_upkeep_send_the_pages_to_first_use(demo_db, tmp_path):
    other = derived_facts(ReadOnlyWarehouse(demo_db), Settings(fcr_days=3))
    states = dict(other.select("fact", "state").rows())
    # the FCR window is in the contact fact and every fact built on it; not in the reply gaps
    assert states["contacts"] == states["negative_texts"] == SETTINGS_DIFFER
    assert states["agent_reply_gaps"] == states["coverage_presence_shifts"] == STORED
    level, note = facts_note(other)
    assert level == "warning" and "python -m etl facts --db PATH" in note
    db = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db, db)
    with open_for_write(db):
        pass
    assert set(derived_facts(ReadOnlyWarehouse(db), SETTINGS)["state"]) == {OLDER_DATA}
