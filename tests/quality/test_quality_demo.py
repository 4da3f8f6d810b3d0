"""The quality figures recover the demo's planted quality behaviour (sample_data/quality.py,
effects (i) and (j) of sample_data/README.md) on the shared demo warehouse (seed 7, scale 0.5).

Planted: one es and one ru agent open every first reply without a greeting; one en and one zh
agent end without a closing; a fr agent takes "Empathy in writing" and only then thanks,
apologises or sympathises; SEED_ASKS_PER_SCALE x scale tickets where an agent asks for the seed
phrase; people's reviews that follow what the texts say, with slips and one reviewer who
passes every closing.

The demo is read as a team that checked every judge against its own reviewers and trusts
them in every language (``[quality.trusted]``, tests/fixtures/quality/trust_all.toml): a copy
of the shared demo rescored with it. The shipped coverage (most judges "not scored" on text
nobody here tuned them on, docs/qa.md) is what the plain demo shows; the last test checks it.
"""

from __future__ import annotations

import importlib.util
import shutil
from functools import cache
from pathlib import Path

import polars as pl
import pytest

from etl.quality.rescore import rescore_quality
from metrics.agents.scorecard import agent_scorecard
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.quality.failures import qa_failures
from metrics.quality.reviews import (
    qa_agreement,
    qa_calibration,
    qa_disagreements,
    qa_internal_score,
)
from metrics.quality.scores import qa_auto_score, qa_category_scores
from metrics.training.impact import training_impact
from sample_data import effects as fx
from sample_data import quality
from sample_data.conversations import seed_ask_tickets
from sample_data.world import simulate
from warehouse.reader import ReadOnlyWarehouse


def _demo_scale() -> float:
    """tests/conftest.py's DEMO_SCALE (imported by path: every test folder's conftest is
    called "conftest")."""
    path = Path(__file__).parents[1] / "conftest.py"
    spec = importlib.util.spec_from_file_location("_root_conftest", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.DEMO_SCALE


DEMO_SCALE = _demo_scale()
ROOT = Path(__file__).resolve().parents[2]
SETTINGS = load_settings(ROOT / "tests" / "fixtures" / "quality" / "trust_all.toml")
ALL = Filters()


@cache
def _world():  # noqa: ANN202 - the simulated world of the shared demo
    return simulate(7, DEMO_SCALE)


def _ids(numbers) -> set[str]:  # noqa: ANN001
    return {str(_world().roster.ids[i]) for i in numbers}


@pytest.fixture(scope="module")
def trusted_demo(demo_db, tmp_path_factory) -> Path:
    """A copy of the shared demo rescored with every judge trusted."""
    path = tmp_path_factory.mktemp("trusted") / "demo.duckdb"
    shutil.copyfile(demo_db, path)
    rescore_quality(path, SETTINGS)
    return path


@pytest.fixture(scope="module")
def wh(trusted_demo) -> ReadOnlyWarehouse:
    return ReadOnlyWarehouse(trusted_demo)


def test_the_plain_demo_shows_the_shipped_coverage(demo_db) -> None:
    # Closing is scored in en only (docs/qa.md, blind6): the plain demo's closing verdicts are
    # not_scored in every other language and never not_scored in en. Security is scored in es
    # only; elsewhere its failures are kept (FAILURES_KEPT), so there its verdicts are "no"
    # (the planted seed-phrase asks) or not_scored, never "yes".
    plain = ReadOnlyWarehouse(demo_db)
    verdicts = plain.query(
        "SELECT category, language = 'en' AS is_en, language = 'es' AS is_es, verdict,"
        " count(*) AS n FROM qa_verdicts WHERE category IN ('closing', 'security') GROUP BY ALL"
    )
    closing = verdicts.filter(pl.col("category") == "closing")
    assert set(closing.filter(~pl.col("is_en").fill_null(False))["verdict"]) == {"not_scored"}
    en_closing = set(closing.filter(pl.col("is_en").fill_null(False))["verdict"])
    assert "not_scored" not in en_closing and {"yes", "no"} <= en_closing
    security = verdicts.filter(pl.col("category") == "security")
    assert set(security.filter(~pl.col("is_es").fill_null(False))["verdict"]) == {
        "no",
        "not_scored",
    }
    assert "not_scored" not in set(security.filter(pl.col("is_es").fill_null(False))["verdict"])


@pytest.fixture(scope="module")
def by_agent(wh) -> pl.DataFrame:
    return qa_category_scores(wh, SETTINGS, ALL, by="agent")


def _rates(by_agent: pl.DataFrame, category: str) -> dict[str, float]:
    rows = by_agent.filter(pl.col("category") == category, pl.col("n") >= 30)
    return dict(zip(rows["agent"], rows["value"], strict=True))


def test_the_greeting_skippers_never_greet_and_every_other_agent_mostly_does(by_agent) -> None:
    cast = quality.world_cast(_world())
    skippers = _ids(cast.greeting_skippers)
    rates = _rates(by_agent, "greeting")
    assert skippers <= set(rates)
    assert all(rates[a] == 0.0 for a in skippers)
    assert min(v for a, v in rates.items() if a not in skippers) >= 0.8


def test_the_closing_skippers_are_the_two_agents_that_close_least(by_agent) -> None:
    cast = quality.world_cast(_world())
    skippers = _ids(cast.closing_skippers)
    rates = _rates(by_agent, "closing")
    assert all(rates[a] <= 0.15 for a in skippers)
    assert min(v for a, v in rates.items() if a not in skippers) >= 0.4
    assert set(sorted(rates, key=rates.get)[:2]) == skippers


def test_every_seed_phrase_ask_and_nothing_else_is_a_critical_failure_listed_first(wh) -> None:
    planted = set(seed_ask_tickets(_world()))
    assert len(planted) == max(3, round(fx.SEED_ASKS_PER_SCALE * DEMO_SCALE))
    security = qa_failures(wh, SETTINGS, ALL, category="security")
    assert set(security["conversation_id"]) == planted
    assert security["evidence"].str.starts_with("asks for a secret").all()
    everything = qa_failures(wh, SETTINGS, ALL, limit=50)
    head = everything.head(len(planted))
    assert head["critical"].all() and set(head["conversation_id"]) == planted
    scores = qa_auto_score(wh, SETTINGS, ALL)
    assert scores["critical_failures"][0] == len(planted)


def test_the_empathy_course_moves_empathy_and_the_other_courses_do_not(wh) -> None:
    # One trained agent at scale 0.5 has ~22 contacts in a 28-day window (below the minimum);
    # 56-day windows hold what 28 days hold at scale 1 (as in test_training_demo.py).
    impact = training_impact(wh, SETTINGS, ALL, quality="empathy", window_days=56)
    rows = {r["course"]: r for r in impact.filter(pl.col("kpi") == "quality").iter_rows(named=True)}
    empathy = rows[fx.EMPATHY_COURSE]
    assert empathy["absolute"] > 0.5 and empathy["absolute_ci_low"] > 0.4
    for course in (fx.TRAINING_COURSE, fx.PLACEBO_COURSE):
        assert rows[course]["absolute_ci_low"] < 0 < rows[course]["absolute_ci_high"], course


def test_the_greeting_skippers_scorecard_puts_greeting_among_the_weakest_areas(wh) -> None:
    cast = quality.world_cast(_world())
    agent = sorted(_ids(cast.greeting_skippers))[0]
    card = agent_scorecard(wh, SETTINGS, ALL, agent=agent)
    greeting = card.filter(pl.col("figure") == "qa_greeting")
    assert greeting["value"][0] == 0.0 and greeting["team_median"][0] > 0.8
    assert "qa_greeting" in card["figure"].head(3).to_list()


def test_peoples_reviews_are_loaded_with_the_seed_asks_as_critical_failures(wh) -> None:
    iqs = qa_internal_score(wh, SETTINGS, ALL)
    row = iqs.row(0, named=True)
    assert row["reviewers"] == len(fx.QA_REVIEWERS)
    assert row["conversations"] >= round(fx.QA_REVIEWED_PER_SCALE * DEMO_SCALE)
    assert row["critical_failures"] >= len(seed_ask_tickets(_world()))
    assert 0.5 < row["score"] < 1.0


def test_calibration_finds_the_lenient_reviewers_closing(wh) -> None:
    calibration = qa_calibration(wh, SETTINGS, ALL)
    kappa = dict(zip(calibration["category"], calibration["kappa"], strict=True))
    assert kappa["closing"] < 0.6
    assert kappa["greeting"] > 0.75 and kappa["empathy"] > 0.75


def test_automatic_and_people_agree_where_reviewers_read_the_texts(wh) -> None:
    agreement = qa_agreement(wh, SETTINGS, ALL)
    kappa = dict(zip(agreement["category"], agreement["kappa"], strict=True))
    assert kappa["greeting"] > 0.8 and kappa["empathy"] > 0.75
    worst = qa_disagreements(wh, SETTINGS, ALL)
    assert worst["category"][0] == "closing"
    assert worst["direction"][0] == "stricter than people"
