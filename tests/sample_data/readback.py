"""Read the generated export files straight back with Polars (no ETL, no metrics code).

The effect tests measure the planted effects on these frames, so they check
the files themselves, before any loader or metric exists to misread them.
"""

from __future__ import annotations

import io
import json
from functools import cache
from pathlib import Path

import polars as pl

UTC = pl.Datetime("us", "UTC")


def _iso(col: str) -> pl.Expr:
    return (
        pl.col(col).str.to_datetime("%Y-%m-%dT%H:%M:%SZ", time_zone="UTC", strict=False).cast(UTC)
    )


def _plain(col: str) -> pl.Expr:
    return pl.col(col).str.to_datetime("%Y-%m-%d %H:%M:%S", time_zone="UTC", strict=False).cast(UTC)


def _sheet(col: str) -> pl.Expr:
    local = pl.col(col).str.to_datetime("%Y/%m/%d %H:%M", strict=False)
    return local.dt.replace_time_zone("Asia/Shanghai").dt.convert_time_zone("UTC").cast(UTC)


def _csv(path: Path, encoding: str = "utf-8") -> pl.DataFrame:
    return pl.read_csv(io.BytesIO(path.read_bytes().decode(encoding).encode()), infer_schema=False)


@cache
def tickets(folder: Path) -> pl.DataFrame:
    """Both ticket exports in one frame (valid rows only; malformed copies dropped)."""
    zd = _csv(folder / "zendesk_tickets.csv").select(
        ticket_id=pl.col("id"),
        created_at=_iso("created_at"),
        status=pl.col("status"),
        priority=pl.col("priority"),
        channel=pl.col("via_channel").replace({"native_messaging": "chat", "facebook": "social"}),
        team=pl.col("group_name")
        .str.extract(r"- (\w+)$")
        .replace({"English": "en", "Spanish": "es", "Russian": "ru", "French": "fr"}),
        category=pl.col("custom_fields.category").str.strip_prefix("cat_"),
        customer_id=pl.col("requester_id"),
        agent_id=pl.col("assignee_id"),
        reopens=pl.col("metric_set.reopens").cast(pl.Int64),
        escalated_at=_iso("custom_fields.escalated_at"),
        via_bot=pl.col("custom_fields.answer_bot") == "true",
        merged_into=pl.col("custom_fields.merged_into"),
        updated=pl.col("updated_at"),
    )
    zh = _csv(folder / "zh_team_tickets_gb18030.csv", "gb18030").select(
        ticket_id=pl.col("工单编号"),
        created_at=_sheet("创建时间"),
        status=pl.col("状态").replace(
            {
                "新建": "new",
                "处理中": "open",
                "待回复": "pending",
                "已解决": "solved",
                "已关闭": "closed",
            }
        ),
        priority=pl.col("优先级").replace(
            {"低": "low", "普通": "normal", "高": "high", "紧急": "urgent"}
        ),
        channel=pl.col("渠道").replace(
            {
                "邮件": "email",
                "在线聊天": "chat",
                "网页表单": "web",
                "社交媒体": "social",
                "微信": "wechat",
                "QQ": "qq",
            }
        ),
        team=pl.lit("zh"),
        category=pl.col("问题分类").replace(
            {
                "转账未到账": "transfer_stuck",
                "手续费": "gas_fees",
                "兑换失败": "swap_failed",
                "代币不显示": "token_missing",
                "安全/被盗": "security",
                "助记词丢失": "seed_phrase_lost",
                "质押": "staking",
                "应用闪退": "app_crash",
                "账户问题": "account",
            }
        ),
        customer_id=pl.col("客户ID"),
        agent_id=pl.col("处理人工号"),
        reopens=pl.col("重开次数").cast(pl.Int64),
        escalated_at=_sheet("升级时间"),
        via_bot=pl.col("机器人接待") == "是",
        merged_into=pl.col("合并至"),
        updated=pl.col("更新时间"),
    )
    both = pl.concat([zd, zh])
    valid = both.filter(
        pl.col("ticket_id").is_not_null()
        & pl.col("created_at").is_not_null()
        & pl.col("channel").is_in(["email", "chat", "web", "social", "wechat", "qq"])
        & ~pl.col("ticket_id").str.starts_with("99")
        & ~pl.col("updated").str.starts_with("2025")
    )
    return valid.drop("updated")


@cache
def messages(folder: Path) -> pl.DataFrame:
    """Both message exports in one frame (valid rows only)."""
    comments = _csv(folder / "zendesk_ticket_comments.csv").select(
        message_id=pl.col("id"),
        conversation_id=pl.col("ticket_id"),
        sent_at=_plain("created"),
        sender_type=pl.col("author_role").replace({"end-user": "customer"}),
        sender_id=pl.col("user_id"),
        body=pl.col("body"),
    )
    lines = (folder / "chat_transcripts.ndjson").read_text(encoding="utf-8").splitlines()
    whole = "\n".join(line for line in lines if line.endswith("}"))  # drops the cut-off lines
    chat = pl.read_ndjson(io.StringIO(whole), infer_schema_length=None).select(
        message_id=pl.col("message_id"),
        conversation_id=pl.col("conversation_id"),
        sent_at=pl.col("timestamp")
        .str.to_datetime("%Y-%m-%dT%H:%M:%S%.3fZ", time_zone="UTC", strict=False)
        .cast(UTC),
        sender_type=pl.col("author_role").replace({"visitor": "customer"}),
        sender_id=pl.col("author_id"),
        body=pl.col("text"),
    )
    both = pl.concat([comments, chat])
    valid = both.filter(
        pl.col("conversation_id").is_not_null()
        & pl.col("sent_at").is_not_null()
        & pl.col("sender_type").is_in(["customer", "agent", "bot", "system"])
    )
    return valid.unique("message_id", keep="last", maintain_order=True)


@cache
def first_responses(folder: Path) -> pl.DataFrame:
    """Per ticket: its attributes and FRT in minutes, from messages (first customer -> first agent)."""
    msgs = messages(folder)
    start = (
        msgs.filter(pl.col("sender_type") == "customer")
        .group_by("conversation_id")
        .agg(start=pl.col("sent_at").min())
    )
    reply = (
        msgs.filter(pl.col("sender_type") == "agent")
        .group_by("conversation_id")
        .agg(reply=pl.col("sent_at").min(), replier=pl.col("sender_id").first())
    )
    t = tickets(folder).filter(pl.col("merged_into").is_null())
    out = t.join(start, left_on="ticket_id", right_on="conversation_id").join(
        reply, left_on="ticket_id", right_on="conversation_id"
    )
    return out.with_columns(frt_min=(pl.col("reply") - pl.col("start")).dt.total_seconds() / 60)


@cache
def surveys(folder: Path) -> pl.DataFrame:
    rows = json.loads((folder / "csat_responses.json").read_text(encoding="utf-8"))
    frame = pl.DataFrame(rows, infer_schema_length=None, schema_overrides={"rating": pl.Int64})
    frame = frame.with_columns(submitted_at=_iso("submitted_at"))
    valid = frame.filter(
        pl.col("ticket_id").is_not_null()
        & pl.col("rating").is_between(1, 5)
        & pl.col("submitted_at").is_not_null()
    )
    return valid.sort("submitted_at").unique("ticket_id", keep="last")


@cache
def activity(folder: Path) -> pl.DataFrame:
    frame = pl.read_parquet(folder / "product_activity.parquet")
    return frame.drop_nulls().unique()


@cache
def agents(folder: Path) -> pl.DataFrame:
    frame = pl.read_excel(folder / "agents_roster.xlsx", engine="calamine")
    return frame.filter(pl.col("Agent ID").is_not_null()).with_columns(
        pl.col("Agent ID").cast(pl.String)
    )


@cache
def trainings(folder: Path) -> pl.DataFrame:
    frame = _csv(folder / "lms_course_completions.csv").filter(pl.col("Completed").is_not_null())
    local = pl.col("Completed").str.to_datetime("%d.%m.%Y %H:%M")
    return frame.with_columns(
        completed_at=local.dt.replace_time_zone("Europe/London").dt.convert_time_zone("UTC")
    )


@cache
def shifts(folder: Path) -> pl.DataFrame:
    frame = _csv(folder / "wfm_shifts.csv")
    parse = {
        c: pl.col(c)
        .str.to_datetime("%Y-%m-%dT%H:%M:%S%:z", strict=False)
        .dt.convert_time_zone("UTC")
        for c in ("Shift start", "Shift end")
    }
    frame = frame.with_columns(**parse).drop_nulls(["Agent ID", "Shift start", "Shift end"])
    return frame.filter(pl.col("Shift end") > pl.col("Shift start"))


@cache
def field_history(folder: Path) -> pl.DataFrame:
    """Status, assignee and group changes (valid rows; of a duplicated key the last row)."""
    frame = _csv(folder / "zendesk_ticket_field_history.csv").with_columns(
        changed_at=_plain("updated")
    )
    valid = frame.filter(
        pl.col("ticket_id").is_not_null()
        & pl.col("changed_at").is_not_null()
        & pl.col("field_name").is_in(["status", "assignee_id", "group_id"])
    )
    return valid.unique(["ticket_id", "changed_at", "field_name"], keep="last", maintain_order=True)
