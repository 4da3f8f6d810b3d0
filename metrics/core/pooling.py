"""Pooling a sparse hour-of-week slot: the contacts a per-slot figure rests on.

A figure per hour of the week (a wait to publish, an Erlang C arrival rate) from fewer than
``small_sample`` contacts is noise. Such a slot borrows, in this order, the contacts of the
same hour on every weekday, of the same part of the day (00-06, 06-12, 12-18, 18-24h) and,
where a figure allows it, of every hour; with fewer still it has no figure. One ladder, one
SQL builder: the waits to publish (``metrics.operations.wait_estimates``) and the staffing
gap (``metrics.coverage.staffing``) both pool through ``pooled_slots_sql``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

# Pool name -> the SQL of its key from an hour of the week ({h}); None: every hour.
POOLS: dict[str, str | None] = {
    "hour of week": "{h}",
    "hour of day": "{h} % 24",
    "part of day": "({h} % 24) // 6",
    "all hours": None,
}
DAY_PARTS = ("00-06h", "06-12h", "12-18h", "18-24h")


def pooled_slots_sql(
    rows: str,
    keys: Sequence[str],
    n: str,
    value: str,
    own: Mapping[str, str] | None = None,
    pools: Sequence[str] = tuple(POOLS),
) -> str:
    """CTEs (to follow others: the text starts with a comma) ending in ``pooled``: per
    ``keys`` and hour_of_week of the relation ``rows``, the slot's own ``n`` and ``own``
    aggregates, and ``value`` (an aggregate) over the first of ``pools`` (which starts with
    'hour of week') whose n reaches ``$min_n``; ``pooled`` names that pool (NULL: none
    reaches it, no value) and ``basis_n`` its n (else the widest pool's)."""
    if not pools or pools[0] != "hour of week":
        raise ValueError("the pools start with the slot itself, 'hour of week'")
    keyed = [p for p in pools if POOLS[p] is not None]  # grouped by a key of the hour
    width = len(keyed)
    columns = [f"pool_{i}" for i in range(width)]
    full = (1 << width) - 1
    level = {p: full - (1 << (width - 1 - i)) for i, p in enumerate(keyed)} | {
        p: full for p in pools if POOLS[p] is None
    }
    key_list = ", ".join(keys)
    extra = "".join(f", {expr} AS {name}" for name, expr in (own or {}).items())
    sets = ", ".join(f"({key_list}, {c})" for c in columns) + (
        f", ({key_list})" if len(keyed) < len(pools) else ""
    )
    joins, cases = [], []
    for i, pool in enumerate(pools):
        alias = f"l{i}"
        if i:
            on = [f"{alias}.level = {level[pool]}"]
            if POOLS[pool] is not None:
                column = columns[keyed.index(pool)]
                on.append(f"{alias}.{column} = {POOLS[pool].format(h='s.pool_0')}")
            on += [f"{alias}.{k} IS NOT DISTINCT FROM s.{k}" for k in keys]
            joins.append(f"JOIN pool_levels AS {alias} ON " + " AND ".join(on))
        cases.append((pool, "s" if i == 0 else alias))
    pick = " ".join(f"WHEN {a}.n >= $min_n THEN {a}.value" for _, a in cases)
    name = " ".join(f"WHEN {a}.n >= $min_n THEN '{p}'" for p, a in cases)
    basis = " ".join(f"WHEN {a}.n >= $min_n THEN {a}.n" for _, a in cases[:-1])
    own_columns = "".join(f", s.{name}" for name in (own or {}))
    hour_keys = ", ".join(
        f"{POOLS[p].format(h='hour_of_week')} AS {c}"  # type: ignore[union-attr]
        for p, c in zip(keyed, columns, strict=True)
    )
    return f"""
    , pool_rows AS (SELECT *, {hour_keys} FROM {rows})
    , pool_levels AS (
        SELECT {key_list}, {", ".join(columns)}, GROUPING({", ".join(columns)}) AS level,
            {n} AS n, {value} AS value{extra}
        FROM pool_rows
        GROUP BY GROUPING SETS ({sets})
    )
    , pooled AS (
        SELECT {", ".join(f"s.{k}" for k in keys)}, s.pool_0 AS hour_of_week, s.n{own_columns},
            CASE {pick} END AS value,
            CASE {name} END AS pooled,
            CASE {basis} ELSE {cases[-1][1]}.n END AS basis_n
        FROM pool_levels AS s
        {" ".join(joins)}
        WHERE s.level = {level["hour of week"]}
    )
"""  # noqa: S608
