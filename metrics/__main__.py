"""Command line: every figure of the dashboard, reproducible from a shell.

    python -m metrics summary --db PATH [filters] [--format json|csv|table]
    python -m metrics list [--format ...]
    python -m metrics glossary
    python -m metrics show NAME --db PATH [filters] [--by GROUP] [--option KEY=VALUE] [--format ...]
    python -m metrics availability --db PATH [filters] [--format ...]
    python -m metrics export contacts --db PATH [filters] --out FILE.csv|FILE.parquet
    python -m metrics export qa --db PATH [filters] --out FILE.csv|FILE.parquet
    python -m metrics digest --db PATH --period last-week|last-month|FROM:TO [filters]
        --out FILE [--format html|pdf|json]
    python -m metrics alerts --db PATH [--since DATE] [filters] [--format json|table]
    python -m metrics send digest|alerts --db PATH [digest or alerts options] [--email ADDRESS]
        [--webhook URL] [--force]   (SMTP password: the variable [delivery] password_env names)
    python -m metrics staffing --arrivals N --interval-minutes M [--aht-minutes A]
        [--target-seconds T] [--service-level S] [--shrinkage X] [--format ...]
    python -m metrics facts --lake DIR --out DIR [--engine duckdb|spark] [--master URL]

Filters: --from DATE --to DATE, and --channel --language --team --agent --priority
--category --source (each repeatable). Settings come from --settings FILE, else the
SUPPORT_SETTINGS environment variable, else ./settings.toml, else the defaults
(`support-dashboard settings init` writes a commented file); the warehouse from --db,
else --facts (a folder of prebuilt facts and the lake they came from), else SUPPORT_DB, else
SUPPORT_FACTS, else the settings' warehouse.path or warehouse.facts (relative to the
settings file).
Input that cannot be used (an unknown metric or breakdown, a bad date or option, a
missing or empty warehouse, a bad settings file) gets one line on stderr and exit code 2.
A metric whose inputs the warehouse lacks is printed as "not available" with the reason
and the command that would load them (exit code 0), never as zeros; ``availability``
lists every metric so.
"""

from __future__ import annotations

import argparse
import inspect
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from metrics.core.availability import availability, availability_table
from metrics.core.filters import DIMENSIONS, Filters
from metrics.core.grouping import GROUPS
from metrics.core.instants import is_instant_option, parse_instant
from metrics.core.settings import Settings, find_settings_file, load_settings
from metrics.engines.cli import add_facts_parser, run_facts
from metrics.registry import MetricInfo, all_metrics, get_metric
from metrics.reports.cli_format import (
    FORMATS,
    render_availability,
    render_frame,
    render_metric_list,
    render_not_available,
    render_record,
    render_summary,
)
from metrics.reports.glossary import glossary_markdown
from warehouse.facts_reader import FactsWarehouse, is_facts_folder
from warehouse.reader import FACTS_MANIFEST, ReadOnlyWarehouse

LOAD_HINT = "python -m etl load tickets FILE --db PATH"
_FIXED_PARAMETERS = ("wh", "settings", "filters", "by")


class CliError(Exception):
    """Input the command cannot use; its message is printed as one line."""


class _OneLineParser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"error: {message} (see python -m metrics --help)\n")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (expected YYYY-MM-DD)") from None


def _number(text: str) -> int | float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    return int(value) if value.is_integer() else value


def _common(with_db: bool) -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--settings", type=Path, help="settings TOML (else $SUPPORT_SETTINGS, else ./settings.toml)"
    )
    if with_db:
        parent.add_argument("--db", type=Path, help="warehouse file (else $SUPPORT_DB)")
        parent.add_argument(
            "--facts",
            type=Path,
            metavar="DIR",
            help="prebuilt facts (python -m metrics facts) instead of a warehouse file"
            " (else $SUPPORT_FACTS)",
        )
        day = "creation day, YYYY-MM-DD in the reporting time zone"
        parent.add_argument(
            "--from", dest="date_from", type=_date, metavar="DATE", help=f"first {day}"
        )
        parent.add_argument("--to", dest="date_to", type=_date, metavar="DATE", help=f"last {day}")
        for name in DIMENSIONS:
            parent.add_argument(
                f"--{name}", action="append", default=[], metavar="X", help="repeatable"
            )
        parent.add_argument("--include-merged", action="store_true", help="keep merged duplicates")
    return parent


def _format(parser: argparse.ArgumentParser, default: str = "table") -> None:
    parser.add_argument("--format", choices=FORMATS, default=default)


def _parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="python -m metrics",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_OneLineParser)
    data, plain = _common(with_db=True), _common(with_db=False)
    _format(sub.add_parser("summary", parents=[data], help="the headline KPIs (Overview)"))
    _format(sub.add_parser("list", help="every registered metric"))
    sub.add_parser("glossary", help="docs/metrics.md: every metric, as markdown")
    show = sub.add_parser("show", parents=[data], help="one metric, optionally broken down")
    show.add_argument("name", metavar="NAME", help="a metric from `python -m metrics list`")
    show.add_argument("--by", metavar="GROUP", help=f"one of: {', '.join(GROUPS)}")
    show.add_argument(
        "--option", action="append", default=[], metavar="KEY=VALUE", help="a metric option"
    )
    _format(show)
    _format(sub.add_parser("availability", parents=[data], help="what the warehouse can answer"))
    export = sub.add_parser(
        "export", parents=[data], help="contact rows, or quality verdicts, as CSV or Parquet"
    )
    export.add_argument(
        "what", choices=("contacts", "qa"), help="qa: one row per conversation and rubric category"
    )
    export.add_argument("--out", type=Path, required=True, metavar="FILE")
    _notify_parsers(sub, data)
    staffing = sub.add_parser("staffing", parents=[plain], help="Erlang C for one interval")
    staffing.add_argument("--arrivals", type=_number, required=True, metavar="N")
    staffing.add_argument("--interval-minutes", type=_number, required=True, metavar="M")
    for flag, meta in (("aht-minutes", "A"), ("target-seconds", "T"), ("service-level", "S")):
        staffing.add_argument(f"--{flag}", type=_number, metavar=meta, help="default: settings")
    staffing.add_argument("--shrinkage", type=_number, metavar="X", help="default: settings")
    _format(staffing)
    add_facts_parser(sub, [plain])
    return parser


def _notify_parsers(sub: Any, data: argparse.ArgumentParser) -> None:
    """digest, alerts and send (issue 17)."""
    digest = sub.add_parser("digest", parents=[data], help="the period's digest as one HTML page")
    digest.add_argument("--period", default="last-week", help="last-week, last-month or FROM:TO")
    digest.add_argument("--out", type=Path, required=True, metavar="FILE")
    digest.add_argument("--format", choices=("html", "pdf", "json"), default="html")
    alerts = sub.add_parser("alerts", parents=[data], help="check the alert rules in settings")
    alerts.add_argument("--since", metavar="DATE", help="first day to judge (default: yesterday)")
    alerts.add_argument("--format", choices=("json", "table"), default="table")
    alerts.add_argument("--dry-run", action="store_true", help="do not remember what fired")
    send = sub.add_parser("send", parents=[data], help="deliver a digest or alerts")
    send.add_argument("what", choices=("digest", "alerts"))
    send.add_argument(
        "--period", default="last-week", help="digest: last-week, last-month, FROM:TO"
    )
    send.add_argument("--since", metavar="DATE", help="alerts: first day to judge")
    send.add_argument("--email", action="append", default=[], metavar="ADDRESS", help="repeatable")
    send.add_argument("--webhook", metavar="URL", help="a chat tool's incoming webhook")
    send.add_argument("--force", action="store_true", help="send again what was already sent")


def _settings_file(args: argparse.Namespace) -> Path | None:
    """The settings file in use: --settings, else $SUPPORT_SETTINGS, else ./settings.toml."""
    named = args.settings or os.environ.get("SUPPORT_SETTINGS") or None
    return find_settings_file(named, Path.cwd())


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(_settings_file(args))


def _filters(args: argparse.Namespace) -> Filters:
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise CliError(f"--from {args.date_from} is after --to {args.date_to}")
    choices = {name: tuple(getattr(args, name)) for name in DIMENSIONS}
    return Filters(args.date_from, args.date_to, **choices, include_merged=args.include_merged)


def _from_settings_file(args: argparse.Namespace, value: str) -> Path:
    """A path from the settings file: relative to that file's folder."""
    configured = Path(value).expanduser()
    source = _settings_file(args)
    return configured if configured.is_absolute() or source is None else source.parent / configured


def _warehouse_path(args: argparse.Namespace, settings: Settings) -> Path | None:
    """--db, else $SUPPORT_DB, else the settings' path (relative to the settings file)."""
    given = args.db or os.environ.get("SUPPORT_DB")
    if given:
        return Path(given)
    return _from_settings_file(args, settings.warehouse_path) if settings.warehouse_path else None


def _facts_folder(args: argparse.Namespace, settings: Settings) -> tuple[Path, str] | None:
    """The prebuilt facts folder and where it was named: --facts, else (unless a warehouse
    file is named: --db, $SUPPORT_DB) $SUPPORT_FACTS, else the settings' warehouse.facts."""
    if args.facts:
        return args.facts, "--facts"
    if args.db or os.environ.get("SUPPORT_DB"):
        return None
    given = os.environ.get("SUPPORT_FACTS")
    if given:
        return Path(given), "SUPPORT_FACTS"
    if settings.facts_folder:
        folder = _from_settings_file(args, settings.facts_folder)
        return folder, f"warehouse.facts in {_settings_file(args)}"
    return None


def _open(args: argparse.Namespace, settings: Settings) -> ReadOnlyWarehouse:
    named = _facts_folder(args, settings)
    facts = named[0] if named else None
    path = facts or _warehouse_path(args, settings)
    if not path:
        raise CliError("no warehouse given: pass --db PATH (or set SUPPORT_DB)")
    if named and not is_facts_folder(named[0]):
        raise CliError(
            f"{named[1]} names {named[0]}: expected a folder of prebuilt facts (with "
            f"{FACTS_MANIFEST}, written by python -m metrics facts --lake DIR --out DIR)"
        )
    if facts is None and not Path(path).is_file():
        raise CliError(f"{path}: no warehouse file here (load one with `{LOAD_HINT}`)")
    try:
        wh = FactsWarehouse(path) if facts else ReadOnlyWarehouse(path)
    except duckdb.Error as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise CliError(f"{path}: cannot open the warehouse: {first}") from None
    if not {"tickets", "messages"} <= set(wh.tables):
        wh.close()
        raise CliError(f"{path}: not a support warehouse (no tickets or messages table)")
    if not wh.scalar("SELECT (SELECT count(*) FROM tickets) + (SELECT count(*) FROM messages)"):
        wh.close()
        raise CliError(f"{path}: the warehouse is empty (load an export with `{LOAD_HINT}`)")
    return wh


def _choose(key: str, raw: str, choices: Sequence[Any]) -> Any:
    for choice in choices:
        if str(choice).lower() == raw.lower():
            return choice
    raise CliError(f"option {key}={raw!r}: expected one of {', '.join(map(str, choices))}")


def _convert(key: str, raw: str, parameter: inspect.Parameter) -> Any:
    default = parameter.default
    if is_instant_option(parameter):
        try:
            return parse_instant(raw)
        except ValueError as err:
            raise CliError(f"option {key}={raw!r}: {err}") from None
    if isinstance(default, bool):
        return _choose(key, raw, (True, False))
    try:
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except ValueError:
        raise CliError(f"option {key}={raw!r}: expected a {type(default).__name__}") from None
    return raw


def metric_options(info: MetricInfo, pairs: Sequence[str]) -> dict[str, Any]:
    """``KEY=VALUE`` strings -> keyword arguments of the metric, checked against its signature."""
    signature = inspect.signature(info.function) if info.function else None
    known = {
        name: p
        for name, p in (signature.parameters.items() if signature else ())
        if name not in _FIXED_PARAMETERS and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
    }
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip().replace("-", "_")
        if not sep:
            raise CliError(f"--option {pair!r}: expected KEY=VALUE")
        if key not in known:
            listed = ", ".join(known) or "none"
            raise CliError(f"metric {info.name!r} has no option {key!r} (options: {listed})")
        choices = info.options.get(key)
        # A tuple lists the accepted values; a text only describes a free-form option.
        if isinstance(choices, (tuple, list)):
            options[key] = _choose(key, raw, choices)
        else:
            options[key] = _convert(key, raw, known[key])
    return options


def _run_show(
    args: argparse.Namespace, wh: ReadOnlyWarehouse, settings: Settings, filters: Filters
) -> str:
    info = _known_metric(args.name)
    kwargs = metric_options(info, args.option)
    if args.by is not None:
        if "by" not in inspect.signature(info.function).parameters:
            raise CliError(f"metric {info.name!r} has no breakdowns")
        kwargs["by"] = args.by
    state = availability(wh, settings, filters, info.name)
    if not state.shown:
        return render_not_available(info.name, state.as_dict(), args.format)
    frame = info.function(wh, settings, filters, **kwargs)
    text = render_frame(frame, args.format)
    if state.status == "partial" and args.format == "table":
        text += f"\n\n{state.text()}"
    return text


def _known_metric(name: str) -> MetricInfo:
    try:
        info = get_metric(name)
    except KeyError as err:
        raise CliError(str(err.args[0])) from None
    if info.function is None:
        raise CliError(f"metric {name!r} has no function to run")
    return info


def _settings_source(args: argparse.Namespace) -> str | None:
    """The settings file in use as an absolute path (None: the built-in defaults)."""
    path = _settings_file(args)
    return str(path.resolve()) if path else None


def _run_with_warehouse(args: argparse.Namespace) -> str:
    settings = _settings(args)
    filters = _filters(args)
    if args.command == "show":
        _known_metric(args.name)
    wh = _open(args, settings)
    try:
        if args.command == "summary":
            from metrics.reports.summary import headline

            record = headline(wh, settings, filters)
            source = _settings_source(args)
            shown = source if source or args.format == "json" else "(none: the built-in defaults)"
            record["settings_file"] = shown
            return render_summary(record, args.format)
        if args.command == "availability":
            return render_availability(availability_table(wh, settings, filters), args.format)
        if args.command == "show":
            return _run_show(args, wh, settings, filters)
        if args.command in ("digest", "alerts", "send"):
            return _run_notify(args, wh, settings, filters)
        if args.what == "qa":
            from metrics.quality.failures import export_qa

            rows = export_qa(wh, settings, filters, args.out)
            return f"wrote {rows} quality verdicts to {args.out}"
        from metrics.reports.export import export_contacts

        rows = export_contacts(wh, settings, filters, args.out)
        return f"wrote {rows} contacts to {args.out}"
    finally:
        wh.close()


def _destinations(args: argparse.Namespace, settings: Settings) -> Any:
    """Where `send` delivers: --to / --webhook, else [delivery]; the SMTP password from the
    environment variable that [delivery] password_env names (never from a file)."""
    from metrics.notify.commands import Destinations
    from metrics.notify.email import SmtpConfig

    conf = settings.delivery
    recipients = tuple(args.email or conf.get("recipients", ()))
    smtp = None
    if conf.get("smtp_host") and recipients:
        user = str(conf.get("smtp_user", ""))
        password = os.environ.get(str(conf.get("password_env", "")), "")
        if user and not password:
            raise CliError(
                f"set the SMTP password in ${conf.get('password_env')} (smtp_user is {user!r})"
            )
        sender = str(conf.get("sender") or user or "support-dashboard@localhost")
        smtp = SmtpConfig(str(conf["smtp_host"]), int(conf.get("smtp_port", 587)), sender,
                          recipients, user, password, _tls_context(),
                          password_env=str(conf.get("password_env", "")))  # fmt: skip
    elif args.email:
        raise CliError("--email needs [delivery] smtp_host in the settings file")
    webhook = args.webhook or str(conf.get("webhook_url", ""))
    return Destinations(smtp, webhook, int(conf.get("retries", 3)),
                        float(conf.get("backoff_seconds", 2.0)))  # fmt: skip


def _tls_context() -> Any:
    """The system's trusted certificates, plus SUPPORT_SMTP_CAFILE when set (a private CA)."""
    import ssl

    return ssl.create_default_context(cafile=os.environ.get("SUPPORT_SMTP_CAFILE") or None)


def _run_notify(
    args: argparse.Namespace, wh: ReadOnlyWarehouse, settings: Settings, filters: Filters
) -> str:
    from metrics.digest.build import build_digest
    from metrics.notify import commands
    from metrics.reports.cli_format import render_alerts

    db = Path(_warehouse_path(args, settings) or "")
    if args.command == "digest" or (args.command == "send" and args.what == "digest"):
        chosen = commands.digest_filters(wh, settings, filters, args.period)
        digest = build_digest(wh, settings, chosen)
        if args.command == "digest":
            return commands.write_digest(digest, args.out, args.format)
        return commands.send_digest(digest, _destinations(args, settings), db, settings, args.force)
    window = commands.alert_window(wh, settings, filters, args.since)
    if args.command == "send":
        dest = _destinations(args, settings)
        return commands.send_alerts(wh, settings, window, db, dest, args.force)
    result, _ = commands.run_alerts(wh, settings, window, db, remember=not args.dry_run)
    return render_alerts(result, args.format)


def _run_staffing(args: argparse.Namespace) -> str:
    from metrics.coverage.erlang import erlang_c

    settings = _settings(args)

    def pick(value: float | None, default: float) -> float:
        return default if value is None else value

    result = erlang_c(
        args.arrivals,
        args.interval_minutes,
        pick(args.aht_minutes, settings.default_aht_minutes),
        pick(args.target_seconds, settings.staffing_target_seconds),
        pick(args.service_level, settings.staffing_service_level),
        pick(args.shrinkage, settings.staffing_shrinkage),
    )
    return render_record(result, args.format)


def _run(args: argparse.Namespace) -> str:
    if args.command == "list":
        return render_metric_list(all_metrics(), args.format)
    if args.command == "glossary":
        return glossary_markdown(all_metrics()).rstrip("\n")
    if args.command == "staffing":
        return _run_staffing(args)
    if args.command == "facts":
        return run_facts(args, _settings(args))
    return _run_with_warehouse(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code (2 for input that cannot be used)."""
    args = _parser().parse_args(argv)
    try:
        print(_run(args), flush=True)
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped early: not an error worth a message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (CliError, ValueError, OSError) as err:
        message = " ".join(str(err).split()) or type(err).__name__
        print(f"error: {message}", file=sys.stderr)
        return 1 if getattr(err, "delivery", False) else 2  # 1: tried, could not deliver
    return 0


if __name__ == "__main__":
    sys.exit(main())
