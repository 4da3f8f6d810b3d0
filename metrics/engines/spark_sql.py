"""A fact's SQL (written for DuckDB) translated for Spark SQL by SQLGlot, never rewritten by hand.

SQLGlot's duckdb -> spark transpiler does most of the work. The few DuckDB expressions it
leaves for Spark to reject, or maps to a Spark function with different semantics, are
rewritten here on the parsed tree, each by a small named rule:

- parameters (``$name``) become literals (the values come from settings, not from users,
  and are rendered by SQLGlot as quoted literals, never spliced as text);
- ``epoch(ts)``: SQLGlot's UNIX_TIMESTAMP drops the microseconds -> UNIX_MICROS / 1e6;
- ``microsecond(ts)`` (DuckDB: microseconds within the minute) -> UNIX_MICROS mod 60e6;
- ``to_days(n)`` / ``to_microseconds(n)`` -> Spark day-time intervals;
- ``timezone(zone, local)`` -> TO_UTC_TIMESTAMP; ``a && b`` -> ARRAYS_OVERLAP;
- ``arg_min(x, (a, b))``: a row value compares as a STRUCT in Spark, and DuckDB ignores rows
  whose ``x`` is NULL while MIN_BY does not, so the filter gains ``x IS NOT NULL``;
- ``('0x' || hex)::BIGINT`` -> CONV(hex, 16, 10);
- ``quantile_cont(x, q)``: SQLGlot's PERCENTILE_CONT(x, q) is no Spark call -> PERCENTILE(x, q)
  (exact, interpolated as DuckDB's);
- ``ASOF [LEFT] JOIN b ON eq... AND probe >= b.k``: the last row of ``b`` at or before the
  probe; in Spark a plain join on ``b`` with each row's next key (LEAD over the equality
  columns), i.e. ``b.k <= probe < next k``. Conditions on ``b`` alone filter ``b`` first.
"""

from __future__ import annotations

from typing import Any

import sqlglot
from sqlglot import exp

READ, WRITE = "duckdb", "spark"


def to_spark(sql: str, params: dict[str, Any] | None = None) -> str:
    """``sql`` (DuckDB dialect, ``$name`` parameters) as Spark SQL with ``params`` bound."""
    return _translated(sqlglot.parse_one(sql, read=READ), params or {}).sql(dialect=WRITE)


def to_spark_steps(sql: str, params: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    """``sql`` as Spark SQL steps: (name, query) per common table expression of its top-level
    WITH, in order, then ("", the final query).

    Spark inlines a CTE wherever it is named, so a fact whose steps read one CTE several times
    (the contact fact reads its message statistics four times) would compute it again each
    time, and plans the whole as one tree; run step by step, each CTE becomes a temporary view
    of its own materialised result.
    """
    tree = _translated(sqlglot.parse_one(sql, read=READ), params or {})
    with_ = tree.args.get("with_") or tree.args.get("with")
    if not isinstance(tree, exp.Select) or with_ is None or with_.args.get("recursive"):
        return [("", tree.sql(dialect=WRITE))]
    steps = [(cte.alias, cte.this.sql(dialect=WRITE)) for cte in with_.expressions]
    final = tree.copy()
    final.set("with_" if "with_" in tree.args else "with", None)
    return [*steps, ("", final.sql(dialect=WRITE))]


def _translated(tree: exp.Expression, params: dict[str, Any]) -> exp.Expression:
    tree = _bind(tree, params)
    tree = tree.transform(_rewrite)
    return _rewrite_asof_joins(tree)


def literal(value: Any) -> exp.Expression:
    """A settings value as a SQL literal (lists as arrays)."""
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, float):
        # DuckDB binds a Python float as DOUBLE; a bare 60.0 is a DECIMAL in Spark SQL.
        return exp.cast(exp.Literal.number(repr(value)), exp.DataType.build("DOUBLE"))
    if isinstance(value, int):
        return exp.Literal.number(value)
    if isinstance(value, list | tuple):
        return exp.Array(expressions=[literal(v) for v in value])
    return exp.Literal.string(str(value))


def _bind(tree: exp.Expression, params: dict[str, Any]) -> exp.Expression:
    def replace(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Parameter | exp.Placeholder):
            name = node.name
            if name not in params:
                raise KeyError(f"parameter ${name} has no value")
            return literal(params[name])
        return node

    return tree.transform(replace)


def _anon(name: str, *args: exp.Expression) -> exp.Expression:
    return exp.Anonymous(this=name, expressions=list(args))


def _seconds(ts: exp.Expression) -> exp.Expression:
    micros = exp.cast(_anon("UNIX_MICROS", ts), exp.DataType.build("DOUBLE"))
    return exp.Paren(this=exp.Div(this=micros, expression=exp.Literal.number("1000000.0")))


def _rewrite(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.TimeToUnix | exp.UnixSeconds):
        return _seconds(node.this)
    if isinstance(node, exp.ArrayOverlaps):
        return _anon("ARRAYS_OVERLAP", node.this, node.expression)
    if isinstance(node, exp.Cast) and _is_hex_literal_cast(node):
        digits = node.this.unnest().expression
        conv = _anon("CONV", digits, exp.Literal.number(16), exp.Literal.number(10))
        return exp.cast(conv, node.to)
    if isinstance(node, exp.Filter) and isinstance(node.this, exp.ArgMin | exp.ArgMax):
        return _arg_extreme(node.this, node.expression.this)
    if isinstance(node, exp.ArgMin | exp.ArgMax) and not isinstance(node.parent, exp.Filter):
        return _arg_extreme(node, None)
    if isinstance(node, exp.PercentileCont) and node.expression is not None:
        return _anon("PERCENTILE", node.this, node.expression)
    if isinstance(node, exp.Anonymous | exp.Func):
        return _rewrite_function(node)
    return node


def _rewrite_function(node: exp.Expression) -> exp.Expression:
    name = (node.name if isinstance(node, exp.Anonymous) else node.sql_name()).upper()
    args = node.expressions if isinstance(node, exp.Anonymous) else list(node.args.values())
    if name == "MICROSECOND":
        micros = _anon("UNIX_MICROS", args[0])
        return _anon("PMOD", micros, exp.Literal.number(60_000_000))
    if name == "TO_DAYS":
        return _anon("MAKE_DT_INTERVAL", args[0])
    if name == "TO_MICROSECONDS":
        exact = exp.cast(args[0], exp.DataType.build("DECIMAL(18, 0)"))
        seconds = exp.Div(this=exact, expression=exp.Literal.number(1_000_000))
        zero = exp.Literal.number(0)
        return _anon("MAKE_DT_INTERVAL", zero, zero, zero, seconds)
    if name == "TIMEZONE" and len(args) == 2:
        return _anon("TO_UTC_TIMESTAMP", args[1], args[0])
    return node


def _is_hex_literal_cast(node: exp.Cast) -> bool:
    inner = node.this.unnest()
    return (
        node.to.is_type("bigint")
        and isinstance(inner, exp.DPipe)
        and isinstance(inner.this, exp.Literal)
        and inner.this.this == "0x"
    )


def _arg_extreme(agg: exp.Expression, condition: exp.Expression | None) -> exp.Expression:
    """MIN_BY / MAX_BY skipping NULL values as DuckDB's arg_min / arg_max do."""
    value, order = agg.this, agg.expression
    if isinstance(order, exp.Tuple):
        order = exp.Struct(expressions=[e.copy() for e in order.expressions])
    func = "MIN_BY" if isinstance(agg, exp.ArgMin) else "MAX_BY"
    # an expression value (``reply_at IS NULL``) in parentheses: Spark parses no ``a IS NULL IS NULL``
    tested = value.copy() if isinstance(value, exp.Column) else exp.Paren(this=value.copy())
    not_null = exp.Not(this=exp.Is(this=tested, expression=exp.Null()))
    where = not_null if condition is None else exp.and_(exp.Paren(this=condition), not_null)
    call = _anon(func, value.copy(), order)
    return exp.Filter(this=call, expression=exp.Where(this=where))


def _rewrite_asof_joins(tree: exp.Expression) -> exp.Expression:
    for join in list(tree.find_all(exp.Join)):
        if (join.args.get("kind") or "").upper() == "ASOF" or join.args.get("method") == "ASOF":
            _rewrite_asof(join)
    return tree


def _rewrite_asof(join: exp.Join) -> None:
    """Rewrite one ASOF join in place (see the module docstring)."""
    table = join.this
    alias = table.alias_or_name
    conditions = (
        list(join.args["on"].flatten())
        if isinstance(join.args["on"], exp.And)
        else [join.args["on"]]
    )
    equalities, own, inequality = [], [], None
    for cond in conditions:
        sides = {c.table for c in cond.find_all(exp.Column)}
        if sides == {alias}:
            own.append(cond)
        elif isinstance(cond, exp.EQ):
            equalities.append(cond)
        elif isinstance(cond, exp.GTE) and inequality is None:
            inequality = cond
        else:
            raise ValueError(f"ASOF join condition not supported for Spark: {cond.sql()}")
    if inequality is None:
        raise ValueError("ASOF join without a >= condition")
    key = inequality.expression  # probe >= table.key
    partition = [c for eq in equalities for c in (eq.this, eq.expression) if c.table == alias]
    inner = exp.select("*").from_(table.copy())
    for cond in own:
        inner = inner.where(cond.copy())
    inner_key = key.copy()
    for col in [inner_key, *inner_key.find_all(exp.Column)]:
        if isinstance(col, exp.Column):
            col.set("table", None)
    window = exp.Window(
        this=_anon("LEAD", inner_key),
        partition_by=[exp.column(c.name) for c in partition],
        order=exp.Order(expressions=[exp.Ordered(this=inner_key.copy())]),
    )
    inner = inner.select(exp.alias_(window, "asof_next_key"))
    next_key = exp.column("asof_next_key", table=alias)
    upper = exp.or_(
        exp.LT(this=inequality.this.copy(), expression=next_key),
        exp.Is(this=next_key.copy(), expression=exp.Null()),
    )
    on = exp.and_(*[e.copy() for e in equalities], inequality.copy(), exp.Paren(this=upper))
    join.set("this", exp.Subquery(this=inner, alias=exp.TableAlias(this=exp.to_identifier(alias))))
    join.set("on", on)
    left = "LEFT" if (join.args.get("side") or "").upper() == "LEFT" else None
    join.set("kind", None)
    join.set("method", None)
    join.set("side", left)
