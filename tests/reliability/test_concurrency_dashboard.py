"""The dashboard keeps answering during loads: a reader process computes the Overview's headline
KPIs in a loop, reopening the warehouse whenever a load has swapped in a new file, while five
loads run. It never sees an error, and every answer is a whole number of loads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from etl.pipeline import load_files

ROOT = Path(__file__).resolve().parents[2]
TICKETS, ANSWERED = 200, 150  # per load

READER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from metrics.core.filters import Filters
    from metrics.core.settings import load_settings
    from metrics.reports.summary import headline
    from warehouse.reader import ReadOnlyWarehouse
    db, stop, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    settings, seen, errors, wh, reopened = load_settings(None), [], [], None, 0
    while not stop.exists():
        try:
            if wh is None or not wh.is_current():
                wh, reopened = ReadOnlyWarehouse(db), reopened + 1
            kpis = headline(wh, settings, Filters())
            runs = wh.scalar("SELECT count(*) FROM load_runs")
            seen.append([runs, kpis["contacts"], kpis["tickets"], kpis["frt_minutes"]["n"],
                         kpis["unanswered"]])
        except Exception as err:
            errors.append(repr(err))
    out.write_text(json.dumps({"seen": seen, "errors": errors, "reopened": reopened}))
    """
)


def write_batch(path: Path, batch: int) -> Path:
    """200 tickets; the first 150 answered 10 minutes after creation."""
    lines = ["ticket_id,created_at,first_response_at,status,channel,subject"]
    for i in range(TICKETS):
        created = f"2026-01-{5 + batch:02d}T09:{i % 60:02d}:00Z"
        answered = f"2026-01-{5 + batch:02d}T10:{i % 60:02d}:00Z" if i < ANSWERED else ""
        lines.append(f"B{batch}-{i},{created},{answered},open,email,Transfer stuck {i}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_headline_kpis_answer_throughout_five_loads_and_never_show_half_a_load(tmp_path, db_path):
    load_files(db_path, "tickets", [write_batch(tmp_path / "b0.csv", 0)])
    stop, out = tmp_path / "stop", tmp_path / "reader.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SUPPORT_SETTINGS", None)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db_path), str(stop), str(out)], env=env, cwd=ROOT
    )
    try:
        time.sleep(2.0)
        for batch in range(1, 6):
            load_files(db_path, "tickets", [write_batch(tmp_path / f"b{batch}.csv", batch)])
            time.sleep(0.5)
        time.sleep(1.0)
    finally:
        stop.touch()
        reader.wait(timeout=60)
    result = json.loads(out.read_text())
    assert result["errors"] == []
    states = {tuple(s) for s in result["seen"]}
    # Each answer is whole loads: n loads -> 200n contacts and tickets, 150n answered, 50n not.
    for runs, contacts, tickets, answered, unanswered in states:
        assert (contacts, tickets, answered, unanswered) == (
            TICKETS * runs,
            TICKETS * runs,
            ANSWERED * runs,
            (TICKETS - ANSWERED) * runs,
        ), states
    assert (6, TICKETS * 6, TICKETS * 6, ANSWERED * 6, (TICKETS - ANSWERED) * 6) in states
    assert len({s[0] for s in states}) >= 3, "the reader saw too few of the loads"
    assert result["reopened"] >= 3
