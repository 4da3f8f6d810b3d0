"""Scoring at load time, rescoring, people's reviews (qa_reviews with the Zendesk QA mapping)
and the quality figures, on a warehouse of three hand-made tickets.

Expected figures are worked out by hand in the comments.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from etl.pipeline import load_files
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.quality.failures import export_qa, qa_failures
from metrics.quality.reviews import qa_agreement, qa_calibration, qa_internal_score
from metrics.quality.scores import qa_auto_score, qa_category_scores
from metrics.quality.scoring import SCORER_VERSION
from warehouse.reader import ReadOnlyWarehouse

ROOT = Path(__file__).resolve().parents[2]
REVIEWS = ROOT / "tests" / "fixtures" / "zendesk_qa" / "reviews.ndjson"
# the hand-made conversations are English: judged as a team that trusts every judge there
SETTINGS = load_settings(ROOT / "tests" / "fixtures" / "quality" / "trust_english.toml")
ALL = Filters()

TICKETS = """ticket_id,created_at,status,priority,channel,subject,updated_at,first_response_at
210001,2026-10-01T09:00:00Z,solved,normal,chat,Transfer,2026-10-01T09:30:00Z,2026-10-01T09:03:00Z
210002,2026-10-01T10:00:00Z,open,normal,email,Login,2026-10-01T10:30:00Z,2026-10-01T10:20:00Z
210003,2026-10-01T11:00:00Z,solved,normal,chat,Wallet,2026-10-01T11:30:00Z,2026-10-01T11:02:00Z
"""
MESSAGES = """message_id,conversation_id,sent_at,sender_type,sender_id,body,language
1,210001,2026-10-01T09:00:00Z,customer,c1,My USDT transfer has been stuck for an hour.,en
2,210001,2026-10-01T09:03:00Z,agent,a1,"Hi Sam, sorry for the wait. It is confirmed now, the network was busy.",en
3,210001,2026-10-01T09:04:00Z,customer,c1,Yes I see it now,en
4,210001,2026-10-01T09:05:00Z,agent,a1,Great! Is there anything else I can help you with?,en
5,210002,2026-10-01T10:00:00Z,customer,c2,I cannot log in to my account.,en
6,210002,2026-10-01T10:20:00Z,agent,a2,Your request is being handled.,en
7,210003,2026-10-01T11:00:00Z,customer,c3,My wallet shows a zero balance.,en
8,210003,2026-10-01T11:02:00Z,agent,a1,"Hello, please send me your seed phrase so I can check the wallet.",en
"""


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def loaded(tmp_path: Path) -> Path:
    """Tickets, then messages (scored as they load), then the Zendesk QA reviews; all under
    source "zendesk", the source the Zendesk QA mapping gives its rows."""
    db = tmp_path / "w.duckdb"
    load_files(
        db, "tickets", [_write(tmp_path / "t.csv", TICKETS)], source="zendesk", settings=SETTINGS
    )
    load_files(
        db, "messages", [_write(tmp_path / "m.csv", MESSAGES)], source="zendesk", settings=SETTINGS
    )
    load_files(db, "qa_reviews", [REVIEWS], "zendesk_qa", settings=SETTINGS)
    return db


def _verdicts(db: Path) -> dict[tuple[str, str], str]:
    rows = (
        ReadOnlyWarehouse(db)
        .query("SELECT conversation_id, category, verdict FROM qa_verdicts")
        .rows()
    )
    return {(c, k): v for c, k, v in rows}


def test_a_messages_load_scores_every_conversation_it_touched(loaded: Path) -> None:
    wh = ReadOnlyWarehouse(loaded)
    scores = wh.query("SELECT * FROM qa_scores ORDER BY conversation_id")
    assert scores["conversation_id"].to_list() == ["210001", "210002", "210003"]
    assert set(scores["rubric_version"]) == {SETTINGS.quality.label}
    assert set(scores["scorer_version"]) == {SCORER_VERSION}
    verdicts = _verdicts(loaded)
    assert len(verdicts) == 3 * len(SETTINGS.quality.categories)
    assert verdicts[("210001", "greeting")] == "yes"
    assert verdicts[("210001", "closing")] == "yes"
    assert verdicts[("210002", "greeting")] == "no"
    assert verdicts[("210002", "closing")] == "na"  # the ticket is still open
    assert verdicts[("210003", "security")] == "no"
    failed = scores.filter(pl.col("conversation_id") == "210003").row(0, named=True)
    assert failed["critical_failed"] and failed["score"] == 0.0
    evidence = wh.query(
        "SELECT message_id, matched, evidence FROM qa_verdicts"
        " WHERE conversation_id = '210003' AND category = 'security'"
    ).row(0, named=True)
    assert evidence["message_id"] == "8" and "seed phrase" in evidence["matched"]


def test_loading_again_leaves_one_verdict_per_conversation_and_category(
    loaded: Path, tmp_path: Path
) -> None:
    before = _verdicts(loaded)
    load_files(loaded, "messages", [tmp_path / "m.csv"], source="zendesk", settings=SETTINGS)
    wh = ReadOnlyWarehouse(loaded)
    assert _verdicts(loaded) == before
    dupes = wh.query(
        "SELECT count(*) FROM (SELECT conversation_id, category FROM qa_verdicts"
        " GROUP BY ALL HAVING count(*) > 1)"
    ).item()
    assert dupes == 0 and wh.query("SELECT count(*) FROM qa_scores").item() == 3


def test_a_ticket_load_rescores_its_conversations(loaded: Path, tmp_path: Path) -> None:
    solved = TICKETS.replace(
        "210002,2026-10-01T10:00:00Z,open", "210002,2026-10-01T10:00:00Z,solved"
    )
    solved = solved.replace(
        "2026-10-01T10:30:00Z,2026-10-01T10:20", "2026-10-02T10:30:00Z,2026-10-01T10:20"
    )
    load_files(
        loaded,
        "tickets",
        [_write(tmp_path / "t2.csv", solved)],
        source="zendesk",
        settings=SETTINGS,
    )
    assert _verdicts(loaded)[("210002", "closing")] == "no"  # solved without a closing


def test_rescore_applies_a_changed_rubric_to_every_conversation(
    loaded: Path, tmp_path: Path
) -> None:
    changed = _write(tmp_path / "s.toml", '[quality]\nversion = "2"\n')
    result = subprocess.run(
        [sys.executable, "-m", "etl", "rescore", "--what", "qa", "--db", str(loaded),
         "--settings", str(changed)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "3" in result.stdout
    versions = ReadOnlyWarehouse(loaded).query("SELECT DISTINCT rubric_version FROM qa_scores")
    (version,) = versions.to_series().to_list()
    assert version.startswith("2+") and version != SETTINGS.quality.label


def test_the_zendesk_qa_export_loads_one_row_per_rating(loaded: Path) -> None:
    (again,) = load_files(loaded, "qa_reviews", [REVIEWS], "zendesk_qa", settings=SETTINGS)
    # 3 reviews with 3 + 3 + 2 ratings; the 150-point tone rating (1.5 of the scale) is
    # quarantined; the second load changes nothing
    assert (again.rows_read, again.inserted, again.unchanged, again.quarantined) == (8, 0, 7, 1)
    wh = ReadOnlyWarehouse(loaded)
    rows = wh.query(
        "SELECT conversation_id, reviewer, category, score FROM qa_reviews"
        " ORDER BY conversation_id, reviewer, category"
    ).rows()
    assert rows == [
        ("210001", "lena@wallet.example", "closing", 0.0),
        ("210001", "lena@wallet.example", "readability", None),
        ("210001", "lena@wallet.example", "tone", 1.0),
        ("210001", "omar@wallet.example", "Documentation", 1.0),
        ("210001", "omar@wallet.example", "closing", 0.0),
        ("210001", "omar@wallet.example", "tone", 0.667),
        ("210003", "Lena", "security", 0.0),
    ]
    reasons = wh.query("SELECT DISTINCT reason FROM quarantine WHERE kind = 'qa_reviews'")
    assert reasons.height == 1 and "score" in reasons.item()  # once per load, same row


def test_the_internal_score_is_the_mean_of_the_review_scores(loaded: Path) -> None:
    iqs = qa_internal_score(ReadOnlyWarehouse(loaded), SETTINGS, ALL).row(0, named=True)
    # review 9001: tone 1.0 (weight 2), closing 0 (1), readability n/a -> 2/3
    # review 9002: tone 0.667 (2), closing 0 (1), Documentation not in the rubric -> 1.334/3
    # review 9003: security 0, critical -> 0;  mean of the three = 0.3704
    assert iqs["reviews"] == 3 and iqs["conversations"] == 2 and iqs["reviewers"] == 3
    assert iqs["score"] == pytest.approx((2 / 3 + 1.334 / 3 + 0) / 3, abs=1e-4)
    assert iqs["critical_failures"] == 1 and iqs["other_categories"] == 1


def test_agreement_counts_pairs_per_category_and_calibration_pairs_reviewers(loaded: Path) -> None:
    wh = ReadOnlyWarehouse(loaded)
    agreement = {r["category"]: r for r in qa_agreement(wh, SETTINGS, ALL).iter_rows(named=True)}
    # closing of 210001: the scorer says yes, both reviewers no -> 2 pairs, both disagree
    assert agreement["closing"]["n"] == 2 and agreement["closing"]["agreement"] == 0.0
    assert agreement["closing"]["auto_lenient"] == 2
    # security of 210003: both say no (kept failure) -> 1 pair, agreeing; kappa undefined
    assert agreement["security"]["n"] == 1 and agreement["security"]["agreement"] == 1.0
    assert agreement["security"]["kappa"] is None
    calibration = {
        r["category"]: r for r in qa_calibration(wh, SETTINGS, ALL).iter_rows(named=True)
    }
    # lena and omar on 210001: tone 1.0 and 0.667 both pass, closing both fail
    assert calibration["tone"]["n"] == 1 and calibration["tone"]["agreement"] == 1.0
    assert calibration["all"]["n"] == 2 and calibration["all"]["kappa"] == pytest.approx(1.0)


def test_automatic_figures_by_category_and_the_failure_list(loaded: Path) -> None:
    wh = ReadOnlyWarehouse(loaded)
    auto = qa_auto_score(wh, SETTINGS, ALL).row(0, named=True)
    assert auto["reviewed"] == 3 and auto["critical_failures"] == 1
    categories = {
        r["category"]: r for r in qa_category_scores(wh, SETTINGS, ALL).iter_rows(named=True)
    }
    assert (categories["greeting"]["n"], categories["greeting"]["hits"]) == (3, 2)
    failures = qa_failures(wh, SETTINGS, ALL)
    assert failures["conversation_id"][0] == "210003" and failures["critical"][0]


def test_the_qa_export_writes_one_formula_safe_row_per_conversation_and_category(
    loaded: Path, tmp_path: Path
) -> None:
    bad = MESSAGES + '9,210004,2026-10-01T12:00:00Z,agent,a1,"=HYPERLINK(""http://x"")",en\n'
    load_files(
        loaded, "messages", [_write(tmp_path / "m2.csv", bad)], source="zendesk", settings=SETTINGS
    )
    out = tmp_path / "qa.csv"
    result = subprocess.run(
        [sys.executable, "-m", "metrics", "export", "qa", "--db", str(loaded), "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 4 * len(SETTINGS.quality.categories)
    assert {"verdict", "evidence", "rubric_version", "message_id"} <= set(rows[0])
    cells = [value for row in rows for value in row.values()]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells if cell)
    assert export_qa(ReadOnlyWarehouse(loaded), SETTINGS, ALL, tmp_path / "qa.parquet") == len(rows)


def test_scoring_in_chunks_stores_what_scoring_at_once_stores(loaded: Path) -> None:
    from etl.quality.store import score_into
    from warehouse.writer import open_for_write

    def stored() -> pl.DataFrame:
        return ReadOnlyWarehouse(loaded).query(
            "SELECT * EXCLUDE (scored_at) FROM qa_verdicts ORDER BY conversation_id, category"
        )

    before = stored()
    with open_for_write(loaded) as con:
        run = score_into(con, SETTINGS.quality, chunk=1)
    assert run.conversations == 3
    assert stored().equals(before)


def test_without_the_teams_trust_english_judges_show_the_shipped_coverage(tmp_path: Path) -> None:
    # The same tickets on the default settings: tone is scored in no language (docs/qa.md,
    # blind6), so 210001's tone is not_scored; closing is scored in English since blind6
    # (210001's "anything else I can help you with?": yes), greeting too ("Hi Sam": yes);
    # responsiveness reads only times (3 min against chat's 10: yes); 210003's seed-phrase
    # ask is kept as "no" (security is scored in es only).
    db = tmp_path / "plain.duckdb"
    load_files(db, "tickets", [_write(tmp_path / "t.csv", TICKETS)], source="zendesk")
    load_files(db, "messages", [_write(tmp_path / "m.csv", MESSAGES)], source="zendesk")
    verdicts = _verdicts(db)
    assert verdicts[("210001", "tone")] == "not_scored"
    assert verdicts[("210001", "closing")] == "yes"
    assert verdicts[("210001", "greeting")] == "yes"
    assert verdicts[("210001", "responsiveness")] == "yes"
    assert verdicts[("210003", "security")] == "no"
    assert verdicts[("210001", "security")] == "not_scored"


def test_a_trusted_language_the_judges_do_not_read_is_one_clear_settings_error(
    tmp_path: Path,
) -> None:
    bad = _write(tmp_path / "s.toml", '[quality.trusted]\nclosing = ["de"]\n')
    with pytest.raises(ValueError, match=r"quality\.trusted\.closing: 'de' is not a language"):
        load_settings(bad)
