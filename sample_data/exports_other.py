"""Every other export: roster XLSX, LMS CSV, shift CSV, comment CSV, chat NDJSON, survey JSON,
activity Parquet, QA review NDJSON.

Each writer returns how many planted malformed rows it wrote.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl

from sample_data import config
from sample_data.malformed import broken_json, chain, earlier, fresh_ids, plant, set_value
from sample_data.writers import (
    local_text,
    write_csv,
    write_json_array,
    write_ndjson,
    write_parquet,
    write_xlsx,
)

LMS_ZONE = "Europe/London"
LMS_TIME = "%d.%m.%Y %H:%M"
CHAT_CHANNELS = ("chat", "wechat", "qq")
CHAT_NAMES = {"chat": "in_app", "wechat": "wechat", "qq": "qq"}
CHAT_ROLES = {"customer": "visitor", "agent": "agent", "bot": "bot", "system": "system"}
LOCALE = {"zh": "zh-CN", "en": "en-US", "es": "es-ES", "ru": "ru-RU", "fr": "fr-FR"}


def roster(rng: np.random.Generator, agents: pl.DataFrame, path: Path) -> int:
    """The agent roster as an HR spreadsheet; its malformed row is a 'total' line without an id."""
    frame = agents.select(
        pl.col("agent_id").alias("Agent ID"),
        pl.col("name").alias("Full name"),
        pl.col("group").alias("Team"),
        pl.col("languages").list.join(", ").alias("Languages"),
        pl.col("hired_at").dt.replace_time_zone(None).alias("Hire date"),
        pl.col("timezone").alias("Time zone"),
    )
    total = pl.DataFrame(
        {"Full name": [f"Total: {frame.height} agents"]}, schema={"Full name": pl.String}
    )
    frame = pl.concat([frame, total], how="diagonal")
    write_xlsx(frame, path, date_columns=("Hire date",))
    return 1


def lms(rng: np.random.Generator, trainings: pl.DataFrame, path: Path) -> int:
    """Course completions from the learning platform: day-first local times, a quiz score."""
    frame = trainings.select(
        pl.col("agent_id").alias("Employee ID"),
        pl.col("course").alias("Course"),
        local_text(pl.col("completed_at"), LMS_ZONE, LMS_TIME).alias("Completed"),
        pl.Series("Score", [f"{s}%" for s in rng.integers(70, 101, trainings.height)]),
    )
    frame, bad = plant(rng, frame, [set_value("Completed", None)])
    write_csv(frame, path)
    return bad


def shift_plan(
    rng: np.random.Generator, shifts: pl.DataFrame, agents: pl.DataFrame, path: Path
) -> int:
    """Workforce-management export: local shift times with their UTC offset."""
    zones = agents.select("agent_id", "timezone")
    parts = []
    for team in config.TEAMS:
        mine = shifts.join(zones.filter(pl.col("timezone") == team.timezone), on="agent_id")
        parts.append(
            mine.select(
                pl.col("agent_id").alias("Agent ID"),
                local_text(pl.col("starts_at"), team.timezone, "%Y-%m-%dT%H:%M:%S%:z").alias(
                    "Shift start"
                ),
                local_text(pl.col("ends_at"), team.timezone, "%Y-%m-%dT%H:%M:%S%:z").alias(
                    "Shift end"
                ),
                pl.col("starts_at"),
            )
        )
    frame = (
        pl.concat(parts)
        .sort("starts_at", "Agent ID")
        .drop("starts_at")
        .with_columns(pl.lit("Tickets & chat").alias("Activity"))
    )
    mutations = [set_value("Agent ID", None), set_value("Shift start", "TBD"), _swap_times]
    frame, bad = plant(rng, frame, mutations)
    write_csv(frame, path)
    return bad


def _swap_times(rows: pl.DataFrame) -> pl.DataFrame:
    """A shift that ends before it starts."""
    return rows.with_columns(
        pl.col("Shift end").alias("Shift start"), pl.col("Shift start").alias("Shift end")
    )


def comments(rng: np.random.Generator, messages: pl.DataFrame, path: Path) -> int:
    """Zendesk ticket comments of e-mail, web-form and social tickets (all public)."""
    frame = messages.filter(~pl.col("channel").is_in(CHAT_CHANNELS)).select(
        id=pl.col("message_id"),
        ticket_id=pl.col("conversation_id"),
        created=pl.col("sent_at").dt.to_string("%Y-%m-%d %H:%M:%S"),
        user_id=pl.col("sender_id"),
        author_role=pl.col("sender_type").replace_strict(
            {"customer": "end-user", "agent": "agent"}
        ),
        public=pl.lit("TRUE"),
        body=pl.col("body"),
    )
    mutations = [
        set_value("ticket_id", None),
        chain(fresh_ids("id"), set_value("created", "yesterday")),
        chain(fresh_ids("id"), set_value("author_role", "light_agent")),
        set_value("body", "(duplicate export row)"),
    ]
    frame, bad = plant(rng, frame, mutations)
    write_csv(frame, path)
    return bad


def chat(rng: np.random.Generator, messages: pl.DataFrame, path: Path) -> int:
    """Chat transcripts (in-app with the bot, WeChat, QQ) as flat NDJSON records."""
    frame = messages.filter(pl.col("channel").is_in(CHAT_CHANNELS)).select(
        conversation_id=pl.col("conversation_id"),
        message_id=pl.col("message_id"),
        timestamp=pl.col("sent_at").dt.to_string("%Y-%m-%dT%H:%M:%S.000Z"),
        channel=pl.col("channel").replace_strict(CHAT_NAMES),
        author_role=pl.col("sender_type").replace_strict(CHAT_ROLES),
        author_id=pl.col("sender_id"),
        locale=pl.col("language").replace_strict(LOCALE),
        text=pl.col("body"),
    )
    mutations = [
        set_value("conversation_id", None),
        chain(fresh_ids("message_id"), set_value("timestamp", "2026-10-32T08:00:00.000Z")),
        chain(fresh_ids("message_id"), set_value("author_role", "webhook")),
        set_value("text", "(resent by the export)"),
        broken_json,
    ]
    frame, bad = plant(rng, frame, mutations)
    write_ndjson(frame, path)
    return bad


def survey_answers(rng: np.random.Generator, surveys: pl.DataFrame, path: Path) -> int:
    """CSAT responses from the survey tool as a JSON array."""
    frame = surveys.select(
        ticket_id=pl.col("ticket_id"),
        rating=pl.col("score"),
        submitted_at=pl.col("responded_at").dt.to_string("%Y-%m-%dT%H:%M:%SZ"),
        comment=pl.col("comment"),
    )
    mutations = [
        set_value("rating", 9),
        set_value("rating", None),
        set_value("ticket_id", None),
        chain(earlier("submitted_at"), set_value("rating", 3)),
    ]
    frame, bad = plant(rng, frame, mutations)
    write_json_array(frame, path)
    return bad


def product_activity(rng: np.random.Generator, activity: pl.DataFrame, path: Path) -> int:
    """Daily active users from the product warehouse, as Parquet."""
    frame = activity.select(user_id=pl.col("customer_id"), event_date=pl.col("active_on"))
    mutations = [set_value("user_id", None), set_value("event_date", None), lambda rows: rows]
    frame, bad = plant(rng, frame, mutations)
    write_parquet(frame, path)
    return bad


QA_NAMES = {"greeting": "Greeting", "empathy": "Empathy", "closing": "Closing",
            "security": "Security hygiene"}  # fmt: skip
QA_PAGE = 100  # conversations per Export API page


def qa_review_pages(rng: np.random.Generator, reviews: pl.DataFrame, path: Path) -> int:
    """People's reviews as Zendesk QA Export API pages (NDJSON, one page a line: conversations
    with externalId and reviews, each with reviewer, reviewee, updatedISO, comment and
    ratings of categoryName and score 0-100). Its malformed row is a rating of 150."""
    ratings = reviews.with_columns(
        name=pl.col("category").replace_strict(QA_NAMES),
        points=(pl.col("score") * 100).round(0).cast(pl.Int64),
        at=pl.col("reviewed_at").dt.to_string("%Y-%m-%dT%H:%M:%SZ"),
    )
    bad = int(rng.integers(0, ratings.height))
    points = ratings["points"].to_list()
    points[bad] = 150
    ratings = ratings.with_columns(points=pl.Series(points))
    by_review = ratings.group_by("review_id", maintain_order=True).agg(
        pl.col("conversation_id").first(), pl.col("reviewer").first(), pl.col("reviewee").first(),
        pl.col("at").first(), pl.col("comment").drop_nulls().str.join("; "),
        pl.struct(categoryName="name", score="points").alias("ratings"),
    )  # fmt: skip
    conversations: dict[str, list[dict]] = {}
    for r in by_review.iter_rows(named=True):
        conversations.setdefault(r["conversation_id"], []).append(
            {
                "id": r["review_id"],
                "reviewer": {"email": r["reviewer"]},
                "reviewee": {"name": r["reviewee"]},
                "updatedISO": r["at"],
                "comment": r["comment"],
                "ratings": r["ratings"],
            }  # fmt: skip
        )
    items = [{"externalId": k, "reviews": v} for k, v in conversations.items()]
    pages = [items[i : i + QA_PAGE] for i in range(0, len(items), QA_PAGE)]
    with path.open("w", encoding="utf-8") as out:
        for number, page in enumerate(pages, start=1):
            pagination = {"page": number, "pageSize": QA_PAGE, "total": len(items)}
            out.write(json.dumps({"conversations": page, "pagination": pagination}) + "\n")
    return 1
