"""The exports agree with each other the way one real helpdesk's exports would."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from readback import field_history, messages, shifts, surveys, tickets

from sample_data import effects as fx

ZENDESK_TIME = "%Y-%m-%dT%H:%M:%SZ"


def _agent_messages(folder: Path) -> pl.DataFrame:
    msgs = messages(folder).filter(pl.col("sender_type") == "agent")
    return msgs.group_by("conversation_id").agg(
        first=pl.col("sent_at").min(), count=pl.len(), agents=pl.col("sender_id").unique()
    )


@pytest.mark.filterwarnings("ignore:Sortedness")  # sorted by time overall, which join_asof needs
def test_every_agent_reply_falls_inside_one_of_that_agents_shifts(effects_dir: Path) -> None:
    replies = (
        messages(effects_dir)
        .filter(pl.col("sender_type") == "agent")
        .select("sender_id", "sent_at")
    )
    plan = shifts(effects_dir).select(agent="Agent ID", start="Shift start", end="Shift end")
    matched = replies.sort("sent_at").join_asof(
        plan.sort("start"),
        left_on="sent_at",
        right_on="start",
        by_left="sender_id",
        by_right="agent",
    )
    outside = matched.filter(pl.col("end").is_null() | (pl.col("sent_at") >= pl.col("end")))
    assert replies.height > 10_000
    assert outside.is_empty()


def test_zendesk_first_reply_and_reply_count_match_the_comments_and_chats(
    effects_dir: Path,
) -> None:
    zd = pl.read_csv(effects_dir / "zendesk_tickets.csv", infer_schema=False)
    zd = zd.filter(
        pl.col("id").is_in(tickets(effects_dir)["ticket_id"].implode())
        & ~pl.col("updated_at").str.starts_with("2025")
    )
    joined = zd.join(
        _agent_messages(effects_dir), left_on="id", right_on="conversation_id", how="left"
    )
    first = (
        pl.col("metric_set.first_reply_at")
        .str.to_datetime(ZENDESK_TIME, time_zone="UTC")
        .cast(pl.Datetime("us", "UTC"))
    )
    checked = joined.select(
        same_first=(first == pl.col("first")) | (first.is_null() & pl.col("first").is_null()),
        same_count=pl.col("metric_set.replies").cast(pl.Int64) == pl.col("count").fill_null(0),
        one_agent=pl.col("agents").is_null() | (pl.col("agents").list.len() == 1),
        assignee_replies=pl.col("agents").is_null()
        | (pl.col("agents").list.first() == pl.col("assignee_id")),
    )
    assert checked.select(pl.all().all()).row(0) == (True, True, True, True)


def test_the_chinese_sheet_shows_the_first_reply_to_the_minute_in_beijing_time(
    effects_dir: Path,
) -> None:
    zh = tickets(effects_dir).filter(pl.col("team") == "zh").select("ticket_id")
    sheet = pl.read_csv(
        (effects_dir / "zh_team_tickets_gb18030.csv").read_bytes().decode("gb18030").encode(),
        infer_schema=False,
    )
    first = _agent_messages(effects_dir).select(
        "conversation_id",
        shown=pl.col("first").dt.convert_time_zone("Asia/Shanghai").dt.strftime("%Y/%m/%d %H:%M"),
    )
    joined = sheet.join(zh, left_on="工单编号", right_on="ticket_id").join(
        first, left_on="工单编号", right_on="conversation_id"
    )
    assert joined.height > 1000
    assert (joined["首次回复时间"] == joined["shown"]).all()


def test_in_app_chats_start_with_the_bot_and_bot_only_chats_never_see_an_agent(
    effects_dir: Path,
) -> None:
    msgs = messages(effects_dir).sort("sent_at")
    order = msgs.group_by("conversation_id", maintain_order=True).agg(roles=pl.col("sender_type"))
    handed = tickets(effects_dir).filter(pl.col("via_bot"))["ticket_id"]
    chats = order.filter(pl.col("conversation_id").is_in(handed.implode()))
    assert (chats["roles"].list.get(0) == "customer").all() and (
        chats["roles"].list.get(1) == "bot"
    ).all()
    alone = order.filter(
        ~pl.col("conversation_id").is_in(tickets(effects_dir)["ticket_id"].implode())
    )
    assert alone.height > 100
    assert not alone["roles"].list.contains("agent").any()


def test_surveys_come_only_for_solved_tickets(effects_dir: Path) -> None:
    answered = surveys(effects_dir).join(tickets(effects_dir), on="ticket_id", how="left")
    assert answered["status"].is_in(["solved", "closed"]).all()


def test_reopened_tickets_have_solved_open_solved_in_their_history(effects_dir: Path) -> None:
    status = (
        field_history(effects_dir)
        .filter(pl.col("field_name") == "status")
        .sort("ticket_id", "changed_at")
    )
    seq = status.group_by("ticket_id", maintain_order=True).agg(seq=pl.col("value"))
    counted = seq.with_columns(
        reopens=pl.col("seq")
        .list.eval(((pl.element() == "open") & (pl.element().shift(1) == "solved")).sum())
        .list.first()
    )
    t = tickets(effects_dir).join(counted, on="ticket_id")
    assert t.filter(pl.col("reopens") > 0).height > 200
    assert (t["reopens"] == t["reopens_right"]).all()


def test_security_tickets_move_to_the_security_group_when_escalated(effects_dir: Path) -> None:
    moves = field_history(effects_dir).filter(
        (pl.col("field_name") == "group_id") & (pl.col("value") == "360000009001")
    )
    sec = tickets(effects_dir).filter(
        (pl.col("category") == "security") & pl.col("escalated_at").is_not_null()
    )
    sec = sec.filter(pl.col("team") != "zh")  # the sheet's escalation time has no seconds
    joined = sec.join(moves, on="ticket_id", how="left")
    assert (joined["changed_at"] == joined["escalated_at"]).all()


def test_contacts_within_seven_days_of_each_other_are_the_planted_follow_ups(
    effects_dir: Path,
) -> None:
    # Base contacts of a customer are at least 15 days apart, so a second contact within
    # 7 days is a repeat (same category), a merged copy, or a comeback after a bot chat.
    t = tickets(effects_dir)
    later = t.select(
        "customer_id", c2="created_at", cat2="category", id2="ticket_id", merged="merged_into"
    )
    close = t.join(later, on="customer_id").filter(
        (pl.col("c2") > pl.col("created_at"))
        & (pl.col("c2") <= pl.col("created_at") + pl.duration(days=7))
    )
    assert close.height > 300
    assert ((close["cat2"] == close["category"]) | close["merged"].is_not_null()).all()


def test_every_timestamp_lies_in_the_demo_period(effects_dir: Path) -> None:
    created = tickets(effects_dir)["created_at"]
    sent = messages(effects_dir)["sent_at"]
    assert created.min() >= fx.PERIOD_START and created.max() < fx.PERIOD_END
    assert sent.min() >= fx.PERIOD_START and sent.max() < fx.PERIOD_END
