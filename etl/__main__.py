"""Command line: ``python -m etl load KIND FILE... --db PATH [--mapping M]``, ``python -m etl demo``
``python -m etl redact --db PATH`` (apply the current redaction rules to stored texts),
``python -m etl rescore --db PATH`` (re-score stored messages with the current sentiment models)
and ``python -m etl sentiment train|card`` (retrain the sentiment models, print their figures).

Exit 0 when every file was processed (even with quarantined rows); exit 2 with
one line naming the file and what was expected when input cannot be used.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from etl.canonical import KINDS
from etl.errors import UnusableInput
from etl.mapping import shipped_mappings
from etl.sentiment.corpora import LANGUAGES
from warehouse.writer import WarehouseBusy


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
    load.add_argument("--db", required=True, type=Path, help="warehouse file (created if missing)")
    load.add_argument(
        "--mapping", help=f"a mapping file or a shipped name ({', '.join(shipped_mappings())})"
    )
    load.add_argument(
        "--source", help="name of the system the export came from (overrides the mapping)"
    )
    load.add_argument("--quiet", action="store_true", help="no progress display")
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
    _add_sentiment(sub)
    rescore = sub.add_parser("rescore", help="re-score stored messages with the current models")
    rescore.add_argument("--db", required=True, type=Path, help="warehouse file")
    rescore.add_argument("--quiet", action="store_true", help="no progress display")
    return parser


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
    train.add_argument("--languages", default=",".join(LANGUAGES), help="comma-separated")
    train.add_argument("--version", default=None, help="model version (default: today, UTC)")
    card = actions.add_parser("card", help="print the model card's figures (markdown)")
    card.add_argument("--models", type=Path, default=None, help="model folder (default: shipped)")


def _run_load(args: argparse.Namespace) -> int:
    from etl.pipeline import load_files
    from etl.report import render_reports

    reports = load_files(
        args.db,
        args.kind,
        args.files,
        args.mapping,
        source=args.source,
        show_progress=not args.quiet,
    )
    render_reports(reports)
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


def _run_rescore(args: argparse.Namespace) -> int:
    from etl.rescore import rescore_warehouse

    rescore_warehouse(args.db, show_progress=not args.quiet)
    return 0


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
        if args.command == "rescore":
            return _run_rescore(args)
        if args.command == "redact":
            from etl.redact.cli import run_scrub

            return run_scrub(args.db, show_progress=not args.quiet)
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


if __name__ == "__main__":
    sys.exit(main())
