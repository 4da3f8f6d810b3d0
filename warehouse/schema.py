"""Canonical schema of the warehouse, as an ordered list of migrations.

Migration N brings a file from schema version N-1 to N. A new warehouse runs
them all; an older file runs the ones it lacks, in place. Never edit a
migration that has shipped: add a new one.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

# Version 1. tickets.created_at and messages.sent_at may be NULL only when a mapping
# declares the export cannot say them (`absent = [...]`), e.g. the Kaggle ticket
# set has no creation time and ABCD transcripts have no timestamps: the
# warehouse stores "unknown" rather than inventing a time.
_V1 = """
CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL);

CREATE TABLE tickets (
    source VARCHAR NOT NULL,
    ticket_id VARCHAR NOT NULL,
    created_at TIMESTAMPTZ,
    status VARCHAR,
    priority VARCHAR,
    channel VARCHAR,
    language VARCHAR,
    category VARCHAR,
    customer_id VARCHAR,
    agent_id VARCHAR,
    team VARCHAR,
    first_response_at TIMESTAMPTZ,
    solved_at TIMESTAMPTZ,
    closed_at TIMESTAMPTZ,
    reopens INTEGER,
    agent_replies INTEGER,
    subject VARCHAR,
    tags VARCHAR[],
    updated_at TIMESTAMPTZ,
    PRIMARY KEY (source, ticket_id)
);

CREATE TABLE messages (
    source VARCHAR NOT NULL,
    message_id VARCHAR NOT NULL,
    conversation_id VARCHAR NOT NULL,
    sent_at TIMESTAMPTZ,
    sender_type VARCHAR NOT NULL,
    sender_id VARCHAR,
    body VARCHAR,
    language VARCHAR,
    sentiment DOUBLE,
    PRIMARY KEY (source, message_id)
);

CREATE TABLE agents (
    agent_id VARCHAR NOT NULL PRIMARY KEY,
    name VARCHAR,
    team VARCHAR,
    languages VARCHAR[],
    hired_at TIMESTAMPTZ,
    timezone VARCHAR
);

CREATE TABLE trainings (
    agent_id VARCHAR NOT NULL,
    course VARCHAR NOT NULL,
    completed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (agent_id, course, completed_at)
);

CREATE TABLE surveys (
    source VARCHAR NOT NULL,
    ticket_id VARCHAR NOT NULL,
    score INTEGER NOT NULL,
    responded_at TIMESTAMPTZ,
    comment VARCHAR,
    PRIMARY KEY (source, ticket_id)
);

CREATE TABLE customer_activity (
    customer_id VARCHAR NOT NULL,
    active_on DATE NOT NULL,
    PRIMARY KEY (customer_id, active_on)
);

CREATE TABLE ticket_events (
    source VARCHAR NOT NULL,
    ticket_id VARCHAR NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL,
    field VARCHAR NOT NULL,
    value VARCHAR,
    actor_id VARCHAR,
    PRIMARY KEY (source, ticket_id, changed_at, field)
);

CREATE TABLE shifts (
    agent_id VARCHAR NOT NULL,
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (agent_id, starts_at)
);

CREATE TABLE load_runs (
    run_id BIGINT PRIMARY KEY,
    kind VARCHAR NOT NULL,
    file VARCHAR NOT NULL,
    sha256 VARCHAR,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    rows_read BIGINT NOT NULL,
    inserted BIGINT NOT NULL,
    updated BIGINT NOT NULL,
    unchanged BIGINT NOT NULL,
    quarantined BIGINT NOT NULL,
    status VARCHAR NOT NULL,
    message VARCHAR
);

CREATE TABLE quarantine (
    run_id BIGINT NOT NULL,
    row_number BIGINT NOT NULL,
    kind VARCHAR NOT NULL,
    file VARCHAR NOT NULL,
    raw VARCHAR,
    reason VARCHAR NOT NULL
);
"""

# Version 2: the optional ticket columns of DESIGN section 3, the method behind
# each sentiment score, and what each load redacted and which mapping it used.
_V2 = """
ALTER TABLE tickets ADD COLUMN escalated_at TIMESTAMPTZ;
ALTER TABLE tickets ADD COLUMN merged_into VARCHAR;
ALTER TABLE tickets ADD COLUMN via_bot BOOLEAN;
ALTER TABLE messages ADD COLUMN sentiment_method VARCHAR;
ALTER TABLE load_runs ADD COLUMN source VARCHAR;
ALTER TABLE load_runs ADD COLUMN mapping VARCHAR;
ALTER TABLE load_runs ADD COLUMN redactions VARCHAR;
"""

# Version 3: the data tables without PRIMARY KEY indexes. The loader's merge already keeps
# one row per key (it de-duplicates each file and updates rows whose key is stored), and the
# indexes were most of the file (2.7 of 3.2 GB at 1M tickets) and a second of every large
# load. DuckDB cannot drop a constraint, so each table is rebuilt with the same columns in
# the same order, NOT NULL kept, and its rows copied by name.
_V3_TABLES: dict[str, str] = {
    "tickets": """source VARCHAR NOT NULL, ticket_id VARCHAR NOT NULL, created_at TIMESTAMPTZ,
        status VARCHAR, priority VARCHAR, channel VARCHAR, language VARCHAR, category VARCHAR,
        customer_id VARCHAR, agent_id VARCHAR, team VARCHAR, first_response_at TIMESTAMPTZ,
        solved_at TIMESTAMPTZ, closed_at TIMESTAMPTZ, reopens INTEGER, agent_replies INTEGER,
        subject VARCHAR, tags VARCHAR[], updated_at TIMESTAMPTZ, escalated_at TIMESTAMPTZ,
        merged_into VARCHAR, via_bot BOOLEAN""",
    "messages": """source VARCHAR NOT NULL, message_id VARCHAR NOT NULL,
        conversation_id VARCHAR NOT NULL, sent_at TIMESTAMPTZ, sender_type VARCHAR NOT NULL,
        sender_id VARCHAR, body VARCHAR, language VARCHAR, sentiment DOUBLE,
        sentiment_method VARCHAR""",
    "agents": """agent_id VARCHAR NOT NULL, name VARCHAR, team VARCHAR, languages VARCHAR[],
        hired_at TIMESTAMPTZ, timezone VARCHAR""",
    "trainings": "agent_id VARCHAR NOT NULL, course VARCHAR NOT NULL,"
    " completed_at TIMESTAMPTZ NOT NULL",
    "surveys": """source VARCHAR NOT NULL, ticket_id VARCHAR NOT NULL, score INTEGER NOT NULL,
        responded_at TIMESTAMPTZ, comment VARCHAR""",
    "customer_activity": "customer_id VARCHAR NOT NULL, active_on DATE NOT NULL",
    "ticket_events": """source VARCHAR NOT NULL, ticket_id VARCHAR NOT NULL,
        changed_at TIMESTAMPTZ NOT NULL, field VARCHAR NOT NULL, value VARCHAR,
        actor_id VARCHAR""",
    "shifts": "agent_id VARCHAR NOT NULL, starts_at TIMESTAMPTZ NOT NULL,"
    " ends_at TIMESTAMPTZ NOT NULL",
}
_V3 = "\n".join(
    f"""CREATE TABLE {name}_v3 ({columns});
INSERT INTO {name}_v3 BY NAME SELECT * FROM {name};
DROP TABLE {name};
ALTER TABLE {name}_v3 RENAME TO {name};"""  # noqa: S608 (names from the fixed dict above)
    for name, columns in _V3_TABLES.items()
)

# Version 4: which redaction rules (etl.redact.version) each load ran, and every scrub of the
# stored texts by ``python -m etl redact`` (when, with which rules, what it removed as JSON).
_V4 = """
ALTER TABLE load_runs ADD COLUMN redaction_version INTEGER;
CREATE TABLE redaction_runs (
    run_at TIMESTAMPTZ NOT NULL,
    version INTEGER NOT NULL,
    removed VARCHAR
);
"""


# Quarantined records stored with ZSTD (issue 15): a file whose rows are mostly
# quarantined writes a JSON record per row, and DuckDB's default choice for long strings
# (dictionary/FSST, analysed per row group) made that insert several times slower than the
# file's good rows and the column four times larger. DuckDB cannot change a column's
# compression in place, so the table is rebuilt with the same columns, rows copied by name.
_QUARANTINE_ZSTD = """CREATE TABLE quarantine_zstd (
    run_id BIGINT NOT NULL,
    row_number BIGINT NOT NULL,
    kind VARCHAR NOT NULL,
    file VARCHAR NOT NULL,
    raw VARCHAR USING COMPRESSION zstd,
    reason VARCHAR NOT NULL
);
INSERT INTO quarantine_zstd BY NAME SELECT * FROM quarantine;
DROP TABLE quarantine;
ALTER TABLE quarantine_zstd RENAME TO quarantine;"""


# Version 6 (issue 20): derived facts are built by the write that changes the data. Every
# write through warehouse.writer.open_for_write counts up ``data_version``; a derived fact
# (a ``fact_*`` table, written by metrics.facts) records the version and the fingerprint of
# its definition it was built for, so a reader uses it only when both still hold.
_V6_FACTS = """
CREATE TABLE warehouse_state (data_version BIGINT NOT NULL);
INSERT INTO warehouse_state VALUES (0);
CREATE TABLE fact_builds (
    name VARCHAR NOT NULL,
    fingerprint VARCHAR NOT NULL,
    data_version BIGINT NOT NULL,
    built_at TIMESTAMPTZ NOT NULL,
    mode VARCHAR NOT NULL,
    row_count BIGINT NOT NULL,
    seconds DOUBLE NOT NULL,
    origin VARCHAR
);
"""


# Version 7 (issue 16): conversation quality review. qa_reviews holds people's reviews as
# loaded (one row per conversation, reviewer and rubric category; score in [0, 1], NULL for
# "not applicable"); qa_verdicts and qa_scores hold the automatic scorer's verdicts and
# review scores, written at load time and by `python -m etl rescore --what qa`, each row
# recording the rubric version and the scorer version that produced it.
_V7_QUALITY = """
CREATE TABLE qa_reviews (
    source VARCHAR NOT NULL,
    conversation_id VARCHAR NOT NULL,
    reviewer VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    reviewed_at TIMESTAMPTZ NOT NULL,
    score DOUBLE,
    comment VARCHAR,
    review_id VARCHAR,
    reviewee VARCHAR
);
CREATE TABLE qa_verdicts (
    source VARCHAR NOT NULL,
    conversation_id VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    verdict VARCHAR NOT NULL,
    message_id VARCHAR,
    matched VARCHAR,
    evidence VARCHAR,
    language VARCHAR,
    rubric_version VARCHAR NOT NULL,
    scorer_version VARCHAR NOT NULL,
    scored_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE qa_scores (
    source VARCHAR NOT NULL,
    conversation_id VARCHAR NOT NULL,
    language VARCHAR,
    score DOUBLE,
    critical_failed BOOLEAN NOT NULL,
    categories_applied INTEGER NOT NULL,
    categories_failed INTEGER NOT NULL,
    rubric_version VARCHAR NOT NULL,
    scorer_version VARCHAR NOT NULL,
    scored_at TIMESTAMPTZ NOT NULL
);
"""


# Version 8: agents' and bots' messages get their own sentiment column (tone coaching), so
# customer figures, which read `sentiment`, can never include them (issue 13).
_V8_AGENT_SENTIMENT = "ALTER TABLE messages ADD COLUMN agent_sentiment DOUBLE;"

MIGRATIONS: tuple[str, ...] = (
    _V1, _V2, _V3, _V4, _QUARANTINE_ZSTD, _V6_FACTS, _V7_QUALITY, _V8_AGENT_SENTIMENT,
)  # fmt: skip
SCHEMA_VERSION = len(MIGRATIONS)
INDEXES_DROPPED_AT = 3  # writer.open_for_write copies an older file table by table

DATA_TABLES: tuple[str, ...] = (
    "tickets",
    "messages",
    "agents",
    "trainings",
    "surveys",
    "customer_activity",
    "ticket_events",
    "shifts",
)
BOOKKEEPING_TABLES: tuple[str, ...] = ("load_runs", "quarantine")
# Derived facts: tables named FACT_PREFIX + the fact's name, listed with their state in
# FACT_BUILDS; STATE holds the data version every write counts up (see _V6_FACTS).
FACT_PREFIX = "fact_"
FACT_BUILDS = "fact_builds"
STATE = "warehouse_state"
# Written by the quality scorer, never loaded from a file (see _V7_QUALITY).
QUALITY_TABLES: tuple[str, ...] = ("qa_verdicts", "qa_scores")


@dataclass(frozen=True)
class MigrationResult:
    """What :func:`migrate` did: the version found and the version left."""

    found: int
    now: int


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """Schema version of the database behind ``con``; 0 for an empty file."""
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_version'"
        " AND database_name = current_database()"
    ).fetchone()
    if not exists or exists[0] == 0:
        return 0
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0) if row else 0


def migrate(con: duckdb.DuckDBPyConnection, target: int = SCHEMA_VERSION) -> MigrationResult:
    """Apply the migrations ``con`` lacks, up to ``target``, in one transaction."""
    found = current_version(con)
    if found > SCHEMA_VERSION:
        raise RuntimeError(
            f"warehouse schema version {found} is newer than this program ({SCHEMA_VERSION});"
            " upgrade support-quality-dashboard"
        )
    if found >= target:
        return MigrationResult(found, found)
    con.execute("BEGIN TRANSACTION")
    try:
        for version in range(found + 1, target + 1):
            con.execute(MIGRATIONS[version - 1])
            con.execute("INSERT INTO schema_version VALUES (?, now())", [version])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return MigrationResult(found, target)
