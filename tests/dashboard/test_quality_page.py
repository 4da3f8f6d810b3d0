"""The Quality review page, run headless with AppTest on the demo warehouse."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from page_runner import metric_value, open_page

from dashboard.tiles import format_value
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.quality.reviews import qa_internal_score
from metrics.quality.scores import qa_auto_score
from metrics.quality.scoring import SCORER_VERSION
from warehouse.reader import ReadOnlyWarehouse

PAGE = "pages/quality.py"
HEADERS = [
    "Scores by category",
    "Scores by agent, team or week",
    "Conversations that failed a category",
    "Automatic review against people's reviews",
]


@pytest.fixture(scope="module")
def figures(demo_db: Path) -> dict:
    wh, settings = ReadOnlyWarehouse(demo_db), load_settings(None)
    try:
        return {
            "auto": qa_auto_score(wh, settings, Filters()).row(0, named=True),
            "people": qa_internal_score(wh, settings, Filters()).row(0, named=True),
        }
    finally:
        wh.close()


def failure_titles(at) -> list[str]:  # noqa: ANN001
    return [e.label for e in at.expander if not e.label.startswith("Definition")]


def test_the_page_shows_the_scores_the_metrics_give_and_critical_failures_first(demo, figures):
    at = open_page(PAGE, {"period": "all"})
    assert not at.exception
    assert at.title[0].value == "Quality review"
    assert [h.value for h in at.header] == HEADERS
    auto, people = figures["auto"], figures["people"]
    assert metric_value(at, "Quality score (automatic)") == format_value(auto["score"], "share")
    assert metric_value(at, "Critical failures") == format_value(auto["critical_failures"], "count")
    assert metric_value(at, "Internal quality score (people)") == format_value(
        people["score"], "share"
    )
    titles = failure_titles(at)
    assert titles[0].startswith("Critical · Security hygiene")
    assert len(titles) == 10
    assert any(
        m.value.startswith("[Open the whole conversation ↗](") for m in at.markdown
    )  # the transcript one click away
    assert len(at.get("plotly_chart")) == 2


def test_a_category_narrows_the_failures_and_a_group_changes_the_breakdown(demo):
    at = open_page(PAGE, {"period": "all"})
    at.selectbox(key="quality_category").set_value("greeting").run()
    assert not at.exception
    titles = failure_titles(at)
    assert titles and all(t.split(" · ")[0] == "Greeting" for t in titles)
    at.segmented_control(key="quality_group").set_value("team").run()
    assert not at.exception
    grid = next(d.value for d in at.dataframe if "team" in d.value.columns)
    assert set(grid["team"]) == {"zh", "en", "es", "ru", "fr"}


def test_an_opened_conversation_lists_its_verdicts(demo):
    at = open_page(PAGE, {"period": "all"})
    link = next(m.value for m in at.markdown if m.value.startswith("[Open the whole"))
    contact = link.split("contact=")[1].split("&")[0].split(")")[0].replace("%3A", ":")
    opened = open_page(PAGE, {"period": "all", "contact": contact})
    assert not opened.exception
    verdicts = next(d.value for d in opened.dataframe if "verdict" in d.value.columns)
    assert "Security hygiene" in verdicts["label"].tolist()
    assert "no" in verdicts["verdict"].tolist()


def test_scores_from_an_older_scorer_are_named_with_the_rescore_command(
    demo_db: Path, clean_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The plain demo was scored by this version: no warning. A copy whose stored scores say
    # "secrets-5" (the scorer before the blind splits changed the coverage) gets one line
    # naming it, this version and the command; every conversation of the copy counts.
    copy = tmp_path / "old.duckdb"
    shutil.copyfile(demo_db, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("UPDATE qa_scores SET scorer_version = 'secrets-5'")
        total = con.execute("SELECT count(*) FROM qa_scores").fetchone()[0]
    monkeypatch.setenv("SUPPORT_DB", str(copy))
    at = open_page(PAGE, {"period": "all"})
    warnings = [w.value for w in at.warning if "older scorer" in w.value]
    assert warnings == [
        f"{total:,} conversations were scored by an older scorer (secrets-5) than this "
        f"version's ({SCORER_VERSION}), whose judges or coverage (docs/qa.md) have changed "
        "since: run `python -m etl rescore --what qa --db PATH`."
    ]
    monkeypatch.setenv("SUPPORT_DB", str(demo_db))
    plain = open_page(PAGE, {"period": "all"})
    assert not [w for w in plain.warning if "older scorer" in w.value]


def test_a_category_scored_nowhere_whose_failures_are_kept_draws_no_pass_rate() -> None:
    # Security is scored in es only, and its found failures are kept in the other languages:
    # there its verdicts are "no" or not_scored, so a pass rate over all languages would
    # count those failures against es's passes (here 0 of 3 = 0%, Wilson 0-56%). It draws no
    # bar and says where it is scored. Greeting, scored, keeps its bar: 9 of 10 = 90%.
    import polars as pl

    from dashboard.charts.quality import category_pass_rates

    frame = pl.DataFrame(
        {
            "category": ["greeting", "security"], "label": ["Greeting", "Security hygiene"],
            "critical": [False, True], "n": [10, 3], "hits": [9, 0], "failed": [1, 3],
            "not_applicable": [0, 0], "not_scored": [90, 97], "value": [0.9, 0.0],
            "ci_low": [0.6, 0.0], "ci_high": [0.98, 0.56],
        }
    )  # fmt: skip
    bar = category_pass_rates(frame).data[0]
    assert list(bar.y) == ["Greeting", "Security hygiene (scored in es only; 3 failures found)"]
    assert bar.x[0] == 90.0 and bar.x[1] is None
    # one found failure is "1 failure", not "1 failures"
    one = category_pass_rates(frame.with_columns(pl.Series("failed", [1, 1]))).data[0]
    assert list(one.y) == ["Greeting", "Security hygiene (scored in es only; 1 failure found)"]
