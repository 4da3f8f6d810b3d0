"""``python -m bench [NAME] [--scale X] [--smoke]``: run benchmarks and record them in RESULTS.md.

Without ``--scale`` each script runs at its full scale: the demo build at its default
scale 1, the others on the cached scale-33 warehouse (about 1M tickets, 10M messages; built
on first use, see bench.dataset). ``--smoke`` runs each script at a tiny scale without
writing RESULTS.md, so CI keeps the scripts from rotting without spending minutes on them.
"""

from __future__ import annotations

import argparse
import inspect
from collections.abc import Callable

from bench import (
    dashboard_memory,
    dataset,
    demo_build,
    facts_pages,
    first_page,
    growth,
    incremental_load,
    kpi_pandas,
    message_load,
    page_metrics,
    quality_scoring,
    quarantine_load,
    spark_facts,
    ticket_load,
)

BENCHMARKS: dict[str, Callable[..., dict[str, float]]] = {
    "demo": demo_build.run,
    "tickets": ticket_load.run,
    "quarantine": quarantine_load.run,
    "messages": message_load.run,
    "incremental": incremental_load.run,
    "pages": page_metrics.run,
    "kpis": kpi_pandas.run,
    "memory": dashboard_memory.run,
    "first-page": first_page.run,  # plain vs warmed server start, in Chromium
    "growth": growth.run,  # scales 1 to 100: an hour or more (builds each missing warehouse)
    "quality": quality_scoring.run,
    "spark": spark_facts.run,  # needs Java and the spark extra
    "facts-pages": facts_pages.run,  # the pages on prebuilt facts vs the warehouse file
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"any of {', '.join(BENCHMARKS)}")
    parser.add_argument(
        "--scale", type=float, default=None, help="default: each script's full scale"
    )
    parser.add_argument("--smoke", action="store_true", help="tiny scale, nothing written")
    parser.add_argument("--repeats", type=int, default=None, help="default: each script's own")
    args = parser.parse_args()
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {unknown[0]!r}; expected one of {', '.join(BENCHMARKS)}")
    for name in args.names or list(BENCHMARKS):
        scale = dataset.SMOKE_SCALE if args.smoke else args.scale
        options = {} if scale is None else {"scale": scale}
        if args.repeats is not None and "repeats" in inspect.signature(BENCHMARKS[name]).parameters:
            options["repeats"] = args.repeats
        figures = BENCHMARKS[name](write=not args.smoke, **options)
        print(name, {k: round(v, 2) for k, v in figures.items()}, flush=True)


if __name__ == "__main__":
    main()
