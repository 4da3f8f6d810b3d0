"""First response times on the Ubuntu Dialogue Corpus agree with a plain-Python computation.

The first 9,999 rows of the corpus (3,333 dialogues) are loaded through the shipped
mapping ``ubuntu_dialogue``; the FRT of every conversation is then computed here again,
independently, with the csv module: the customer is the sender of the dialogue's first
row (file order, as the mapping says), everyone else is an agent, and the first response
is the earliest agent message at or after the customer's earliest message (the recorded
times decide, as DESIGN's FRT does: "from the conversation's first customer message").

Of the 3,333 dialogues, 45 have a single sender and 13 have helper messages stamped only
before the asker's first message (the corpus joined messages years apart), so 3,275 have
both a customer message and a later agent message. Those must match one for one, both in
the contact fact and as the first wait of ``conversation_waits`` (reply time's rows).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest

from metrics.core.contacts import contacts
from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.response.conversation import conversation_waits
from warehouse.reader import ReadOnlyWarehouse

SETTINGS = load_settings()
UBUNTU = Path("ubuntu-dialogue") / "dialogueText_head9999.csv"


def expected_frts(path: Path) -> dict[str, float]:
    """Conversation ("folder/dialogueID") -> minutes to the first helper reply."""
    dialogues: dict[str, list[tuple[str, datetime]]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            sent = datetime.fromisoformat(row["date"].replace("Z", "+00:00"))
            dialogues[f"{row['folder']}/{row['dialogueID']}"].append((row["from"], sent))
    frts = {}
    for conversation, rows in dialogues.items():
        customer = rows[0][0]
        asked = min(sent for sender, sent in rows if sender == customer)
        replies = [sent for sender, sent in rows if sender != customer and sent >= asked]
        if replies:
            frts[conversation] = (min(replies) - asked).total_seconds() / 60
    return frts


@pytest.fixture(scope="module")
def ubuntu(real_warehouses_shared) -> ReadOnlyWarehouse:
    # the session's shared, read-only load of the export (tests/conftest.py)
    db, _ = real_warehouses_shared.load([("messages", "ubuntu_dialogue", str(UBUNTU))])
    return ReadOnlyWarehouse(db)


@pytest.fixture(scope="module")
def expected(real_data: Path) -> dict[str, float]:
    return expected_frts(real_data / UBUNTU)


def test_the_independent_count_is_the_documented_one(expected):
    assert len(expected) == 3333 - 45 - 13


def test_the_contact_fact_has_the_same_first_response_times(ubuntu, expected):
    frame = contacts(ubuntu, SETTINGS, Filters(), columns=("contact_id", "frt_minutes"))
    measured = frame.filter(pl.col("frt_minutes").is_not_null())
    assert len(frame) == 3333
    assert dict(measured.iter_rows()) == expected


def test_the_first_wait_of_each_conversation_is_its_first_response_time(ubuntu, expected):
    waits = conversation_waits(ubuntu, SETTINGS, Filters())
    first = waits.sort("waiting_from").group_by("contact_id", maintain_order=True).first()
    answered = first.filter(pl.col("wait_minutes").is_not_null())
    assert dict(answered.select("contact_id", "wait_minutes").iter_rows()) == expected
