"""``python -m metrics facts``: build every derived fact of a lake, on DuckDB or on Spark.

python -m metrics facts --lake DIR --out DIR [--engine duckdb|spark] [--master URL]
    [--settings FILE]
"""

from __future__ import annotations

import argparse

from metrics.core.settings import Settings
from metrics.engines.build import ENGINES, build_facts


def add_facts_parser(sub: argparse._SubParsersAction, parents: list) -> None:
    """The ``facts`` subcommand (``parents``: the settings option)."""
    facts = sub.add_parser(
        "facts",
        parents=parents,
        help="build the derived facts of a lake (DuckDB, or Spark for a cluster) as Parquet",
    )
    facts.add_argument("--lake", required=True, help="lake folder (python -m etl export-lake)")
    facts.add_argument("--out", required=True, help="folder for the facts (SUPPORT_FACTS reads it)")
    facts.add_argument("--engine", choices=ENGINES, default="duckdb")
    facts.add_argument(
        "--master",
        help="Spark master: local[*] (default), spark://HOST:7077, yarn, k8s://..., "
        "or sc://HOST:15002 for Spark Connect",
    )


def run_facts(args: argparse.Namespace, settings: Settings) -> str:
    """Build the facts; one line per fact and a total."""
    from pathlib import Path

    if args.master and args.engine != "spark":
        raise ValueError("--master needs --engine spark")
    if args.engine == "spark":
        from metrics.engines.spark import spark_available

        missing = spark_available(args.master)
        if missing:
            raise ValueError(f"--engine spark: {missing}")
    built = build_facts(Path(args.lake), Path(args.out), settings, args.engine, args.master)
    lines = [f"{name}: {rows:,} rows, {seconds:.2f} s" for name, rows, seconds in built.facts]
    lines.append(
        f"{len(built.facts)} derived facts built on {args.engine} in {built.seconds:.1f} s"
        f" into {args.out} (read them with SUPPORT_FACTS={args.out})"
    )
    return "\n".join(lines)
