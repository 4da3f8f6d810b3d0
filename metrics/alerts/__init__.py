"""Alerts: rules in settings, evaluated per day against a threshold or the metric's own
recent baseline, never on provisional days, with a cool-down kept in a state file."""

from metrics.alerts.evaluate import Alert, Evaluation, evaluate
from metrics.alerts.rules import Rule, parse_rules
from metrics.alerts.state import NotifyState, load_state, save_state, state_path

__all__ = [
    "Alert", "Evaluation", "NotifyState", "Rule", "evaluate", "load_state", "parse_rules",
    "save_state", "state_path",
]  # fmt: skip
