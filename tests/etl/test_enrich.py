"""Language detection and per-language sentiment at load time."""

from __future__ import annotations

import polars as pl
import pytest

import etl.sentiment
from etl import enrich
from etl.enrich import detect_languages, language_of_ticket, score_sentiment

SAMPLES = {
    "Hello, my withdrawal has been pending since Monday": "en",
    "我的钱包余额不见了，请帮我看一下": "zh",
    "Hola, no puedo retirar mis fondos desde ayer": "es",
    "Здравствуйте, перевод до сих пор не пришёл": "ru",
    "Bonjour, je ne trouve plus mon portefeuille": "fr",
    "thanks!": "en",
}


def test_languages_of_the_five_support_languages_and_a_short_thanks_are_detected():
    assert detect_languages(pl.Series(list(SAMPLES))).to_list() == list(SAMPLES.values())


def test_texts_without_words_have_no_language():
    texts = pl.Series([None, "", "   ", "12345 678", "😡😡😡", "[seed phrase removed]", "???"])
    assert detect_languages(texts).to_list() == [None] * 7


def test_urls_markers_and_line_breaks_do_not_confuse_detection():
    texts = pl.Series(
        [
            "Mi correo es [email removed]",
            "Hello\nI sent 0.5 ETH to 0x5290…9EE7\nbut nothing arrived",
            "https://www.example.com/help",
        ]
    )
    assert detect_languages(texts).to_list() == ["es", "en", None]


def test_each_distinct_text_is_detected_once(monkeypatch):
    seen: list[str] = []

    def spy(text: str) -> str | None:
        seen.append(text)
        return "en"

    monkeypatch.setitem(enrich._TASKS, "language", spy)
    result = detect_languages(pl.Series(["hello there"] * 500 + ["hi again"] * 500 + [None]))
    assert sorted(seen) == ["hello there", "hi again"]
    assert result.to_list() == ["en"] * 1000 + [None]


def test_progress_is_called_with_the_number_of_distinct_texts_done():
    done: list[int] = []
    detect_languages(pl.Series(list(SAMPLES) * 3), progress=done.append)
    assert done == [6]


def test_a_ticket_language_comes_from_its_subject_and_first_body():
    subjects = pl.Series(["Withdrawal stuck", "Ayuda", None, None])
    bodies = pl.Series(["my withdrawal is stuck since yesterday", "no puedo retirar", None, "谢谢"])
    assert language_of_ticket(subjects, bodies).to_list() == ["en", "es", None, "zh"]
    assert language_of_ticket(
        pl.Series(["Bonjour, je ne trouve plus mon portefeuille"])
    ).to_list() == ["fr"]


LEGACY = {"en": "vader", "ru": "lexicon-ru", "es": "lexicon-es", "zh": "lexicon-zh"}


def method(language: str) -> str:
    return enrich.sentiment_methods()[language]


def test_each_language_is_scored_by_its_own_model_and_agents_into_their_own_column():
    texts = pl.Series(
        [
            "This is terrible, I lost all my money!",
            "Servicio pésimo, nadie responde",
            "Thanks a lot, great help!",
            "Where is my deposit?",
            "太差了，等了三天还没人处理",
            "Das ist schrecklich",
            None,
            "System: conversation assigned",
        ]
    )
    languages = pl.Series(["en", "es", "en", "en", "zh", "de", None, "en"])
    senders = pl.Series(["customer", "customer", "agent"] + ["customer"] * 4 + ["system"])
    rows = score_sentiment(texts, languages, senders).to_dicts()
    signs = [
        None if r["sentiment"] is None else (r["sentiment"] >= 0.05) - (r["sentiment"] <= -0.05)
        for r in rows
    ]
    # complaints negative, the question neutral; German has no model: null, never 0
    assert signs == [-1, -1, None, 0, -1, None, None, None]
    assert [r["sentiment_method"] for r in rows] == [
        method("en"), method("es"), method("en"), method("en"), method("zh"), None, None, None
    ]  # fmt: skip
    # the agent's thanks are scored, but only into agent_sentiment
    assert rows[2]["agent_sentiment"] >= 0.05
    assert [r["agent_sentiment"] is None for i, r in enumerate(rows) if i != 2] == [True] * 7


def test_the_methods_are_the_shipped_models_and_lexicons_where_no_model_exists():
    methods = enrich.sentiment_methods()
    for language in ("en", "zh", "es", "ru", "fr"):
        assert methods[language].startswith(f"model-{language}@"), methods[language]
    assert methods.get("pt") == "leia"
    assert "de" not in methods


def test_without_sender_types_every_row_with_a_method_is_scored():
    texts = pl.Series(["Thanks a lot, great help!", "Servicio pésimo", "Danke"])
    result = score_sentiment(texts, pl.Series(["en", "es", "de"]))
    assert result.schema == pl.Schema(
        {"sentiment": pl.Float64, "agent_sentiment": pl.Float64, "sentiment_method": pl.String}
    )
    assert [v is None for v in result["sentiment"]] == [False, False, True]


def test_nothing_to_score_gives_typed_null_columns():
    result = score_sentiment(pl.Series(["Hallo"]), pl.Series(["de"]), pl.Series(["customer"]))
    assert result.to_dicts() == [
        {"sentiment": None, "agent_sentiment": None, "sentiment_method": None}
    ]


def test_series_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="same length"):
        score_sentiment(pl.Series(["a", "b"]), pl.Series(["en"]))


def test_each_distinct_message_is_scored_once_and_progress_counts_distinct_texts(monkeypatch):
    seen: list[str] = []

    def spy(text: str) -> float:
        seen.append(text)
        return 0.5

    monkeypatch.setattr(enrich, "sentiment_methods", lambda: LEGACY)
    monkeypatch.setitem(enrich._TASKS, "vader", spy)
    done: list[int] = []
    texts = pl.Series(["a", "b", "c", "d", "e"] * 100)
    result = score_sentiment(texts, pl.Series(["en"] * 500), chunk_size=2, progress=done.append)
    assert sorted(seen) == ["a", "b", "c", "d", "e"]
    assert done == [2, 4, 5]
    assert result["sentiment"].to_list() == [0.5] * 500


def test_a_model_scores_each_chunk_of_distinct_texts_at_once(monkeypatch):
    chunks: list[list[str]] = []

    def spy(method: str, texts: list[str]) -> list[float]:
        chunks.append(texts)
        return [-0.5] * len(texts)

    monkeypatch.setattr(etl.sentiment, "score_batch", spy)  # enrich imports it lazily
    texts = pl.Series(["a", "b", "c", "a", "b", "c", "d"])
    result = score_sentiment(texts, pl.Series(["fr"] * 7), chunk_size=3)
    assert chunks == [["a", "b", "c"], ["d"]]
    assert result["sentiment"].to_list() == [-0.5] * 7


def test_each_distinct_text_is_scored_once_per_method_with_progress_over_all(monkeypatch):
    seen: list[tuple[str, str]] = []

    def spy(method: str, value: float):
        def score(text: str) -> float:
            seen.append((method, text))
            return value

        return score

    monkeypatch.setattr(enrich, "sentiment_methods", lambda: LEGACY)
    monkeypatch.setitem(enrich._TASKS, "vader", spy("vader", 0.5))
    monkeypatch.setitem(enrich._TASKS, "lexicon-ru", spy("lexicon-ru", -0.5))
    done: list[int] = []
    # "ok" is both English and Russian here: one score for each method
    texts = pl.Series(["ok", "ok", "плохо", "ok", "hi", "hi"])
    languages = pl.Series(["en", "ru", "ru", "ru", "en", "en"])
    result = score_sentiment(texts, languages, chunk_size=2, progress=done.append)
    assert sorted(seen) == [
        ("lexicon-ru", "ok"),
        ("lexicon-ru", "плохо"),
        ("vader", "hi"),
        ("vader", "ok"),
    ]
    # 4 distinct (method, text) pairs in chunks of 2 per method: 2 + 2
    assert done == [2, 4]
    assert result.select("sentiment", "sentiment_method").to_dicts() == [
        {"sentiment": 0.5, "sentiment_method": "vader"},
        {"sentiment": -0.5, "sentiment_method": "lexicon-ru"},
        {"sentiment": -0.5, "sentiment_method": "lexicon-ru"},
        {"sentiment": -0.5, "sentiment_method": "lexicon-ru"},
        {"sentiment": 0.5, "sentiment_method": "vader"},
        {"sentiment": 0.5, "sentiment_method": "vader"},
    ]


def test_the_process_pool_scores_every_language_as_the_single_process_path_does(monkeypatch):
    contexts: list[str] = []
    get_context = enrich.multiprocessing.get_context
    monkeypatch.setattr(
        enrich.multiprocessing, "get_context", lambda m: contexts.append(m) or get_context(m)
    )
    texts = pl.Series(
        [
            "This is terrible, I lost all my money!",
            "Спасибо, всё заработало!",
            "Pésimo soporte, nadie responde.",
            "谢谢，问题解决了",
            "Merci beaucoup, service excellent !",
            "Obrigado, deu certo!",
        ]
        * 2
    )
    languages = pl.Series(["en", "ru", "es", "zh", "fr", "pt"] * 2)
    done: list[int] = []
    pooled = score_sentiment(
        texts, languages, workers=2, parallel_threshold=1, chunk_size=2, progress=done.append
    )
    alone = score_sentiment(texts, languages, parallel_threshold=10**9)
    assert contexts == ["spawn"]  # the pool really ran
    assert pooled.equals(alone)
    assert pooled["sentiment_method"].to_list()[:6] == [method(x) for x in languages[:6]]
    signs = [(v >= 0.05) - (v <= -0.05) for v in pooled["sentiment"].to_list()[:6]]
    assert signs == [-1, 1, -1, 1, 1, 1]
    assert done[-1] == 6


def test_the_pool_works_when_the_main_script_must_not_run_in_workers(tmp_path, monkeypatch):
    # Under Streamlit (or AppTest) __main__ is the app script; a spawned worker that re-ran
    # it died, and the pool respawned workers forever. This main script would kill workers.
    import sys
    import types

    script = tmp_path / "app_like.py"
    script.write_text("raise SystemExit('the app must not run in a worker')\n")
    fake_main = types.ModuleType("__main__")
    fake_main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", fake_main)
    texts = pl.Series(["I love the new update", "This is terrible"] * 4)
    languages = pl.Series(["en"] * len(texts))
    pooled = score_sentiment(texts, languages, workers=2, parallel_threshold=1, chunk_size=2)
    alone = score_sentiment(texts, languages, parallel_threshold=10**9)
    assert pooled.equals(alone)
    assert sys.modules["__main__"] is fake_main
