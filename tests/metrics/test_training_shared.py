"""The training page's two calls share one pass over the windows (``shared_cells``)."""

from __future__ import annotations

import polars as pl
from test_training import COURSE, SETTINGS, two_by_two

from metrics.core.filters import Filters
from metrics.training.impact import (
    shared_cells,
    training_agent_before_after,
    training_impact,
)
from metrics.training.stats import AFTER, BEFORE


def test_shared_cells_count_each_agents_contacts_per_period_and_stratum(make_wh):
    t = two_by_two()
    t.add("A1", "03-12", frt=10, channel="chat")  # a second stratum, after the course
    wh = make_wh(t.tables({"A1": "03-10", "A2": "03-10"}))
    cells, methods = shared_cells(wh, SETTINGS, Filters(), window_days=7)
    got = {
        (r["agent_id"], r["trained"], r["period"], r["stratum"]): r["contacts"]
        for r in cells.iter_rows(named=True)
    }
    # two tickets per agent and window (before 03-05/03-06, after 03-12/03-13), all
    # account|email|en; A1's chat ticket of 03-12 is its own stratum; the completion
    # day's two tickets (03-10) and the empty pre window give no cell
    email, chat = "account|email|en", "account|chat|en"
    expected = {
        (agent, agent.startswith("A"), period, email): 2
        for agent in ("A1", "A2", "B1", "B2")
        for period in (BEFORE, AFTER)
    } | {("A1", True, AFTER, chat): 1}
    assert got == expected
    assert set(cells["course"]) == {COURSE} and set(cells["cohort"].cast(pl.String)) == {
        "2026-03-10"
    }
    # FRT log sums: A1's chat ticket answered in 10 minutes -> ln(10)
    chat_row = cells.filter(pl.col("stratum") == chat)
    assert chat_row["n_frt"].item() == 1 and abs(chat_row["s_frt"].item() - 2.302585093) < 1e-9
    assert methods == {}  # no message was scored


def test_the_page_builds_the_windows_once_for_both_calls(make_wh):
    wh = make_wh(two_by_two().tables({"A1": "03-10", "A2": "03-10"}))
    queries: list[str] = []
    query = wh.query

    def counted(sql, params=None, frames=None):
        queries.append(sql)
        return query(sql, params, frames)

    wh.query = counted
    done = training_agent_before_after(wh, SETTINGS, Filters(), window_days=7)
    windows = [sql for sql in queries if "cohort_days" in sql]
    assert len(windows) == 1  # the shared cells; the other query lists the completions
    impact = training_impact(wh, SETTINGS, Filters(), course=COURSE, window_days=7, min_tickets=1)
    assert len([sql for sql in queries if "cohort_days" in sql]) == 1
    # A1 before 40, 40 -> after 20, 20 (geometric means); 2 contacts each side
    a1 = done.filter((pl.col("agent_id") == "A1") & (pl.col("kpi") == "frt")).row(0, named=True)
    assert (a1["n_before"], a1["n_after"]) == (2, 2)
    assert abs(a1["before"] - 40.0) < 1e-9 and abs(a1["after"] - 20.0) < 1e-9
    assert impact.filter(pl.col("kpi") == "csat")["trained_after"].item() == 4.5
    # another window is another pass
    training_impact(wh, SETTINGS, Filters(), course=COURSE, window_days=14)
    assert len([sql for sql in queries if "cohort_days" in sql]) == 2
