"""Topics of negative feedback on small synthetic corpora with planted themes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import polars as pl
import pytest
from builders import msg, ticket
from sklearn.feature_extraction.text import TfidfVectorizer

from metrics.__main__ import main
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.registry import REGISTRY
from metrics.voice import topic_model
from metrics.voice import topics as topics_module
from metrics.voice.topic_model import letter_ngrams
from metrics.voice.topics import negative_topics

SETTINGS = load_settings()  # negative: sentiment <= -0.05
MONDAY = date(2026, 1, 5)

# Three planted English themes: their own words, plus filler shared by all of them.
REFUND = ["refund", "charged", "twice", "card", "payment"]
CRASH = ["crash", "startup", "freezes", "update", "screen"]
PASSWORD = ["password", "reset", "locked", "login", "email"]
FILLER = ["please", "help", "today", "again"]


def sentence(words: list[str], i: int) -> str:
    """Three of the theme's words and one filler word, varied by ``i``."""
    picked = [words[(i + k) % len(words)] for k in range(3)]
    return " ".join([*picked, FILLER[i % len(FILLER)]]).capitalize() + "."


def negative(cid: str, day: date, body: str, language: str = "en", score: float = -0.5) -> dict:
    return msg(
        cid, "customer", f"{day} 10:00", body=body, language=language, sentiment=score,
        sentiment_method="vader",
    )  # fmt: skip


def english_corpus(sizes: tuple[int, int, int] = (30, 20, 12)) -> dict[str, list[dict]]:
    """Refund texts in week 1, crash texts half in each week, password texts in week 2."""
    tickets, messages = [], []
    for theme, words, size in zip(("R", "C", "P"), (REFUND, CRASH, PASSWORD), sizes, strict=True):
        for i in range(size):
            week = {"R": 0, "C": i % 2, "P": 1}[theme]
            day = MONDAY + timedelta(days=7 * week + i % 5)
            cid = f"{theme}{i}"
            tickets.append(ticket(cid, f"{day} 09:00", language="en"))
            messages.append(negative(cid, day, sentence(words, i)))
    return {"tickets": tickets, "messages": messages}


def topic_rows(frame) -> list[dict]:
    return frame.filter(frame["status"] == "ok").to_dicts()


def theme_of(terms: list[str]) -> str:
    """Which planted theme a topic's top terms name (every term from one theme's words)."""
    for name, words in (("refund", REFUND), ("crash", CRASH), ("password", PASSWORD)):
        if all(set(term.split()) <= set(words) for term in terms[:3]):
            return name
    return "mixed: " + ", ".join(terms)


def test_planted_english_themes_are_found_with_their_words_and_sizes(make_wh):
    wh = make_wh(english_corpus())
    frame = negative_topics(wh, SETTINGS, Filters(), n_topics=3)
    rows = topic_rows(frame)
    # 62 texts >= min_texts 50; 3 topics (62 // 10 = 6 allows 3); each text in its theme.
    assert [(r["topic"], theme_of(r["top_terms"]), r["size"]) for r in rows] == [
        (1, "refund", 30), (2, "crash", 20), (3, "password", 12),
    ]  # fmt: skip
    for row, words in zip(rows, (REFUND, CRASH, PASSWORD), strict=True):
        assert set(words) <= {w for term in row["top_terms"] for w in term.split()}
        assert len(row["examples"]) == 3 and len(set(row["examples"])) == 3
        assert all(text.lower().split()[0] in words for text in row["examples"])
    first = rows[0]
    # 62 scored customer messages, all negative; 30 of 62 texts in the refund topic
    assert {k: first[k] for k in ("language", "n", "negative_messages", "low_score_comments",
                                  "sampled", "unassigned", "customer_messages",
                                  "scored_messages", "coverage", "method", "messages",
                                  "comments")} == {
        "language": "en", "n": 62, "negative_messages": 62, "low_score_comments": 0,
        "sampled": False, "unassigned": 0, "customer_messages": 62, "scored_messages": 62,
        "coverage": 1.0, "method": "vader", "messages": 30, "comments": 0,
    }  # fmt: skip
    assert first["share"] == pytest.approx(30 / 62)


def test_trend_halves_over_the_filtered_period_and_weekly_counts(make_wh):
    wh = make_wh(english_corpus())
    two_weeks = Filters(date_from=MONDAY, date_to=MONDAY + timedelta(days=13))
    rows = topic_rows(negative_topics(wh, SETTINGS, two_weeks, n_topics=3))
    # period Jan 5 .. Jan 18, midpoint Jan 12 00:00: refund all in week 1, crash 10 + 10,
    # password all in week 2 -> change: refund 0/30 - 1 = -1, crash 10/10 - 1 = 0, password
    # has no first half (null).
    assert [(r["first_half"], r["second_half"], r["change"]) for r in rows] == [
        (30, 0, -1.0), (10, 10, 0.0), (0, 12, None),
    ]  # fmt: skip
    weekly = negative_topics(wh, SETTINGS, two_weeks, n_topics=3, per="week")
    assert [(r["topic"], r["week"], r["texts"]) for r in weekly.to_dicts()] == [
        (1, MONDAY, 30), (1, MONDAY + timedelta(7), 0),
        (2, MONDAY, 10), (2, MONDAY + timedelta(7), 10),
        (3, MONDAY, 0), (3, MONDAY + timedelta(7), 12),
    ]  # fmt: skip


def test_positive_and_unscored_messages_are_not_negative_and_low_score_comments_are(make_wh):
    corpus = english_corpus()
    day = str(MONDAY)
    corpus["tickets"] += [
        ticket(f"S{i}", f"{day} 09:00", language="en", status="solved") for i in range(4)
    ]
    corpus["messages"] += [
        # refund words, but positive or unscored: never in the texts
        negative("S0", MONDAY, "Refund charged twice card payment", score=0.4),
        msg("S1", "customer", f"{day} 10:00", body="Refund charged card", language="en"),
    ]
    corpus["surveys"] = [
        {"source": "t", "ticket_id": "S0", "score": 2, "comment": "Refund charged twice card"},
        {"source": "t", "ticket_id": "S1", "score": 1, "comment": None},  # no comment
        {"source": "t", "ticket_id": "S2", "score": 4, "comment": "Refund card was fine"},
        {"source": "t", "ticket_id": "S3", "score": 1, "comment": "Crash on startup screen"},
    ]
    wh = make_wh(corpus)
    rows = topic_rows(negative_topics(wh, SETTINGS, Filters(), n_topics=3))
    # + 2 comments (scores 2 and 1 with text) -> 64 texts; 64 customer messages, 63 scored
    assert [(r["size"], r["messages"], r["comments"]) for r in rows] == [
        (31, 30, 1), (21, 20, 1), (12, 12, 0),
    ]  # fmt: skip
    assert {(r["n"], r["low_score_comments"], r["customer_messages"], r["scored_messages"])
            for r in rows} == {(64, 2, 64, 63)}  # fmt: skip
    only_comments = negative_topics(wh, SETTINGS, Filters(), texts="comments", min_texts=2)
    assert only_comments["n"].to_list() == [2]


# Three planted Chinese themes in survey comments (Chinese messages are unscored here),
# written like the English ones: three of a theme's words run together, then a filler.
ZH_THEMES = {
    "到账": ["转账", "到账", "提币", "充值", "确认"],
    "闪退": ["闪退", "打不开", "更新", "黑屏", "卡死"],
    "手续费": ["手续费", "太贵", "扣费", "矿工费", "退还"],
}
ZH_FILLER = ["请尽快处理", "非常失望", "急", "怎么回事"]


def chinese_corpus(sizes: tuple[int, int, int] = (25, 20, 15)) -> dict[str, list[dict]]:
    tickets, messages, surveys = [], [], []
    for (key, words), size in zip(ZH_THEMES.items(), sizes, strict=True):
        for i in range(size):
            cid = f"{key}{i}"
            text = "".join(words[(i + k) % len(words)] for k in range(3))
            tickets.append(ticket(cid, f"{MONDAY} 09:00", language="zh", status="solved"))
            messages.append(msg(cid, "customer", f"{MONDAY} 09:00", body="你好", language="zh"))
            comment = f"{text}，{ZH_FILLER[i % len(ZH_FILLER)]}"
            surveys.append({"source": "t", "ticket_id": cid, "score": 1, "comment": comment})
    return {"tickets": tickets, "messages": messages, "surveys": surveys}


def test_chinese_themes_are_found_with_character_ngrams(make_wh):
    wh = make_wh(chinese_corpus())
    rows = topic_rows(negative_topics(wh, SETTINGS, Filters(), n_topics=3))
    # 60 comments; the messages are unscored: coverage 0 and no negative message
    assert [r["size"] for r in rows] == [25, 20, 15]
    for row, (key, words) in zip(rows, ZH_THEMES.items(), strict=True):
        assert any(key in term for term in row["top_terms"]), row["top_terms"]
        assert all(any(word in text for word in words) for text in row["examples"])
        assert (row["negative_messages"], row["low_score_comments"]) == (0, 60)
        assert (row["coverage"], row["method"]) == (0.0, None)
        assert row["tokenisation"] == "character 2-3-grams"


def test_letter_ngrams_stay_inside_runs_of_letters_and_keep_latin_words():
    assert letter_ngrams("转账没到，USDT 5个") == [
        "转账",
        "账没",
        "没到",
        "转账没",
        "账没到",
        "usdt",
    ]


def test_below_min_texts_a_language_gets_one_not_enough_text_row(make_wh):
    corpus = english_corpus((20, 17, 12))  # 49 texts
    corpus["tickets"].append(ticket("RU1", f"{MONDAY} 09:00", language="ru"))
    corpus["messages"].append(msg("RU1", "customer", f"{MONDAY} 09:00", body="ну", language="ru"))
    wh = make_wh(corpus)
    frame = negative_topics(wh, SETTINGS, Filters())
    # en: 49 < 50; ru: one unscored message, so no negative text at all (coverage 0)
    assert frame.select("language", "status", "topic", "top_terms", "n", "coverage").to_dicts() == [
        {"language": "en", "status": "not enough text", "topic": None, "top_terms": None,
         "n": 49, "coverage": 1.0},
        {"language": "ru", "status": "not enough text", "topic": None, "top_terms": None,
         "n": 0, "coverage": 0.0},
    ]  # fmt: skip
    assert negative_topics(wh, SETTINGS, Filters(), min_texts=49)["status"][0] == "ok"


def test_texts_sharing_no_term_get_one_no_usable_terms_row(make_wh):
    # Spanish has no stop-word list: a term in over half of the texts is dropped, and here
    # every word is in all 50 texts, so no term is left to model
    wh = make_wh(
        {
            "tickets": [ticket(f"E{i}", f"{MONDAY} 09:00", language="es") for i in range(50)],
            "messages": [negative(f"E{i}", MONDAY, "Muy mal", "es") for i in range(50)],
        }
    )
    frame = negative_topics(wh, SETTINGS, Filters())
    assert frame.select("language", "status", "n", "topic").to_dicts() == [
        {"language": "es", "status": "no usable terms", "n": 50, "topic": None}
    ]


def test_max_texts_takes_the_same_sample_every_time(make_wh):
    wh = make_wh(english_corpus())
    first = negative_topics(wh, SETTINGS, Filters(), min_texts=10, max_texts=40)
    assert (first["n"][0], first["negative_messages"][0], first["sampled"][0]) == (40, 62, True)
    assert first["size"].sum() + first["unassigned"][0] == 40
    assert negative_topics(wh, SETTINGS, Filters(), min_texts=10, max_texts=40).equals(first)


def test_number_of_topics_is_capped_at_one_per_ten_texts(make_wh):
    wh = make_wh(english_corpus())
    # 62 texts: at most 6 topics whatever is asked
    assert topic_rows(negative_topics(wh, SETTINGS, Filters(), n_topics=20))[-1]["topic"] <= 6


def test_bad_options_are_refused(make_wh):
    wh = make_wh(english_corpus())
    with pytest.raises(ValueError, match="texts must be"):
        negative_topics(wh, SETTINGS, Filters(), texts="tweets")
    with pytest.raises(ValueError, match="at least 1"):
        negative_topics(wh, SETTINGS, Filters(), n_topics=0)


def test_show_negative_topics_through_the_cli(make_wh, capsys):
    wh = make_wh(english_corpus())
    args = ["show", "negative_topics", "--db", str(wh.path), "--format", "json"]
    assert main([*args, "--option", "n_topics=3", "--option", "per=week"]) == 0
    assert '"texts": 30' in capsys.readouterr().out
    assert main([*args, "--option", "texts=tweets"]) == 2
    assert "expected one of all, messages, comments" in capsys.readouterr().err
    assert REGISTRY["negative_topics"].function is negative_topics


def test_a_model_fitted_on_a_sample_still_finds_the_planted_themes_for_every_text(make_wh):
    corpus = english_corpus()
    for i, message in enumerate(corpus["messages"]):
        message["message_id"] = f"M{i}"  # fixed ids: the md5 sample does not vary by test order
    wh = make_wh(corpus)
    frame = negative_topics(wh, SETTINGS, Filters(), n_topics=3, fit_texts=45)
    rows = topic_rows(frame)
    # fitted on the first 45 of 62 texts in md5 order of their ids, then all 62 weighed:
    # the three themes, about their planted sizes
    # (30, 20, 12: a text sharing words with two themes may land in the other), none lost
    found = {theme_of(r["top_terms"]): r["size"] for r in rows}
    assert found.keys() == {"refund", "crash", "password"}
    for theme, planted in (("refund", 30), ("crash", 20), ("password", 12)):
        assert abs(found[theme] - planted) <= 3, found
    assert {(r["n"], r["fitted"], r["unassigned"]) for r in rows} == {(62, 45, 0)}
    assert sum(found.values()) == 62
    # the sample is fixed: the same call gives the same frame
    assert negative_topics(wh, SETTINGS, Filters(), n_topics=3, fit_texts=45).equals(frame)
    # without sampling, fitted is every text
    assert topic_rows(negative_topics(wh, SETTINGS, Filters(), n_topics=3))[0]["fitted"] == 62


def test_the_fitting_sample_is_the_first_texts_in_md5_order(make_wh, monkeypatch):
    wh = make_wh(english_corpus())
    seen: list[list[str]] = []
    original = topic_model.vectorizer

    def spy(language):
        vec = original(language)
        fit = vec.fit_transform
        vec.fit_transform = lambda texts: (seen.append(list(texts)), fit(texts))[1]
        return vec

    monkeypatch.setattr(topic_model, "vectorizer", spy)
    negative_topics(wh, SETTINGS, Filters(), n_topics=3, fit_texts=25)
    ordered = wh.query(
        "SELECT body FROM messages ORDER BY md5('message|' || source || ':' || message_id)"
    )["body"].to_list()
    assert seen == [ordered[:25]]


def test_each_distinct_text_is_cut_once_into_the_vectorisers_own_terms():
    cut: list[str] = []

    def words(text: str) -> list[str]:
        cut.append(text)
        return text.split()

    vec = topic_model._each_text_once(TfidfVectorizer(analyzer=words))
    matrix = vec.fit_transform(["a b", "a b", "b c"]).toarray()
    vec.transform(["b c", "a b"])
    assert cut == ["a b", "b c"]  # five texts weighed, two distinct: each cut once
    plain = TfidfVectorizer(analyzer=str.split).fit_transform(["a b", "a b", "b c"]).toarray()
    assert (matrix == plain).all()
    # Spanish keeps its word pairs: terms in 2 of the 4 texts (min_df 2, at most half)
    spanish = topic_model._each_text_once(topic_model.vectorizer("es"))
    spanish.fit(["quiero hablar ya", "quiero hablar hoy", "no funciona nada", "no funciona hoy"])
    assert list(spanish.get_feature_names_out()) == [
        "funciona", "hablar", "hoy", "no", "no funciona", "quiero", "quiero hablar",
    ]  # fmt: skip


def test_the_sample_beyond_max_texts_is_the_first_texts_in_md5_order(make_wh, monkeypatch):
    wh = make_wh(english_corpus())
    modelled: list[list[str]] = []
    fit = topics_module.fit_topics

    def spy(written, positions, *a):
        modelled.append([written[i] for i in positions])
        return fit(written, positions, *a)

    monkeypatch.setattr(topics_module, "fit_topics", spy)
    negative_topics(wh, SETTINGS, Filters(), min_texts=10, max_texts=40)
    ordered = wh.query(
        "SELECT body FROM messages ORDER BY md5('message|' || source || ':' || message_id)"
    )["body"].to_list()
    # 62 negative texts: the 40 first in md5 order, in that order
    assert modelled == [ordered[:40]]


def test_largest_first_is_the_stable_descending_order_cut_to_count():
    import numpy as np

    values = np.array([0.0, 0.5, 0.2, 0.5, 0.0, 0.9, 0.2, 0.2])
    # Descending, ties in index order: 0.9 (5), 0.5 (1, 3), 0.2 (2, 6, 7), 0.0 (0, 4);
    # the 4th largest is 0.2, so of the three 0.2s only index 2 is kept.
    assert topic_model._largest_first(values, 4).tolist() == [5, 1, 3, 2]
    assert topic_model._largest_first(values, 7).tolist() == [5, 1, 3, 2, 6, 7, 0]
    assert topic_model._largest_first(values, 20).tolist() == [5, 1, 3, 2, 6, 7, 0, 4]
    rng = np.random.default_rng(0)
    for _ in range(200):  # few distinct values: many ties at the cut
        many = rng.integers(0, 4, 300).astype(float)
        expected = np.argsort(-many, kind="stable")[:50]
        assert topic_model._largest_first(many, 50).tolist() == expected.tolist()


def test_counting_each_text_once_gives_the_plain_vectorisers_matrix():
    # Repeated texts, a word pair and a term in over half of the texts (dropped outside English)
    texts = ["no funciona nada", "quiero hablar ya", "no funciona nada", "no funciona hoy"]
    texts += ["quiero hablar ya", "no funciona nada", "hoy no"]
    counted = topic_model.vectorizer("es").fit(texts)
    options = counted.get_params()
    plain = TfidfVectorizer(**options).fit(texts)
    ours, theirs = counted.transform(texts), plain.transform(texts)
    assert counted.vocabulary_ == plain.vocabulary_
    # Texts with each term (7 texts, at most half: 3): no 5, funciona 4, "no funciona" 4:
    # dropped; nada and "funciona nada" 3 (texts 1, 3, 6); quiero, hablar, ya and their pairs
    # 2 (texts 2, 5); hoy 2 (texts 4, 7); "funciona hoy", "hoy no" 1: dropped (min_df 2)
    assert list(counted.get_feature_names_out()) == [
        "funciona nada", "hablar", "hablar ya", "hoy", "nada", "quiero", "quiero hablar", "ya",
    ]  # fmt: skip
    for part in ("data", "indices", "indptr"):
        assert getattr(ours, part).tolist() == getattr(theirs, part).tolist()
    fitted = topic_model.vectorizer("es").fit_transform(texts)
    assert (fitted != plain.fit_transform(texts)).nnz == 0


def texts_by_language(rows: list[tuple[str | None, str, int | None]]):
    """``_PICKS``' rows for negative texts (language, kind, pick) written a minute apart from
    09:00, languages in order (null last); and ``_SAMPLE``'s rows for ``cuts`` (each
    language's last pick), unordered (newest first), texts named "text <row>"."""
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    rows = pl.DataFrame(
        {
            "language": [r[0] for r in rows],
            "kind": [r[1] for r in rows],
            "text": [f"text {i}" for i in range(len(rows))],
            "written_at": [start + timedelta(minutes=i) for i in range(len(rows))],
            "pick": [r[2] for r in rows],
        },
        schema_overrides={"written_at": pl.Datetime("us", "UTC"), "pick": pl.Int64},
    )
    per_language = rows.group_by("language").agg(
        negative_messages=(pl.col("kind") == "message").sum().cast(pl.Int64),
        low_score_comments=(pl.col("kind") == "comment").sum().cast(pl.Int64),
        first_at=pl.col("written_at").min(), last_at=pl.col("written_at").max(),
        unpicked=pl.col("pick").null_count().cast(pl.Int64), picks=pl.col("pick"),
    ).sort("language", nulls_last=True)  # fmt: skip

    def sample(cuts: list[int]):
        languages = per_language["language"].to_list()
        slot = pl.Series([languages.index(language) + 1 for language in rows["language"]])
        last = pl.Series([cuts[s - 1] for s in slot])  # each row's language's last pick
        chosen = rows.with_columns(slot=slot.cast(pl.Int32)).filter(pl.col("pick") <= last)
        return chosen.reverse().select(
            "slot", "kind", "text", "written_at", pl.col("written_at").dt.date().alias("week"),
            "pick",
        )  # fmt: skip

    return per_language, sample


def test_the_sample_is_each_languages_smallest_picks_in_order():
    per_language, sample = texts_by_language([
        ("fr", "message", 50), ("en", "message", 40), (None, "comment", 7), ("en", "comment", 10),
        ("fr", "comment", 5), ("en", "message", 30), ("en", "message", 20), ("fr", "message", 60),
    ])  # fmt: skip
    # languages en, fr, null; each one's 2nd smallest pick: en 20 (10, 20), fr 50 (5, 50),
    # null 7 (its only one); with 3 or more: each one's largest
    cuts = topics_module._cuts(per_language, 2)
    assert cuts == [20, 50, 7]
    assert topics_module._cuts(per_language, 3) == [30, 60, 7]
    assert topics_module._cuts(per_language, 20) == [40, 60, 7]
    sampled = topics_module._in_sample_order(sample(cuts), per_language)
    # in order: en 10 (row 3), 20 (row 6); fr 5 (row 4), 50 (row 0); null 7 (row 2)
    assert sampled["text"].to_list() == ["text 3", "text 6", "text 4", "text 0", "text 2"]
    assert sampled["language"].to_list() == ["en", "en", "fr", "fr", None]
    assert sampled["week"].dt.day().to_list() == [5] * 5  # carried along with its row
    # counted before sampling: en 3 messages 1 comment, fr 2 and 1, null 0 and 1
    assert sampled["negative_messages"].to_list() == [3, 3, 2, 2, 0]
    assert sampled["low_score_comments"].to_list() == [1, 1, 1, 1, 1]
    # the first and last instants of all texts (09:00, 09:07), not of the sample
    assert sampled["first_at"].dt.minute().unique().to_list() == [0]
    assert sampled["last_at"].dt.minute().unique().to_list() == [7]
    assert sampled.columns == [
        "language", "kind", "text", "written_at", "week", "negative_messages",
        "low_score_comments", "first_at", "last_at",
    ]  # fmt: skip


def test_the_sample_is_left_to_the_md5_order_when_picks_tie():
    def cuts(rows, max_texts):
        return topics_module._cuts(texts_by_language(rows)[0], max_texts)

    # en's picks 10 and 10 tie inside its sample of 2: only pick_md5 orders them
    assert cuts([("en", "message", 10), ("en", "message", 10), ("en", "message", 30)], 2) is None
    # a tie at the cut too (the 2nd smallest is 20, twice)
    assert cuts([("en", "message", 20), ("en", "message", 10), ("en", "message", 20)], 2) is None
    # beyond the cut a tie does not matter: the sample of 1 is pick 10
    assert cuts([("en", "message", 30), ("en", "message", 10), ("en", "message", 30)], 1) == [10]
    # a text without a pick, in any language, or no text at all
    assert cuts([("fr", "message", 3), ("en", "message", None)], 5) is None
    assert cuts([], 5) is None


def test_the_sample_of_texts_without_a_language_is_the_ranked_querys(make_wh):
    # 3 English texts and 3 of contacts without a language (null, last): the sample of 2 per
    # language read in two steps (picks, then the texts up to each cut) is the ranked query's
    days = [MONDAY + timedelta(days=i) for i in range(6)]
    wh = make_wh(
        {
            "tickets": [
                ticket(f"T{i}", f"{day} 09:00", language="en" if i < 3 else None)
                for i, day in enumerate(days)
            ],
            "messages": [negative(f"T{i}", day, f"Late parcel {i}", None) for i, day in enumerate(days)],
        }
    )  # fmt: skip
    where, params = Filters().where(SETTINGS.reporting_timezone)
    table = topics_module.negative_texts_table(wh, SETTINGS)
    ranked = wh.query(
        topics_module._TEXTS.format(texts=table, where=where),
        params | {"timezone": "UTC", "max_texts": 2, "kinds": ["message", "comment"]},
    )
    sampled, _ = topics_module._fetch(wh, SETTINGS, Filters(), "all", 2)
    assert sampled["language"].to_list() == ["en", "en", None, None]
    assert sampled.equals(ranked)


def test_examples_are_the_heaviest_distinct_texts_and_gists():
    # rows 0-5 on the topic; texts by position: 0 "Refund 12", 1 "Refund 13", 2 "Card", 3 "Late"
    positions = np.array([0, 1, 2, 2, 3, 0])
    weight = np.array([0.9, 0.9, 0.5, 0.8, 0.5, 0.9])
    gists = ["Refund ", "Refund ", "Card", "Late"]
    # by weight: rows 0, 1, 5 (0.9, in row order), 3 (0.8), 2, 4 (0.5): texts 0, 1, 0, 2, 2, 3;
    # distinct: 0, 1, 2, 3; text 1's gist repeats text 0's: 0, 2, 3
    assert topics_module._examples(np.arange(6), weight, positions, gists) == [0, 2, 3]
    # only rows 2-4: texts 2 (0.8, row 3), 3 (0.5, row 4)
    assert topics_module._examples(np.array([2, 3, 4]), weight, positions, gists) == [2, 3]
