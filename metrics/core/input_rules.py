"""The inputs a figure can need, and how to tell from the counts whether the warehouse has them.

Each input judges ``metrics.core.inputs.DataFacts`` into an :class:`InputState`: ``full``
(present for the contacts asked about), ``partial`` (present for some, or only a stand-in
such as agents on shift inferred from message hours) or ``none`` (absent), with the reason in
words and, when something can be loaded, the exact command that would load it. The rules
look only at which tables and columns hold data, never at which export they came from, so
they hold for exports nobody here has seen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from metrics.core.inputs import DataFacts

Level = Literal["full", "partial", "none"]


def load_command(kind: str, mapping: bool = False) -> str:
    """``python -m etl load KIND FILE --db PATH`` (with ``--mapping MAPPING`` when a column
    must be mapped from the export)."""
    command = f"python -m etl load {kind} FILE --db PATH"
    return command + " --mapping MAPPING" if mapping else command


CALENDAR_COMMAND = (
    "set opening hours in your settings file: [support_hours.default] weekly = { mon = "
    '["09:00-18:00"], ... } (the keys are documented in metrics/core/default_settings.toml)'
)


@dataclass(frozen=True)
class InputState:
    """One input judged for the current warehouse and filters."""

    input: str
    level: Level
    reason: str = ""
    command: str = ""


@dataclass(frozen=True)
class Input:
    """An input figures can need: its name, what it is in words, and its judge."""

    name: str
    label: str
    judge: Callable[[DataFacts], tuple[Level, str, str]]

    def state(self, facts: DataFacts) -> InputState:
        """This input judged on ``facts``."""
        level, reason, command = self.judge(facts)
        return InputState(self.name, level, reason, command)


FULL: tuple[Level, str, str] = ("full", "", "")


def _share(
    part: int, whole: int, what: str, tolerance: float = 0.0
) -> tuple[Level, str, str] | None:
    """None at 0 of ``whole`` filtered contacts having ``what``; partial when more than
    ``tolerance`` (a share) of them lack it; None (no judgement) otherwise."""
    if whole and part == 0:
        return "none", f"none of the {whole:,} contacts in these filters has {what}", ""
    if part < whole * (1.0 - tolerance):
        return (
            "partial",
            f"only {part:,} of {whole:,} contacts have {what} ({part / whole:.0%})",
            "",
        )
    return None


def _contacts(f: DataFacts) -> tuple[Level, str, str]:
    if not f.table("tickets") and not f.table("messages"):
        return "none", "no tickets or messages are loaded", load_command("tickets")
    if not f.contact("contacts"):
        return "none", "no contact matches these filters (widen the period or a filter)", ""
    return FULL


def _creation_times(f: DataFacts) -> tuple[Level, str, str]:
    judged = _share(f.contact("timed"), f.contact("contacts"), "a creation time")
    if judged and judged[0] == "none":
        return "none", judged[1] + " (the export has none)", load_command("tickets", True)
    return judged or FULL


def _first_replies(f: DataFacts) -> tuple[Level, str, str]:
    if not f.table("agent_messages") and not f.table("first_response_field"):
        reason = "no agent messages and no first-response times (first_response_at) are loaded"
        return "none", reason, load_command("messages")
    return FULL


def _transcripts(f: DataFacts) -> tuple[Level, str, str]:
    if not f.table("customer_messages") or not f.table("agent_messages"):
        reason = "no timed conversation with both customer and agent messages is loaded"
        return "none", reason, load_command("messages")
    judged = _share(f.contact("with_messages"), f.contact("contacts"), "a transcript", 0.05)
    return judged or FULL


def _agent_tone(f: DataFacts) -> tuple[Level, str, str]:
    if not f.table("agent_messages"):
        return "none", "no agent messages are loaded", load_command("messages")
    if not f.table("scored_agent_messages"):
        reason = "no agent message is scored for tone (stored before tone scoring existed?)"
        return "none", reason, "python -m etl rescore --what sentiment --db PATH"
    return FULL


def _quality_scores(f: DataFacts) -> tuple[Level, str, str]:
    if not f.table("qa_scores"):
        if not f.table("agent_messages"):
            return "none", "no agent messages are loaded to review", load_command("messages")
        reason = "no conversation has been scored on the quality rubric"
        return "none", reason, "python -m etl rescore --what qa --db PATH"
    return FULL


def _quality_reviews(f: DataFacts) -> tuple[Level, str, str]:
    if not f.table("qa_reviews"):
        reason = "no quality reviews by people are loaded"
        return "none", reason, load_command("qa_reviews", True)
    return FULL


def _bot(f: DataFacts) -> tuple[Level, str, str]:
    if not f.table("bot"):
        reason = "no chatbot messages (sender_type bot) and no via_bot flags are loaded"
        return "none", reason, load_command("messages")
    return FULL


def _solve_times(f: DataFacts) -> tuple[Level, str, str]:
    if not f.table("solve_times"):
        reason = "no solve or close times (solved_at, closed_at or a status history) are loaded"
        return "none", reason, load_command("ticket_events")
    return FULL


def _reopen_counts(f: DataFacts) -> tuple[Level, str, str]:
    if not f.table("status_events") and not f.table("reopens_field"):
        reason = "no status history and no reopens field: reopens cannot be counted"
        return "none", reason, load_command("ticket_events")
    judged = _share(f.contact("reopen_known"), f.contact("solved"), "a known reopen count")
    if judged and judged[0] == "partial":
        return "partial", judged[1].replace("contacts", "solved tickets"), ""
    return judged or FULL


def _reply_counts(f: DataFacts) -> tuple[Level, str, str]:
    if not f.table("agent_messages") and not f.table("agent_replies_field"):
        reason = "no agent messages and no agent_replies field: replies cannot be counted"
        return "none", reason, load_command("messages")
    return FULL


def _customers(f: DataFacts) -> tuple[Level, str, str]:
    judged = _share(f.contact("with_customer"), f.contact("contacts"), "a customer id")
    if judged and judged[0] == "none":
        return "none", judged[1], load_command("tickets", True)
    return judged or FULL


def _optional_column(count: str, what: str, meaning: str) -> Callable[[DataFacts], tuple]:
    def judge(f: DataFacts) -> tuple[Level, str, str]:
        if f.contact(count) == 0 and f.contact("contacts"):
            return "none", f"no contact has {what}: {meaning}", load_command("tickets", True)
        return FULL

    return judge


def _calendar(f: DataFacts) -> tuple[Level, str, str]:
    if f.calendar:
        return FULL
    reason = "no support hours in settings (24x7): business time equals calendar time"
    return "none", reason, CALENDAR_COMMAND


def _surveys(f: DataFacts) -> tuple[Level, str, str]:
    if not f.table("surveys"):
        return "none", "no survey responses are loaded", load_command("surveys")
    if not f.table("surveys_matched"):
        reason = (
            f"{f.table('surveys'):,} survey responses are loaded but none belongs to a loaded "
            "ticket (check that their source and ticket_id match the tickets')"
        )
        return "none", reason, load_command("surveys", True)
    return FULL


def _timed_surveys(f: DataFacts) -> tuple[Level, str, str]:
    """A rating is placed in a week by its contact's creation time: CSAT over time needs
    rated contacts that have one."""
    rated, timed = f.contact("surveyed"), f.contact("surveyed_timed")
    if rated and timed == 0:
        reason = (
            f"none of the {rated:,} survey responses of these contacts belongs to a contact "
            "with a creation time, which places a rating in a week (the export has none)"
        )
        return "none", reason, load_command("tickets", True)
    if timed < rated:
        reason = (
            f"only {timed:,} of {rated:,} survey responses belong to a contact with a creation "
            "time (the others are in no week)"
        )
        return "partial", reason, load_command("tickets", True)
    return FULL


def _sentiment(f: DataFacts) -> tuple[Level, str, str]:
    if not f.table("customer_texts"):
        return "none", "no customer messages are loaded", load_command("messages")
    if not f.table("scored_messages"):
        reason = "no customer message is scored (no sentiment scorer for their languages)"
        return "none", reason, ""
    total, scored = f.contact("customer_messages"), f.contact("scored_messages")
    if total and scored == 0:
        return "none", f"none of the {total:,} customer messages of these contacts is scored", ""
    if scored < total * 0.99:
        reason = f"{scored / total:.0%} of customer messages are scored (others are not counted)"
        return "partial", reason, ""
    return FULL


def _matched_table(table: str, matched: str, kind: str, what: str, key: str) -> Callable:
    def judge(f: DataFacts) -> tuple[Level, str, str]:
        if not f.table(table):
            return "none", f"no {what} is loaded", load_command(kind)
        if not f.table(matched):
            reason = f"{what} is loaded but no {key} matches one in the contacts"
            return "none", reason, load_command(kind, True)
        return FULL

    return judge


def _agents(f: DataFacts) -> tuple[Level, str, str]:
    judged = _share(f.contact("with_agent"), f.contact("contacts"), "an agent", 0.5)
    if judged and judged[0] == "none":
        return "none", judged[1], load_command("tickets", True)
    return judged or FULL


def _teams(f: DataFacts) -> tuple[Level, str, str]:
    if f.contact("with_team") == 0 and f.contact("contacts"):
        reason = "no team is known for these contacts' agents: there is no comparison group"
        return "none", reason, load_command("agents")
    return FULL


def _presence(f: DataFacts) -> tuple[Level, str, str]:
    if f.period.get("shifts"):
        return FULL
    if f.period.get("agent_messages"):
        reason = "agents on shift are inferred from the hours they sent messages (no shifts loaded)"
        return "partial", reason, load_command("shifts")
    reason = "no shifts, and no agent messages to infer who was on shift, in this period"
    return "none", reason, load_command("shifts")


def _after_hours_rule(f: DataFacts) -> tuple[Level, str, str]:
    if f.calendar:
        return FULL
    level, reason, command = _presence(f)
    if level == "none":
        reason = "no support hours in settings, and " + reason
        return "none", reason, command + f"; or {CALENDAR_COMMAND}"
    return level, reason, command


def _contact_languages(f: DataFacts) -> tuple[Level, str, str]:
    judged = _share(f.contact("with_language"), f.contact("contacts"), "a language", 0.05)
    if judged and judged[0] == "none":
        return "none", judged[1], load_command("messages")
    return judged or FULL


def _agent_languages(f: DataFacts) -> tuple[Level, str, str]:
    if not f.table("agents_with_languages"):
        return "none", "no agent has languages in the agents table", load_command("agents")
    return FULL


def _status_history(f: DataFacts) -> tuple[Level, str, str]:
    if not f.table("status_events"):
        return "none", "no status history (ticket_events) is loaded", load_command("ticket_events")
    return FULL


def _security(f: DataFacts) -> tuple[Level, str, str]:
    if f.contact("with_category") == 0 and not f.table("tags") and f.contact("contacts"):
        reason = "no contact has a category or tags, so security incidents cannot be recognised"
        return "none", reason, load_command("tickets", True)
    return FULL


def _escalations(f: DataFacts) -> tuple[Level, str, str]:
    if not f.table("escalated"):
        reason = "no escalation times (escalated_at): the escalation clock is not measured"
        return "none", reason, load_command("tickets", True)
    return FULL


def _ticket_status(f: DataFacts) -> tuple[Level, str, str]:
    if not f.contact("tickets"):
        return "none", "no tickets in these filters (chat conversations have no status)", ""
    judged = _share(f.contact("with_status"), f.contact("tickets"), "a status or solve time")
    if judged:
        return judged[0], judged[1].replace("contacts", "tickets"), load_command("tickets", True)
    return FULL


INPUTS: dict[str, Input] = {
    item.name: item
    for item in (
        Input("contacts", "contacts (tickets or chat conversations)", _contacts),
        Input("creation_times", "creation times", _creation_times),
        Input("first_replies", "first agent replies", _first_replies),
        Input("transcripts", "timed customer and agent messages", _transcripts),
        Input("bot_messages", "chatbot conversations", _bot),
        Input("solve_times", "solve times", _solve_times),
        Input("reopen_counts", "reopen counts", _reopen_counts),
        Input("reply_counts", "agent reply counts", _reply_counts),
        Input("customer_ids", "customer ids", _customers),
        Input("categories", "categories", _optional_column(
            "with_category", "a category", "a follow-up about any topic counts")),
        Input("priorities", "priorities", _optional_column(
            "with_priority", "a priority", "every contact is held to the default target")),
        Input("channels", "channels", _optional_column(
            "with_channel", "a channel", "breakdowns and wait slots cannot tell channels apart")),
        Input("business_calendar", "support hours (settings)", _calendar),
        Input("surveys", "survey responses", _surveys),
        Input("timed_surveys", "survey responses placed in time", _timed_surveys),
        Input("sentiment_scores", "sentiment scores of customer messages", _sentiment),
        Input("customer_activity", "product activity", _matched_table(
            "activity", "activity_matched", "activity", "product activity", "customer id")),
        Input("trainings", "training records", _matched_table(
            "trainings", "trainings_matched", "trainings", "training record", "agent id")),
        Input("agent_ids", "agents on contacts", _agents),
        Input("teams", "teams", _teams),
        Input("presence", "agents on shift (shifts or agent message hours)", _presence),
        Input("after_hours_rule", "support hours or agents on shift", _after_hours_rule),
        Input("contact_languages", "contact languages", _contact_languages),
        Input("agent_languages", "agent languages", _agent_languages),
        Input("status_history", "status history", _status_history),
        Input("security_markers", "categories or tags", _security),
        Input("escalations", "escalation times", _escalations),
        Input("ticket_status", "ticket status", _ticket_status),
        Input("agent_tone_scores", "sentiment scores of agent messages", _agent_tone),
        Input("quality_scores", "automatic quality reviews", _quality_scores),
        Input("quality_reviews", "quality reviews by people", _quality_reviews),
    )
}  # fmt: skip
