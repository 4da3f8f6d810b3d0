"""Derived facts of negative feedback that the follow-up and topic metrics share.

Both are built once per warehouse version and settings (``wh.materialize``), independent of
any filter. Each row carries its contact's filter and breakdown columns under the contact
fact's names (so ``Filters.where`` and ``grouping.group_expr`` apply to them unchanged) and
the rows are stored in contact creation order, so a date filter skips most of the table and
a metric call needs no join with the 10M messages:

- ``negative_texts_<settings key>``: kind 'message': every customer message of a contact
  scored at or below settings ``sentiment_negative``, with the first human agent message at
  or after it in the same conversation (``followed_at``; one at the same instant counts, as
  for reply time); kind 'comment': every comment of a survey scored 1-2 that has text.
  Topic samples are drawn in md5 order of 'kind|key' (``pick``, then ``pick_md5``).
- ``customer_counts_<settings key>``: customer messages per contact, message language and
  scoring method, and how many are scored: what coverage and method figures are made of.
"""

from __future__ import annotations

from metrics.core.contacts import Warehouse, contacts_table, settings_key
from metrics.core.settings import Settings

# The contact columns every row repeats: what filters and breakdowns read.
_CONTACT = """c.source, c.contact_id, c.created_at, c.created_day, c.channel, c.language,
        c.team, c.agent_id, c.priority, c.category, c.is_merged,
        coalesce(c.bot_resolved, false) AS bot_only"""

_NEGATIVE_TEXTS = """
    WITH negative AS (
        SELECT m.source, m.conversation_id AS contact_id, m.message_id, m.sent_at
        FROM messages AS m
        WHERE m.sender_type = 'customer' AND m.sentiment <= $negative
    ),
    replies AS (
        SELECT n.source, n.message_id, min(a.sent_at) AS followed_at
        FROM negative AS n
        JOIN messages AS a ON a.source = n.source AND a.conversation_id = n.contact_id
            AND a.sent_at >= n.sent_at
        WHERE a.sender_type = 'agent'
        GROUP BY n.source, n.message_id
    ),
    texts AS (
        SELECT {contact}, 'message' AS kind, m.message_id, m.sent_at AS written_at,
            m.language AS message_language, m.sentiment, m.sentiment_method, m.body AS text,
            r.followed_at, md5('message|' || m.source || ':' || m.message_id) AS pick_md5
        FROM {contacts} AS c
        JOIN messages AS m ON m.source = c.source AND m.conversation_id = c.contact_id
        LEFT JOIN replies AS r ON r.source = m.source AND r.message_id = m.message_id
        WHERE m.sender_type = 'customer' AND m.sentiment <= $negative
        UNION ALL
        SELECT {contact}, 'comment', NULL, coalesce(c.csat_responded_at, c.created_at), NULL,
            NULL, NULL, c.csat_comment, NULL, md5('comment|' || c.source || ':' || c.contact_id)
        FROM {contacts} AS c
        WHERE c.csat_score <= 2 AND trim(coalesce(c.csat_comment, '')) <> ''
    )
    -- pick: the md5's first 15 hex digits as a number, in the same order (cheap to sort)
    SELECT *, ('0x' || substr(pick_md5, 1, 15))::BIGINT AS pick
    FROM texts ORDER BY created_at, source, contact_id
"""

_CUSTOMER_COUNTS = """
    WITH counts AS (
        SELECT source, conversation_id AS contact_id, language AS message_language,
            sentiment_method, count(*) AS customer_messages, count(sentiment) AS scored_messages
        FROM messages
        WHERE sender_type = 'customer'
        GROUP BY source, conversation_id, language, sentiment_method
    )
    SELECT {contact}, k.message_language, k.sentiment_method, k.customer_messages,
        k.scored_messages
    FROM {contacts} AS c JOIN counts AS k ON k.source = c.source AND k.contact_id = c.contact_id
    ORDER BY c.created_at, c.source, c.contact_id
"""


def negative_texts_table(wh: Warehouse, settings: Settings) -> str:
    """Name of the negative feedback fact for ``settings`` (built on first use).

    Columns: the contact's (source, contact_id, created_at, created_day, channel, language,
    team, agent_id, priority, category, is_merged, bot_only), kind ('message' | 'comment'),
    message_id, written_at (sent_at; a comment's response time, else the contact's creation),
    message_language (the message's own, may be null), sentiment, sentiment_method, text
    (as stored), followed_at (messages only; null: no agent message after it), pick_md5
    (md5 of 'kind|source:message_id' or 'comment|source:contact_id') and pick (its first 15
    hex digits as a BIGINT: sorting by pick, pick_md5 is sorting by pick_md5).
    """
    contacts = contacts_table(wh, settings)
    name = f"negative_texts_{settings_key(settings)}"
    sql = _NEGATIVE_TEXTS.format(contact=_CONTACT, contacts=contacts)
    return wh.materialize(name, sql, {"negative": settings.sentiment_negative}, dict)


def customer_counts_table(wh: Warehouse, settings: Settings) -> str:
    """Name of the customer message counts fact for ``settings`` (built on first use).

    Columns: the contact's (as in ``negative_texts_table``), message_language,
    sentiment_method, customer_messages, scored_messages (non-null sentiment).
    """
    contacts = contacts_table(wh, settings)
    name = f"customer_counts_{settings_key(settings)}"
    sql = _CUSTOMER_COUNTS.format(contact=_CONTACT, contacts=contacts)
    return wh.materialize(name, sql, {}, dict)
