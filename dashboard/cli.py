"""``support-dashboard``: one console command for everything a user runs.

    support-dashboard run [STREAMLIT OPTION ...]   the dashboard (the demo on first start)
    support-dashboard settings init [PATH]         write a commented settings file
    support-dashboard settings path | check [PATH] which settings file is used; is it usable
    support-dashboard etl COMMAND ...              any ``python -m etl`` command
    support-dashboard metrics COMMAND ...          any ``python -m metrics`` command
    support-dashboard COMMAND ...                  the same, without the prefix (load, demo,
                                                   mappings, summary, show, export ...)

A command of ``python -m etl`` or ``python -m metrics`` passes through unchanged: the
names are read from their own parsers at run time, so a command added there (say
``python -m etl redact``) works here at once, with no list to keep in sync.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

PROG = "support-dashboard"
ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
# The local-first defaults of .streamlit/config.toml, passed again so that they hold even
# when a user-level ~/.streamlit/config.toml says otherwise.
SERVER_FLAGS = ("--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false")


def _etl_main(argv: Sequence[str]) -> int:
    from etl.__main__ import main

    return main(argv)


def _metrics_main(argv: Sequence[str]) -> int:
    from metrics.__main__ import main

    return main(argv)


def _subcommands(parser: argparse.ArgumentParser) -> tuple[str, ...]:
    """The sub-command names of ``parser``, read from its sub-parsers action."""
    return tuple(
        name
        for action in parser._actions  # argparse keeps the sub-parsers only here
        if isinstance(action, argparse._SubParsersAction)
        for name in action.choices
    )


def _etl_commands() -> tuple[str, ...]:
    from etl.__main__ import _parser

    return _subcommands(_parser())


def _metrics_commands() -> tuple[str, ...]:
    from metrics.__main__ import _parser

    return _subcommands(_parser())


# Each tool: its entry point and how to list its commands now (etl first: it is the lighter
# import, and `support-dashboard load` should not wait for the metrics package).
TOOLS: dict[str, tuple[Callable[[Sequence[str]], int], Callable[[], tuple[str, ...]]]] = {
    "etl": (lambda argv: _etl_main(argv), lambda: _etl_commands()),
    "metrics": (lambda argv: _metrics_main(argv), lambda: _metrics_commands()),
}


def _tools() -> dict[str, tuple[Callable[[Sequence[str]], int], tuple[str, ...]]]:
    """``etl`` and ``metrics``: each one's entry point and its current sub-command names."""
    return {tool: (entry, names()) for tool, (entry, names) in TOOLS.items()}


def run_dashboard(extra: Sequence[str]) -> int:
    """``streamlit run app.py`` with the local-first flags, its first page warmed at start
    (dashboard.serve); returns Streamlit's exit code.

    The working folder stays the user's, so ``./settings.toml`` and relative paths mean
    what they mean in their shell; Streamlit reads ``.streamlit/`` beside app.py itself.
    """
    if not APP.is_file():
        print(
            f"error: {APP} not found: `{PROG} run` needs the source checkout installed with"
            " `pip install -e .` (or `make run` in it)",
            file=sys.stderr,
        )
        return 2
    command = [sys.executable, "-m", "dashboard.serve", *SERVER_FLAGS, *extra]
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 130


def _settings_main(argv: Sequence[str]) -> int:
    from dashboard.settings_cli import main

    return main(argv, prog=f"{PROG} settings")


def _usage(tools: dict[str, tuple[Callable[[Sequence[str]], int], tuple[str, ...]]]) -> str:
    """The module's help, with the commands that pass through as they are right now."""
    passing = [f"  {tool}: {', '.join(names)}" for tool, (_, names) in tools.items()]
    return "\n".join([__doc__.strip(), "", "Commands passed through now:", *passing])


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console command; returns the process exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        return _dispatch(args)
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped early: not an error worth a message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _dispatch(args: list[str]) -> int:
    command, rest = (args[0], args[1:]) if args else ("--help", [])
    if command == "run":
        return run_dashboard(rest)
    if command == "settings":
        return _settings_main(rest)
    if command in TOOLS:
        return TOOLS[command][0](rest)
    if command in ("-h", "--help", "help"):
        print(_usage(_tools()))
        return 0
    owners = [tool for tool, (_, names) in TOOLS.items() if command in names()]
    if len(owners) == 1:
        return TOOLS[owners[0]][0](args)
    if owners:
        choices = " or ".join(f"`{PROG} {tool} {command}`" for tool in owners)
        print(f"error: {command!r} is a command of both; use {choices}", file=sys.stderr)
        return 2
    print(f"error: unknown command {command!r} (see {PROG} --help)", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
