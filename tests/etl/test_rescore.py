"""`python -m etl rescore`: stored messages re-scored with the current models, idempotently."""

from __future__ import annotations

import duckdb

from etl.__main__ import main
from etl.enrich import sentiment_methods
from etl.rescore import rescore
from metrics.reports.data_health import scoring_methods
from warehouse.reader import ReadOnlyWarehouse
from warehouse.writer import open_for_write

ROWS = [
    # message_id, sender_type, body, language, stored sentiment, stored method
    ("m1", "customer", "This is terrible, I lost all my money!", "en", -0.69, "vader"),
    ("m2", "customer", "Servicio pésimo, nadie responde", "es", -0.5774, "lexicon-es"),
    ("m3", "agent", "Thanks for your patience, it is fixed now!", "en", None, None),
    ("m4", "customer", "Das ist schrecklich", "de", None, None),
    ("m5", "system", "Ticket assigned", "en", None, None),
    ("m6", "customer", "This is terrible, I lost all my money!", "en", -0.69, "vader"),
]


def _old_warehouse(db) -> None:
    with open_for_write(db) as con:
        for mid, sender, body, language, score, method in ROWS:
            con.execute(
                "INSERT INTO messages (source, message_id, conversation_id, sent_at, sender_type,"
                " body, language, sentiment, sentiment_method) VALUES"
                " ('t', ?, 'c1', TIMESTAMPTZ '2026-01-05 09:00:00+00', ?, ?, ?, ?, ?)",
                [mid, sender, body, language, score, method],
            )


def _stored(db) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT message_id, sentiment, agent_sentiment, sentiment_method FROM messages"
            " ORDER BY message_id"
        ).fetchall()
    finally:
        con.close()


def test_rescore_uses_the_current_models_and_a_second_run_changes_nothing(db_path):
    _old_warehouse(db_path)
    report = rescore(db_path, show_progress=False, workers=1)
    methods = sentiment_methods()
    rows = {mid: rest for mid, *rest in _stored(db_path)}
    assert rows["m1"][2] == methods["en"] and rows["m1"][0] <= -0.05  # still a complaint
    assert rows["m2"][2] == methods["es"] and rows["m2"][0] <= -0.05
    # the agent's thanks: its own column only
    assert rows["m3"][0] is None and rows["m3"][1] >= 0.05 and rows["m3"][2] == methods["en"]
    assert rows["m4"] == [None, None, None]  # German: not scored, never 0
    assert rows["m5"] == [None, None, None]  # system messages are not scored
    assert rows["m6"] == rows["m1"]
    assert report.distinct_texts == 5  # m1 and m6 share their text, sender and language
    assert dict(report.before.iter_rows()) == {
        "(not scored)": 3, "vader": 2, "lexicon-es": 1,
    }  # fmt: skip
    first = _stored(db_path)
    rescore(db_path, show_progress=False, workers=1)
    assert _stored(db_path) == first


def test_data_health_names_the_methods_an_older_load_used(db_path):
    _old_warehouse(db_path)
    wh = ReadOnlyWarehouse(db_path)
    assert scoring_methods(wh).rows() == [("en", "vader", 2, 0), ("es", "lexicon-es", 1, 0)]
    wh.close()
    assert main(["rescore", "--db", str(db_path), "--quiet"]) == 0
    wh = ReadOnlyWarehouse(db_path)
    methods = sentiment_methods()
    assert scoring_methods(wh).rows() == [
        ("en", methods["en"], 1 + 1, 1),
        ("es", methods["es"], 1, 0),
    ]
    wh.close()


def test_rescore_of_a_missing_warehouse_is_one_line(tmp_path, capsys):
    assert main(["rescore", "--db", str(tmp_path / "nope.duckdb")]) == 2
    assert (
        capsys.readouterr().err.strip() == f"error: {tmp_path / 'nope.duckdb'}: no such warehouse"
    )
