"""Command line: ``python -m etl load KIND FILE... --db PATH [--mapping M]``, ``python -m etl demo``,
``python -m etl redact --db PATH`` (apply the current redaction rules to stored texts),
``python -m etl facts --db PATH`` (derived facts for the current settings),
``python -m etl rescore --db PATH [--what sentiment|qa|all]`` (score stored messages again with
the current sentiment models and quality rubric), ``python -m etl qa-figures``,
``python -m etl qa-learned`` (leave-one-round-out figures of the learned judge),
``python -m etl sentiment train|card`` (retrain the sentiment models, print their figures), and
the lake: ``python -m etl load KIND FILE... --lake DIR`` and
``python -m etl export-lake --db PATH --out DIR``.

Exit 0 when every file was processed (even with quarantined rows); exit 2 with
one line naming the file and what was expected when input cannot be used.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from etl.canonical import KINDS
from etl.errors import UnusableInput
from etl.mapping import shipped_mappings
from warehouse.writer import WarehouseBusy

FORMATS = ("text", "json")  # of the load report (etl.report)


class _OneLineParser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"error: {message} (see python -m etl --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="python -m etl", description="Load support exports into the warehouse."
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_OneLineParser)
    load = sub.add_parser("load", help="load export files of one kind")
    load.add_argument("kind", metavar="KIND", help=f"one of: {', '.join(KINDS)}")
    load.add_argument("files", metavar="FILE", nargs="+")
    load.add_argument("--db", type=Path, help="warehouse file (created if missing)")
    load.add_argument(
        "--lake",
        type=Path,
        metavar="DIR",
        help="also write the loaded tables to this lake (docs/lake.md); without --db the"
        " warehouse kept for it is DIR/_state/warehouse.duckdb",
    )
    load.add_argument(
        "--mapping", help=f"a mapping file or a shipped name ({', '.join(shipped_mappings())})"
    )
    load.add_argument(
        "--source", help="name of the system the export came from (overrides the mapping)"
    )
    load.add_argument("--quiet", action="store_true", help="no progress display")
    load.add_argument(
        "--format", choices=FORMATS, default="text", help="the report as a table or as JSON"
    )
    load.add_argument("--settings", type=Path, help=SETTINGS_HELP)
    demo = sub.add_parser("demo", help="build the demo warehouse from sample_data")
    demo.add_argument("--db", required=True, type=Path)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--scale", type=float, default=1.0)
    redact = sub.add_parser(
        "redact", help="apply the current redaction rules to every text already stored"
    )
    redact.add_argument("--db", required=True, type=Path, help="an existing warehouse file")
    redact.add_argument("--quiet", action="store_true", help="no progress display")
    sub.add_parser("mappings", help="list the shipped mapping files")
    lake = sub.add_parser(
        "export-lake", help="write a warehouse's tables as month-partitioned Parquet (a lake)"
    )
    lake.add_argument("--db", required=True, type=Path, help="an existing warehouse file")
    lake.add_argument("--out", required=True, type=Path, metavar="DIR", help="the lake folder")
    facts = sub.add_parser(
        "facts", help="bring the derived facts up to date for the settings (after editing them)"
    )
    facts.add_argument("--db", required=True, type=Path)
    facts.add_argument("--settings", type=Path, help=SETTINGS_HELP)
    facts.add_argument(
        "--full",
        action="store_true",
        help="rebuild every fact from all the data (then compact the file: the old facts' blocks are not kept)",
    )
    _add_sentiment(sub)
    rescore = sub.add_parser(
        "rescore", help="score the stored messages again (sentiment models, quality rubric)"
    )
    rescore.add_argument("--db", required=True, type=Path, help="warehouse file")
    rescore.add_argument(
        "--what",
        choices=("all", "sentiment", "qa"),
        default="all",
        help="sentiment: the current sentiment models; qa: the quality review; all: both",
    )
    rescore.add_argument("--quiet", action="store_true", help="no progress display")
    rescore.add_argument("--settings", type=Path, help=SETTINGS_HELP)
    figures = sub.add_parser(
        "qa-figures", help="measure the quality scorer on the hand-labelled set (docs/qa.md)"
    )
    figures.add_argument("--out", type=Path, help="write the markdown here (default: print)")
    run = sub.add_parser(
        "qa-run",
        help="score one split of the hand-labelled set once and save it as an untouched run"
        " (docs/qa_runs/)",
    )
    run.add_argument("--split", required=True, help="the split, e.g. probe2")
    run.add_argument("--out", type=Path, required=True, help="the run file to write")
    learned = sub.add_parser(
        "qa-learned",
        help="leave-one-round-out figures of the learned judge against the phrase judges",
    )
    learned.add_argument("--out", type=Path, help="write the counts here (TSV)")
    learned.add_argument("--docs", type=Path, help="update the learned-judge section of this file")
    learned.add_argument(
        "--save-run-verdicts",
        metavar="SPLIT",
        help="with a new blind split's untouched run (qa-run): save its phrase verdicts per"
        " conversation (docs/qa_runs/blind-only-run-verdicts.tsv), then stop",
    )
    return parser


SETTINGS_HELP = (
    "settings the quality rubric and derived facts are built for (default: SUPPORT_SETTINGS, else ./settings.toml,"
    " as the dashboard reads them)"
)


def _add_sentiment(sub: argparse._SubParsersAction) -> None:
    sentiment = sub.add_parser("sentiment", help="train or describe the sentiment models")
    actions = sentiment.add_subparsers(dest="action", required=True, parser_class=_OneLineParser)
    train = actions.add_parser("train", help="retrain the models from the labelled corpora")
    train.add_argument("--corpora", required=True, type=Path, help="folder of <lang>/<corpus>/")
    train.add_argument("--out", required=True, type=Path, help="folder for the model files")
    train.add_argument(
        "--fixture",
        type=Path,
        default=Path("tests/fixtures/sentiment/labelled.toml"),
        help="hand-labelled support messages that choose thresholds and methods",
    )
    train.add_argument(
        "--languages", default=None, help="comma-separated (default: en,es,fr,ru,zh, all of them)"
    )
    train.add_argument("--version", default=None, help="model version (default: today, UTC)")
    card = actions.add_parser("card", help="print the model card's figures (markdown)")
    card.add_argument("--models", type=Path, default=None, help="model folder (default: shipped)")


def _run_load(args: argparse.Namespace) -> int:
    from etl.facts import fact_settings
    from etl.lake.cli import lake_state, write_loaded_tables
    from etl.pipeline import load_files
    from etl.report import render_reports

    if args.db is None and args.lake is None:
        raise UnusableInput("load needs --db PATH (a warehouse file) or --lake DIR")
    db = args.db or lake_state(args.lake)
    reports = load_files(
        db,
        args.kind,
        args.files,
        args.mapping,
        source=args.source,
        show_progress=not args.quiet,
        settings=fact_settings(args.settings),
    )
    render_reports(reports, fmt=args.format)
    if args.lake is not None:
        print(write_loaded_tables(db, args.lake, args.kind), file=sys.stderr)
    return 0


def _run_export_lake(args: argparse.Namespace) -> int:
    from etl.lake.cli import export_report

    if not args.db.is_file():
        raise UnusableInput(f"{args.db}: no warehouse file here")
    print(export_report(args.db, args.out))
    return 0


def _run_facts(args: argparse.Namespace) -> int:
    from etl.facts import fact_settings, refresh_warehouse_facts

    report = refresh_warehouse_facts(args.db, fact_settings(args.settings), full=args.full)
    for outcome in report.outcomes:
        print(f"{outcome.name}: {outcome.mode}, {outcome.rows:,} rows, {outcome.seconds:.2f} s")
    print(report.summary())
    return 1 if report.error else 0


def _run_rescore(args: argparse.Namespace) -> int:
    from etl.facts import fact_settings

    settings = fact_settings(args.settings)
    if args.what in ("all", "sentiment"):
        from etl.rescore import rescore_warehouse

        rescore_warehouse(args.db, show_progress=not args.quiet, settings=settings)
    if args.what in ("all", "qa"):
        from etl.quality.rescore import rescore_quality

        run = rescore_quality(args.db, settings)
        print(
            f"quality review: {run.conversations} conversations scored with rubric "
            f"{run.rubric_version} (scorer {run.scorer_version}) in {args.db}"
        )
    return 0


def _run_figures(args: argparse.Namespace) -> int:
    from etl.quality.report import START, markdown, splice

    section = markdown()
    if args.out is None:
        print(section)
    elif args.out.is_file() and START in args.out.read_text(encoding="utf-8"):
        args.out.write_text(splice(args.out, section), encoding="utf-8")
        print(f"updated the figures in {args.out}")
    else:
        args.out.write_text(section, encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


def _run_qa_learned(args: argparse.Namespace) -> int:
    from etl.quality.evaluate import predictions
    from etl.quality.learned_eval import (
        ONLY_RUN_VERDICTS,
        counts,
        leave_round_out,
        markdown,
        save_run_verdicts,
        splice,
        tsv,
    )

    if args.save_run_verdicts:
        try:
            added = save_run_verdicts(args.save_run_verdicts, predictions(with_real=False))
        except ValueError as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
        print(f"saved {added} verdicts of {args.save_run_verdicts} in {ONLY_RUN_VERDICTS.name}")
        return 0
    table = counts(leave_round_out())
    section = markdown(table)
    if args.out is not None:
        args.out.write_text(tsv(table), encoding="utf-8")
        print(f"wrote {args.out}")
    if args.docs is not None:
        args.docs.write_text(splice(args.docs.read_text("utf-8"), section), encoding="utf-8")
        print(f"updated the learned-judge section of {args.docs}")
    if args.out is None and args.docs is None:
        print(section)
    return 0


def _run_qa_run(args: argparse.Namespace) -> int:
    from etl.quality.evaluate import predictions
    from etl.quality.report import run_lines

    if args.out.exists():
        print(f"error: {args.out} exists: an untouched run is made once", file=sys.stderr)
        return 2
    try:
        lines = run_lines(predictions(with_real=False), args.split)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def _run_demo(args: argparse.Namespace) -> int:
    from etl.report import render_reports
    from sample_data import build_demo

    def show(step: str, fraction: float) -> None:
        print(f"[{fraction:4.0%}] {step}", file=sys.stderr, flush=True)

    build = build_demo(args.db, seed=args.seed, scale=args.scale, progress=show)
    reports = getattr(build, "reports", None)
    if reports:
        render_reports(reports)
    print(f"demo warehouse ready: {args.db}")
    return 0


def _run_sentiment(args: argparse.Namespace) -> int:
    from etl.sentiment.cli import run_card, run_train

    return run_train(args) if args.action == "train" else run_card(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "load":
            return _run_load(args)
        if args.command == "demo":
            return _run_demo(args)
        if args.command == "sentiment":
            return _run_sentiment(args)
        if args.command == "redact":
            from etl.redact.cli import run_scrub

            return run_scrub(args.db, show_progress=not args.quiet)
        if args.command == "facts":
            return _run_facts(args)
        if args.command == "rescore":
            return _run_rescore(args)
        if args.command == "qa-figures":
            return _run_figures(args)
        if args.command == "qa-run":
            return _run_qa_run(args)
        if args.command == "qa-learned":
            return _run_qa_learned(args)
        if args.command == "export-lake":
            return _run_export_lake(args)
        print("\n".join(shipped_mappings()))
        return 0
    except UnusableInput as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except WarehouseBusy as err:
        print(f"error: {err}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("interrupted: the warehouse was left as it was before this load", file=sys.stderr)
        return 130


def _import_loader() -> None:
    """Import the loader with the cyclic garbage collector paused, then freeze what was built.

    Importing polars, DuckDB and our modules allocates hundreds of thousands of objects that
    live until the process ends; collecting them again and again is a tenth of the start-up.
    """
    gc.disable()
    try:
        import etl.pipeline  # noqa: F401
        import etl.report  # noqa: F401
    finally:
        gc.freeze()
        gc.enable()


if __name__ == "__main__":
    if sys.argv[1:2] in (["load"], ["demo"]):
        _import_loader()  # only a process of its own: freezing is for the rest of its life
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Everything is written, closed and swapped in: skip tearing down every module and
    # frame (a sixth of a second of nothing a user waits for at the end of each load).
    os._exit(code)
