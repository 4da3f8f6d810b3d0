"""The headline figures per channel (metrics.reports.channels)."""

from __future__ import annotations

from builders import ticket, ts

from metrics.core.filters import Filters
from metrics.core.settings import load_settings
from metrics.reports.channels import channel_breakdown
from metrics.response.first_response import first_response_time

SETTINGS = load_settings()


def test_each_channel_gets_its_own_figures_from_the_registered_metrics(make_wh):
    wh = make_wh({
        "tickets": [
            # email: answered after 30 and 90 min; chat: 2 min, and one unanswered
            ticket("E1", "2026-01-05 09:00", channel="email", first_response_at=ts("2026-01-05 09:30")),
            ticket("E2", "2026-01-05 10:00", channel="email", first_response_at=ts("2026-01-05 11:30")),
            ticket("C1", "2026-01-05 09:00", channel="chat", first_response_at=ts("2026-01-05 09:02")),
            ticket("C2", "2026-01-05 09:10", channel="chat"),
        ],
        "surveys": [{"source": "t", "ticket_id": "C1", "score": 5}],
    })  # fmt: skip
    frame = channel_breakdown(wh, SETTINGS, Filters())
    # 2 contacts each (50%); email FRT median (30 + 90)/2 = 60, chat 2 (n 1, 1 unanswered);
    # CSAT: chat 1/1 rated 4-5, email none (null, never 0); no customer ids: repeat null
    rows = frame.select("channel", "contacts", "share", "frt_n", "frt_median", "unanswered",
                        "csat_n", "csat", "repeat_n", "repeat_rate").rows()  # fmt: skip
    assert rows == [
        ("chat", 2, 0.5, 1, 2.0, 1, 1, 1.0, 0, None),
        ("email", 2, 0.5, 2, 60.0, 0, 0, None, 0, None),
    ]
    # the same figure as the metric's own, filtered on the channel
    email = first_response_time(wh, SETTINGS, Filters(channel=("email",))).row(0, named=True)
    assert email["median"] == rows[1][4]
