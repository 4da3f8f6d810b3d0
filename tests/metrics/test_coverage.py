"""Coverage and staffing on hand-written shifts and contacts.

The fixture: team "t" works in Europe/Berlin (UTC+1 in January; the reporting zone stays
UTC) over the two weeks Mon 2026-01-05 .. Sun 2026-01-18, so every hour of the week occurs
exactly twice. Berlin times below; slot = weekday * 24 + hour (Mon 13h = 13, Sat 11h = 131).

    shifts   A1 (speaks en)     Mon 09:00-17:00 both weeks, and a second, overlapping row
                                Mon 16:00-18:00 in week 1 (an agent counts at most once)
             A2 (speaks de-DE)  Mon 13:30-15:00 in week 1 only
    contacts T1 de  Mon 5  13:10  reply 13:40 (30 min)   A2 not yet on: no de speaker
             T2 de  Mon 12 13:50  reply 14:00 (10 min)   A2 not on in week 2
             T3 en  Mon 12 14:20  reply 14:25 (5 min)    A1 on
             T6 DE  Mon 5  14:10  reply 14:30 (20 min)   A2 on (DE = de-DE = de)
             T4 de  Mon 12 20:00  reply Tue 09:00 (780)  nobody on shift
             T5 en  Sat 10 11:00  unanswered             nobody on shift
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from builders import msg, ticket, ts

import metrics.coverage.staffing as coverage_staffing
from metrics.__main__ import main
from metrics.core.filters import Filters
from metrics.core.settings import load_settings, settings_from_dict
from metrics.coverage.erlang import erlang_c
from metrics.coverage.gaps import after_hours, coverage_by_hour, language_gaps
from metrics.coverage.shifts import team_zones
from metrics.coverage.staffing import staffing_by_hour

SETTINGS = load_settings()
BERLIN = "Europe/Berlin"
TWO_WEEKS = Filters(date_from=date(2026, 1, 5), date_to=date(2026, 1, 18))


def berlin(text: str) -> str:
    """A Berlin wall-clock time as the UTC text the builders take."""
    return ts(text, BERLIN).strftime("%Y-%m-%d %H:%M:%S")


def answered(
    tid: str, created: str, replied: str | None, language: str
) -> tuple[list[dict], list[dict]]:
    """A ticket of team t (Berlin times), its customer message and A1's reply (if any)."""
    messages = [msg(tid, "customer", berlin(created))]
    if replied:
        messages.append(msg(tid, "agent", berlin(replied), sender_id="A1"))
    return [ticket(tid, berlin(created), team="t", language=language)], messages


def shift(agent: str, start: str, end: str) -> dict:
    return {"agent_id": agent, "starts_at": ts(start, BERLIN), "ends_at": ts(end, BERLIN)}


CONTACTS = [
    ("T1", "2026-01-05 13:10", "2026-01-05 13:40", "de"),
    ("T2", "2026-01-12 13:50", "2026-01-12 14:00", "de"),
    ("T3", "2026-01-12 14:20", "2026-01-12 14:25", "en"),
    ("T6", "2026-01-05 14:10", "2026-01-05 14:30", "DE"),
    ("T4", "2026-01-12 20:00", "2026-01-13 09:00", "de"),
    ("T5", "2026-01-10 11:00", None, "en"),
]


@pytest.fixture
def wh(make_wh):
    tickets, messages = [], []
    for contact in CONTACTS:
        rows, sent = answered(*contact)
        tickets += rows
        messages += sent
    agents = [
        {"agent_id": "A1", "team": "t", "languages": ["en"], "timezone": BERLIN},
        {"agent_id": "A2", "team": "t", "languages": ["de-DE"], "timezone": BERLIN},
    ]
    shifts = [
        shift("A1", "2026-01-05 09:00", "2026-01-05 17:00"),
        shift("A1", "2026-01-05 16:00", "2026-01-05 18:00"),
        shift("A1", "2026-01-12 09:00", "2026-01-12 17:00"),
        shift("A2", "2026-01-05 13:30", "2026-01-05 15:00"),
    ]
    return make_wh({"tickets": tickets, "messages": messages, "agents": agents, "shifts": shifts})


def busy(frame: pl.DataFrame) -> list[dict]:
    return frame.filter((pl.col("n") > 0) | (pl.col("on_shift") > 0)).to_dicts()


def test_contacts_and_agents_on_shift_per_hour_of_week_in_the_teams_zone(wh):
    frame = coverage_by_hour(wh, SETTINGS, TWO_WEEKS, by="team")
    assert frame.height == 168 and set(frame["weeks"]) == {2}
    common = {"team": "t", "weekday": 0, "weeks": 2, "bot_only": 0, "outbound": 0,
              "unanswered": 0, "on_shift_source": "shifts"}  # fmt: skip

    # Mon 09-12 and 15-16: A1 both weeks = 2 h / 2 weeks = 1.0. Mon 13: A1 2 h + A2's half
    # hour = 2.5 / 2 = 1.25 agents; T1 and T2 arrive: 2 contacts / 2 weeks = 1.0 a week,
    # 1.0 / 1.25 = 0.8 per agent; FRT median of 30 and 10 = 20. Mon 14: A1 2 h + A2 1 h =
    # 1.5; T3 and T6 (5 and 20 min): median 12.5, 1.0 / 1.5 per agent. Mon 16: A1's two
    # overlapping rows count once = 1.0. Mon 17: the overlap row, week 1 only = 0.5.
    # Mon 20: T4 (780 min) with nobody on shift. Sat 11 (131): T5, unanswered.
    def row(hour, n, on_shift, per_agent, frt_n, frt, weekday=0, unanswered=0):
        return common | {"weekday": weekday, "hour": hour, "hour_of_week": weekday * 24 + hour,
                         "n": n, "contacts_per_week": n / 2, "on_shift": on_shift,
                         "contacts_per_agent": per_agent, "frt_n": frt_n,
                         "unanswered": unanswered, "frt_median": frt}  # fmt: skip

    idle = [row(h, 0, 1.0, 0.0, 0, None) for h in (9, 10, 11, 12, 15, 16)]
    assert busy(frame) == sorted(
        [
            *idle,
            row(13, 2, 1.25, 0.8, 2, 20.0),
            row(14, 2, 1.5, 1.0 / 1.5, 2, 12.5),
            row(17, 0, 0.5, 0.0, 0, None),
            row(20, 1, 0.0, None, 1, 780.0),
            row(11, 1, 0.0, None, 0, None, weekday=5, unanswered=1),
        ],
        key=lambda r: r["hour_of_week"],
    )


def test_without_shifts_presence_is_inferred_from_agent_message_hours(make_wh):
    # A1 (UTC) writes at Mon 10:04 and 10:33 in week 1 and Mon 10:10 in week 2: on in the
    # Mon 10h slot both weeks = 1.0 agents; never on at 11h.
    rows = [ticket("T1", "2026-01-05 10:00", team="t")]
    sent = [msg("T1", "customer", "2026-01-05 10:00")] + [
        msg("T1", "agent", at, sender_id="A1")
        for at in ("2026-01-05 10:04", "2026-01-05 10:33", "2026-01-12 10:10")
    ]
    agents = [{"agent_id": "A1", "team": "t", "languages": ["en"], "timezone": "UTC"}]
    frame = coverage_by_hour(
        make_wh({"tickets": rows, "messages": sent, "agents": agents}), SETTINGS, TWO_WEEKS
    )
    on = frame.filter(pl.col("on_shift") > 0).select("hour_of_week", "on_shift", "on_shift_source")
    assert on.to_dicts() == [{"hour_of_week": 10, "on_shift": 1.0, "on_shift_source": "messages"}]


def test_the_team_zone_is_its_agents_most_common_zone_else_its_calendars(make_wh):
    agents = [
        {"agent_id": "A1", "team": "t", "timezone": "Europe/London"},
        {"agent_id": "A2", "team": "t", "timezone": BERLIN},
        {"agent_id": "A3", "team": "t", "timezone": BERLIN},
        {"agent_id": "A4", "team": "u", "timezone": "Not/AZone"},
    ]
    settings = settings_from_dict({"support_hours": {"teams": {"u": {"timezone": "Asia/Tokyo"}}}})
    zones = team_zones(make_wh({"agents": agents}), settings)
    assert zones.to_dicts() == [{"team": "t", "zone": BERLIN}, {"team": "u", "zone": "Asia/Tokyo"}]


def test_language_gaps_match_the_languages_of_agents_on_shift_at_creation(wh):
    gaps = language_gaps(wh, SETTINGS, TWO_WEEKS).drop("on_shift_source")
    # de: T1 (A2 starts 20 min later) and T2 (A2 off in week 2) at Mon 13h, T4 at Mon 20h;
    # T6 ("DE") is covered by A2 ("de-DE"). en: T5 on Saturday; T3 is covered by A1.
    # Largest first: de Mon 13h (2), then the ties by language and slot.
    base = {"n": 1, "gap_contacts": 1, "gap_share": 1.0, "frt_n_gap": 1, "unanswered_gap": 0,
            "frt_median_covered": None}  # fmt: skip
    assert gaps.to_dicts() == [
        base | {"language": "de", "weekday": 0, "hour": 13, "hour_of_week": 13, "n": 2,
                "gap_contacts": 2, "frt_n_gap": 2, "frt_median_gap": 20.0},
        base | {"language": "de", "weekday": 0, "hour": 20, "hour_of_week": 20,
                "frt_median_gap": 780.0},
        base | {"language": "en", "weekday": 5, "hour": 11, "hour_of_week": 131,
                "frt_n_gap": 0, "unanswered_gap": 1, "frt_median_gap": None},
    ]  # fmt: skip


def test_language_gaps_per_language(wh):
    gaps = language_gaps(wh, SETTINGS, TWO_WEEKS, slot="all").drop("on_shift_source")
    # de: T1, T2, T4 of 4 (T6 covered, 20 min); gap FRT median of 30, 10, 780 = 30.
    # en: T5 (unanswered) of 2; T3 covered (5 min).
    assert gaps.to_dicts() == [
        {"language": "de", "n": 4, "gap_contacts": 3, "gap_share": 0.75, "frt_n_gap": 3,
         "unanswered_gap": 0, "frt_median_gap": 30.0, "frt_median_covered": 20.0},
        {"language": "en", "n": 2, "gap_contacts": 1, "gap_share": 0.5, "frt_n_gap": 0,
         "unanswered_gap": 1, "frt_median_gap": None, "frt_median_covered": 5.0},
    ]  # fmt: skip


def test_after_hours_without_a_calendar_means_nobody_of_the_team_on_shift(wh):
    row = after_hours(wh, SETTINGS, TWO_WEEKS).row(0, named=True)
    # 24x7 default calendar: T4 (Mon 20:00) and T5 (Sat) have nobody on shift: 2 of 6.
    # In hours FRT 30, 10, 5, 20 -> median 15; after hours only T4 answered: 780; 52x.
    assert {k: row[k] for k in ("n", "hits", "judged_by_calendar", "judged_by_shifts")} == {
        "n": 6,
        "hits": 2,
        "judged_by_calendar": 0,
        "judged_by_shifts": 6,
    }
    assert row["value"] == pytest.approx(2 / 6)
    assert (row["frt_n_in"], row["frt_median_in"], row["frt_n_after"]) == (4, 15.0, 1)
    assert (row["frt_median_after"], row["frt_ratio"]) == (780.0, 52.0)


def test_after_hours_with_a_team_calendar_uses_its_hours(wh):
    weekdays = {day: ["09:00-14:00"] for day in ("mon", "tue", "wed", "thu", "fri")}
    settings = settings_from_dict(
        {"support_hours": {"teams": {"t": {"timezone": BERLIN, "weekly": weekdays}}}}
    )
    row = after_hours(wh, settings, TWO_WEEKS, by="team").row(0, named=True)
    # Open Mon-Fri 09-14 Berlin: T1 13:10 and T2 13:50 in (30, 10 -> 20); T3 14:20,
    # T6 14:10, T4 20:00 and T5 (Sat) after (5, 20, 780 -> median 20; T5 unanswered).
    assert (row["team"], row["n"], row["hits"], row["judged_by_calendar"]) == ("t", 6, 4, 6)
    assert (row["frt_median_in"], row["frt_median_after"], row["frt_ratio"]) == (20.0, 20.0, 1.0)


# These fixture contacts are six, far below reporting.small_sample (30): the Erlang C tests
# on them take small_sample = 1, so a slot rests on its own contacts when it has one, else
# on the same hour on every weekday, else on its part of the day.
ONE = settings_from_dict({"reporting": {"small_sample": 1}})


def test_staffing_calls_erlang_c_with_the_mean_contacts_per_week_of_each_slot(wh, monkeypatch):
    calls = []

    def spy(*args):
        calls.append(args)
        return erlang_c(*args)

    monkeypatch.setattr(coverage_staffing, "erlang_c", spy)
    frame = staffing_by_hour(wh, ONE, TWO_WEEKS, by="team", aht_minutes=6.0)
    # Arrivals per 60-minute interval, each hour occurring twice: own slots Mon 13h and 14h
    # 2 / 2 = 1.0, Mon 20h and Sat 11h 1 / 2 = 0.5. The same hours on the other 6 weekdays
    # borrow every weekday's: 13h and 14h 2 / 14 = 1/7 (12 slots), 20h and 11h 1 / 14 (12).
    # Other hours borrow their part of the day: 12-18h (12, 15, 16, 17h) 4 contacts / (6 h x
    # 7 days x 2 weeks = 84) = 1/21 (28 slots); 06-12h (06-10h) 1 / 84 and 18-24h (18, 19,
    # 21-23h) 1 / 84 (35 + 35 slots). 00-06h holds none: 42 slots without a rate, no call.
    # 2 + 2 + 12 + 12 + 28 + 70 = 126 calls. AHT 6 (the option), 80% within 60 s,
    # shrinkage 0.3 (settings defaults).
    arrivals = sorted(args[0] for args in calls)
    expected = [1 / 84] * 70 + [1 / 21] * 28 + [1 / 14] * 12 + [1 / 7] * 12 + [0.5] * 2 + [1.0] * 2
    assert len(calls) == 126 and arrivals == pytest.approx(sorted(expected))
    assert {args[1:] for args in calls} == {(60.0, 6.0, 60.0, 0.8, 0.3)}
    # Mon 13h: traffic 1.0 x 6 / 60 = 0.1 erlangs; 1 agent answers 1 - 0.1 e^(-0.9 x 60/360)
    # = 91.4% within 60 s; rostered ceil(1 / 0.7) = 2; on shift 1.25: gap 0.75. Agents
    # taking contacts round(1.25 x 0.7) = 1: wait = C x AHT / (N - A) = 0.1 x 360 / 0.9 =
    # 40 s. Mon 20h: traffic 0.05, rostered 2, nobody on shift: gap 2, no wait. Tue 13h:
    # 1/7 x 6 / 60 = 1/70 erlangs, rostered 2, nobody on: gap 2. Mon 03h: no rate, no gap.
    rows = {r["hour_of_week"]: r for r in frame.iter_rows(named=True)}
    pick = ("n", "pooled", "basis_n", "contacts_per_week", "traffic_erlangs", "agents_needed",
            "rostered_needed", "on_shift", "gap", "aht_source")  # fmt: skip
    got = {h: tuple(rows[h][c] for c in pick) for h in (13, 20, 24 + 13, 3)}
    assert got == {
        13: (2, "hour of week", 2, 1.0, pytest.approx(0.1), 1, 2, 1.25, 0.75, "option"),
        20: (1, "hour of week", 1, 0.5, pytest.approx(0.05), 1, 2, 0.0, 2.0, "option"),
        37: (0, "hour of day", 2, pytest.approx(1 / 7), pytest.approx(1 / 70), 1, 2, 0.0, 2.0,
             "option"),
        3: (0, None, 0, None, None, None, None, 0.0, None, "option"),
    }  # fmt: skip
    assert rows[13]["expected_wait_seconds"] == pytest.approx(40.0)
    assert rows[20]["expected_wait_seconds"] is None
    # the slots without a rate sort last, never as a shortfall
    assert frame.tail(42)["gap"].null_count() == 42


def test_gap_periods_join_consecutive_short_hours_and_unjudged_hours_end_them(wh):
    periods = staffing_by_hour(wh, ONE, TWO_WEEKS, by="team", view="gaps", aht_minutes=6.0)
    # Every slot with a rate needs 2 rostered (traffic at most 0.1: 1 agent / 0.7, rounded
    # up). Nobody is on shift but on Monday 09-18h, so every hour from 06:00 to 24:00 is
    # short; 00-06h have no rate (no contact in that part of the day) and end each run: 7
    # periods of 18 hours. Tue-Sun: 18 x 2 = 36 agent-hours short. Monday: 06-08h 3 x 2,
    # 09-12h 4 x (2 - 1.0), 13h 0.75, 14h 0.5, 15-16h 2 x 1.0, 17h 2 - 0.5, 18-23h 6 x 2 =
    # 6 + 4 + 0.75 + 0.5 + 2 + 1.5 + 12 = 26.75. Saturday comes first of the 36s: its 11h
    # rate is its own 0.5 (T5), the other days' 11h borrow 1/14. n = the period's own
    # contacts: Saturday T5 = 1, Monday T1, T2, T3, T6, T4 = 5; pooled_hours = hours on a
    # borrowed rate: Saturday 17 of 18, Monday 15 (13h, 14h and 20h are its own).
    first, last = periods.row(0, named=True), periods.row(-1, named=True)
    assert periods.height == 7 and set(periods["hours"]) == {18}
    assert (first["starts"], first["ends"], first["agent_hours_short"], first["n"],
            first["pooled_hours"]) == ("Sat 06:00", "Sun 00:00", 36.0, 1, 17)  # fmt: skip
    assert (last["starts"], last["ends"], last["agent_hours_short"], last["n"],
            last["pooled_hours"], last["min_on_shift"], last["max_rostered_needed"]) == (
        "Mon 06:00", "Tue 00:00", 26.75, 5, 15, 0.0, 2)  # fmt: skip
    middle = periods.slice(1, 5)
    assert set(middle["starts"]) == {"Tue 06:00", "Wed 06:00", "Thu 06:00", "Fri 06:00",
                                     "Sun 06:00"}  # fmt: skip
    assert set(middle["agent_hours_short"]) == {36.0} and set(middle["n"]) == {0}
    # at small_sample 30 no slot has a rate, even over its part of the day: no period
    assert staffing_by_hour(wh, SETTINGS, TWO_WEEKS, view="gaps", aht_minutes=6.0).is_empty()


def test_a_sparse_night_slot_borrows_the_same_hour_on_every_weekday(make_wh, monkeypatch):
    # One week, Mon 2026-01-05 .. Sun 01-11, reporting zone UTC, no team, no shifts and no
    # agent messages (nobody on shift): every hour of the week occurs once.
    #   03h: Mon 10 contacts, Tue-Sun 4 each (24): Mon 03h has 10 < 30 of its own; 03h on
    #        every weekday 10 + 24 = 34 >= 30: rate 34 contacts / 7 occurrences = 34/7 a week
    #        for each 03h slot. Other night hours (00-02h, 04-05h) have none even over their
    #        hour: the 00-06h part of the day, 34 over 6 x 7 = 42 occurrences = 34/42.
    #   Mon 10h: 30 contacts, its own rate 30 / 1 = 30.0; Tue 10h borrows 10h: 30/7;
    #        06-09h and 11h borrow 06-12h: 30/42.
    #   Wed 15h 20, Thu 16h 12: 15h (20) and 16h (12) < 30, 12-18h 32: 32/42 for each.
    #   Fri 22h 5: 5 even over 18-24h: no rate, no gap (42 slots of 18-24h).
    counts = {(0, 3): 10, **{(d, 3): 4 for d in range(1, 7)}, (0, 10): 30, (2, 15): 20,
              (3, 16): 12, (4, 22): 5}  # fmt: skip
    tickets = [
        ticket(f"T{day}-{hour}-{i}", f"2026-01-{5 + day:02d} {hour:02d}:{i:02d}")
        for (day, hour), n in counts.items()
        for i in range(n)
    ]
    wh = make_wh({"tickets": tickets})
    week = Filters(date_from=date(2026, 1, 5), date_to=date(2026, 1, 11))
    calls = []

    def spy(*args):
        calls.append(args)
        return erlang_c(*args)

    monkeypatch.setattr(coverage_staffing, "erlang_c", spy)
    frame = staffing_by_hour(wh, SETTINGS, week, aht_minutes=6.0)
    rows = {r["hour_of_week"]: r for r in frame.iter_rows(named=True)}

    def basis(hour_of_week: int) -> tuple:
        r = rows[hour_of_week]
        return r["n"], r["pooled"], r["basis_n"], r["contacts_per_week"]

    assert basis(3) == (10, "hour of day", 34, pytest.approx(34 / 7))  # Mon 03h
    assert basis(2 * 24 + 3) == (4, "hour of day", 34, pytest.approx(34 / 7))  # Wed 03h
    assert basis(5 * 24 + 1) == (0, "part of day", 34, pytest.approx(34 / 42))  # Sat 01h
    assert basis(10) == (30, "hour of week", 30, 30.0)  # Mon 10h
    assert basis(24 + 10) == (0, "hour of day", 30, pytest.approx(30 / 7))  # Tue 10h
    assert basis(7) == (0, "part of day", 30, pytest.approx(30 / 42))  # Mon 07h
    assert basis(6 * 24 + 15) == (0, "part of day", 32, pytest.approx(32 / 42))  # Sun 15h
    assert basis(4 * 24 + 22) == (5, None, 5, None)  # Fri 22h: not enough data
    assert rows[4 * 24 + 22]["gap"] is None and rows[22]["gap"] is None
    # Erlang C gets the pooled rate: every slot but the 42 of 18-24h, Mon 03h with 34/7
    # contacts a week, 60-minute intervals, AHT 6, 80% in 60 s, shrinkage 0.3.
    assert len(calls) == 168 - 42
    assert calls.count((pytest.approx(34 / 7), 60.0, 6.0, 60.0, 0.8, 0.3)) == 7
    # Mon 03h: traffic 34/7 x 6 / 60 = 0.4857 erlangs. 1 agent: C = A = 0.4857, service
    # 1 - 0.4857 e^(-(1 - 0.4857) x 60/360) = 1 - 0.4857 x 0.9178 = 55% < 80%. 2 agents:
    # A^2/2 x 2/(2 - A) = 0.1180 x 1.3207 = 0.1558, C = 0.1558 / (1 + 0.4857 + 0.1558) =
    # 0.0949, service 1 - 0.0949 e^(-1.5143/6) = 1 - 0.0949 x 0.7769 = 92.6%: 2 agents,
    # rostered ceil(2 / 0.7) = 3, nobody on shift: gap 3.
    mon3 = rows[3]
    assert mon3["traffic_erlangs"] == pytest.approx(34 / 7 * 6 / 60)
    assert (mon3["agents_needed"], mon3["rostered_needed"], mon3["gap"]) == (2, 3, 3.0)
    # The short periods run over the pooled night: 00-06h is one run each day (then 06-18h,
    # also short, continues it up to the unjudged 18-24h): 7 runs of 18 hours.
    periods = staffing_by_hour(wh, SETTINGS, week, view="gaps", aht_minutes=6.0)
    assert periods.height == 7 and set(periods["hours"]) == {18}
    assert set(periods["starts"]) == {f"{d} 00:00" for d in ("Mon", "Tue", "Wed", "Thu",
                                                              "Fri", "Sat", "Sun")}  # fmt: skip


def test_handle_time_is_estimated_from_each_agents_consecutive_messages(make_wh):
    # Agent X: 10:00 (T1), 10:04 (T2, 4 min after), 10:10 (T1, 6), 10:30 (T2, 20 > the
    # 10-minute gap: not timed), 10:33 (T1, 3). 13 min over 3 timed messages, 5 replies to
    # 2 contacts: AHT = 13 / 3 x 5 / 2 = 10.83 min.
    times = {"T1": ("10:00", "10:10", "10:33"), "T2": ("10:04", "10:30")}
    tickets = [ticket(t, "2026-01-05 09:55") for t in times]
    messages = [msg(t, "customer", "2026-01-05 09:55") for t in times] + [
        msg(t, "agent", f"2026-01-05 {at}", sender_id="X") for t, ats in times.items() for at in ats
    ]
    wh = make_wh({"tickets": tickets, "messages": messages})
    few = settings_from_dict({"reporting": {"small_sample": 3}})
    estimated = staffing_by_hour(wh, few, TWO_WEEKS)
    assert set(estimated["aht_source"]) == {"messages"}
    assert estimated["aht_minutes"][0] == pytest.approx(65 / 6)
    # Below reporting.small_sample (30) timed messages: settings' default (6 min).
    fallback = staffing_by_hour(wh, SETTINGS, TWO_WEEKS)
    assert set(fallback.select("aht_minutes", "aht_source").rows()) == {(6.0, "settings")}


def test_a_gap_reaching_back_before_the_period_counts_from_the_agents_previous_reply(make_wh):
    # Agent X answers T0 (created before the period) at 23:57 on Jan 4, then T1 (in the
    # period, reporting time zone UTC) at 00:01 (4 min after) and 00:09 (8 min after): both
    # timed, 12 min over 2 timed messages, 2 replies to 1 contact: AHT = 12 / 2 x 2 / 1 = 12.
    # Without the reply before the period it would be 8 / 1 x 2 = 16.
    tickets = [ticket("T0", "2026-01-04 23:50"), ticket("T1", "2026-01-05 00:00")]
    messages = [
        msg("T0", "agent", "2026-01-04 23:57", sender_id="X"),
        msg("T1", "agent", "2026-01-05 00:01", sender_id="X"),
        msg("T1", "agent", "2026-01-05 00:09", sender_id="X"),
    ]
    wh = make_wh({"tickets": tickets, "messages": messages})
    one = settings_from_dict({"reporting": {"small_sample": 1}})
    frame = staffing_by_hour(wh, one, TWO_WEEKS)
    assert set(frame.select("aht_minutes", "aht_source").rows()) == {(12.0, "messages")}


def test_bot_only_and_outbound_contacts_need_no_agent(make_wh):
    rows = [ticket("T1", "2026-01-05 09:00"), ticket("T2", "2026-01-05 09:10")]
    messages = [
        msg("C1", "customer", "2026-01-05 09:20"),
        msg("C1", "bot", "2026-01-05 09:21"),
        msg("T1", "customer", "2026-01-05 09:00"),
        msg("T2", "agent", "2026-01-05 09:10", sender_id="A"),
    ]
    frame = coverage_by_hour(make_wh({"tickets": rows, "messages": messages}), SETTINGS, TWO_WEEKS)
    # Mon 09h: T1 needs an agent (unanswered); C1 is bot-only, T2 outbound (agent opener).
    nine = frame.filter(pl.col("hour_of_week") == 9).row(0, named=True)
    assert (nine["n"], nine["bot_only"], nine["outbound"], nine["unanswered"]) == (1, 1, 1, 1)
    # No shifts: agent A's opener at 09:10 puts A on for the clock hour 09-10, so T1 (no
    # team: any agent counts) is in hours. C1 and T2 are counted apart, not in n.
    hours = after_hours(make_wh({"tickets": rows, "messages": messages}), SETTINGS, TWO_WEEKS)
    assert hours.select("n", "hits", "bot_only", "outbound").row(0) == (1, 0, 1, 1)


def test_an_empty_period_gives_empty_frames_with_the_columns(wh):
    nothing = Filters(date_from=date(2025, 1, 6), date_to=date(2025, 1, 12))
    assert coverage_by_hour(wh, SETTINGS, nothing, by="team").columns[:4] == [
        "team",
        "weekday",
        "hour",
        "hour_of_week",
    ]
    assert staffing_by_hour(wh, SETTINGS, nothing, view="gaps").is_empty()
    assert language_gaps(wh, SETTINGS, nothing, slot="weekday").columns[:2] == [
        "language",
        "weekday",
    ]
    assert after_hours(wh, SETTINGS, nothing).is_empty()


def test_options_and_breakdowns_are_checked(wh):
    with pytest.raises(ValueError, match="by team only"):
        coverage_by_hour(wh, SETTINGS, TWO_WEEKS, by="channel")
    with pytest.raises(ValueError, match="view must be"):
        staffing_by_hour(wh, SETTINGS, TWO_WEEKS, view="heatmap")
    with pytest.raises(ValueError, match="slot must be"):
        language_gaps(wh, SETTINGS, TWO_WEEKS, slot="minute")


def test_the_cli_shows_staffing_gaps(wh, capsys, tmp_path):
    one = tmp_path / "settings.toml"
    one.write_text("[reporting]\nsmall_sample = 1\n")
    code = main(["show", "staffing_by_hour", "--db", str(wh.path), "--from", "2026-01-05",
                 "--to", "2026-01-18", "--by", "team", "--option", "view=gaps",
                 "--option", "aht_minutes=6", "--format", "csv", "--settings", str(one)])  # fmt: skip
    lines = capsys.readouterr().out.splitlines()
    assert code == 0 and lines[0].startswith("team,starts,ends,start_hour_of_week,hours")
    # the largest period, as test_gap_periods_join_... works out: Sat 06:00-24:00
    assert lines[1].startswith("t,Sat 06:00,Sun 00:00,126,18")


def test_overall_each_team_counts_in_its_own_zone(make_wh):
    # A1 (team t, Berlin) on Mon 09-10 Berlin time, B1 (team u, UTC) on Mon 09-10 UTC, in
    # week 1: both at local Mon 09h, 1 agent-hour each over 2 weeks. Overall the slot sums
    # them (1.0); by team each has 0.5.
    agents = [
        {"agent_id": "A1", "team": "t", "timezone": BERLIN},
        {"agent_id": "B1", "team": "u", "timezone": "UTC"},
    ]
    shifts = [
        shift("A1", "2026-01-05 09:00", "2026-01-05 10:00"),
        {"agent_id": "B1", "starts_at": ts("2026-01-05 09:00"), "ends_at": ts("2026-01-05 10:00")},
    ]
    wh = make_wh(
        {"tickets": [ticket("T1", "2026-01-06 12:00")], "agents": agents, "shifts": shifts}
    )
    on = pl.col("on_shift") > 0
    overall = coverage_by_hour(wh, SETTINGS, TWO_WEEKS).filter(on)
    assert overall.select("hour_of_week", "on_shift").rows() == [(9, 1.0)]
    teams = coverage_by_hour(wh, SETTINGS, TWO_WEEKS, by="team").filter(on)
    assert teams.select("team", "hour_of_week", "on_shift").rows() == [("t", 9, 0.5), ("u", 9, 0.5)]
