"""Ticket exports: the Zendesk-shaped ticket CSV, the Chinese team's GB18030 sheet, the field history.

Each writer takes canonical frames (sample_data.tables) and returns the rows
it wrote plus how many planted malformed rows are among them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from sample_data import config
from sample_data.malformed import chain, earlier, fresh_ids, plant, set_value
from sample_data.writers import local_text, write_csv

ISO = "%Y-%m-%dT%H:%M:%SZ"
ZENDESK_CHANNELS = {
    "email": "email",
    "chat": "native_messaging",
    "web": "web",
    "social": "facebook",
}
LOCALES = {
    "en": ("en-US", "en-GB"),
    "es": ("es", "es-419"),
    "ru": ("ru",),
    "fr": ("fr", "fr-CA"),
    "zh": ("zh-cn",),
}
GROUP_IDS = {team.code: str(360_000_001_001 + i) for i, team in enumerate(config.TEAMS)} | {
    "security": "360000009001"
}
ZH_STATUS = {
    "new": "新建",
    "open": "处理中",
    "pending": "待回复",
    "solved": "已解决",
    "closed": "已关闭",
}
ZH_PRIORITY = {"low": "低", "normal": "普通", "high": "高", "urgent": "紧急"}
ZH_CHANNEL = {
    "email": "邮件",
    "chat": "在线聊天",
    "web": "网页表单",
    "social": "社交媒体",
    "wechat": "微信",
    "qq": "QQ",
}
ZH_CATEGORY = {
    "transfer_stuck": "转账未到账",
    "gas_fees": "手续费",
    "swap_failed": "兑换失败",
    "token_missing": "代币不显示",
    "security": "安全/被盗",
    "seed_phrase_lost": "助记词丢失",
    "staking": "质押",
    "app_crash": "应用闪退",
    "account": "账户问题",
}
ZH_TIME = "%Y/%m/%d %H:%M"  # as a Chinese spreadsheet shows it: local time, seconds dropped


def _iso(name: str) -> pl.Expr:
    return pl.col(name).dt.to_string(ISO)


def zendesk_tickets(rng: np.random.Generator, tickets: pl.DataFrame, path: Path) -> int:
    """Tickets of the en/es/ru/fr teams as Zendesk's API-shaped CSV export (UTC, ISO 8601)."""
    t = tickets.filter(pl.col("team") != "zh")
    locale = pl.Series(
        [LOCALES[lang][i % len(LOCALES[lang])] for i, lang in enumerate(t["language"].to_list())]
    )
    frame = t.select(
        id=pl.col("ticket_id"),
        created_at=_iso("created_at"),
        updated_at=_iso("updated_at"),
        type=pl.when(pl.col("category") == "security")
        .then(pl.lit("incident"))
        .otherwise(pl.lit("question")),
        status=pl.col("status"),
        priority=pl.col("priority"),
        via_channel=pl.col("channel").replace_strict(ZENDESK_CHANNELS),
        requester_id=pl.col("customer_id"),
        assignee_id=pl.col("agent_id"),
        group_name=pl.col("team").replace_strict({t.code: t.group for t in config.TEAMS}),
        subject=pl.col("subject"),
        tags=pl.col("tags").list.join(" "),
        requester_locale=locale,
        **{
            "custom_fields.category": pl.lit("cat_") + pl.col("category"),
            "custom_fields.answer_bot": pl.col("via_bot").cast(pl.String),
            "custom_fields.escalated_at": _iso("escalated_at"),
            "custom_fields.merged_into": pl.col("merged_into"),
            "metric_set.first_reply_at": _iso("first_response_at"),
            "metric_set.solved_at": _iso("solved_at"),
            "metric_set.replies": pl.col("agent_replies").cast(pl.String),
            "metric_set.reopens": pl.col("reopens").cast(pl.String),
        },
    )
    answered = frame["metric_set.first_reply_at"].is_not_null()
    mutations = [
        set_value("id", None),
        chain(fresh_ids("id"), set_value("created_at", "2026-02-30T10:00:00Z")),
        chain(fresh_ids("id"), set_value("metric_set.first_reply_at", "2026-04-01T00:00:00Z")),
        chain(fresh_ids("id"), set_value("via_channel", "sms")),
        chain(earlier("updated_at"), set_value("status", "open")),
    ]
    frame, bad = plant(rng, frame, mutations, eligible=answered)
    write_csv(frame, path)
    return bad


def zh_sheet(rng: np.random.Generator, tickets: pl.DataFrame, path: Path) -> int:
    """The Chinese team's tickets as a spreadsheet saved to CSV: GB18030, CRLF, local times."""
    zone = config.TEAMS[config.TEAM_INDEX["zh"]].timezone

    def local(name: str) -> pl.Expr:
        return local_text(pl.col(name), zone, ZH_TIME)

    frame = tickets.filter(pl.col("team") == "zh").select(
        工单编号=pl.col("ticket_id"),
        创建时间=local("created_at"),
        更新时间=local("updated_at"),
        状态=pl.col("status").replace_strict(ZH_STATUS),
        优先级=pl.col("priority").replace_strict(ZH_PRIORITY),
        渠道=pl.col("channel").replace_strict(ZH_CHANNEL),
        问题分类=pl.col("category").replace_strict(ZH_CATEGORY),
        客户ID=pl.col("customer_id"),
        处理人工号=pl.col("agent_id"),
        组别=pl.lit("中文客服组"),
        首次回复时间=local("first_response_at"),
        解决时间=local("solved_at"),
        关闭时间=local("closed_at"),
        重开次数=pl.col("reopens").cast(pl.String),
        客服回复数=pl.col("agent_replies").cast(pl.String),
        标题=pl.col("subject"),
        标签=pl.col("tags").list.join(","),
        升级时间=local("escalated_at"),
        合并至=pl.col("merged_into"),
        机器人接待=pl.when(pl.col("via_bot")).then(pl.lit("是")).otherwise(pl.lit("否")),
    )
    answered = frame["首次回复时间"].is_not_null()
    mutations = [
        set_value("工单编号", None),
        chain(fresh_ids("工单编号"), set_value("创建时间", "2026/02/30 10:00")),
        chain(fresh_ids("工单编号"), set_value("首次回复时间", "2026/04/01 08:00")),
        chain(fresh_ids("工单编号"), set_value("渠道", "抖音")),
        chain(earlier("更新时间"), set_value("状态", "处理中")),
    ]
    frame, bad = plant(rng, frame, mutations, eligible=answered)
    write_csv(frame, path, encoding="gb18030", crlf=True)
    return bad


def field_history(rng: np.random.Generator, events: pl.DataFrame, path: Path) -> int:
    """Zendesk's ticket field history: one row per status, assignee or group change (UTC)."""
    field_names = {"status": "status", "assignee": "assignee_id", "group": "group_id"}
    frame = events.select(
        field_name=pl.col("field").replace_strict(field_names),
        ticket_id=pl.col("ticket_id"),
        updated=pl.col("changed_at").dt.to_string("%Y-%m-%d %H:%M:%S"),
        user_id=pl.col("actor_id"),
        value=pl.when(pl.col("field") == "group")
        .then(pl.col("value").replace_strict(GROUP_IDS))
        .otherwise(pl.col("value")),
    )
    mutations = [
        set_value("ticket_id", None),
        set_value("updated", "0000-00-00 00:00:00"),
        set_value("field_name", "satisfaction_score"),
        set_value(
            "value", "hold"
        ),  # same ticket, time and field as the next row: a conflicting duplicate
    ]
    frame, bad = plant(rng, frame, mutations)
    write_csv(frame, path)
    return bad
