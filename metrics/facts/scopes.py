"""Incremental upkeep: a fact's definition run over the changed part of the data only.

The definition is not rewritten: the base tables (and input facts) it reads are shadowed by
views of the affected rows in schema ``upkeep_scope``, which comes first on DuckDB's search
path while the definition runs; the rows it yields replace the fact's rows of the same units.
How a unit is found depends on the fact's *grain* (``metrics.core.facts.GRAINS``):

- ``customer`` (the contact fact): the changed contacts, then every contact of every customer
  they had or now have (the next-contact windows run over a customer's contacts), so the
  definition runs twice: once to learn the changed contacts' customers, once over them all.
  Of the contacts it was rebuilt for, only those whose row came out different (new, gone or
  changed: a customer's other contacts mostly keep theirs) reach the facts that read it.
  Facts of this grain that read the contact fact (retention: a contact's row depends on its
  own contact row and its customer's activity) take those contacts plus every contact of the
  customers whose activity changed.
- ``contact``: the changed contacts and those whose contact-fact row changed.
- ``agent_time``: per agent with a changed message, every row from its first changed message
  on, computed from the agent's last row before it (for the gap to the previous message).
- ``day``: the UTC days of the changed agent messages (and their neighbours, so that local
  clock hours in any zone are whole), computed from the messages of those days and the next.

The per-contact facts' units are a part of the contact fact's, so the base-table rows the
contact fact's run copied are filtered down for them instead of the tables.
"""

from __future__ import annotations

import re
from datetime import timedelta

import duckdb

from metrics.core.facts import Fact
from metrics.core.inputs import ACTIVITY_CUSTOMERS
from metrics.facts import store
from warehouse.changes import CHANGES, CONTACT_KEYS, CUSTOMER_KEYS

SCOPE = "upkeep_scope"
UNITS = "upkeep_units"  # (source, contact_id) the current fact is rebuilt for
CONTACTS = "upkeep_contacts"  # contacts whose contact-fact row the upkeep changed
HUB_UNITS = "upkeep_hub_units"  # contacts the contact fact was rebuilt for
CUSTOMERS = "upkeep_customers"  # their customers, old and new
FRESH = "upkeep_fresh"
# Past this share of a fact's rows (and at least MIN_UNITS), rebuilding it whole is cheaper
# than by units.
MAX_SHARE = 0.25
MIN_UNITS = 1000


class TooMany(Exception):
    """The change touches so much of a fact that a whole rebuild is the better buy."""


# Names below come from fixed lists (fact definitions, warehouse.changes), never from data.
def _contact_match(units: str, source: str, contact: str) -> str:
    """Rows ``r`` of the (source, contact_id) pairs in ``units``. The contact id alone is
    matched first: a semi-join on one column is about half the CPU of one on two over a
    10M-row table (DuckDB 2.0), and the pair is then checked on the few rows it leaves."""
    match = f"u.source = r.{source} AND u.contact_id = r.{contact}"
    return (
        f"r.{contact} IN (SELECT contact_id FROM temp.main.{units})"  # noqa: S608
        f" AND EXISTS (SELECT 1 FROM temp.main.{units} AS u WHERE {match})"  # noqa: S608
    )


def _customer_match(column: str, customers: str = CUSTOMERS) -> str:
    match = f"k.customer_id = r.{column}"
    return f"EXISTS (SELECT 1 FROM temp.main.{customers} AS k WHERE {match})"  # noqa: S608


# Base-table rows already copied for the current units: table -> (condition, units signature).
_COPIED: dict[str, tuple[str, tuple]] = {}
# Rows made ready for the next run alone: table -> the temporary table holding them.
_READY: dict[str, str] = {}


def run_scoped(con: duckdb.DuckDBPyConnection, fact: Fact, views: dict[str, str]) -> None:
    """Run the definition with each table of ``views`` (name -> condition on its rows ``r``)
    replaced by its matching rows; the result is the temporary table ``upkeep_fresh``.

    A base table's matching rows are copied once (one scan of a 10M-row table) and reused by
    every later fact run over the same units; a stored fact is read through a view. A table
    with rows made ready for this run (``_READY``) is read from them instead.
    """
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {SCOPE}")
    for name, condition in views.items():
        source = f"main.{name} AS r WHERE {condition}"
        if name in _READY:
            source = f"temp.main.{_READY[name]}"
        elif not name.startswith("fact_"):
            source = _copied(con, name, condition, _signature(con, condition))
        con.execute(f"CREATE OR REPLACE VIEW {SCOPE}.{name} AS SELECT * FROM {source}")  # noqa: S608
    names = store.register_frames(con, fact)
    sql = fact.render({f.name: f.table for f in fact.inputs})
    try:
        con.execute(f"SET search_path = '{SCOPE},main'")
        con.execute(f"CREATE OR REPLACE TEMP TABLE {FRESH} AS {sql}", fact.bound())
    finally:
        con.execute("RESET search_path")
        store.unregister(con, names)
        con.execute(f"DROP SCHEMA {SCOPE} CASCADE")


# Base tables the contact fact's run copied for its units (HUB_UNITS): table -> the copy.
_HUB_COPIES: dict[str, str] = {}
# True while the current units are a part of HUB_UNITS (set by the contact-grain updaters).
_WITHIN_HUB = [False]


def _copied(con: duckdb.DuckDBPyConnection, name: str, condition: str, signature: tuple) -> str:
    """The temporary copy of ``name``'s rows matching ``condition`` (made when not current),
    taken from the contact fact's copy when the units are a part of its units."""
    copy = f"upkeep_in_{name}"
    if _COPIED.get(name) != (condition, signature):
        origin = _HUB_COPIES.get(name) if _WITHIN_HUB[0] else None
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {copy} AS SELECT * FROM {origin or 'main.' + name}"  # noqa: S608
            f" AS r WHERE {condition}"
        )
        _COPIED[name] = (condition, signature)
    return f"temp.main.{copy}"


def _signature(con: duckdb.DuckDBPyConnection, condition: str) -> tuple:
    """What the unit tables ``condition`` reads hold now (row counts and a hash of the rows)."""
    found = []
    for table in (UNITS, CUSTOMERS, "upkeep_dependent_customers", "upkeep_agents", "upkeep_days"):
        if re.search(rf"\btemp\.main\.{table}\b", condition):
            sql = f"SELECT count(*), sum(hash(t)) FROM temp.main.{table} AS t"  # noqa: S608
            found.append((table, *con.execute(sql).fetchall()[0]))
    return tuple(found)


def _contact_views(fact: Fact, units: str) -> dict[str, str]:
    """The base tables the definition reads, and its input facts, restricted to ``units``."""
    views = {
        table: _contact_match(units, *CONTACT_KEYS[table])
        for table in fact.reads
        if table in CONTACT_KEYS
    }
    for needed in fact.inputs:
        views[needed.table] = _contact_match(units, *needed.key)
    return views


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    rows = con.execute(sql).fetchall()
    return int(rows[0][0]) if rows else 0


def _check_share(con: duckdb.DuckDBPyConnection, fact: Fact, units: int) -> None:
    rows = _count(con, f"SELECT count(*) FROM {fact.table}")  # noqa: S608
    if units > max(MIN_UNITS, MAX_SHARE * rows):
        raise TooMany(fact.name)


def _replace_units(con: duckdb.DuckDBPyConnection, fact: Fact, units: str) -> None:
    """Delete the fact's rows of ``units`` and insert the freshly computed ones."""
    source, contact = fact.key
    con.execute(f"DELETE FROM {fact.table} AS r WHERE {_contact_match(units, source, contact)}")  # noqa: S608
    con.execute(f"INSERT INTO {fact.table} SELECT * FROM {FRESH}")  # noqa: S608


def changed_contacts(
    con: duckdb.DuckDBPyConnection, into: str, reads: frozenset[str] | None = None
) -> None:
    """Temporary table ``into`` (source, contact_id): every contact a noted change touched
    (in the tables of ``reads`` only, when given)."""
    tables = ", ".join(f"'{t}'" for t in CONTACT_KEYS if reads is None or t in reads) or "NULL"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {into} AS SELECT DISTINCT source, contact_id"  # noqa: S608
        f" FROM {CHANGES} WHERE NOT whole AND tbl IN ({tables}) AND contact_id IS NOT NULL"
    )


def update_contact_hub(con: duckdb.DuckDBPyConnection, fact: Fact) -> None:
    """The contact fact: its changed contacts and all contacts of their customers, old and
    new. The customers a changed contact will have are guessed from the notes (a ticket's
    customer_id) and checked on the result: one whose other contacts were left out (found
    only from the messages) adds them, and the definition runs again."""
    con.execute(f"DROP TABLE IF EXISTS temp.main.{FRESH}")
    changed_contacts(con, UNITS)
    _check_share(con, fact, _count(con, f"SELECT count(*) FROM {UNITS}"))  # noqa: S608
    tables = ", ".join(f"'{t}'" for t in CONTACT_KEYS)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {CUSTOMERS} AS
        SELECT customer_id FROM {CHANGES}
        WHERE NOT whole AND tbl IN ({tables}) AND customer_id IS NOT NULL
        UNION SELECT r.customer_id FROM {fact.table} AS r
        WHERE r.customer_id IS NOT NULL AND {_contact_match(UNITS, "source", "contact_id")}"""  # noqa: S608
    )
    while _add_customers_contacts(con, fact):
        _check_share(con, fact, _count(con, f"SELECT count(*) FROM {UNITS}"))  # noqa: S608
        run_scoped(con, fact, _contact_views(fact, UNITS))
        added = con.execute(
            f"""INSERT INTO {CUSTOMERS} SELECT DISTINCT customer_id FROM {FRESH}
            WHERE customer_id IS NOT NULL EXCEPT SELECT customer_id FROM {CUSTOMERS}"""  # noqa: S608
        ).fetchall()
        if not added or not added[0][0]:
            break  # no customer found beyond those whose contacts are in the units already
    _changed_rows(con, fact)
    _replace_changed(con, fact)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {HUB_UNITS} AS SELECT * FROM {UNITS}")  # noqa: S608
    _keep_hub_copies(con)


def _changed_rows(con: duckdb.DuckDBPyConnection, fact: Fact) -> None:
    """Temporary table CONTACTS: the units whose row in ``fact`` the fresh rows change (new,
    gone or different in any column); what the facts reading it must be updated for."""
    source, contact = fact.key
    old = f"SELECT * FROM {fact.table} AS r WHERE {_contact_match(UNITS, source, contact)}"  # noqa: S608
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {CONTACTS} AS
        SELECT DISTINCT {source} AS source, {contact} AS contact_id FROM (
            ({old} EXCEPT SELECT * FROM {FRESH})
            UNION ALL (SELECT * FROM {FRESH} EXCEPT {old}))"""  # noqa: S608
    )


def _replace_changed(con: duckdb.DuckDBPyConnection, fact: Fact) -> None:
    """Replace only the rows CONTACTS names (new, gone or different): the units' other rows
    came out the same, and rewriting them would cost the delete, insert and checkpoint."""
    match = _contact_match(CONTACTS, *fact.key)
    con.execute(f"DELETE FROM {fact.table} AS r WHERE {match}")  # noqa: S608
    con.execute(f"INSERT INTO {fact.table} SELECT * FROM {FRESH} AS r WHERE {match}")  # noqa: S608


def _keep_hub_copies(con: duckdb.DuckDBPyConnection) -> None:
    """Keep the base-table rows copied for the contact fact's units under their own names,
    for the facts that read it (their units are a part of these)."""
    for table in list(_COPIED):
        hub = f"upkeep_hub_{table}"
        con.execute(f"ALTER TABLE temp.main.upkeep_in_{table} RENAME TO {hub}")
        _HUB_COPIES[table] = f"temp.main.{hub}"
        del _COPIED[table]


def _add_customers_contacts(con: duckdb.DuckDBPyConnection, fact: Fact) -> bool:
    """Add to the units every stored contact of the customers found so far; True when the
    units changed, or nothing has been computed for them yet."""
    before = _count(con, f"SELECT count(*) FROM {UNITS}")  # noqa: S608
    con.execute(
        f"""INSERT INTO {UNITS} SELECT r.source, r.contact_id FROM {fact.table} AS r
        WHERE {_customer_match("customer_id")}
        EXCEPT SELECT source, contact_id FROM {UNITS}"""  # noqa: S608
    )
    fresh = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?", [FRESH]
    ).fetchall()[0][0]
    return not fresh or _count(con, f"SELECT count(*) FROM {UNITS}") > before  # noqa: S608


def update_customer_dependent(con: duckdb.DuckDBPyConnection, fact: Fact, hub: Fact) -> None:
    """A fact over the contact fact kept per customer (a contact's row depends on its own
    contact row and its customer's activity): the contacts whose contact row changed and
    every contact of the customers whose activity changed."""
    _ensure(con, CONTACTS, "source VARCHAR, contact_id VARCHAR")
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {UNITS} AS SELECT source, contact_id FROM {CONTACTS}
        UNION SELECT r.source, r.contact_id FROM {hub.table} AS r WHERE EXISTS (
            SELECT 1 FROM {CHANGES} AS k WHERE NOT k.whole AND k.tbl = 'customer_activity'
                AND k.customer_id = r.customer_id)"""  # noqa: S608
    )
    _check_share(con, fact, _count(con, f"SELECT count(*) FROM {UNITS}"))  # noqa: S608
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE upkeep_dependent_customers AS
        SELECT DISTINCT r.customer_id FROM {hub.table} AS r
        WHERE r.customer_id IS NOT NULL AND {_contact_match(UNITS, *hub.key)}"""  # noqa: S608
    )
    views = _contact_views(fact, UNITS)
    for table in fact.reads:
        if table in CUSTOMER_KEYS and table not in CONTACT_KEYS:
            views[table] = _customer_match(CUSTOMER_KEYS[table], "upkeep_dependent_customers")
    if fact.activity_days and "customer_activity" in views and _activity_kept(con):
        _READY["customer_activity"] = _activity_in_reach(con, fact, hub)
    try:
        run_scoped(con, fact, views)  # its activity customers' contacts may lie outside the hub's
    finally:
        _READY.clear()
    _replace_units(con, fact, UNITS)


def _activity_kept(con: duckdb.DuckDBPyConnection) -> bool:
    """True when this write changed no activity and the stored list of the customers with
    activity (``activity_customers``) is current: it then says which customers have any."""
    if _count(con, f"SELECT count(*) FROM {CHANGES} WHERE tbl = 'customer_activity'"):  # noqa: S608
        return False
    found = store.stored_facts(con).get(ACTIVITY_CUSTOMERS.table)
    return (
        found is not None
        and found.fingerprint == ACTIVITY_CUSTOMERS.fingerprint
        and found.data_version >= store.data_version(con) - 1
    )


def _activity_in_reach(con: duckdb.DuckDBPyConnection, fact: Fact, hub: Fact) -> str:
    """Temporary table ``upkeep_in_activity``: the dependent customers' activity rows dated
    within ``fact.activity_days`` of the unit contacts' creation days (loads append the table
    in date order, so the row groups outside that range are skipped, not probed), and one row
    without a date per such customer with any activity (from ``activity_customers``): all a
    definition of that shape reads, since a row without a date falls in no window."""
    first, last = fact.activity_days or (0, 0)
    days = con.execute(
        f"SELECT min(r.created_day), max(r.created_day) FROM {hub.table} AS r"  # noqa: S608
        f" WHERE {_contact_match(UNITS, *hub.key)}"
    ).fetchall()
    lo, hi = days[0] if days else (None, None)
    dated = "FALSE"
    if lo is not None and hi is not None:
        start, end = lo + timedelta(days=first), hi + timedelta(days=last)
        dated = f"r.active_on BETWEEN DATE '{start.isoformat()}' AND DATE '{end.isoformat()}'"
    customers = "upkeep_dependent_customers"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE upkeep_in_activity AS
        SELECT * FROM main.customer_activity AS r
        WHERE {dated} AND {_customer_match("customer_id", customers)}
        UNION ALL BY NAME
        SELECT r.customer_id, NULL::DATE AS active_on FROM {ACTIVITY_CUSTOMERS.table} AS r
        WHERE {_customer_match("customer_id", customers)}"""  # noqa: S608
    )
    return "upkeep_in_activity"


def _run_within_hub(con: duckdb.DuckDBPyConnection, fact: Fact, views: dict[str, str]) -> None:
    """``run_scoped`` for units that are a part of the contact fact's (copies taken from its)."""
    _WITHIN_HUB[0] = _exists(con, HUB_UNITS)
    try:
        run_scoped(con, fact, views)
    finally:
        _WITHIN_HUB[0] = False


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?", [table]
    ).fetchall()
    return bool(found[0][0])


def update_contacts(con: duckdb.DuckDBPyConnection, fact: Fact) -> None:
    """A per-contact fact: the changed contacts and, when it reads the contact fact, those
    whose contact-fact row changed. A contact changed only in tables it does not read
    (a ticket's, for the quality fact) changes its rows only through the contact fact."""
    changed_contacts(con, UNITS, fact.reads)
    if fact.inputs:
        _ensure(con, CONTACTS, "source VARCHAR, contact_id VARCHAR")
        con.execute(f"INSERT INTO {UNITS} SELECT * FROM {CONTACTS} EXCEPT SELECT * FROM {UNITS}")  # noqa: S608
    _check_share(con, fact, _count(con, f"SELECT count(*) FROM {UNITS}"))  # noqa: S608
    _run_within_hub(con, fact, _contact_views(fact, UNITS))
    _replace_units(con, fact, UNITS)


def update_agent_times(con: duckdb.DuckDBPyConnection, fact: Fact) -> None:
    """Per agent with a changed message: the rows from its first changed message on."""
    agent, at = fact.key
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE upkeep_agents AS
        SELECT c.agent_id, c.first_at, (SELECT max(f.{at}) FROM {fact.table} AS f
            WHERE f.{agent} = c.agent_id AND f.{at} < c.first_at) AS from_at
        FROM (SELECT agent_id, min(changed_at) AS first_at FROM {CHANGES}
            WHERE NOT whole AND tbl = 'messages' AND agent_id IS NOT NULL
                AND changed_at IS NOT NULL GROUP BY agent_id) AS c"""  # noqa: S608
    )
    after = f"r.{agent} = a.agent_id AND r.{at} >= a.first_at"
    _check_share(
        con,
        fact,
        _count(con, f"SELECT count(*) FROM {fact.table} AS r JOIN upkeep_agents AS a ON {after}"),  # noqa: S608
    )
    scope = (
        "EXISTS (SELECT 1 FROM temp.main.upkeep_agents AS a WHERE a.agent_id = r.sender_id"
        " AND r.sent_at >= coalesce(a.from_at, a.first_at))"
    )
    run_scoped(con, fact, {"messages": scope})
    matched = f"EXISTS (SELECT 1 FROM upkeep_agents AS a WHERE {after})"  # noqa: S608
    con.execute(f"DELETE FROM {fact.table} AS r WHERE {matched}")  # noqa: S608
    con.execute(f"INSERT INTO {fact.table} SELECT * FROM {FRESH} AS r WHERE {matched}")  # noqa: S608


def update_days(con: duckdb.DuckDBPyConnection, fact: Fact) -> None:
    """The UTC days (of ``fact.key[0]``) a changed agent message can fall in, whatever the
    zone: computed from the messages of those days and the days either side."""
    (at,) = fact.key
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE upkeep_days AS SELECT DISTINCT CAST(t AS DATE) AS day
        FROM (SELECT unnest([changed_at - INTERVAL 3 HOUR, changed_at,
                changed_at + INTERVAL 3 HOUR]) AS t
            FROM {CHANGES} WHERE NOT whole AND tbl = 'messages' AND agent_id IS NOT NULL
                AND changed_at IS NOT NULL)"""  # noqa: S608
    )
    in_days = f"CAST(r.{at} AS DATE) IN (SELECT day FROM upkeep_days)"  # noqa: S608
    _check_share(con, fact, _count(con, f"SELECT count(*) FROM {fact.table} AS r WHERE {in_days}"))  # noqa: S608
    scope = (
        "CAST(r.sent_at AS DATE) IN (SELECT day + d FROM temp.main.upkeep_days,"
        " (VALUES (-1), (0), (1)) AS n(d))"
    )
    run_scoped(con, fact, {"messages": scope})
    con.execute(f"DELETE FROM {fact.table} AS r WHERE {in_days}")  # noqa: S608
    con.execute(f"INSERT INTO {fact.table} SELECT * FROM {FRESH} AS r WHERE {in_days}")  # noqa: S608


def _ensure(con: duckdb.DuckDBPyConnection, name: str, columns: str) -> None:
    con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({columns})")


def drop_temporaries(con: duckdb.DuckDBPyConnection) -> None:
    """Drop every temporary table the upkeep made (and the change notes)."""
    for table in list(_COPIED):
        con.execute(f"DROP TABLE IF EXISTS temp.main.upkeep_in_{table}")
    _COPIED.clear()
    for copy in _HUB_COPIES.values():
        con.execute(f"DROP TABLE IF EXISTS {copy}")
    _HUB_COPIES.clear()
    _READY.clear()
    _WITHIN_HUB[0] = False
    for name in (
        CHANGES, UNITS, CONTACTS, HUB_UNITS, CUSTOMERS, FRESH, "upkeep_dependent_customers",
        "upkeep_agents", "upkeep_days", "upkeep_in_activity",
    ):  # fmt: skip
        con.execute(f"DROP TABLE IF EXISTS temp.main.{name}")
