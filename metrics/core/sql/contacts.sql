-- One row per contact: a ticket, or a conversation in `messages` that belongs to no ticket.
-- Every per-contact figure the product shows is defined here once (DESIGN section 4).
-- Parameters ($name) are bound by metrics/contacts.py; `business_calendar` is a registered frame.
-- Firsts and lasts over messages break ties in sent_at by message_id (exports that keep only
-- minutes have many), so a fact is the same however the rows are laid out.
WITH
conversation_stats AS (
    SELECT
        source,
        conversation_id,
        min(sent_at) AS first_message_at,
        min(sent_at) FILTER (WHERE sender_type = 'customer') AS first_customer_at,
        count(*) FILTER (WHERE sender_type = 'customer') AS customer_messages,
        count(*) FILTER (WHERE sender_type = 'agent') AS agent_messages,
        count(*) FILTER (WHERE sender_type = 'bot') AS bot_messages,
        arg_min(sender_id, (sent_at, message_id)) FILTER (WHERE sender_type = 'customer') AS first_customer_id,
        arg_max(sender_id, (sent_at, message_id)) FILTER (WHERE sender_type = 'agent') AS last_agent_id,
        arg_min(language, (sent_at, message_id)) FILTER (
            WHERE sender_type = 'customer' AND language IS NOT NULL
        ) AS customer_language,
        count(sentiment) FILTER (WHERE sender_type = 'customer') AS scored_messages,
        count(*) FILTER (
            WHERE sender_type = 'customer' AND sentiment <= $sentiment_negative
        ) AS negative_messages,
        avg(sentiment) FILTER (WHERE sender_type = 'customer') AS sentiment_mean,
        arg_min(sentiment, (sent_at, message_id)) FILTER (
            WHERE sender_type = 'customer' AND sentiment IS NOT NULL
        ) AS sentiment_first,
        arg_max(sentiment, (sent_at, message_id)) FILTER (
            WHERE sender_type = 'customer' AND sentiment IS NOT NULL
        ) AS sentiment_last
    FROM messages
    GROUP BY source, conversation_id
),

first_replies AS (
    -- The first human agent message after the customer first wrote: bot and system
    -- messages never count, and an agent's outbound opener is not a reply.
    SELECT
        m.source,
        m.conversation_id,
        min(m.sent_at) AS first_reply_at,
        arg_min(m.sender_id, (m.sent_at, m.message_id)) AS first_replier_id
    FROM messages AS m
    JOIN conversation_stats AS c USING (source, conversation_id)
    WHERE m.sender_type = 'agent' AND m.sent_at >= c.first_customer_at
    GROUP BY m.source, m.conversation_id
),

handovers AS (
    -- Bot hand-over: the last bot message before the first human reply.
    SELECT m.source, m.conversation_id, max(m.sent_at) AS bot_handover_at
    FROM messages AS m
    JOIN first_replies AS f USING (source, conversation_id)
    WHERE m.sender_type = 'bot' AND m.sent_at <= f.first_reply_at
    GROUP BY m.source, m.conversation_id
),

status_history AS (
    SELECT
        source,
        ticket_id,
        min(changed_at) FILTER (WHERE value = 'solved') AS first_solved_at,
        max(changed_at) FILTER (WHERE value = 'solved') AS last_solved_at,
        count(*) FILTER (WHERE value = 'solved') AS solves,
        min(changed_at) FILTER (WHERE value = 'closed') AS first_closed_at,
        -- The status the ticket is in now: a solved ticket that was reopened is open again.
        arg_max(value, changed_at) AS last_status
    FROM ticket_events
    WHERE field = 'status'
    GROUP BY source, ticket_id
),

ticket_contacts AS (
    SELECT
        'ticket' AS contact_type,
        t.source,
        t.ticket_id AS contact_id,
        t.created_at,
        -- The customer waits from creation. An export that gives creation only to the minute
        -- (spreadsheets drop the seconds) would add up to a minute to every first response,
        -- much for chats answered in minutes; the customer's first message inside that same
        -- minute is the same instant to the second. (DuckDB: microsecond() = sub-minute us.)
        CASE WHEN microsecond(t.created_at) = 0 AND c.first_customer_at >= t.created_at
                AND c.first_customer_at < t.created_at + INTERVAL 1 MINUTE
            THEN c.first_customer_at ELSE t.created_at END AS waiting_since,
        t.channel,
        coalesce(t.language, c.customer_language) AS language,
        coalesce(t.team, a.team) AS team,
        coalesce(t.agent_id, f.first_replier_id) AS agent_id,
        t.priority,
        t.category,
        coalesce(t.customer_id, c.first_customer_id) AS customer_id,
        t.status,
        t.tags,
        coalesce(t.via_bot, c.bot_messages > 0, false) AS via_bot,
        t.merged_into IS NOT NULL AS is_merged,
        t.escalated_at,
        c.conversation_id IS NOT NULL AS has_messages,
        coalesce(c.customer_messages, 0) AS customer_messages,
        CASE WHEN c.conversation_id IS NOT NULL THEN c.agent_messages ELSE t.agent_replies END
            AS agent_replies,
        coalesce(c.bot_messages, 0) AS bot_messages,
        CASE
            WHEN c.conversation_id IS NOT NULL THEN f.first_reply_at
            ELSE t.first_response_at
        END AS first_reply_at,
        h.bot_handover_at,
        CASE WHEN s.solves > 0 THEN s.first_solved_at ELSE coalesce(s.first_closed_at, t.solved_at) END
            AS first_solved_at,
        CASE WHEN s.solves > 0 THEN s.last_solved_at ELSE coalesce(s.first_closed_at, t.solved_at) END
            AS last_solved_at,
        -- With a status history, reopens are known (solves - 1, 0 when never solved);
        -- without one, only the ticket's own field can say (NULL = unknown).
        CASE WHEN s.ticket_id IS NOT NULL THEN greatest(s.solves - 1, 0) ELSE t.reopens END
            AS reopens,
        CASE WHEN s.ticket_id IS NOT NULL THEN coalesce(s.last_status IN ('solved', 'closed'), false)
            ELSE coalesce(t.solved_at IS NOT NULL OR t.status IN ('solved', 'closed'), false)
            END AS is_solved,
        c.last_agent_id,
        c.scored_messages,
        c.negative_messages,
        c.sentiment_mean,
        c.sentiment_first,
        c.sentiment_last
    FROM tickets AS t
    LEFT JOIN conversation_stats AS c
        ON c.source = t.source AND c.conversation_id = t.ticket_id
    LEFT JOIN first_replies AS f ON f.source = t.source AND f.conversation_id = t.ticket_id
    LEFT JOIN handovers AS h ON h.source = t.source AND h.conversation_id = t.ticket_id
    LEFT JOIN status_history AS s ON s.source = t.source AND s.ticket_id = t.ticket_id
    LEFT JOIN agents AS a ON a.agent_id = t.agent_id
),

conversation_contacts AS (
    -- A chat with no ticket is still a contact (a chat-only export is measured too).
    SELECT
        'conversation' AS contact_type,
        c.source,
        c.conversation_id AS contact_id,
        coalesce(c.first_customer_at, c.first_message_at) AS created_at,
        coalesce(c.first_customer_at, c.first_message_at) AS waiting_since,
        'chat' AS channel,
        c.customer_language AS language,
        a.team,
        f.first_replier_id AS agent_id,
        NULL::VARCHAR AS priority,
        NULL::VARCHAR AS category,
        c.first_customer_id AS customer_id,
        NULL::VARCHAR AS status,
        NULL::VARCHAR[] AS tags,
        c.bot_messages > 0 AS via_bot,
        false AS is_merged,
        NULL::TIMESTAMPTZ AS escalated_at,
        true AS has_messages,
        c.customer_messages,
        c.agent_messages AS agent_replies,
        c.bot_messages,
        f.first_reply_at,
        h.bot_handover_at,
        NULL::TIMESTAMPTZ AS first_solved_at,
        NULL::TIMESTAMPTZ AS last_solved_at,
        NULL::INTEGER AS reopens,
        (c.bot_messages > 0 AND c.agent_messages = 0) AS is_solved,
        c.last_agent_id,
        c.scored_messages,
        c.negative_messages,
        c.sentiment_mean,
        c.sentiment_first,
        c.sentiment_last
    FROM conversation_stats AS c
    LEFT JOIN first_replies AS f USING (source, conversation_id)
    LEFT JOIN handovers AS h USING (source, conversation_id)
    LEFT JOIN agents AS a ON a.agent_id = f.first_replier_id
    WHERE NOT EXISTS (
        SELECT 1 FROM tickets AS t WHERE t.source = c.source AND t.ticket_id = c.conversation_id
    )
),

all_contacts AS (
    -- Both branches list the same columns in the same order (plain UNION ALL: Spark SQL
    -- has no BY NAME).
    SELECT * FROM ticket_contacts
    UNION ALL
    SELECT * FROM conversation_contacts
),

with_next AS (
    SELECT
        *,
        lead(created_at) OVER (
            PARTITION BY customer_id ORDER BY created_at, source, contact_id
        ) AS next_contact_at,
        lead(created_at) OVER (
            PARTITION BY customer_id, category ORDER BY created_at, source, contact_id
        ) AS next_same_category_at,
        CASE WHEN list_contains(CAST($calendars AS VARCHAR[]), team) THEN team ELSE '__default__' END AS calendar
    FROM all_contacts
),

on_business_hours AS (
    -- Only contacts of a calendar with opening hours need business marks: 24x7 calendars use
    -- calendar time below, and ASOF joins over every contact cost seconds at 1M.
    SELECT source, contact_id, calendar, waiting_since, first_reply_at
    FROM with_next
    WHERE NOT list_contains(CAST($open_calendars AS VARCHAR[]), calendar)
),

business_marks AS (
    -- Business minutes elapsed up to creation and up to the first reply (ASOF: the last
    -- open interval starting at or before the instant).
    SELECT
        w.source,
        w.contact_id,
        cs.minutes_before + least(greatest(epoch(w.waiting_since) - epoch(cs.open_at), 0),
            epoch(cs.close_at) - epoch(cs.open_at)) / 60.0 AS created_mark,
        rs.minutes_before + least(greatest(epoch(w.first_reply_at) - epoch(rs.open_at), 0),
            epoch(rs.close_at) - epoch(rs.open_at)) / 60.0 AS reply_mark
    FROM on_business_hours AS w
    ASOF LEFT JOIN business_calendar AS cs
        ON cs.calendar = w.calendar AND w.waiting_since >= cs.open_at
    ASOF LEFT JOIN business_calendar AS rs
        ON rs.calendar = w.calendar AND w.first_reply_at >= rs.open_at
),

surveyed AS (
    SELECT
        w.*,
        sv.score AS csat_score,
        sv.responded_at AS csat_responded_at,
        sv.comment AS csat_comment
    FROM with_next AS w
    LEFT JOIN surveys AS sv ON sv.source = w.source AND sv.ticket_id = w.contact_id
),

assignee_at_rating AS (
    SELECT s.source, s.contact_id, e.value AS assignee_at_rating
    FROM surveyed AS s
    ASOF JOIN ticket_events AS e
        ON e.source = s.source AND e.ticket_id = s.contact_id AND e.field = 'assignee'
        AND s.csat_responded_at >= e.changed_at
    WHERE s.csat_responded_at IS NOT NULL
),

final AS (
    SELECT
        s.contact_type,
        s.source,
        s.contact_id,
        s.created_at,
        (s.created_at AT TIME ZONE $timezone)::DATE AS created_day,
        s.channel,
        s.language,
        s.team,
        s.agent_id,
        s.priority,
        s.category,
        s.customer_id,
        s.status,
        s.is_merged,
        (list_contains(CAST($security_categories AS VARCHAR[]), s.category)
            OR coalesce(list_has_any(s.tags, CAST($security_tags AS VARCHAR[])), false)) AS is_security,
        s.via_bot,
        s.has_messages,
        s.customer_messages,
        s.agent_replies,
        s.bot_messages,
        (s.has_messages AND s.customer_messages = 0) AS is_outbound,
        s.first_reply_at,
        CASE WHEN s.first_reply_at >= s.waiting_since
            THEN (epoch(s.first_reply_at) - epoch(s.waiting_since)) / 60.0 END AS frt_minutes,
        -- NULL without a reply (or creation time): never 0 minutes for an unanswered ticket.
        CASE WHEN s.first_reply_at IS NULL OR s.waiting_since IS NULL
                OR s.first_reply_at < s.waiting_since THEN NULL
            WHEN list_contains(CAST($open_calendars AS VARCHAR[]), s.calendar)
                THEN (epoch(s.first_reply_at) - epoch(s.waiting_since)) / 60.0
            ELSE greatest(coalesce(b.reply_mark, 0) - coalesce(b.created_mark, 0), 0) END
            AS frt_business_minutes,
        s.bot_handover_at,
        CASE WHEN s.first_reply_at >= s.bot_handover_at
            THEN (epoch(s.first_reply_at) - epoch(s.bot_handover_at)) / 60.0 END
            AS frt_after_handover_minutes,
        (s.first_reply_at IS NULL AND NOT (s.has_messages AND s.customer_messages = 0)
            AND NOT (s.bot_messages > 0 AND coalesce(s.agent_replies, 0) = 0
                     AND (s.contact_type = 'conversation' OR s.is_solved))) AS unanswered,
        s.is_solved,
        s.first_solved_at,
        s.last_solved_at,
        -- Resolution times only for tickets solved now (a reopened, open ticket has none yet).
        CASE WHEN s.is_solved AND s.first_solved_at >= s.created_at
            THEN (epoch(s.first_solved_at) - epoch(s.created_at)) / 60.0 END
            AS first_resolution_minutes,
        CASE WHEN s.is_solved AND s.last_solved_at >= s.created_at
            THEN (epoch(s.last_solved_at) - epoch(s.created_at)) / 60.0 END
            AS full_resolution_minutes,
        s.reopens,
        -- NULL when the data cannot say how often the ticket was reopened (no invented zeros).
        CASE WHEN s.is_solved AND s.contact_type = 'ticket' THEN s.reopens > 0 END AS reopened,
        CASE WHEN s.is_solved AND s.contact_type = 'ticket' THEN s.agent_replies = 1 END
            AS one_touch,
        -- FCR needs to see follow-ups: NULL (unknown) without a customer, a creation time or
        -- a reopen count.
        CASE WHEN s.is_solved AND s.contact_type = 'ticket' AND s.customer_id IS NOT NULL
            AND s.created_at IS NOT NULL AND s.reopens IS NOT NULL THEN
            s.reopens = 0
            AND (s.next_same_category_at IS NULL
                 OR s.next_same_category_at > coalesce(s.last_solved_at, s.created_at)
                    + to_days(CAST($fcr_days AS INTEGER)))
            END AS fcr,
        CASE WHEN s.customer_id IS NOT NULL AND s.created_at IS NOT NULL THEN
            coalesce(s.next_contact_at <= s.created_at + to_days(CAST($repeat_days AS INTEGER)), false)
            END AS repeat_contact,
        (s.bot_messages > 0 AND coalesce(s.agent_replies, 0) = 0
            AND (s.contact_type = 'conversation' OR s.is_solved)) AS bot_resolved,
        (s.bot_messages > 0 AND s.agent_replies > 0) AS bot_handed_over,
        s.escalated_at,
        CASE WHEN s.escalated_at >= s.created_at
            THEN (epoch(s.escalated_at) - epoch(s.created_at)) / 60.0 END AS escalation_minutes,
        CASE s.priority
            WHEN 'urgent' THEN $sla_urgent WHEN 'high' THEN $sla_high
            WHEN 'normal' THEN $sla_normal WHEN 'low' THEN $sla_low
            ELSE $sla_default END AS sla_target_minutes,
        s.csat_score,
        s.csat_responded_at,
        s.csat_comment,
        coalesce(r.assignee_at_rating, s.agent_id) AS csat_assignee_id,
        s.last_agent_id,
        s.scored_messages,
        s.negative_messages,
        s.sentiment_mean,
        s.sentiment_first,
        s.sentiment_last,
        s.waiting_since,
        list_contains(CAST($open_calendars AS VARCHAR[]), s.calendar) AS open_calendar,
        s.calendar,
        b.created_mark
    FROM surveyed AS s
    LEFT JOIN business_marks AS b ON b.source = s.source AND b.contact_id = s.contact_id
    LEFT JOIN assignee_at_rating AS r ON r.source = s.source AND r.contact_id = s.contact_id
),

breaches AS (
    -- When an unanswered ticket on a calendar with opening hours outlives its target: where
    -- its business minutes since creation reach the target (ASOF: the last open interval
    -- with at most that many business minutes before it). Past the calendar's end: never.
    SELECT
        f.source,
        f.contact_id,
        CASE WHEN f.created_mark + f.sla_target_minutes - bc.minutes_before
                <= (epoch(bc.close_at) - epoch(bc.open_at)) / 60.0
            THEN bc.open_at + to_microseconds(CAST(round(
                (f.created_mark + f.sla_target_minutes - bc.minutes_before) * 60000000) AS BIGINT))
            END AS breach_at
    FROM final AS f
    ASOF JOIN business_calendar AS bc
        ON bc.calendar = f.calendar AND f.created_mark + f.sla_target_minutes >= bc.minutes_before
    WHERE f.unanswered AND f.contact_type = 'ticket' AND NOT f.open_calendar
)

-- The SLA verdict of an unanswered ticket depends on "now": the stored fact keeps the instant
-- its target runs out (sla_breach_at) and `sla_met` is added when it is read (contacts.py).
SELECT
    f.* EXCLUDE (waiting_since, open_calendar, calendar, created_mark),
    CASE WHEN NOT (f.unanswered AND f.contact_type = 'ticket') THEN NULL
        WHEN f.open_calendar THEN f.waiting_since
            + to_microseconds(CAST(round(f.sla_target_minutes * 60000000) AS BIGINT))
        ELSE b.breach_at END AS sla_breach_at
FROM final AS f
LEFT JOIN breaches AS b ON b.source = f.source AND b.contact_id = f.contact_id
