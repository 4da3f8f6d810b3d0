"""Nothing is wrong faster: every registered metric gives the same result from the facts the
loads built into the warehouse as from facts built in memory on first use (the path every
page took before), on the demo and on warehouses loaded from ../shared/real_data with the
shipped mappings. Each real-data warehouse is loaded file by file, so later files exercise
the incremental upkeep (or a whole rebuild, where they change most of a fact).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from facts_support import compare_every_metric

from etl.pipeline import load_files
from metrics.core.settings import load_settings, settings_from_dict

SETTINGS = load_settings()
FRESHDESK = Path(__file__).parents[1] / "fixtures" / "freshdesk" / "tickets.csv"

# (name, [(kind, mapping, path under real_data, or an absolute path)]) in load order.
REAL_SETS = [
    (
        "zendesk",
        [
            ("tickets", "zendesk_tickets", "zendesk-fivetran-seeds/ticket_data.csv"),
            ("messages", "zendesk_comments", "zendesk-fivetran-seeds/ticket_comment_data.csv"),
            (
                "ticket_events",
                "zendesk_field_history",
                "zendesk-fivetran-seeds/ticket_field_history_data.csv",
            ),
            ("agents", "zendesk_users", "zendesk-fivetran-seeds/user_data.csv"),
        ],
    ),
    (
        "kaggle",
        [
            (
                "tickets",
                "kaggle_tickets",
                "kaggle-support-tickets/customer_support_tickets_iso.csv",
            ),
            (
                "surveys",
                "kaggle_surveys",
                "kaggle-support-tickets/customer_support_tickets_iso.csv",
            ),
        ],
    ),
    (
        "helpdesk",
        [
            ("tickets", "helpdesk_eventlog_tickets", "helpdesk-eventlog/helpdesk.csv"),
            ("ticket_events", "helpdesk_eventlog_events", "helpdesk-eventlog/helpdesk.csv"),
        ],
    ),
    ("ubuntu", [("messages", "ubuntu_dialogue", "ubuntu-dialogue/dialogueText_head9999.csv")]),
    ("abcd", [("messages", "abcd", "abcd/abcd_sample.json")]),
    (
        "multilingual",
        [
            (
                "tickets",
                "multilingual_tickets",
                "multilingual-tickets/dataset-tickets-multi-lang3-4k_truncated.csv",
            ),
            (
                "messages",
                "multilingual_messages",
                "multilingual-tickets/dataset-tickets-multi-lang3-4k_truncated.csv",
            ),
        ],
    ),
    ("freshdesk", [("tickets", "freshdesk_tickets", str(FRESHDESK))]),
]


@pytest.fixture(scope="module")
def real_warehouses(real_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each real-data set loaded file by file (facts refreshed by every load)."""
    built = {}
    for name, files in REAL_SETS:
        db = tmp_path_factory.mktemp(name) / "warehouse.duckdb"
        for kind, mapping, path in files:
            (report,) = load_files(db, kind, [real_data / path], mapping, settings=SETTINGS)
            assert report.facts.startswith("derived facts refreshed"), report.facts
        built[name] = db
    return built


def test_every_metric_is_the_same_from_stored_and_lazy_facts_on_the_demo(demo_db):
    assert compare_every_metric(demo_db, SETTINGS) == []


@pytest.mark.parametrize("name", [name for name, _ in REAL_SETS])
def test_every_metric_is_the_same_from_stored_and_lazy_facts_on_real_data(real_warehouses, name):
    # One breakdown: by week, the chat queue crosses every week of ubuntu's eight years with
    # every hour (minutes per call, on either path).
    assert compare_every_metric(real_warehouses[name], SETTINGS, ("channel",)) == []


BUSINESS_HOURS = settings_from_dict(
    {
        "reporting": {"timezone": "Asia/Shanghai"},
        "support_hours": {
            "default": {
                "timezone": "Europe/Madrid",
                "holiday_country": "ES",
                "weekly": {d: ["09:00-13:00", "14:00-18:00"] for d in ("mon", "tue", "wed")},
            },
            "teams": {
                "zh": {
                    "timezone": "Asia/Shanghai",
                    "weekly": {d: ["08:00-20:00"] for d in ("mon", "tue", "thu", "fri", "sat")},
                }
            },
        },
        "windows": {"fcr_days": 3, "repeat_days": 14},
    }
)


def test_with_business_hours_and_other_windows_the_facts_built_for_them_agree_too(
    demo_db, tmp_path
):
    from etl.facts import refresh_warehouse_facts

    db = tmp_path / "demo.duckdb"
    db.write_bytes(demo_db.read_bytes())
    report = refresh_warehouse_facts(db, BUSINESS_HOURS)
    # only the facts that depend on these settings are rebuilt; the others stay as they are
    modes = {o.name: o.mode for o in report.outcomes}
    assert modes["contacts"] == "full" and modes["agent_reply_gaps"] == "unchanged"
    assert compare_every_metric(db, BUSINESS_HOURS) == []
