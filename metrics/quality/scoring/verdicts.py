"""The rubric judges: from a conversation's facts to a verdict, its message and its evidence.

Each judge is one Polars expression over the per-conversation facts of
``metrics.quality.scoring.facts`` and returns a struct (verdict, message_id, matched,
evidence): ``matched`` is the exact words in that message that decided it (highlighted
for the trainer), ``evidence`` says in a sentence why.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from metrics.core.rubric import Rubric
from metrics.quality.scoring.facts import GUESSED_KIND, MISREAD_KIND
from metrics.quality.scoring.phrases import ASK_LABELS

OPEN_STATUSES: tuple[str, ...] = ("new", "open", "pending", "hold")
Judge = Callable[[Rubric], pl.Expr]


def _verdict(verdict: pl.Expr, message: pl.Expr, matched: pl.Expr, evidence: pl.Expr) -> pl.Expr:
    return pl.struct(
        verdict.alias("verdict"),
        message.cast(pl.String).alias("message_id"),
        matched.cast(pl.String).alias("matched"),
        evidence.cast(pl.String).alias("evidence"),
    )


def _when(cases: list[tuple[pl.Expr, str]], otherwise: str) -> pl.Expr:
    expr = pl.when(cases[0][0]).then(pl.lit(cases[0][1]))
    for condition, value in cases[1:]:
        expr = expr.when(condition).then(pl.lit(value))
    return expr.otherwise(pl.lit(otherwise))


def _quote(words: pl.Expr) -> pl.Expr:
    return pl.lit("“") + words + pl.lit("”")


def awaiting_customer() -> pl.Expr:
    """The agent only asked questions and the customer has not answered the last one."""
    replied = pl.col("last_customer_seq").fill_null(-1) > pl.col("last_agent_seq")
    return pl.col("all_question") & ~pl.col("any_action") & ~replied


def greeting(_rubric: Rubric) -> pl.Expr:
    found = pl.col("greet").is_not_null()
    return _verdict(
        pl.when(found).then(pl.lit("yes")).otherwise(pl.lit("no")),
        pl.col("first_agent_id"),
        pl.col("greet"),
        pl.when(found)
        .then(pl.lit("first reply opens with ") + _quote(pl.col("greet")))
        .otherwise(pl.lit("the first reply opens without a greeting")),
    )


def empathy(_rubric: Rubric) -> pl.Expr:
    found = pl.col("emp_id").is_not_null()
    return _verdict(
        pl.when(found).then(pl.lit("yes")).otherwise(pl.lit("no")),
        pl.coalesce("emp_id", "first_agent_id"),
        pl.col("emp"),
        pl.when(found)
        .then(pl.lit("acknowledges with ") + _quote(pl.col("emp")))
        .otherwise(pl.lit("no thanks, apology or understanding in any reply")),
    )


def comprehension(_rubric: Rubric) -> pl.Expr:
    reask = pl.col("reask_id").is_not_null()
    unclear = pl.col("vague").fill_null(False) & ~pl.col("reply_question").fill_null(False)
    label = pl.col("reask_kind").replace_strict(ASK_LABELS, default=pl.col("reask_kind"))
    verdict = _when(
        [(pl.col("first_customer_seq").is_null(), "na"), (reask, "no"), (unclear, "no")], "yes"
    )
    evidence = (
        pl.when(reask & (pl.col("reask_kind") == GUESSED_KIND))
        .then(pl.lit("answered a guess without asking; the customer had to correct it"))
        .when(reask & (pl.col("reask_kind") == MISREAD_KIND))
        .then(
            pl.lit("the agent says it missed what the customer wrote: ")
            + _quote(pl.col("reask_sentence"))
        )
        .when(reask)
        .then(pl.lit("asked again for ") + label + pl.lit(", which the customer had already given"))
        .when(unclear)
        .then(
            pl.lit("the request ")
            + _quote(pl.col("request"))
            + pl.lit(" was unclear and the reply asked nothing")
        )
        .when(pl.col("vague").fill_null(False))
        .then(pl.lit("asked a clarifying question about an unclear request"))
        .otherwise(pl.lit("no item asked for again"))
    )
    return _verdict(
        verdict,
        pl.when(reask).then("reask_id").otherwise("reply_id"),
        pl.when(reask).then("reask_sentence"),
        evidence,
    )


def solution(_rubric: Rubric) -> pl.Expr:
    unanswered = pl.col("all_question") & ~pl.col("any_action")
    blocked = (pl.col("any_block") | pl.col("all_defer")) & ~pl.col("any_action")
    # the last reply only stalls ("we are looking into it"): whatever came before (an
    # escalation in back-office words, a ticket number) left the customer with no next step
    stalled = pl.col("last_defer").fill_null(False)
    # the last reply only refuses or points elsewhere, after an earlier answer was pushed back
    refused = pl.col("last_block").fill_null(False)
    verdict = _when(
        [
            (awaiting_customer(), "na"),
            (unanswered, "no"),
            (blocked, "no"),
            (stalled, "no"),
            (refused, "no"),
        ],
        "yes",
    )
    evidence = (
        pl.when(awaiting_customer())
        .then(pl.lit("waiting for the customer's answer to the agent's question"))
        .when(unanswered)
        .then(pl.lit("the agent only asked questions, no answer after the customer replied"))
        .when(pl.col("any_block") & ~pl.col("any_action"))
        .then(pl.lit("refused or pointed elsewhere without offering anything"))
        .when(blocked)
        .then(pl.lit("only said it was looking into it, no answer or next step"))
        .when(stalled)
        .then(pl.lit("the last reply only says it is being looked into, no answer or next step"))
        .when(refused)
        .then(pl.lit("the last reply only refuses or points elsewhere, no answer or next step"))
        .otherwise(pl.lit("offers an answer or a next step"))
    )
    message = pl.when(verdict == "yes").then(pl.coalesce("action_id", "last_agent_id"))
    return _verdict(verdict, message.otherwise("last_agent_id"), pl.lit(None), evidence)


def closing(_rubric: Rubric) -> pl.Expr:
    unfinished = pl.col("status").is_in(list(OPEN_STATUSES)).fill_null(False)
    found = pl.col("clos_id").is_not_null()
    verdict = _when([(unfinished | awaiting_customer(), "na"), (found, "yes")], "no")
    evidence = (
        pl.when(unfinished)
        .then(pl.lit("the ticket is still ") + pl.col("status"))
        .when(awaiting_customer())
        .then(pl.lit("waiting for the customer's answer"))
        .when(found)
        .then(pl.lit("closes with ") + _quote(pl.col("clos")))
        .otherwise(
            pl.lit(
                "the last replies neither check the problem is solved nor invite the customer back"
            )
        )
    )
    return _verdict(verdict, pl.coalesce("clos_id", "last_agent_id"), pl.col("clos"), evidence)


def tone(_rubric: Rubric) -> pl.Expr:
    found = pl.col("tone_id").is_not_null()
    return _verdict(
        pl.when(found).then(pl.lit("no")).otherwise(pl.lit("yes")),
        pl.col("tone_id"),
        pl.col("tone"),
        pl.when(found)
        .then(pl.lit("blames, is rude or dismissive: ") + _quote(pl.col("tone")))
        .otherwise(pl.lit("no blame, rudeness or dismissive reply found")),
    )


def readability(rubric: Rubric) -> pl.Expr:
    jargon = pl.col("jargon_id").is_not_null()
    wall = pl.col("wall_id").is_not_null()
    size = (
        pl.when(pl.col("wall_cjk") > rubric.max_cjk_chars)
        .then(
            pl.col("wall_cjk").cast(pl.String)
            + pl.lit(f" characters (limit {rubric.max_cjk_chars})")
        )
        .otherwise(
            pl.col("wall_chars").cast(pl.String) + pl.lit(f" characters (limit {rubric.max_chars})")
        )
    )
    return _verdict(
        pl.when(jargon | wall).then(pl.lit("no")).otherwise(pl.lit("yes")),
        pl.coalesce("jargon_id", "wall_id"),
        pl.col("jargon"),
        pl.when(jargon)
        .then(pl.lit("internal jargon or an unfilled placeholder: ") + _quote(pl.col("jargon")))
        .when(wall)
        .then(pl.lit("a wall of text: one paragraph of ") + size)
        .otherwise(pl.lit("short paragraphs, no internal jargon")),
    )


def responsiveness(_rubric: Rubric) -> pl.Expr:
    late = pl.col("max_wait") > pl.col("reply_target")
    minutes = pl.col("max_wait").round(0).cast(pl.Int64).cast(pl.String)
    target = pl.col("reply_target").round(0).cast(pl.Int64).cast(pl.String)
    return _verdict(
        _when([(pl.col("max_wait").is_null(), "na"), (late, "no")], "yes"),
        pl.col("wait_id"),
        pl.lit(None),
        pl.when(pl.col("max_wait").is_null())
        .then(pl.lit("no timed customer message answered by an agent"))
        .otherwise(
            pl.lit("longest wait ") + minutes + pl.lit(" min (target ") + target + pl.lit(" min)")
        ),
    )


def security(_rubric: Rubric) -> pl.Expr:
    secret = pl.col("secret_id").is_not_null()
    replied = pl.col("reply_secret_id").is_not_null()
    outside = pl.col("outside_id").is_not_null()
    return _verdict(
        pl.when(secret | replied | outside).then(pl.lit("no")).otherwise(pl.lit("yes")),
        pl.coalesce("secret_id", "reply_secret_id", "outside_id"),
        pl.when(secret)
        .then("secret_words")
        .when(replied)
        .then(pl.lit(None, pl.String))
        .otherwise("outside"),
        pl.when(secret)
        .then(pl.lit("asks for a secret: ") + _quote(pl.col("secret")))
        .when(replied)
        .then(
            pl.lit("the customer answered this message with ")
            + pl.col("reply_secret")
            + pl.lit(" (not shown): it asked for a secret")
        )
        .when(outside)
        .then(
            pl.lit("sends ")
            + pl.col("outside_kind")
            + pl.lit(" outside the allow-list: ")
            + _quote(pl.col("outside"))
        )
        .otherwise(pl.lit("asks for no secret; every link and address is allowed")),
    )


JUDGES: dict[str, Judge] = {
    "greeting": greeting, "empathy": empathy, "comprehension": comprehension,
    "solution": solution, "closing": closing, "tone": tone, "readability": readability,
    "responsiveness": responsiveness, "security": security,
}  # fmt: skip
