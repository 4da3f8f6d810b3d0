"""Quarantine at the speed of loading: a file whose rows are mostly quarantined against the
same file with clean rows, loaded as a user loads it (``python -m etl load tickets``).

The clean file is the 1M-row ticket file of bench.ticket_load. Each variant rewrites
``created_at`` on every k-th row, the rest byte for byte the same:

- ``implausible``: the year set to 1990 (read fine, outside the plausible range 2000 to
  now), on 20% of the rows (issue 15's report: 200k rows took 25 s against 4 s) and 90%;
- ``not_dates``: created_at holding the row's subject (a mapping naming the wrong column),
  on 90% of the rows: every value is unknown text, tried as a date-time, redacted before
  it is quoted and stored.

Target (issue 15): a mostly quarantined file loads in at most twice the clean file's time.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl

from bench import dataset, processes
from bench.results import record
from bench.ticket_load import FULL_ROWS, ticket_file
from bench.timing import best_of, verdict

TARGET = 2.0
VARIANTS = {  # name -> (how created_at is rewritten, on which share of the rows)
    "implausible_20": ("implausible", 0.2),
    "implausible_90": ("implausible", 0.9),
    "not_dates_90": ("not_dates", 0.9),
}


def bad_dates(how: str) -> pl.Expr:
    """``created_at`` values (ISO, e.g. 2026-05-01T00:00:19Z) rewritten as ``how`` says."""
    if how == "implausible":
        return pl.lit("1990") + pl.col("created_at").str.slice(4)
    return pl.col("subject")


def variant_file(clean: Path, out: Path, how: str | None = None, share: float = 0.0) -> int:
    """``clean`` written again with created_at rewritten on ``share`` of the rows (rows whose
    number ends in 0 to share x 10 - 1); returns how many. ``how`` None rewrites nothing
    (the clean file in the same quoting as the variants)."""
    frame = pl.read_csv(clean, infer_schema=False)
    rewrite = (pl.int_range(0, pl.len()) % 10) < round(share * 10)
    if how is not None:
        frame = frame.with_columns(
            pl.when(rewrite)
            .then(bad_dates(how))
            .otherwise(pl.col("created_at"))
            .alias("created_at")
        )
    frame.write_csv(out)
    return int(frame.select(rewrite.sum()).item()) if how is not None else 0


def run(
    scale: float = dataset.FULL_SCALE, write: bool = True, repeats: int = 2
) -> dict[str, float]:
    """Best-of-``repeats`` seconds per file as whole processes, runs interleaved."""
    data = dataset.ensure(scale)
    export = data.export("zendesk_tickets.csv")
    wanted = round(FULL_ROWS * scale / dataset.FULL_SCALE)
    with tempfile.TemporaryDirectory(prefix="sqd-bench-quarantine-") as tmp:
        folder = Path(tmp)
        source = folder / "source.csv"
        rows = ticket_file(export.path, wanted, source)
        # The clean file is written the same way as the variants (polars' quoting), so only
        # created_at differs between them.
        files = {"clean": folder / "clean.csv"}
        bad_rows = {"clean": variant_file(source, files["clean"])}
        for name, (how, share) in VARIANTS.items():
            files[name] = folder / f"{name}.csv"
            bad_rows[name] = variant_file(source, files[name], how, share)
        load_before = processes.load_average()
        best = best_of(
            repeats,
            **{
                name: (lambda p=path: processes.etl_load(p, export.mapping, folder, "q"))
                for name, path in files.items()
            },
        )
        load_after = processes.load_average()
    figures = {"rows": float(rows), **{f"{name}_seconds": s for name, s in best.items()}}
    for name in VARIANTS:
        figures[f"{name}_factor"] = best[name] / best["clean"]
    if write:
        _record(scale, rows, repeats, best, bad_rows, figures, (load_before, load_after))
    return figures


def _record(
    scale: float,
    rows: int,
    repeats: int,
    best: dict[str, float],
    bad_rows: dict[str, int],
    figures: dict[str, float],
    loads: tuple[str, str],
) -> None:
    lines = [
        f"{rows:,} ticket rows per file, each loaded by `python -m etl load tickets` into a new"
        f" warehouse (a whole process); best of {repeats}, runs interleaved; load average"
        f" (1/5/15 min) {loads[0]} before, {loads[1]} after.",
        "",
        "| file | rows quarantined | seconds | x clean (target <= 2) | |",
        "|---|---|---|---|---|",
        f"| clean | 0 | {best['clean']:.2f} | 1.00 | |",
    ]
    for name in VARIANTS:
        factor = figures[f"{name}_factor"]
        lines.append(
            f"| {name.replace('_', ' ')}% bad | {bad_rows[name]:,} | {best[name]:.2f} |"
            f" {factor:.2f} | {verdict(factor <= TARGET)} |"
        )
    record(f"Quarantine loading (scale {scale:g})", lines)
