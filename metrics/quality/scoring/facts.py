"""Per conversation, the facts the rubric judges decide on, from its messages' text features.

Messages are ordered by time (then id); only customer and human agent messages count (a
bot or a system note neither greets nor keeps a customer waiting). Every step is a Polars
aggregation over all conversations at once, keyed by ``ID``: an integer per conversation
(``ordered`` numbers them; ``keys`` maps them back to source and conversation_id), cheaper
to group, window and join on than two text columns.
"""

from __future__ import annotations

import polars as pl

from metrics.core.rubric import Rubric
from metrics.quality.scoring.texts import agent_features, customer_features, reply_context

KEY: list[str] = ["source", "conversation_id"]
ID = "cid"
_HOST = r"^(?:[a-z][a-z0-9+.-]*://)?(?:www\.)?([^/:#?\s]+)"
# Mailbox services named bare in a sentence ("Mail.ru files our e-mails under Promotions")
# name the customer's mail provider, not a link to follow: the loader's redaction removes
# the customer's own address, so the conversation no longer shows the customer wrote it.
MAIL_SERVICES: tuple[str, ...] = (
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com",
    "icloud.com", "proton.me", "protonmail.com", "aol.com", "gmx.com", "gmx.de", "gmx.net",
    "mail.ru", "yandex.ru", "ya.ru", "rambler.ru", "qq.com", "163.com", "126.com", "sina.com",
    "orange.fr", "free.fr", "laposte.net", "wanadoo.fr", "sfr.fr",
)  # fmt: skip


def ordered(messages: pl.DataFrame) -> pl.DataFrame:
    """Customer and agent messages of conversations with an agent message, numbered in order
    (``seq``), each conversation numbered (``ID``)."""
    frame = messages.filter(pl.col("sender_type").is_in(["customer", "agent"]))
    frame = frame.sort([*KEY, "sent_at", "message_id"], nulls_last=True)
    frame = frame.with_columns(
        (pl.col("sender_type") == "agent").alias("is_agent"),
        (pl.col("sender_type") == "customer").alias("is_customer"),
        pl.struct(KEY).rle_id().cast(pl.UInt32).alias(ID),  # sorted: one run per conversation
    )
    frame = frame.filter(pl.col("is_agent").any().over(ID))
    return frame.with_columns(pl.int_range(pl.len()).over(ID).alias("seq"))


def keys(frame: pl.DataFrame) -> pl.DataFrame:
    """``ID`` to source and conversation_id, one row per conversation of ``frame``."""
    return frame.select(ID, *KEY).unique(ID)


def with_features(frame: pl.DataFrame, rubric: Rubric) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(agent messages, customer messages), each joined with its text's features."""
    agents = frame.filter("is_agent")
    customers = frame.filter("is_customer")
    a_feat = agent_features(agents["body"].drop_nulls(), rubric)
    c_feat = customer_features(customers["body"].drop_nulls())
    # ``frame`` is in (ID, seq) order (``ordered``), and left joins keeping it keep it so.
    agents = agents.join(a_feat, left_on="body", right_on="text", how="left", maintain_order="left")
    agents = agents.with_columns(
        pl.int_range(pl.len()).over(ID).alias("agent_index"),
        pl.len().over(ID).cast(pl.Int64).alias("agents"),
    )
    customers = customers.join(
        c_feat, left_on="body", right_on="text", how="left", maintain_order="left"
    )
    return agents, customers


def _first(column: str, where: pl.Expr) -> pl.Expr:
    return pl.col(column).filter(where).first()


def agent_facts(agents: pl.DataFrame, rubric: Rubric) -> pl.DataFrame:
    """Per conversation: the first message with each phrase, and what the replies add up to."""
    last_two = pl.col("agent_index") >= pl.col("agents") - 2
    wall = (pl.col("chars") > rubric.max_chars) | (pl.col("cjk") > rubric.max_cjk_chars)
    return agents.group_by(ID).agg(
        pl.col("message_id").first().alias("first_agent_id"),
        pl.col("greet").first(),
        _first("message_id", pl.col("emp").is_not_null()).alias("emp_id"),
        pl.col("emp").drop_nulls().first(),
        _first("message_id", pl.col("clos").is_not_null() & last_two).alias("clos_id"),
        _first("clos", last_two & pl.col("clos").is_not_null()),
        pl.col("message_id").last().alias("last_agent_id"),
        pl.col("seq").last().alias("last_agent_seq"),
        _first("message_id", pl.col("tone").is_not_null()).alias("tone_id"),
        pl.col("tone").drop_nulls().first(),
        _first("message_id", pl.col("jargon").is_not_null()).alias("jargon_id"),
        pl.col("jargon").drop_nulls().first(),
        _first("message_id", wall).alias("wall_id"),
        _first("chars", wall).alias("wall_chars"),
        _first("cjk", wall).alias("wall_cjk"),
        _first("message_id", pl.col("secret").is_not_null()).alias("secret_id"),
        pl.col("secret").drop_nulls().first(),
        pl.col("secret_words").drop_nulls().first(),
        pl.col("action").fill_null(False).any().alias("any_action"),
        (pl.col("refusal") | pl.col("dismissal")).fill_null(False).any().alias("any_block"),
        # "looking into it" between questions is still no answer: every reply stalls or asks
        (
            (pl.col("deferral") | pl.col("contentless") | pl.col("question")).fill_null(True).all()
            & (pl.col("deferral") | pl.col("contentless")).fill_null(True).any()
        ).alias("all_defer"),
        pl.col("question").fill_null(False).all().alias("all_question"),
        _first("message_id", pl.col("action").fill_null(False)).alias("action_id"),
        # solution: the agent's last reply only stalls ("we are looking into it")
        (pl.col("deferral") & ~pl.col("action")).fill_null(False).last().alias("last_defer"),
        # solution: the last reply refuses or points elsewhere with no step, whatever came
        # before (a customer who pushes back and gets a flat "no" was left with nothing)
        ((pl.col("refusal") | pl.col("dismissal")) & ~pl.col("action"))
        .fill_null(False)
        .last()
        .alias("last_block"),
    )


def customer_facts(customers: pl.DataFrame) -> pl.DataFrame:
    """Per conversation: where the customer's messages start and end."""
    return customers.group_by(ID).agg(
        pl.col("seq").first().alias("first_customer_seq"),
        pl.col("seq").last().alias("last_customer_seq"),
    )


def language_of(frame: pl.DataFrame) -> pl.DataFrame:
    """Per conversation: the most common primary language subtag of its customer's messages,
    else of its agent's ('zh-CN' counts as 'zh'); ties go to the first in alphabetical order."""
    lang = pl.col("language").str.to_lowercase().str.extract(r"^([a-z]{2,3})", 1)
    tags = frame.select(ID, "is_customer", lang.alias("lang")).drop_nulls("lang")
    counts = tags.group_by(ID, "lang").agg(
        pl.col("is_customer").sum().alias("customer"), pl.len().alias("all")
    )
    from_customer = (pl.col("customer") > 0).any().over(ID)
    weight = pl.when(from_customer).then(pl.col("customer")).otherwise(pl.col("all"))
    counts = counts.with_columns(weight.alias("weight")).filter(pl.col("weight") > 0)
    best = counts.sort([ID, "weight", "lang"], descending=[False, True, False])
    return best.group_by(ID).agg(pl.col("lang").first().alias("language"))


def request_facts(
    frame: pl.DataFrame, customers: pl.DataFrame, agents: pl.DataFrame
) -> pl.DataFrame:
    """Per conversation: was the customer's opening request vague (nothing but words like
    "help", "it doesn't work"), and did the agent's reply to it ask a question?"""
    first_customer = pl.col("seq").filter(pl.col("is_customer")).first().over(ID)
    marks = frame.select(ID, "seq", "is_agent", first_customer.alias("fc"))
    reply = marks.filter(pl.col("is_agent") & (pl.col("seq") > pl.col("fc")))
    reply = reply.group_by(ID).agg(pl.col("seq").min().alias("reply_seq"))
    request = customers.join(reply, on=ID, how="left").join(
        marks.select(ID, "seq", "fc"), on=[ID, "seq"]
    )
    request = request.filter(
        (pl.col("seq") >= pl.col("fc"))
        & (pl.col("reply_seq").is_null() | (pl.col("seq") < pl.col("reply_seq")))
    )
    vague = request.group_by(ID).agg(
        pl.col("vague").fill_null(False).all().alias("vague"),
        pl.col("body").str.join(" / ").str.slice(0, 120).alias("request"),
        pl.col("reply_seq").first(),
    )
    replies = agents.select(ID, pl.col("seq").alias("reply_seq"), "asks", "message_id")
    replies = replies.rename({"message_id": "reply_id", "asks": "reply_question"})
    return vague.join(replies, on=[ID, "reply_seq"], how="left")


REPEATED_KIND = "an item (the customer's next message says so)"
GUESSED_KIND = "guessed"
MISREAD_KIND = "misread"


def reask_facts(customers: pl.DataFrame, agents: pl.DataFrame) -> pl.DataFrame:
    """Per conversation: the first agent message asking for an item the customer gave before
    (or answered by the customer pointing back at it or correcting a guess, or saying itself
    that it missed what the customer wrote)."""
    given = customers.select(ID, "seq", pl.col("given")).explode("given").drop_nulls("given")
    given = given.group_by([ID, "given"]).agg(pl.col("seq").min().alias("given_seq"))
    asks = agents.select(ID, "seq", "message_id", "asked", "ask_sentence")
    asks = asks.explode("asked").drop_nulls("asked")
    # in the order the message names the items (the first is the one the evidence names)
    again = asks.join(given, left_on=[ID, "asked"], right_on=[ID, "given"], maintain_order="left")
    again = again.filter(pl.col("seq") > pl.col("given_seq")).select(
        ID, "seq", "message_id", "asked", "ask_sentence"
    )
    # Whatever its shape, an item is asked again when the customer answers the agent's
    # message by saying they already gave it ("it's in my first message", "上面不是发了吗").
    # So is a guess: the customer corrects an agent message that asked nothing ("no es eso",
    # "不是企业账户，是...") - a question would have been the clarifying one.
    said = customers.filter(
        pl.col("repeated").fill_null(False) | pl.col("corrected").fill_null(False)
    ).select(ID, "seq", pl.col("repeated").fill_null(False))
    before = agents.select(
        ID,
        "seq",
        pl.col("seq").alias("agent_seq"),
        "message_id",
        "ask_sentence",
        pl.col("question").fill_null(False),
    )
    pointed = (
        # sorted by seq overall, so by seq within each conversation too
        said.sort("seq")
        .join_asof(before.sort("seq"), on="seq", by=ID, strategy="backward", check_sortedness=False)
        .drop_nulls("message_id")
        .filter(pl.col("repeated") | ~pl.col("question"))
        .select(
            ID,
            pl.col("agent_seq").alias("seq"),
            "message_id",
            pl.when("repeated")
            .then(pl.lit(REPEATED_KIND))
            .otherwise(pl.lit(GUESSED_KIND))
            .alias("asked"),
            "ask_sentence",
        )
    )
    # The agent says it missed or misread what the customer wrote ("sorry, I missed that",
    # "j'ai lu trop vite", "是我没看仔细"): it asked again or guessed, whatever the item.
    misread = agents.filter(pl.col("misread").is_not_null()).select(
        ID,
        "seq",
        "message_id",
        pl.lit(MISREAD_KIND).alias("asked"),
        pl.col("misread").alias("ask_sentence"),
    )
    # stable: an item named (again) before a pointing back (pointed) and a misreading (misread)
    again = pl.concat([again, pointed, misread]).sort([ID, "seq"], maintain_order=True)
    return again.group_by(ID).agg(
        pl.col("message_id").first().alias("reask_id"),
        pl.col("asked").first().alias("reask_kind"),
        pl.col("ask_sentence").first().alias("reask_sentence"),
    )


def wait_facts(frame: pl.DataFrame) -> pl.DataFrame:
    """Per conversation: the longest wait of a run of customer messages for the next agent
    message (minutes, never negative), and that agent message."""
    before = pl.col("is_agent").cast(pl.Int32).cum_sum().over(ID) - pl.col("is_agent").cast(
        pl.Int32
    )
    marked = frame.with_columns(before.alias("agents_before")).filter(
        pl.col("sent_at").is_not_null()
    )
    runs = (
        marked.filter("is_customer")
        .group_by([ID, "agents_before"])
        .agg(pl.col("sent_at").min().alias("run_start"))
    )
    answers = marked.filter("is_agent").select(ID, "agents_before", "message_id", "sent_at")
    waits = runs.join(answers, on=[ID, "agents_before"]).with_columns(
        ((pl.col("sent_at") - pl.col("run_start")).dt.total_seconds() / 60.0)
        .clip(lower_bound=0.0)
        .alias("wait")
    )
    return waits.group_by(ID).agg(
        pl.col("wait").max().alias("max_wait"),
        # the earliest of equally long waits, so the evidence is the same on every run
        pl.col("message_id")
        .sort_by(["wait", "agents_before"], descending=[True, False])
        .first()
        .alias("wait_id"),
    )


def reply_secret_facts(customers: pl.DataFrame, agents: pl.DataFrame) -> pl.DataFrame:
    """Per conversation: the first agent message a customer answered with a secret (a bare
    code, a word list, a key, a password-like token: ``replies``), and what the reply was.

    It counts when the customer's messages since that agent message began with no other
    agent message between, the agent message asks something (``prompts``) and asks for no
    routine number or name (an order number, an amount, a username, a transaction hash)
    unless the reply is a list of recovery words, and neither it nor the agent's next message
    warns against sharing (a volunteer's secret answered with "never send that here")."""
    sent = customers.filter(pl.col("reply_secret").is_not_null()).select(ID, "seq", "reply_secret")
    if sent.is_empty():
        return pl.DataFrame(
            schema={
                ID: pl.UInt32,
                "reply_secret_id": pl.String,
                "reply_secret": pl.String,
                "reply_prompt": pl.String,
            }  # fmt: skip
        )
    asked = agents.select(ID, "seq", "message_id", "body")
    # ``customers`` and ``agents`` are in (ID, seq) order (``ordered``): seq sorted per ID
    before = sent.join_asof(asked, on="seq", by=ID, strategy="backward", check_sortedness=False)
    after = sent.join_asof(
        asked.select(ID, "seq", pl.col("body").alias("next_body")),
        on="seq",
        by=ID,
        strategy="forward",
        check_sortedness=False,
    )
    found = before.join(after.select(ID, "seq", "next_body"), on=[ID, "seq"], how="left")
    # the agent texts' context, read only for the few beside such a reply
    context = reply_context(pl.concat([found["body"], found["next_body"]]).drop_nulls())
    found = found.join(context, on="body", how="left").join(
        context.select(pl.col("body").alias("next_body"), pl.col("warns").alias("next_warns")),
        on="next_body",
        how="left",
    )
    # a code, a lone token or a hex string taken for a key can answer a routine question
    # (an order number, a username, a transaction hash); a list of recovery words cannot
    routine = ~pl.col("reply_secret").str.contains("seed phrase|recovery words")
    found = found.filter(
        pl.col("message_id").is_not_null()
        & pl.col("prompts").fill_null(False)
        & ~pl.col("warns").fill_null(False)
        & ~pl.col("next_warns").fill_null(False)
        & ~(routine & pl.col("routine_ask").fill_null(False))
    ).sort(ID, "seq")
    return found.group_by(ID).agg(
        pl.col("message_id").first().alias("reply_secret_id"),
        pl.col("reply_secret").first(),
        pl.col("body").first().str.slice(0, 200).alias("reply_prompt"),
    )


def _hosts(links: pl.Expr) -> pl.Expr:
    return links.str.to_lowercase().str.extract(_HOST, 1).str.strip_chars_end(".")


def _short(addresses: pl.Expr) -> pl.Expr:
    """Addresses as the loader stores them (``0x12ab…9f3c``), lower case, to compare."""
    full = addresses.str.contains("…").not_()
    head = (
        pl.when(addresses.str.starts_with("0x"))
        .then(addresses.str.slice(0, 6))
        .otherwise(addresses.str.slice(0, 4))
    )
    short = pl.when(full).then(head + "…" + addresses.str.slice(-4)).otherwise(addresses)
    return short.str.to_lowercase()


def _allowed_host(host: pl.Expr, domains: tuple[str, ...]) -> pl.Expr:
    if not domains:
        return pl.lit(False)
    return pl.any_horizontal([(host == d) | host.str.ends_with("." + d) for d in domains])


def outside_facts(customers: pl.DataFrame, agents: pl.DataFrame, rubric: Rubric) -> pl.DataFrame:
    """Per conversation: the first link or address an agent sent that is neither on the
    rubric's allow-list nor one the customer wrote earlier in the conversation."""
    allowed = [a.lower() for a in rubric.allowed_addresses]
    allowed_short = pl.Series(allowed, dtype=pl.String).to_frame("a").select(_short(pl.col("a")))
    parts = []
    for column, normalise in (("links", _hosts), ("addresses", _short)):
        sent = agents.select(ID, "seq", "message_id", pl.col(column).alias("item")).explode("item")
        sent = sent.drop_nulls("item").with_columns(normalise(pl.col("item")).alias("norm"))
        said = customers.select(ID, pl.col("seq").alias("c_seq"), pl.col(column).alias("item"))
        said = (
            said.explode("item")
            .drop_nulls("item")
            .select(ID, "c_seq", normalise(pl.col("item")).alias("norm"))
        )
        quoted = sent.join(said, on=[ID, "norm"]).filter(pl.col("c_seq") < pl.col("seq"))
        sent = sent.join(
            quoted.select(ID, "seq", "norm").unique(), on=[ID, "seq", "norm"], how="anti"
        )
        if column == "links":
            sent = sent.filter(~_allowed_host(pl.col("norm"), rubric.allowed_domains))
            bare = ~pl.col("item").str.contains(r"[/:@]|^(?i:www\.)")
            sent = sent.filter(~(bare & pl.col("norm").is_in(MAIL_SERVICES)))
        else:
            sent = sent.filter(~pl.col("norm").is_in(allowed_short.to_series().implode()))
        kind = {"links": "a link", "addresses": "an address"}[column]
        parts.append(sent.with_columns(pl.lit(kind).alias("outside_kind")))
    outside = pl.concat(parts).sort([ID, "seq"])
    return outside.group_by(ID).agg(
        pl.col("message_id").first().alias("outside_id"),
        pl.col("item").first().alias("outside"),
        pl.col("outside_kind").first(),
    )
