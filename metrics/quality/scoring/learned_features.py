"""Text features of the learned judge: words of a conversation as (conversation, feature, value).

A feature is a block and a token: ``a:refund`` (a word anywhere in the agent's messages),
``l:welcome`` (in the agent's last message), ``f:hello`` (first agent message), ``c:again``
(the customer's messages), ``a2:let us`` (two words in a row), ``g:zh`` (the language), and
a few numbers about length (``n:longest``). Tokens are lower-case runs of letters and digits,
and every Chinese character on its own (Chinese has no spaces; its character pairs play the
part of words). The value of a word is its count divided by the square root of its block's
word count, so long and short conversations weigh alike.

Everything is one Polars pass over all conversations (explode, group): no Python loop per
conversation, so the scorer keeps its speed. Feature names are plain text kept in the fitted
model's vocabulary (no hashing), so a model reads the same on every Polars version.
"""

from __future__ import annotations

import polars as pl

ID = "cid"
# A Chinese (Han) character alone, or a run of other letters and digits.
TOKEN = r"\p{Han}|[\p{L}\p{N}&&[^\p{Han}]]+"
BLOCKS: tuple[str, ...] = ("a", "a2", "f", "l", "c", "g", "n")


def message_tokens(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per token of every customer and agent message of ``frame`` (``ID``, ``seq``,
    ``is_agent``, ``body`` as ``facts.ordered`` gives them): its position in the message,
    its text as written and lower-cased, and the next token (for pairs)."""
    agent_seq = pl.col("seq").filter(pl.col("is_agent"))
    marked = frame.select(
        ID,
        "seq",
        "is_agent",
        "message_id",
        (pl.col("is_agent") & (pl.col("seq") == agent_seq.min().over(ID))).alias("is_first"),
        (pl.col("is_agent") & (pl.col("seq") == agent_seq.max().over(ID))).alias("is_last"),
        pl.col("body").fill_null("").str.extract_all(TOKEN).alias("word"),
    )
    tokens = marked.with_columns(
        pl.col("word").list.eval(pl.element().str.to_lowercase()).alias("token"),
        pl.col("word").list.eval(pl.element().shift(-1).str.to_lowercase()).alias("next"),
    ).explode(["word", "token", "next"])
    tokens = tokens.filter(pl.col("token").is_not_null())
    return tokens.with_columns(pl.int_range(pl.len()).over(ID, "seq").alias("pos"))


def _blocks(tokens: pl.DataFrame) -> pl.DataFrame:
    """(ID, seq, pos, block, token) for each block a token belongs to."""
    agent = tokens.filter("is_agent")
    parts = [
        agent.with_columns(pl.lit("a").alias("block")),
        agent.filter(pl.col("next").is_not_null()).with_columns(
            pl.lit("a2").alias("block"), (pl.col("token") + " " + pl.col("next")).alias("token")
        ),
        agent.filter("is_first").with_columns(pl.lit("f").alias("block")),
        agent.filter("is_last").with_columns(pl.lit("l").alias("block")),
        tokens.filter(~pl.col("is_agent")).with_columns(pl.lit("c").alias("block")),
    ]
    columns = [ID, "seq", "message_id", "pos", "word", "block", "token"]
    return pl.concat([p.select(columns) for p in parts])


def _weighted(blocks: pl.DataFrame) -> pl.DataFrame:
    """Each block token's value: 1 / sqrt(its block's token count in the conversation)."""
    size = pl.len().over(ID, "block").cast(pl.Float64)
    return blocks.with_columns((1.0 / size.sqrt()).alias("value"))


def _numbers(frame: pl.DataFrame) -> pl.DataFrame:
    """Length features (a wall of text is length, not words): the agent's longest message
    and its longest paragraph in characters (log), and the number of agent messages."""
    agent = frame.filter("is_agent").with_columns(pl.col("body").fill_null(""))
    longest_par = agent["body"].str.split("\n").list.eval(pl.element().str.len_chars()).list.max()
    per = (
        agent.with_columns(pl.col("body").str.len_chars().alias("chars"), longest_par.alias("par"))
        .group_by(ID)
        .agg(
            (pl.col("chars").max() + 1).log().alias("n:longest"),
            (pl.col("par").max().fill_null(0) + 1).log().alias("n:paragraph"),
            pl.len().cast(pl.Float64).log1p().alias("n:messages"),
        )
    )
    return per.unpivot(index=ID, variable_name="feature", value_name="value")


def _languages(frame: pl.DataFrame) -> pl.DataFrame:
    language = pl.col("language").fill_null("unknown").first()
    per = frame.group_by(ID).agg(language.alias("language"))
    return per.select(ID, ("g:" + pl.col("language")).alias("feature"), pl.lit(1.0).alias("value"))


def conversation_features(frame: pl.DataFrame, tokens: pl.DataFrame | None = None) -> pl.DataFrame:
    """(ID, feature, value): every feature of every conversation of ``frame``, summed."""
    tokens = message_tokens(frame) if tokens is None else tokens
    words = _weighted(_blocks(tokens)).select(
        ID, (pl.col("block") + ":" + pl.col("token")).alias("feature"), "value"
    )
    words = words.group_by(ID, "feature").agg(pl.col("value").sum())
    return pl.concat([words, _numbers(frame), _languages(frame)], how="vertical_relaxed")
