"""The SQL of ``metrics.training.impact``: contacts in cohort windows, and what is read off them.

``WINDOWS_SQL`` is the shared WITH clause (CTE ``windowed``: each contact of the filtered
contact fact ``{table}`` / ``{where}`` in a cohort's pre, before or after window, with its
side); the others select from it. Identifiers come from fixed lists; values are bound.
"""

# Each completing agent's first completion day per course (the cohort day), in the zone.
COMPLETIONS_SQL = """
WITH completions AS (
    SELECT course, agent_id, min(CAST(completed_at AT TIME ZONE $timezone AS DATE)) AS day
    FROM trainings
    WHERE CAST($course AS VARCHAR) IS NULL OR course = CAST($course AS VARCHAR)
    GROUP BY course, agent_id
),"""
WINDOWS_SQL = (
    COMPLETIONS_SQL  # noqa: S608 - two constant SQL texts joined
    + """
cohorts AS (
    SELECT DISTINCT course, day FROM completions
),
cohort_days AS (
    -- Each cohort's days from d-2W to d+W but d itself, so contacts join them on equality
    -- (a hash join; a range join sorted every contact of the windows).
    SELECT k.course, k.day, k.day + CAST(r.shift AS INTEGER) AS created_day
    FROM cohorts AS k,
        range(-2 * CAST($window AS INTEGER), CAST($window AS INTEGER) + 1) AS r(shift)
    WHERE r.shift <> 0
),
windowed AS (
    SELECT
        k.course,
        k.day AS cohort,
        coalesce(t.day = k.day, false) AS trained,
        CASE WHEN c.created_day > k.day THEN 2
            WHEN c.created_day >= k.day - CAST($window AS INTEGER) THEN 1 ELSE 0 END AS period,
        c.*
    FROM {table} AS c
    JOIN cohort_days AS k ON k.created_day = c.created_day
    LEFT JOIN completions AS t ON t.course = k.course AND t.agent_id = c.agent_id
    WHERE {where} AND c.agent_id IS NOT NULL
        AND (t.day IS NULL OR t.day = k.day OR t.day > k.day + CAST($window AS INTEGER))
)
"""
)
# The trained side only (rows equal to WINDOWS_SQL's rows with ``trained``): each contact
# of an agent who completed the course, in that agent's own cohort's windows, from $reach
# days before the completion day (2W with the pre window, W without) to W days after. A
# hash join on the few completing agents instead of every contact against every cohort.
TRAINED_WINDOWS_SQL = (
    COMPLETIONS_SQL  # noqa: S608 - two constant SQL texts joined
    + """
windowed AS (
    SELECT
        t.course,
        t.day AS cohort,
        true AS trained,
        CASE WHEN c.created_day > t.day THEN 2
            WHEN c.created_day >= t.day - CAST($window AS INTEGER) THEN 1 ELSE 0 END AS period,
        c.*
    FROM {table} AS c
    JOIN completions AS t ON t.agent_id = c.agent_id
    WHERE {where}
        AND c.created_day >= t.day - CAST($reach AS INTEGER)
        AND c.created_day <= t.day + CAST($window AS INTEGER)
        AND c.created_day <> t.day
)
"""
)
# Grouped by the stratum's columns ({keys}), their joined text ({stratum}) made per cell:
# hashing the joined text of every contact cost about 12% more at scale 33.
CELLS_SQL = """
SELECT course, cohort, agent_id, team, trained, period, {stratum} AS stratum, contacts{sums}
FROM (
    SELECT course, cohort, agent_id, team, trained, period{keys},
        count(*) AS contacts{aggregates}
    FROM windowed AS c
    GROUP BY ALL
) AS c
"""
# Over the windows of the customer message counts (contact x message language x method):
# a contact's methods are those of its rows with a scored message, as the methods fact
# holds them per conversation (a message without a method counts as $unspecified).
METHODS_SQL = """
SELECT c.course,
    string_agg(DISTINCT coalesce(c.sentiment_method, $unspecified), '+'
        ORDER BY coalesce(c.sentiment_method, $unspecified)) AS method
FROM windowed AS c
WHERE c.trained AND c.scored_messages > 0
GROUP BY c.course
"""
COMPLETIONS_SQL = """
SELECT t.course, t.agent_id, any_value(a.name) AS name,
    min(CAST(t.completed_at AT TIME ZONE $timezone AS DATE)) AS completed_on
FROM trainings AS t
LEFT JOIN agents AS a ON a.agent_id = t.agent_id
WHERE (CAST($course AS VARCHAR) IS NULL OR t.course = CAST($course AS VARCHAR))
    AND (len(CAST($agents AS VARCHAR[])) = 0 OR list_contains(CAST($agents AS VARCHAR[]), t.agent_id))
    AND (len(CAST($teams AS VARCHAR[])) = 0 OR list_contains(CAST($teams AS VARCHAR[]), a.team))
GROUP BY t.course, t.agent_id
ORDER BY t.course, completed_on, t.agent_id
"""
