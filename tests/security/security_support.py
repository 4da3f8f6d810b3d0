"""A small warehouse loaded through the real ETL, hostile values for every entry point, and a
digest of the warehouse's whole content to prove an attempt changed nothing."""

from __future__ import annotations

import contextlib
import hashlib
import io
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb

from etl.pipeline import load_files

PAYLOADS = (
    "x' OR '1'='1",
    "'); DROP TABLE tickets; --",
    '" OR 1=1 --',
    "email' UNION SELECT ticket_id FROM tickets --",
    "<script>alert(1)</script>",
    "%",
    "*",
    "$f_channel",
)
TICKETS = """ticket_id,created_at,first_response_at,solved_at,status,priority,channel,language,category,customer_id,agent_id,team,subject
T1,2026-01-05T09:00:00Z,2026-01-05T09:30:00Z,2026-01-05T12:00:00Z,solved,normal,email,en,billing,K1,A1,en,Refund please
T2,2026-01-05T10:00:00Z,2026-01-05T10:10:00Z,,open,high,chat,zh,security,K2,A2,zh,钱包被盗
T3,2026-01-06T11:00:00Z,,,new,urgent,email,en,security,K3,A1,en,Phishing site
T4,2026-01-07T12:00:00Z,2026-01-07T12:05:00Z,2026-01-07T13:00:00Z,solved,low,web,es,account,K4,A2,es,Cuenta bloqueada
"""
MESSAGES = """message_id,conversation_id,sent_at,sender_type,sender_id,body
M1,T1,2026-01-05T09:00:00Z,customer,K1,I want a refund
M2,T1,2026-01-05T09:30:00Z,agent,A1,Done
M3,C9,2026-01-08T08:00:00Z,customer,K9,hello?
M4,C9,2026-01-08T08:20:00Z,agent,A2,Hi
"""
SURVEYS = """ticket_id,score,responded_at,comment
T1,5,2026-01-05T13:00:00Z,great
"""


def build_warehouse(db: Path) -> Path:
    """Tickets, messages and a survey, loaded with ``etl.pipeline.load_files``."""
    folder = db.parent
    for kind, text in (("tickets", TICKETS), ("messages", MESSAGES), ("surveys", SURVEYS)):
        path = folder / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        load_files(db, kind, [path])
    return db


def digest(db: Path) -> dict[str, str]:
    """Per table (and the table list itself), a digest of its sorted rows."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = sorted(
            n for (n,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
        )
        found = {"(tables)": ",".join(tables)}
        for name in tables:
            rows = con.execute(f'SELECT * FROM "{name}" ORDER BY ALL').fetchall()
            found[name] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return found
    finally:
        con.close()


def run_main(main: Callable[[Sequence[str]], int], *args: str) -> tuple[int, str, str]:
    """A CLI's ``main`` in this process: (exit code, stdout, stderr); an escaping exception fails."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as stop:  # argparse usage errors
            code = int(stop.code or 0)
    return code, out.getvalue(), err.getvalue()


def one_clear_line(code: int, err: str) -> str:
    """The single error line of an exit-2 run."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err
    return lines[0]
