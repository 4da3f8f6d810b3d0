"""The figures section of docs/qa.md, computed from the hand-labelled set.

``python -m etl qa-figures --out docs/qa.md`` rewrites the part of docs/qa.md between its
``qa-figures`` markers; tests/quality/test_labelled_set.py fails when that part is stale.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from etl.quality.evaluate import figures, meets_aims, predictions
from etl.quality.labelled import CATEGORIES
from metrics.quality.scoring import LANGUAGES, SCORED

START, END = "<!-- qa-figures:start -->", "<!-- qa-figures:end -->"
EVALUATION_SPLITS: tuple[str, ...] = (
    "heldout", "fresh", "final", "last", "probe", "probe2", "probe3", "probe4",
    "probe5", "probe6", "blind", "blind2", "blind3", "blind4", "blind5", "blind6",
)  # fmt: skip
RUNS = Path(__file__).resolve().parents[2] / "docs" / "qa_runs"
# The untouched runs, in the order they were made: (column title, file in RUNS).
UNTOUCHED: tuple[tuple[str, str], ...] = (
    ("held-out, 1st run", "1-heldout-first-run.tsv"), ("fresh, 1st run", "2-fresh-first-run.tsv"),
    ("final, 1st run", "3-final-first-run.tsv"), ("last, only run", "4-last-first-run.tsv"),
    ("probe, only run", "5-probe-only-run.tsv"), ("probe2, only run", "6-probe2-only-run.tsv"),
    ("probe3, only run", "7-probe3-only-run.tsv"), ("probe4, only run", "8-probe4-only-run.tsv"),
    ("probe5, only run", "9-probe5-only-run.tsv"), ("probe6, only run", "10-probe6-only-run.tsv"),
    ("blind, only run", "11-blind-only-run.tsv"), ("blind2, only run", "12-blind2-only-run.tsv"),
    ("blind3, only run", "13-blind3-only-run.tsv"), ("blind4, only run", "14-blind4-only-run.tsv"),
    ("blind5, only run", "15-blind5-only-run.tsv"), ("blind6, only run", "16-blind6-only-run.tsv"),
)  # fmt: skip
# The untouched run that decides each category's coverage, per language: the latest one
# made with the category's judge as it is now and holding failures of that category. Since
# the blind splits (written and labelled by people who never saw the scorer) that is one run
# for every category: "blind6", made after the judges were fixed on "blind" to "blind5"; a
# category whose judge changes afterwards names its next untouched run here.
DECIDING_RUN: dict[str, str] = {}
DEFAULT_DECIDING_RUN = "16-blind6-only-run.tsv"
# The runs of the security judges on splits written for them, shown per language.
SECURITY_RUNS: tuple[str, ...] = (
    "5-",
    "6-",
    "7-",
    "8-",
    "9-",
    "10-",
    "11-",
    "12-",
    "13-",
    "14-",
    "15-",
    "16-",
)


def _cell(precision: float | None, recall: float | None, failures: int, flagged: int = 0) -> str:
    if not failures:
        # no labelled failure: recall is undefined, but a false failure still shows
        return f"n/a (0 failures, {flagged} flagged)" if flagged else "n/a (0 failures)"
    p = "–" if precision is None else f"{precision:.2f}"
    return f"{p} / {recall:.2f} ({failures})"


def _table(frame: pl.DataFrame, columns: list[str], label: str) -> list[str]:
    lines = [f"| category | {' | '.join(columns)} |", "|---" * (len(columns) + 1) + "|"]
    for category in CATEGORIES:
        cells = []
        for column in columns:
            row = frame.filter((pl.col("category") == category) & (pl.col(label) == column))
            if row.is_empty():
                cells.append("–")
            else:
                r = row.row(0, named=True)
                cells.append(_cell(r["precision"], r["recall"], r["failures"], r["flagged"]))
        lines.append(f"| {category} | {' | '.join(cells)} |")
    return lines


def evaluation_figures(pred: pl.DataFrame) -> pl.DataFrame:
    """Per language (and 'en (real)' for the Ubuntu and ABCD conversations) and category,
    on every split but dev."""
    part = pred.filter(pl.col("split").is_in(EVALUATION_SPLITS)).with_columns(
        pl.when(pl.col("origin") != "written")
        .then(pl.lit("en (real)"))
        .otherwise(pl.col("language"))
        .alias("group")
    )
    return figures(part, ("group", "category"))


def coverage_lines() -> list[str]:
    lines = [f"| category | {' | '.join(LANGUAGES)} |", "|---" * (len(LANGUAGES) + 1) + "|"]
    for category in CATEGORIES:
        cells = ["scored" if lang in SCORED[category] else "not scored" for lang in LANGUAGES]
        lines.append(f"| {category} | {' | '.join(cells)} |")
    return lines


def read_run(path: Path) -> pl.DataFrame:
    """A saved untouched run, pooled rows only: category, n, failures, flagged, caught, P, R."""
    rows = []
    for line in path.read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 7:
            continue
        category, n, failures, flagged, caught, precision, recall = parts
        rows.append({"category": category, "failures": int(failures), "caught": int(caught),
                     "flagged": int(flagged),
                     "precision": None if precision == "None" else float(precision),
                     "recall": None if recall == "None" else float(recall)})  # fmt: skip
    return pl.DataFrame(rows)


def run_lines(pred: pl.DataFrame, split: str) -> list[str]:
    """A run file's lines for ``split`` scored as ``pred`` holds it: pooled rows (category, n,
    failures, flagged, caught, precision, recall), then the same per language."""
    part = pred.filter(pl.col("split") == split)
    if part.is_empty():
        raise ValueError(f"no labelled conversation in split {split!r}")
    columns = ["n", "failures", "flagged", "caught", "precision", "recall"]
    lines = [
        "\t".join([r["category"], *(str(r[c]) for c in columns)])
        for r in figures(part, ("category",)).iter_rows(named=True)
    ]
    lines += [
        "\t".join([r["language"], r["category"], *(str(r[c]) for c in columns)])
        for r in figures(part, ("language", "category")).iter_rows(named=True)
    ]
    return lines


def read_run_languages(path: Path) -> pl.DataFrame:
    """A saved untouched run's per-language rows: language, category, failures, P, R."""
    rows = []
    for line in path.read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 8:
            continue
        language, category, n, failures, flagged, caught, precision, recall = parts
        rows.append({"language": language, "category": category, "failures": int(failures),
                     "flagged": int(flagged),
                     "precision": None if precision == "None" else float(precision),
                     "recall": None if recall == "None" else float(recall)})  # fmt: skip
    return pl.DataFrame(rows)


def deciding_run(category: str) -> Path:
    """The untouched run file that decides ``category``'s coverage."""
    return RUNS / DECIDING_RUN.get(category, DEFAULT_DECIDING_RUN)


def _security_untouched_lines() -> list[str]:
    frames = [
        read_run_languages(RUNS / file).with_columns(pl.lit(name).alias("run"))
        for name, file in UNTOUCHED
        if file.startswith(SECURITY_RUNS)
    ]
    frame = pl.concat(frames).filter(pl.col("category") == "security")
    names = [name for name, file in UNTOUCHED if file.startswith(SECURITY_RUNS)]
    lines = [f"| language | {' | '.join(names)} |", "|---" * (len(names) + 1) + "|"]
    for language in LANGUAGES:
        cells = []
        for name in names:
            row = frame.filter((pl.col("language") == language) & (pl.col("run") == name))
            r = row.row(0, named=True)
            cells.append(_cell(r["precision"], r["recall"], r["failures"], r["flagged"]))
        lines.append(f"| {language} | {' | '.join(cells)} |")
    return lines


def untouched_lines() -> list[str]:
    runs = list(UNTOUCHED)
    frames = []
    for name, file in runs:
        frame = read_run(RUNS / file)
        if "1-heldout" in file:  # saved per language: pool it
            frame = _pooled_heldout(RUNS / file)
        frames.append(frame.with_columns(pl.lit(name).alias("run")))
    return _table(pl.concat(frames), [name for name, _ in runs], "run")


def _pooled_heldout(path: Path) -> pl.DataFrame:
    rows = []
    for line in path.read_text("utf-8").splitlines():
        lang, category, n, failures, flagged, caught, precision, recall = line.split(" ")
        rows.append(
            {
                "category": category,
                "failures": int(failures),
                "flagged": int(flagged),
                "caught": int(caught),
            }
        )
    frame = pl.DataFrame(rows).group_by("category").sum()
    return frame.select(
        "category", "failures", "caught", "flagged",
        pl.when(pl.col("flagged") > 0).then(pl.col("caught") / pl.col("flagged")).alias("precision"),
        (pl.col("caught") / pl.col("failures")).alias("recall"),
    )  # fmt: skip


def markdown(pred: pl.DataFrame | None = None) -> str:
    """The generated figures section (between the markers, markers included)."""
    pred = predictions() if pred is None else pred
    current = evaluation_figures(pred)
    groups = [*LANGUAGES, "en (real)"]
    lines = [
        START,
        "",
        "### Untouched runs (precision / recall of the failure verdict, failures in brackets)",
        "",
        "Each split scored once, by the scorer as it was then, before anything was fixed on it;",
        "all languages pooled. `probe` to `probe6` test security hygiene: `probe` was scored by",
        "the phrase-list judge (`patterns-6`), `probe2` by the redesigned judge (`secrets-1`),",
        "`probe3` by `secrets-2`, `probe4` by the recall-first `secrets-3`, `probe5` by",
        "`secrets-4`, `probe6` by `secrets-5` (with the customer's reply). `probe` to `probe6` are",
        "untouched for every category, but hold few failures of any other. `blind` and `blind2`",
        "were written and labelled by people who never saw the scorer, for every category: `blind`",
        "was scored by `secrets-5`, `blind2` by `blind-1` (fixed on `blind`), `blind3` by",
        "`blind-2` (fixed on `blind2`), `blind4` by `blind-3` (fixed on `blind3`), `blind5` by",
        "`blind-5` (fixed on `blind4`), `blind6` by the judges as they are now (`blind-6`, fixed on",
        "`blind5`); **blind6 decides the coverage**.",
        "",
        *untouched_lines(),
        "",
        "Security hygiene per language in the untouched runs of the security judges:",
        "",
        *_security_untouched_lines(),
        "",
        "### The scorer now, on every split but dev (per language; real = Ubuntu + ABCD)",
        "",
        "These include the conversations whose misses were fixed, so they overstate what to",
        "expect on new text; the untouched runs above are the estimate for that.",
        "",
        *_table(current, groups, "group"),
        "",
        "### Coverage: where verdicts are shown",
        "",
        *coverage_lines(),
        "",
        END,
    ]
    return "\n".join(lines) + "\n"


def splice(path: Path, section: str) -> str:
    """``path``'s text with the part between the markers replaced by ``section``."""
    text = path.read_text("utf-8")
    start, end = text.index(START), text.index(END) + len(END)
    return text[:start] + section.rstrip("\n") + text[end:]


def aims_met(pred: pl.DataFrame) -> dict[tuple[str, str], bool]:
    """(category, language) -> the aims hold on the evaluation splits of that language."""
    frame = evaluation_figures(pred)
    return {
        (r["category"], r["group"]): meets_aims(r["category"], r["precision"], r["recall"])
        or r["failures"] == 0
        for r in frame.iter_rows(named=True)
    }
