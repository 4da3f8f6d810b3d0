"""Customer sentiment from a model trained on the team's own survey-rated conversations.

A scikit-learn model (character 2-4-gram TF-IDF within word boundaries, which works for
every language including Chinese, and a class-balanced logistic regression fitted by
stochastic gradient descent with a fixed seed, ``SGDClassifier(loss="log_loss")``) learns
from each rated contact's customer messages, joined, whether its survey score was 4-5
(positive) or 1-2 (negative; 3 is left out). Its 5-fold stratified cross-validated
accuracy (fixed seed) is reported overall and per contact language, beside the balanced
accuracy (mean recall of the two labels: 0.5 is chance) and the majority-class share
(the accuracy of always guessing the commoner label), so a model that learnt nothing
cannot pass for a good one.
Per language it is used only where that cross-validated balanced accuracy beats the
shipped model's on the same rated conversations (sentiment_choice.py); elsewhere the figures
are the shipped model's stored scores. Where used, it reads every customer message of the
filtered contacts: p = P(positive) becomes the score 2p - 1 in [-1, 1], read with the
sentiment thresholds of Settings. It is fitted at query time and never stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from metrics.core.contacts import Warehouse, contacts_table
from metrics.core.filters import Filters
from metrics.core.metric import metric
from metrics.core.settings import Settings
from metrics.voice.sentiment_choice import SHIPPED, SURVEY, choose, shipped_figures

if TYPE_CHECKING:  # scikit-learn loads on first use (with scipy): the first page needs neither
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier

METHOD = SURVEY
CV = ["cv_accuracy", "cv_balanced_accuracy"]
# Below this out-of-fold balanced accuracy (0.5 is chance) a row's note warns off reading it.
WEAK_MODEL = 0.6
FOLDS = 5
SEED = 0
COLUMNS = [
    "scope", "language", "method", "n", "mean", "negative", "negative_share", "positive",
    "positive_share", "customer_messages", "unscored", "coverage", "train_n",
    "train_positive", "cv_accuracy", "cv_balanced_accuracy", "majority_share",
    "shipped_balanced_accuracy", "why", "note",
]  # fmt: skip


@dataclass(frozen=True)
class _Model:
    """TF-IDF features fitted on the training texts and a classifier fitted on all of them."""

    vectorizer: TfidfVectorizer
    classifier: SGDClassifier

    def positive_probability(self, texts: list[str]) -> np.ndarray:
        return self.classifier.predict_proba(self.vectorizer.transform(texts))[:, 1]


def _classifier() -> SGDClassifier:
    from sklearn.linear_model import SGDClassifier

    return SGDClassifier(loss="log_loss", alpha=1e-4, class_weight="balanced", random_state=SEED)


def _fit(train: pl.DataFrame) -> tuple[_Model, pl.DataFrame]:
    """The model, and the training rows with their out-of-fold prediction (``correct``).

    The vectorizer is fitted once on every training text (it never sees a label), so the
    cross-validation refits only the classifier: 5 x faster, the same held-out labels.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 4), min_df=2, sublinear_tf=True,
        max_features=50_000, dtype=np.float32,
    )  # fmt: skip
    features = vectorizer.fit_transform(train["text"].to_list())
    labels = train["positive"].to_numpy()
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    predicted = cross_val_predict(_classifier(), features, labels, cv=folds)
    model = _Model(vectorizer, _classifier().fit(features, labels))
    return model, train.with_columns(correct=pl.Series(predicted == labels))


def _training_rows(wh: Warehouse, table: str, max_train: int) -> pl.DataFrame:
    """The latest ``max_train`` rated contacts (score 1-2 or 4-5) with customer text."""
    sql = f"""
        WITH rated AS (
            SELECT c.source, c.contact_id, c.language, c.csat_score >= 4 AS positive,
                c.csat_responded_at
            FROM {table} AS c
            WHERE c.csat_score IN (1, 2, 4, 5) AND NOT c.is_merged
        ),
        texts AS (
            SELECT r.source, r.contact_id, r.language, r.positive, r.csat_responded_at,
                string_agg(m.body, ' \n ' ORDER BY m.sent_at, m.message_id) AS text,
                avg(m.sentiment) AS stored_mean
            FROM rated AS r
            JOIN messages AS m ON m.source = r.source AND m.conversation_id = r.contact_id
            WHERE m.sender_type = 'customer' AND trim(coalesce(m.body, '')) <> ''
            GROUP BY ALL
        ),
        latest AS (
            SELECT * FROM texts
            ORDER BY csat_responded_at DESC NULLS LAST, source, contact_id LIMIT $max_train
        )
        SELECT language, positive, text, stored_mean FROM latest ORDER BY source, contact_id
    """  # noqa: S608
    return wh.query(sql, {"max_train": max_train})


def _message_texts(wh: Warehouse, table: str, settings: Settings, filters: Filters) -> pl.DataFrame:
    """Distinct (language, body) of the filtered contacts' customer messages, with counts."""
    where, params = filters.where(settings.reporting_timezone)
    sql = f"""
        SELECT c.language, nullif(trim(m.body), '') AS body, count(*) AS messages,
            avg(m.sentiment) AS stored
        FROM {table} AS c
        JOIN messages AS m ON m.source = c.source AND m.conversation_id = c.contact_id
        WHERE {where} AND m.sender_type = 'customer'
        GROUP BY ALL ORDER BY ALL
    """  # noqa: S608
    return wh.query(sql, params)


def _train_figures(checked: pl.DataFrame) -> pl.DataFrame:
    """Per language and overall: train_n, train_positive, cv_accuracy (out-of-fold),
    cv_balanced_accuracy (mean of the two labels' recalls; 0.5 is chance) and majority_share."""
    figures = [
        pl.len().alias("train_n"),
        pl.col("positive").sum().alias("train_positive"),
        pl.col("correct").mean().alias("cv_accuracy"),
        (
            (pl.col("correct") & pl.col("positive")).sum() / pl.col("positive").sum() / 2
            + (pl.col("correct") & ~pl.col("positive")).sum() / (~pl.col("positive")).sum() / 2
        ).alias("cv_balanced_accuracy"),
        pl.max_horizontal(pl.col("positive").mean(), 1 - pl.col("positive").mean()).alias(
            "majority_share"
        ),
        *shipped_figures(),
    ]
    return _per_language_and_overall(checked, figures)


def _per_language_and_overall(frame: pl.DataFrame, figures: list[pl.Expr]) -> pl.DataFrame:
    per_language = frame.group_by("language").agg(figures).sort("language", nulls_last=True)
    overall = frame.select(pl.lit(None, pl.String).alias("language"), *figures)
    return pl.concat(
        [
            per_language.with_columns(scope=pl.lit("language")),
            overall.with_columns(scope=pl.lit("overall")),
        ],
        how="vertical_relaxed",
    )


def _scores(model: _Model, texts: pl.DataFrame, modelled: list[str | None]) -> pl.DataFrame:
    """Messages with a score 2p - 1 where their language uses the survey model, else their
    stored score (the shipped model's; null where it scored none)."""
    known = pl.col("language").is_in([m for m in modelled if m is not None])
    if None in modelled:
        known = known | pl.col("language").is_null()
    usable = texts.filter(pl.col("body").is_not_null() & known)
    p = model.positive_probability(usable["body"].to_list()) if len(usable) else []
    scored = usable.with_columns(score=pl.Series(2 * np.asarray(p, dtype=float) - 1))
    joined = texts.join(
        scored.select("language", "body", "score"),
        on=["language", "body"],
        how="left",
        nulls_equal=True,
    )
    return joined.with_columns(
        score=pl.when(known).then(pl.col("score")).otherwise(pl.col("stored"))
    )


def _summarise(scored: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    """Message-weighted figures per language and overall (language null)."""
    weight, score = pl.col("messages"), pl.col("score")
    has = score.is_not_null()
    figures = [
        weight.filter(has).sum().alias("n"),
        pl.when(has.any())
        .then((score * weight).filter(has).sum() / weight.filter(has).sum())
        .alias("mean"),
        weight.filter(score <= settings.sentiment_negative).sum().alias("negative"),
        weight.filter(score >= settings.sentiment_positive).sum().alias("positive"),
        weight.sum().alias("customer_messages"),
    ]
    return _per_language_and_overall(scored, figures)


def _not_enough(train: pl.DataFrame, min_examples: int) -> str | None:
    """Why no model can be trained, or None when one can."""
    positives = int(train["positive"].sum()) if len(train) else 0
    if len(train) < min_examples or min(positives, len(train) - positives) < FOLDS:
        return (
            f"not enough survey-rated conversations with customer text to train: {len(train)} "
            f"({positives} positive), need {min_examples} with at least {FOLDS} of each label"
        )
    return None


def _note(min_examples: int, reason: str | None) -> pl.Expr:
    """Why a row has no figures, or why its figures should not be read as sentiment."""
    if reason is not None:
        return pl.lit(reason)
    too_few = (pl.col("scope") == "language") & (pl.col("train_n") < min_examples)
    weak = (pl.col("cv_balanced_accuracy") < WEAK_MODEL) & (pl.col("used") == SURVEY)
    return (
        pl.when(too_few)
        .then(
            pl.format(
                f"{{}} rated conversations, fewer than {min_examples}: no survey model "
                "(the shipped model's scores are shown)",
                "train_n",
            )
        )
        .when(weak)
        .then(
            pl.format(
                f"cross-validated balanced accuracy {{}} (below {WEAK_MODEL}): the surveys are "
                "barely predictable from the messages, do not read these figures as sentiment",
                pl.col("cv_balanced_accuracy").round(2),
            )
        )
        .otherwise(None)
    )


@metric(
    "sentiment_model",
    label="Customer sentiment (model trained on our surveys)",
    unit="score in [-1, 1]",
    family="sentiment",
    definition=(
        "A logistic regression on character n-grams, trained on the customer messages of "
        "survey-rated contacts (4-5 positive, 1-2 negative, 3 left out; the latest max_train "
        "of them), reads each customer message of the filtered contacts: score 2p - 1 from "
        "p = P(positive). Per contact language and overall: n scored messages, mean score, "
        "negative/positive shares (sentiment thresholds), coverage, and the model's 5-fold "
        "stratified cross-validated accuracy beside its balanced accuracy (0.5 = chance) and "
        "the majority-class share; a note warns when balanced accuracy is below 0.6. "
        "Per language the survey model is used only where its cross-validated balanced "
        "accuracy beats the shipped model's on the same rated conversations; elsewhere the "
        "shipped model's stored scores are shown (columns method and why say which and why)."
    ),
    variant="per contact language (scope 'language') and overall; by= is not supported",
    exclusions=(
        "messages of languages with fewer than min_examples rated conversations and empty "
        "messages (counted as unscored, never neutral); survey score 3; merged duplicates"
    ),
)
def sentiment_model(
    wh: Warehouse,
    settings: Settings,
    filters: Filters,
    min_examples: int = 100,
    max_train: int = 20_000,
) -> pl.DataFrame:
    """Survey-trained sentiment of the filtered contacts' customer messages, per language.

    Columns: scope ('language' or 'overall'), language, method ('survey-model'), n, mean,
    negative, negative_share, positive, positive_share, customer_messages, unscored,
    coverage (n / customer_messages), train_n, train_positive (rated conversations used),
    cv_accuracy and cv_balanced_accuracy (out-of-fold, null below min_examples),
    majority_share (accuracy of always guessing the commoner label), note.
    The model is trained on every rated contact in the warehouse, not only the filtered
    ones, so a short period still gets a model; figures for rated contacts are in-sample.
    """
    table = contacts_table(wh, settings)
    train = _training_rows(wh, table, max_train)
    texts = _message_texts(wh, table, settings, filters)
    reason = _not_enough(train, min_examples)
    if reason is None:
        model, checked = _fit(train)
        figures = choose(
            _train_figures(checked).with_columns(
                pl.when(pl.col("train_n") >= min_examples).then(pl.col(CV)).name.keep()
            )
        )
        modelled = figures.filter((pl.col("scope") == "language") & (pl.col("used") == SURVEY))[
            "language"
        ].to_list()
        scored = _scores(model, texts, modelled)
    else:
        figures = choose(_train_figures(train.with_columns(correct=pl.lit(None, pl.Boolean))))
        scored = texts.with_columns(score=pl.col("stored"))
    return _assemble(_summarise(scored, settings), figures, min_examples, reason)


def _assemble(
    summary: pl.DataFrame, figures: pl.DataFrame, min_examples: int, reason: str | None
) -> pl.DataFrame:
    rows = summary.join(
        figures,
        on=["scope", "language"],
        how="left",
        nulls_equal=True,
    )
    share = {
        name: pl.when(pl.col(base) > 0).then(pl.col(top) / pl.col(base))
        for name, top, base in [
            ("negative_share", "negative", "n"),
            ("positive_share", "positive", "n"),
            ("coverage", "n", "customer_messages"),
        ]
    }
    rows = rows.with_columns(
        method=pl.when(pl.col("scope") == "overall")
        .then(pl.lit(_overall_method(rows)))
        .otherwise(pl.col("used")),
        unscored=pl.col("customer_messages") - pl.col("n"),
        train_n=pl.col("train_n").fill_null(0),
        train_positive=pl.col("train_positive").fill_null(0),
        **share,
    )
    return rows.with_columns(note=_note(min_examples, reason)).select(COLUMNS)


def _overall_method(rows: pl.DataFrame) -> str:
    """'survey-model', 'shipped' or both joined, after the languages' choices."""
    used = set(rows.filter(pl.col("scope") == "language")["used"].drop_nulls())
    return "+".join(sorted(used)) if used else SHIPPED
