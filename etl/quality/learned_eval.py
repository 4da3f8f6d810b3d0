"""Leave-one-round-out evaluation of the learned judge against the phrase judges.

For each blind round (splits written by people who never saw the scorer), the learned judge
(``etl.quality.learned_train``) is fitted on every other labelled conversation (team-written
splits, the real ones and the other rounds; thresholds by grouped cross-validation on those
only) and predicts the round. It is set beside the phrase judges' **untouched run** of the
round (later phrase lists were fixed on the earlier rounds), per conversation: the verdicts
of each run are saved in ``docs/qa_runs/blind-only-run-verdicts.tsv`` (made by the scorer of
the commit that saved the run; a test checks they add up to the run's published counts). A
round without saved verdicts (a new one: ``blind5``) uses the phrase judges as they are now,
which is its untouched run as long as nobody fixed them on it. Four readings are measured:

- *learned*: a failure where the probability reaches the precision-first threshold;
- *filter*: the phrase judge's failure, kept where the probability reaches the threshold
  that kept every out-of-fold training failure (a false-alarm filter meant to lose no recall);
- *and*: the phrase judge's failure where the learned judge also calls it one;
- *or*: a failure where either calls it one.

``python -m etl qa-learned --out docs/qa_runs/learned-loro.tsv`` writes the counts;
tests/quality/test_learned_judge.py recomputes them and fails when the published file or the
docs/qa.md section drifts.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import polars as pl

from etl.quality.evaluate import predictions
from etl.quality.labelled import FIXTURES, REAL_DATA, load_labelled
from etl.quality.learned_train import (
    LEARNED_CATEGORIES,
    features_of,
    fit_category,
    probability,
    writer_group,
)
from etl.quality.report import RUNS
from metrics.quality.scoring import LANGUAGES
from metrics.quality.scoring.learned_features import ID

BLIND = r"blind\d*"
READINGS: tuple[str, ...] = ("phrase", "learned", "filter", "and", "or")
READING_TITLES: dict[str, str] = {
    "phrase": "phrase, only run", "learned": "learned", "filter": "phrase + filter",
    "and": "phrase and learned", "or": "phrase or learned",
}  # fmt: skip
ONLY_RUN_VERDICTS = RUNS / "blind-only-run-verdicts.tsv"
PUBLISHED = RUNS / "learned-loro.tsv"
START, END = "<!-- learned-judge:start -->", "<!-- learned-judge:end -->"


def rounds_of(splits: pl.Series) -> list[str]:
    """The blind rounds among ``splits``, in the order they were written (blind, blind2, ...)."""
    names = [name for name in splits.unique().to_list() if re.fullmatch(BLIND, name)]
    return sorted(names, key=lambda name: int(name.removeprefix("blind") or 1))


def only_run(split: str, runs: Path = RUNS) -> Path | None:
    """The round's untouched run of the phrase judges, if it was saved."""
    found = sorted(runs.glob(f"*-{split}-only-run.tsv"))
    return found[0] if found else None


def only_run_verdicts(path: Path = ONLY_RUN_VERDICTS) -> pl.DataFrame:
    """The saved per-conversation verdicts of the blind rounds' untouched runs."""
    return pl.read_csv(path, separator="\t")


def save_run_verdicts(split: str, now: pl.DataFrame, path: Path = ONLY_RUN_VERDICTS) -> int:
    """Append the phrase judges' verdicts of ``split`` as they are now (``now``:
    ``etl.quality.evaluate.predictions``) to the saved untouched-run verdicts: done once,
    when the split's untouched run is made, before anything is fixed on it. Returns the rows
    added; refuses a split already saved or absent."""
    saved = only_run_verdicts(path)
    if split in saved["split"].to_list():
        raise ValueError(
            f"{split!r} is already saved in {path.name}: an untouched run is made once"
        )
    part = now.filter(pl.col("split") == split)
    if part.is_empty():
        raise ValueError(f"no labelled conversation in split {split!r}")
    rows = part.select("split", "conversation_id", "category", "verdict")
    merged = pl.concat([saved, rows]).sort("split", "conversation_id", "category")
    merged.write_csv(path, separator="\t")
    return rows.height


def phrase_verdicts(now: pl.DataFrame, path: Path = ONLY_RUN_VERDICTS) -> pl.DataFrame:
    """(conversation_id, category, verdict): a round's untouched run where saved, else the
    phrase judges now (``now``: ``etl.quality.evaluate.predictions``)."""
    saved = only_run_verdicts(path).select("conversation_id", "category", "verdict")
    rest = now.join(saved, on=["conversation_id", "category"], how="anti")
    return pl.concat([saved, rest.select("conversation_id", "category", "verdict")])


def leave_round_out(
    fixtures: Path = FIXTURES, real_data: Path = REAL_DATA, rounds: tuple[str, ...] | None = None
) -> pl.DataFrame:
    """One row per conversation of each blind round (default: every one in the labelled set)
    and category: label, the phrase verdict of its untouched run, the learned probability
    and its two thresholds (fitted without the round)."""
    labelled = load_labelled(fixtures, real_data)
    rounds = tuple(rounds_of(labelled.labels["split"])) if rounds is None else rounds
    keys, long = features_of(labelled.messages)
    phrase = phrase_verdicts(predictions(fixtures, real_data))
    parts = []
    for category in LEARNED_CATEGORIES:
        labels = labelled.labels.filter(pl.col("category") == category).join(
            keys, on="conversation_id"
        )
        labels = labels.with_columns(
            writer_group(pl.col("conversation_id"), pl.col("split")).alias("group")
        ).sort(ID)
        for held in rounds:
            train, test = (
                labels.filter(pl.col("split") != held),
                labels.filter(pl.col("split") == held),
            )
            if test.is_empty():
                continue
            y = (train["label"] == "no").to_numpy().astype(np.int64)
            fitted = fit_category(category, long, train[ID], y, train["group"].to_numpy())
            parts.append(
                test.select(
                    "conversation_id", "language", "split", "category", "label"
                ).with_columns(
                    pl.Series("probability", probability(fitted, long, test[ID])),
                    pl.lit(fitted.threshold).alias("threshold"),
                    pl.lit(fitted.filter_threshold).alias("filter_threshold"),
                )
            )
    return pl.concat(parts).join(phrase, on=["conversation_id", "category"], how="left")


def _flags(pred: pl.DataFrame) -> pl.DataFrame:
    phrase = pl.col("verdict") == "no"
    return pred.with_columns(
        (pl.col("probability") >= pl.col("threshold")).alias("learned"),
        (phrase & (pl.col("probability") >= pl.col("filter_threshold"))).alias("filter"),
        (phrase & (pl.col("probability") >= pl.col("threshold"))).alias("and"),
        (phrase | (pl.col("probability") >= pl.col("threshold"))).alias("or"),
        phrase.alias("phrase"),
    )


def counts(pred: pl.DataFrame) -> pl.DataFrame:
    """Per round, language ("all" pooled) and category: n, failures, and for each reading
    the conversations flagged and the failures caught."""
    flagged = _flags(pred)
    failure = pl.col("label") == "no"
    aggs = [pl.len().alias("n"), failure.sum().alias("failures")]
    for reading in READINGS:
        aggs += [pl.col(reading).sum().alias(f"{reading}_flagged"),
                 (pl.col(reading) & failure).sum().alias(f"{reading}_caught")]  # fmt: skip
    pooled = (
        flagged.group_by("split", "category")
        .agg(aggs)
        .with_columns(pl.lit("all").alias("language"))
    )
    per = flagged.group_by("split", "language", "category").agg(aggs)
    columns = ["split", "language", "category", "n", "failures"]
    columns += [f"{r}_{k}" for r in READINGS for k in ("flagged", "caught")]
    frame = pl.concat([pooled.select(columns), per.select(columns)], how="vertical_relaxed")
    return frame.sort("split", "language", "category")


def tsv(table: pl.DataFrame) -> str:
    """The counts as the published file holds them (header line, tab-separated)."""
    lines = ["\t".join(table.columns)]
    lines += ["\t".join(str(v) for v in row) for row in table.iter_rows()]
    return "\n".join(lines) + "\n"


def read_tsv(path: Path = PUBLISHED) -> pl.DataFrame:
    """The published counts."""
    return pl.read_csv(path, separator="\t", schema_overrides={"language": pl.String})


def _pr(flagged: int, caught: int, failures: int) -> str:
    precision = f"{caught / flagged:.2f}" if flagged else "–"
    recall = f"{caught / failures:.2f}" if failures else "–"
    return f"{precision} / {recall}"


def _row(table: pl.DataFrame, split: str, language: str, category: str) -> dict:
    match = (pl.col("split") == split) & (pl.col("language") == language)
    return table.filter(match & (pl.col("category") == category)).row(0, named=True)


def _reading(r: dict, reading: str) -> str:
    return _pr(r[f"{reading}_flagged"], r[f"{reading}_caught"], r["failures"])


def markdown(table: pl.DataFrame) -> str:
    """The docs/qa.md tables: each reading per round pooled, then the latest round per
    language (learned, the phrase judges' untouched run, the filter). Pooled cells are
    precision / recall of the failure verdict; the phrase row gives the failures."""
    rounds = rounds_of(table["split"])
    latest = rounds[-1]
    lines = [f"| category | reading | {' | '.join(rounds)} |", "|---" * (len(rounds) + 2) + "|"]
    for category in LEARNED_CATEGORIES:
        for reading in READINGS:
            rows = [_row(table, held, "all", category) for held in rounds]
            cells = [_reading(r, reading) for r in rows]
            if reading == "phrase":  # the failures once per category
                cells = [f"{cell} ({r['failures']})" for cell, r in zip(cells, rows, strict=True)]
            lines.append(f"| {category} | {READING_TITLES[reading]} | " + " | ".join(cells) + " |")
    lines.append("")
    lines += [f"`{latest}` per language (learned · phrase, only run · phrase + filter;"
              " failures in brackets):", ""]  # fmt: skip
    lines += [f"| category | {' | '.join(LANGUAGES)} |", "|---" * (len(LANGUAGES) + 1) + "|"]
    for category in LEARNED_CATEGORIES:
        cells = []
        for language in LANGUAGES:
            if table.filter(
                (pl.col("split") == latest) & (pl.col("language") == language)
            ).is_empty():
                cells.append("no conversations")
                continue
            r = _row(table, latest, language, category)
            cells.append(
                f"{_reading(r, 'learned')} · {_reading(r, 'phrase')} · {_reading(r, 'filter')}"
                f" ({r['failures']})"
            )
        lines.append(f"| {category} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def splice(document: str, section: str) -> str:
    """``document`` with the part between the learned-judge markers replaced by ``section``."""
    before, rest = document.split(START, 1)
    _, after = rest.split(END, 1)
    return f"{before}{START}\n\n{section}\n\n{END}{after}"
