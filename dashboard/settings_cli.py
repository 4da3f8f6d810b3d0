"""``support-dashboard settings init | path | check``: a settings file a newcomer can find.

``init`` writes every setting with its default and a comment saying what it means (to
./settings.toml unless told otherwise), ``path`` names the file the dashboard and the
CLI would read from here, ``check`` reads a file the way they do and says what is wrong.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from dashboard.config import ConfigError, describe_settings_source, settings_file
from metrics.core.settings import (
    DEFAULTS_FILE,
    SETTINGS_FILE_NAME,
    SettingsError,
    load_settings,
    settings_template,
)


class _OneLineParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = _OneLineParser(prog=prog, description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_OneLineParser)
    init = sub.add_parser("init", help="write a commented settings file")
    init.add_argument("path", nargs="?", type=Path, default=Path(SETTINGS_FILE_NAME))
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    sub.add_parser("path", help="the settings file in use from this folder")
    check = sub.add_parser("check", help="is the settings file usable?")
    check.add_argument("path", nargs="?", type=Path, help="default: the file in use")
    return parser


def _init(path: Path, force: bool) -> str:
    if path.exists() and not force:
        raise SettingsError(f"{path}: already exists (keep it, or pass --force to overwrite)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(settings_template(), encoding="utf-8")
    where = "from this folder" if path.resolve().parent == Path.cwd() else "with SUPPORT_SETTINGS"
    return (
        f"wrote {path}: every setting with its default; the dashboard reads it when started {where}"
    )


def _check(path: Path | None) -> str:
    chosen = path or settings_file()
    load_settings(chosen)
    if chosen is None:
        return f"no settings file in use: the defaults of {DEFAULTS_FILE} apply"
    return f"{chosen}: usable"


def main(argv: Sequence[str], prog: str = "support-dashboard settings") -> int:
    """Run one settings command; 0 on success, 2 with one line on stderr otherwise."""
    args = _parser(prog).parse_args(list(argv))
    try:
        if args.command == "init":
            print(_init(args.path, args.force))
        elif args.command == "path":
            print(describe_settings_source(settings_file()))
        else:
            print(_check(args.path))
    except (SettingsError, ConfigError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0
