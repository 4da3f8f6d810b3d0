"""Entry point for ``spark-submit``: the fact build on the session the cluster gives.

    spark-submit --master spark://HOST:7077 --deploy-mode client metrics/engines/submit.py \\
        --lake /mnt/lake --out /mnt/facts [--settings settings.toml]

``spark-submit`` starts the session (master, executors, memory from its options); this
script builds every derived fact with it exactly as ``python -m metrics facts --engine spark``
does. Only the driver runs Python (the facts are SQL, run by the JVM; no Python UDFs), so in
client mode nothing needs installing on the executors: submit from a checkout whose virtualenv
is active. The lake and the output folder must be paths the driver and the executors both see
(a shared mount such as /dbfs, NFS or an S3 mount): the driver reads and writes the two
manifests (``_lake.json``, ``_facts.json``) with ordinary file access.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str] | None = None) -> int:
    """Build the facts on the submitted session; exit code 0."""
    from pyspark.sql import SparkSession

    from metrics.core.settings import load_settings
    from metrics.engines.build import build_facts
    from metrics.engines.spark import SESSION_CONF

    parser = argparse.ArgumentParser(prog="submit.py", description=__doc__.splitlines()[0])
    parser.add_argument("--lake", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--settings", type=Path, help="settings TOML (default: the defaults)")
    args = parser.parse_args(argv)
    session = SparkSession.builder.appName("support-quality-facts").getOrCreate()
    for key, value in SESSION_CONF.items():
        if key.startswith("spark.sql."):  # what a running session may still change
            session.conf.set(key, value)
    settings = load_settings(args.settings)
    built = build_facts(args.lake, args.out, settings, "spark", session=session)
    for name, rows, seconds in built.facts:
        print(f"{name}: {rows:,} rows, {seconds:.1f} s")
    print(f"{len(built.facts)} derived facts built on Spark in {built.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    # spark-submit runs this file as a script: the repository root must be importable
    # (--py-files support.zip, or PYTHONPATH on every node).
    sys.exit(main())
