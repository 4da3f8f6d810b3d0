"""The dashboard on prebuilt facts (SUPPORT_FACTS): the same pages and figures as on the
warehouse file they were built from, and Data health names the engine that built them."""

from __future__ import annotations

from pathlib import Path

import pytest
from page_runner import open_page
from streamlit.testing.v1 import AppTest

from etl.lake import export_lake
from metrics.core.settings import load_settings
from metrics.engines.build import build_facts
from metrics.facts import all_facts

PAGES = ("pages/overview.py", "pages/response_times.py", "pages/explore.py")


@pytest.fixture(scope="module")
def demo_facts(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("prebuilt")
    export_lake(demo_db, root / "lake")
    return build_facts(root / "lake", root / "facts", load_settings(None), engine="duckdb").out


def shown(at: AppTest) -> list:
    """The page's tiles and tables (the explore page's rows come from the lake). A table's
    rows in a canonical order: rows that tie on a table's sort keys may come in either order,
    as from two warehouse files holding the same rows in another order."""
    assert not at.exception, at.exception
    tables = [sorted(d.value.astype(str).itertuples(index=False)) for d in at.dataframe]
    return [(m.label, m.value) for m in at.metric] + [len(at.dataframe), tables]


@pytest.mark.parametrize("page", PAGES)
def test_a_page_on_prebuilt_facts_shows_what_it_shows_on_the_warehouse_file(
    page, demo_db, demo_facts, clean_env, monkeypatch
):
    monkeypatch.setenv("SUPPORT_DB", str(demo_db))
    from_file = shown(open_page(page))
    monkeypatch.delenv("SUPPORT_DB")
    monkeypatch.setenv("SUPPORT_FACTS", str(demo_facts))
    from_facts = shown(open_page(page))
    assert from_file and from_facts == from_file


def test_data_health_says_which_engine_prebuilt_the_facts_and_when(
    demo_facts, clean_env, monkeypatch
):
    monkeypatch.setenv("SUPPORT_FACTS", str(demo_facts))
    at = open_page("pages/data_health.py")
    assert not at.exception, at.exception
    (note,) = [i.value for i in at.info if "prebuilt by" in i.value]
    assert note.startswith("Derived facts prebuilt by DuckDB ") and " UTC in " in note
    assert str(demo_facts.parent / "lake") in note
    count = len(all_facts(load_settings(None)))
    assert any(f"{count} derived facts that were prebuilt" in s.value for s in at.success)
