"""``python -m bench [NAME] [--scale X] [--smoke]``: run benchmarks and record them in RESULTS.md.

``--smoke`` runs each script at a tiny scale without writing RESULTS.md, so CI
keeps the scripts from rotting without spending minutes on them.
"""

from __future__ import annotations

import argparse

from bench import demo_build

BENCHMARKS = {"demo": demo_build.run}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"any of {', '.join(BENCHMARKS)}")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--smoke", action="store_true", help="tiny scale, nothing written")
    args = parser.parse_args()
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {unknown[0]!r}; expected one of {', '.join(BENCHMARKS)}")
    for name in args.names or list(BENCHMARKS):
        scale = 0.02 if args.smoke else args.scale
        figures = BENCHMARKS[name](scale=scale, write=not args.smoke)
        print(name, {k: round(v, 2) for k, v in figures.items()})


if __name__ == "__main__":
    main()
