"""The learned judge's measurement (issue 16): its features on hand-made conversations, its
threshold rules on hand-made probabilities, and the published leave-one-round-out figures
(docs/qa_runs/learned-loro.tsv and the docs/qa.md section), refitted so they cannot drift.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from etl.quality.evaluate import figures
from etl.quality.labelled import load_labelled
from etl.quality.learned_eval import (
    END,
    PUBLISHED,
    START,
    counts,
    leave_round_out,
    markdown,
    only_run,
    only_run_verdicts,
    read_tsv,
    rounds_of,
    save_run_verdicts,
    splice,
    tsv,
)
from etl.quality.learned_train import (
    choose_threshold,
    filter_threshold,
    fit_category,
    probability,
    writer_group,
)
from etl.quality.report import read_run
from metrics.quality.scoring import MESSAGE_COLUMNS, facts
from metrics.quality.scoring.learned_features import ID, conversation_features, message_tokens

ROOT = Path(__file__).resolve().parents[2]
_T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _messages(
    conversations: dict[str, list[tuple[str, str]]], language: str = "en"
) -> pl.DataFrame:
    rows = []
    for conv, messages in conversations.items():
        for number, (sender, body) in enumerate(messages):
            rows.append({"source": "t", "conversation_id": conv, "message_id": f"{conv}/{number}",
                         "sent_at": _T0 + timedelta(minutes=number), "sender_type": sender,
                         "body": body, "language": language})  # fmt: skip
    return pl.DataFrame(rows).select(MESSAGE_COLUMNS)


def _features(messages: pl.DataFrame) -> dict[str, float]:
    frame = facts.ordered(messages)
    long = conversation_features(frame)
    return dict(zip(long["feature"], long["value"], strict=True))


def test_features_split_words_by_block_and_weigh_them_by_block_size():
    messages = _messages(
        {
            "c1": [
                ("customer", "My card, my card!"),
                ("agent", "Hello! Sorry 您好"),
                ("agent", "Bye now"),
            ]
        }
    )
    got = _features(messages)
    # agent words: hello, sorry, 您, 好, bye, now = 6, each 1/sqrt(6)
    assert got["a:sorry"] == pytest.approx(1 / math.sqrt(6))
    assert got["a:您"] == pytest.approx(1 / math.sqrt(6))
    # pairs within a message: "hello sorry", "sorry 您", "您 好", "bye now" = 4, each 1/sqrt(4)
    assert got["a2:您 好"] == pytest.approx(0.5)
    assert "a2:好 bye" not in got  # no pair across two messages
    # first message: hello, sorry, 您, 好 (4 words); last: bye, now (2 words)
    assert got["f:hello"] == pytest.approx(0.5)
    assert got["l:bye"] == pytest.approx(1 / math.sqrt(2))
    assert "l:hello" not in got and "f:bye" not in got
    # customer: my, card, my, card = 4 words; "card" twice: 2/sqrt(4) = 1
    assert got["c:card"] == pytest.approx(1.0)
    assert got["g:en"] == 1.0
    # longest agent message "Hello! Sorry 您好" is 15 characters: log(16); 2 messages: log(3)
    assert got["n:longest"] == pytest.approx(math.log(16))
    assert got["n:messages"] == pytest.approx(math.log(3))


def test_tokens_keep_the_words_as_written_and_a_bot_message_is_not_the_agent():
    messages = _messages({"c1": [("customer", "Hi"), ("bot", "Menu"), ("agent", "Welcome BACK")]})
    tokens = message_tokens(facts.ordered(messages))
    agent = tokens.filter("is_agent")
    assert agent["word"].to_list() == ["Welcome", "BACK"]
    assert agent["token"].to_list() == ["welcome", "back"]
    assert "Menu" not in tokens["word"].to_list()


def test_writer_groups_are_blind_writers_or_team_splits():
    frame = pl.DataFrame(
        {"id": ["en-b01", "zh-m12", "en-h29"], "split": ["blind4", "blind3", "heldout"]}
    )
    got = frame.select(writer_group(pl.col("id"), pl.col("split")).alias("g"))["g"].to_list()
    assert got == ["blind4/b", "blind3/m", "heldout"]


def test_blind_rounds_are_found_in_writing_order():
    splits = pl.Series(["dev", "blind3", "blind", "fresh", "blind10", "blind2", "blind"])
    assert rounds_of(splits) == ["blind", "blind2", "blind3", "blind10"]


def test_threshold_is_the_lowest_with_precision_0_9():
    p = np.array([0.9, 0.8, 0.7, 0.6, 0.2])
    y = np.array([1, 1, 0, 1, 0])
    # >= 0.2: 3 of 5; >= 0.6: 3 of 4; >= 0.7: 2 of 3; >= 0.8: 2 of 2 = 1.0 -> 0.8
    assert choose_threshold(p, y) == pytest.approx(0.8)
    # the filter keeps every failure: the lowest failure's probability, 0.6
    assert filter_threshold(p, y) == pytest.approx(0.6)


def test_threshold_without_precision_0_9_takes_the_best_f_half():
    p = np.array([0.9, 0.8, 0.7, 0.6])
    y = np.array([0, 1, 0, 1])
    # >= 0.6: P 2/4, R 1 -> F0.5 = 1.25*0.5*1/(0.125+1) = 0.556; >= 0.7: P 1/3, R 1/2 -> 0.357;
    # >= 0.8: P 1/2, R 1/2 -> 0.5; >= 0.9: nothing caught -> 0. Best: 0.6
    assert choose_threshold(p, y) == pytest.approx(0.6)


def test_a_fitted_model_learns_the_words_of_failures_and_is_deterministic():
    convs = {}
    for i in range(12):
        fail = i % 2 == 0
        reply = (
            "Your card is active now." if fail else "So sorry about that! Your card is active now."
        )
        convs[f"c{i:02d}"] = [("customer", f"My card {i} is blocked"), ("agent", reply)]
    frame = facts.ordered(_messages(convs))
    keys, long = facts.keys(frame), conversation_features(frame)
    rows = keys.sort(ID)[ID]
    ids = keys.sort(ID)["conversation_id"].to_list()
    y = np.array([int(int(c[1:]) % 2 == 0) for c in ids])
    groups = np.array([c[-1] for c in ids])
    first = fit_category("empathy", long, rows, y, groups)
    again = fit_category("empathy", long, rows, y, groups)
    assert np.array_equal(first.weights, again.weights) and first.threshold == again.threshold
    weight = dict(zip(first.features, first.weights, strict=True))
    assert weight["a:sorry"] < 0  # the apology is what the non-failures have
    got = probability(first, long, rows)
    assert ((got >= first.threshold) == (y == 1)).all()


def test_the_saved_verdicts_of_each_blind_run_add_up_to_its_published_counts():
    """The per-conversation verdicts the comparison uses are those of the untouched runs."""
    saved = only_run_verdicts()
    labels = load_labelled(with_real=False).labels
    for split in rounds_of(saved["split"]):
        part = saved.filter(pl.col("split") == split).drop("split")
        pred = labels.join(part, on=["conversation_id", "category"], how="inner")
        assert pred.height == labels.filter(pl.col("split") == split).height
        got = figures(pred, ("category",)).select("category", "failures", "flagged", "caught")
        run = read_run(only_run(split)).select("category", "failures", "flagged", "caught")
        assert got.sort("category").to_dicts() == run.sort("category").to_dicts(), split


def test_the_published_table_is_the_docs_section(real_data):
    table = read_tsv()
    assert set(rounds_of(table["split"])) >= {"blind", "blind2", "blind3", "blind4"}
    doc = (ROOT / "docs" / "qa.md").read_text("utf-8")
    assert START in doc and END in doc
    assert splice(doc, markdown(table)) == doc, "run: python -m etl qa-learned --docs docs/qa.md"


def test_the_published_figures_of_the_latest_round_are_what_a_refit_gives(real_data):
    """Refits the learned judge without the latest blind round (a minute of CPU) and
    compares its counts with the published file."""
    published = read_tsv()
    latest = rounds_of(published["split"])[-1]
    fresh = counts(leave_round_out(rounds=(latest,)))
    expected = published.filter(pl.col("split") == latest)
    assert tsv(fresh) == tsv(expected), "run: python -m etl qa-learned --out " + str(
        PUBLISHED.relative_to(ROOT)
    )


def _tiny_fixtures(folder: Path) -> Path:
    """Twelve English conversations: a team split and two blind rounds of four, each round
    with two empathy failures (no acknowledgement) and one closing failure (no invitation)."""
    source = ROOT / "tests" / "fixtures" / "qa"
    for name in ("settings.toml", "real.toml"):
        (folder / name).write_text((source / name).read_text("utf-8"), "utf-8")
    convs = []
    for split, writer in (("dev", "h"), ("blind", "x"), ("blind2", "v")):
        for i in range(1, 5):
            sorry = "I'm sorry about the wait. " if i > 2 else ""
            bye = "Anything else I can help with?" if i != 2 else "Done."
            no = [c for c, failed in (("empathy", i <= 2), ("closing", i == 2)) if failed]
            convs.append(
                f'[[conversation]]\nid = "en-{writer}{i:02d}"\nsplit = "{split}"\nchannel = "chat"\n'
                f'status = "solved"\nno = {json.dumps(no)}\nna = []\nmessages = [\n'
                f'  ["customer", "0:00", "My card {i} is blocked since Monday."],\n'
                f'  ["agent", "0:02", "Hello! {sorry}Your card is active again now. {bye}"],\n]\n'
            )
    text = 'language = "en"\n\n' + "\n".join(convs)
    (folder / "written_en.toml").write_text(text, "utf-8")
    return folder


def test_the_evaluation_runs_end_to_end_on_a_tiny_fixture(tmp_path):
    fixtures = _tiny_fixtures(tmp_path)
    pred = leave_round_out(fixtures, tmp_path / "no-real-data")
    # 2 rounds x 4 conversations x 7 categories
    assert pred.height == 2 * 4 * 7
    table = counts(pred)
    empathy = table.filter((pl.col("category") == "empathy") & (pl.col("language") == "all"))
    assert empathy["split"].to_list() == ["blind", "blind2"]
    assert empathy["n"].to_list() == [4, 4] and empathy["failures"].to_list() == [2, 2]
    closing = table.filter((pl.col("category") == "closing") & (pl.col("language") == "all"))
    assert closing["failures"].to_list() == [1, 1]
    for reading in ("phrase", "learned", "filter", "and", "or"):
        assert (table[f"{reading}_caught"] <= table[f"{reading}_flagged"]).all()
        assert (table[f"{reading}_caught"] <= table["failures"]).all()
    # "or" flags what either flags, "and" and the filter only what the phrase judge flags
    assert (table["or_flagged"] >= table["phrase_flagged"]).all()
    assert (table["and_flagged"] <= table["phrase_flagged"]).all()
    assert (table["filter_flagged"] <= table["phrase_flagged"]).all()
    section = markdown(table)
    assert "| empathy | phrase, only run |" in section and "`blind2` per language" in section


def test_a_new_rounds_verdicts_are_saved_once(tmp_path):
    path = tmp_path / "verdicts.tsv"
    path.write_text(
        "split\tconversation_id\tcategory\tverdict\nblind\ten-x01\ttone\tyes\n", "utf-8"
    )
    now = pl.DataFrame({
        "split": ["blind5", "blind5", "dev"], "conversation_id": ["en-q01", "en-q01", "en-d01"],
        "category": ["tone", "closing", "tone"], "verdict": ["no", "yes", "yes"], "label": ["no"] * 3,
    })  # fmt: skip
    assert save_run_verdicts("blind5", now, path) == 2
    saved = only_run_verdicts(path)
    assert saved.rows() == [("blind", "en-x01", "tone", "yes"), ("blind5", "en-q01", "closing", "yes"),
                            ("blind5", "en-q01", "tone", "no")]  # fmt: skip
    with pytest.raises(ValueError, match="already saved"):
        save_run_verdicts("blind5", now, path)
    with pytest.raises(ValueError, match="no labelled conversation"):
        save_run_verdicts("blind6", now, path)
