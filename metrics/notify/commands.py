"""What ``python -m metrics digest|alerts|send`` do, once the CLI has opened the warehouse
and read its options (the CLI alone reads the environment: it passes the SMTP password)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from metrics.alerts import Evaluation, evaluate, load_state, parse_rules, save_state, state_path
from metrics.core.contacts import Warehouse
from metrics.core.filters import Filters
from metrics.core.settings import Settings
from metrics.digest.build import data_today
from metrics.digest.html import render_html
from metrics.digest.pdf import html_to_pdf
from metrics.digest.period import parse_period
from metrics.digest.text import alerts_text, digest_text
from metrics.notify.email import SmtpConfig, build_message, send_email
from metrics.notify.retry import with_retries
from metrics.notify.webhook import post_json


@dataclass(frozen=True)
class Destinations:
    """Where ``send`` delivers: e-mail (None: not configured) and/or a webhook URL."""

    smtp: SmtpConfig | None
    webhook: str
    retries: int = 3
    backoff_seconds: float = 2.0


def digest_filters(wh: Warehouse, settings: Settings, filters: Filters, period: str) -> Filters:
    """``filters`` over ``period`` (last-week, last-month or FROM:TO) counted from the data."""
    today = data_today(wh, settings)
    if today is None:
        raise ValueError("the warehouse has no dated data to make a digest of")
    first, last = parse_period(period, today)
    return replace(filters, date_from=first, date_to=last)


def write_digest(digest: dict[str, Any], out: Path, fmt: str) -> str:
    """Write the digest as html, pdf or json to ``out``; the line to print."""
    if fmt == "json":
        out.write_text(json.dumps(digest, indent=1, default=str), encoding="utf-8")
    elif fmt == "pdf":
        html_to_pdf(render_html(digest), out)
    else:
        out.write_text(render_html(digest), encoding="utf-8")
    return f"wrote the digest of {digest['period']['from']} to {digest['period']['to']} to {out}"


def alert_window(wh: Warehouse, settings: Settings, filters: Filters, since: str | None) -> Filters:
    """The days to judge: from ``since`` (a date; default the day before the data's last
    day) to the data's last day, narrowed by ``filters``' dimensions."""
    today = data_today(wh, settings)
    if today is None:
        raise ValueError("the warehouse has no dated data to check alerts on")
    first = datetime.fromisoformat(since).date() if since else today - timedelta(days=1)
    if first > today:
        raise ValueError(f"--since {since}: after the data's last day {today}")
    return replace(filters, date_from=first, date_to=today)


def run_alerts(
    wh: Warehouse, settings: Settings, window: Filters, db: Path, remember: bool
) -> tuple[Evaluation, Any]:
    """Evaluate the settings' rules over ``window``; the evaluation and the state (saved when
    ``remember``: a later run does not repeat these alerts within their cool-down)."""
    state = load_state(state_path(settings.alerts_state_file, db))
    result = evaluate(wh, settings, parse_rules(settings), window, state)
    if remember:
        save_state(state)
    return result, state


def _deliver(
    dest: Destinations, subject: str, text: str, html: str | None, state, key: str, force: bool
) -> list[str]:  # noqa: ANN001, E501
    """Each destination once (per key, unless ``force``), recorded in ``state`` when done."""
    lines = []
    targets = []
    if dest.smtp is not None:
        message = build_message(dest.smtp, subject, text, html)  # whole before sending
        targets.append(("email", lambda: send_email(dest.smtp, message)))
    if dest.webhook:
        targets.append(
            ("webhook", lambda: post_json(dest.webhook, {"text": f"*{subject}*\n{text}"}))
        )
    if not targets:
        raise ValueError(
            "nowhere to send: set [delivery] smtp_host or webhook_url, or pass --email / --webhook"
        )
    for name, action in targets:
        done_key = f"{key}|{name}"
        if state.was_sent(done_key) and not force:
            lines.append(f"{name}: already sent ({state.was_sent(done_key)}); --force sends again")
            continue
        with_retries(action, f"sending by {name}", dest.retries, dest.backoff_seconds)
        state.record_sent(done_key, datetime.now(UTC))
        save_state(state)
        lines.append(f"{name}: sent")
    return lines


def send_digest(
    digest: dict[str, Any], dest: Destinations, db: Path, settings: Settings, force: bool
) -> str:  # noqa: E501
    """Deliver the digest (HTML mail with a text part; text to the webhook), once per period,
    filters and destination unless ``force``."""
    state = load_state(state_path(settings.alerts_state_file, db))
    period = digest["period"]
    chosen = ",".join(f"{k}={'+'.join(v)}" for k, v in digest["filters"].items() if v)
    key = f"digest|{period['from']}|{period['to']}|{chosen}"
    subject = f"Support digest {period['from']} to {period['to']}"
    lines = _deliver(dest, subject, digest_text(digest), render_html(digest), state, key, force)
    return "\n".join(lines)


def send_alerts(
    wh: Warehouse, settings: Settings, window: Filters, db: Path, dest: Destinations, force: bool
) -> str:
    """Evaluate and deliver the alerts that fired; the cool-down state is saved only after
    delivery, so alerts that could not be delivered fire again on the next run."""
    state = load_state(state_path(settings.alerts_state_file, db))
    before = dict(state.fired)
    result = evaluate(wh, settings, parse_rules(settings), window, state)
    if not result.fired:
        return "no alert fired"
    key = "alerts|" + ";".join(sorted(f"{a.key}@{a.day}" for a in result.fired))
    subject = f"Support alerts: {len(result.fired)} fired"
    try:
        lines = _deliver(dest, subject, alerts_text(result.fired), None, state, key, force)
    except Exception:
        state.fired = before
        raise
    return "\n".join(lines)


def period_alerts(wh: Warehouse, settings: Settings, filters: Filters) -> list[dict[str, Any]]:
    """The alerts that fired on the days of ``filters`` (the Overview's list): evaluated as
    ``alerts`` would, with a fresh in-memory state (the cool-down applies within the period)."""
    from metrics.alerts import NotifyState

    if filters.date_from is None or filters.date_to is None:
        today = data_today(wh, settings)
        if today is None:
            return []
        filters = replace(filters, date_from=filters.date_from or today - timedelta(days=27),
                          date_to=filters.date_to or today)  # fmt: skip
    result = evaluate(wh, settings, parse_rules(settings), filters, NotifyState())
    return [a.as_dict() for a in result.fired]


def digest_html(wh: Warehouse, settings: Settings, filters: Filters) -> str:
    """The digest of ``filters`` as HTML (the Overview's download): an open period becomes
    the last 4 weeks of data."""
    if filters.date_from is None or filters.date_to is None:
        today = data_today(wh, settings)
        if today is None:
            raise ValueError("the warehouse has no dated data to make a digest of")
        filters = replace(filters, date_from=filters.date_from or today - timedelta(days=27),
                          date_to=filters.date_to or today)  # fmt: skip
    from metrics.digest.build import build_digest

    return render_html(build_digest(wh, settings, filters))
