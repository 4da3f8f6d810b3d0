"""What each metric needs and whether a warehouse has it (metrics.core.availability)."""

from __future__ import annotations

from datetime import date

from builders import msg, ticket, ts
from test_registry import every_metric

from metrics.core.availability import NEEDS, availability, availability_table
from metrics.core.filters import Filters
from metrics.core.input_rules import INPUTS
from metrics.core.provisional import kind_of
from metrics.core.settings import load_settings, settings_from_dict

SETTINGS = load_settings()


def test_every_registered_metric_declares_its_inputs():
    registered = set(every_metric())
    missing = registered - set(NEEDS)
    assert not missing, f"{sorted(missing)}: add them to NEEDS in metrics/core/availability.py"
    # and nothing is declared that does not exist (besides the contact count pages show)
    assert set(NEEDS) - registered == {"contacts", "csat_trend"}


def test_every_declaration_names_known_inputs_and_a_settle_kind():
    for name, needs in NEEDS.items():
        assert set(needs.required) | set(needs.optional) <= set(INPUTS), name
        assert kind_of(name) == needs.settles


def tickets_only(make_wh):
    return make_wh(
        {"tickets": [ticket("T1", "2026-01-05 09:00"), ticket("T2", "2026-01-06 10:00")]}
    )


def test_a_tickets_only_warehouse_cannot_answer_response_or_staffing(make_wh):
    wh = tickets_only(make_wh)
    frt = availability(wh, SETTINGS, Filters(), "frt")
    assert (frt.status, frt.reasons, frt.commands) == (
        "not_available",
        ["no agent messages and no first-response times (first_response_at) are loaded"],
        ["python -m etl load messages FILE --db PATH"],
    )
    staffing = availability(wh, SETTINGS, Filters(), "staffing_by_hour")
    assert staffing.status == "not_available"
    assert staffing.commands == ["python -m etl load shifts FILE --db PATH"]
    # contacts by hour of week can be drawn; agents on shift cannot: partial
    coverage = availability(wh, SETTINGS, Filters(), "coverage_by_hour")
    assert coverage.status == "partial" and coverage.lacks("presence")
    csat = availability(wh, SETTINGS, Filters(), "csat")
    assert csat.text() == (
        "not available: no survey responses are loaded "
        "(to fix: python -m etl load surveys FILE --db PATH)"
    )
    assert availability(wh, SETTINGS, Filters(), "peak_days").status == "available"


def test_agents_on_shift_from_shifts_are_whole_and_from_messages_partial(make_wh):
    base = {
        "tickets": [ticket("T1", "2026-01-05 09:00")],
        "messages": [msg("T1", "customer", "2026-01-05 09:00"),
                     msg("T1", "agent", "2026-01-05 09:30", sender_id="A1")],
    }  # fmt: skip
    inferred = availability(make_wh(base), SETTINGS, Filters(), "staffing_by_hour")
    assert inferred.status == "partial"
    assert inferred.reasons == [
        "agents on shift are inferred from the hours they sent messages (no shifts loaded)"
    ]
    shifts = [{"agent_id": "A1", "starts_at": ts("2026-01-05 08:00"),
               "ends_at": ts("2026-01-05 16:00")}]  # fmt: skip
    rostered = availability(
        make_wh({**base, "shifts": shifts}), SETTINGS, Filters(), "staffing_by_hour"
    )
    assert rostered.status == "available"
    # a shift outside the period does not count for it
    later = Filters(date(2026, 2, 1), date(2026, 2, 7))
    assert availability(
        make_wh({**base, "shifts": shifts}), SETTINGS, later, "staffing_by_hour"
    ).status == ("not_available")


def test_the_period_says_whether_any_shift_or_agent_message_falls_in_it(make_wh):
    from metrics.core.inputs import data_facts

    wh = make_wh({
        "tickets": [ticket("T1", "2026-01-05 09:00")],
        "messages": [msg("T1", "customer", "2026-01-05 09:00"),
                     msg("T1", "agent", "2026-01-05 09:30", sender_id="A1"),
                     msg("T1", "agent", "2026-01-05 10:00", sender_id="A1"),
                     msg("T1", "agent", "2026-01-20 10:00")],  # no sender: not counted
        "shifts": [{"agent_id": "A1", "starts_at": ts("2026-01-05 08:00"),
                    "ends_at": ts("2026-01-05 16:00")},
                   {"agent_id": "A2", "starts_at": ts("2026-01-05 12:00"),
                    "ends_at": ts("2026-01-05 20:00")},
                   {"agent_id": "A1", "starts_at": ts("2026-01-20 08:00"),
                    "ends_at": ts("2026-01-20 08:00")}],  # empty: not counted
    })  # fmt: skip
    # 5 January: two shifts and two agent messages with a sender -> 1 and 1 (whether any);
    # no dates: the contacts' first to last day, 5 January again
    for filters in (Filters(date(2026, 1, 5), date(2026, 1, 5)), Filters()):
        assert data_facts(wh, SETTINGS, filters).period == {"shifts": 1, "agent_messages": 1}
    # 20 January: only the empty shift and the message without a sender -> 0 and 0
    twentieth = Filters(date(2026, 1, 20), date(2026, 1, 20))
    assert data_facts(wh, SETTINGS, twentieth).period == {"shifts": 0, "agent_messages": 0}


def test_surveys_that_join_no_ticket_are_named_as_such(make_wh):
    wh = make_wh({
        "tickets": [ticket("T1", "2026-01-05 09:00")],
        "surveys": [{"source": "other", "ticket_id": "T1", "score": 5}],
    })  # fmt: skip
    csat = availability(wh, SETTINGS, Filters(), "csat")
    assert csat.status == "not_available"
    assert csat.reasons == [
        "1 survey responses are loaded but none belongs to a loaded ticket (check that their "
        "source and ticket_id match the tickets')"
    ]


def test_a_support_hours_calendar_makes_after_hours_available_without_shifts(make_wh):
    wh = tickets_only(make_wh)
    assert availability(wh, SETTINGS, Filters(), "after_hours").status == "not_available"
    office = settings_from_dict(
        {"support_hours": {"default": {"weekly": {"mon": ["09:00-17:00"]}}}}
    )
    assert availability(wh, office, Filters(), "after_hours").status == "available"
    # without a calendar business time is calendar time: partial, and it says why
    answered = make_wh(
        {"tickets": [ticket("T1", "2026-01-05 09:00", first_response_at=ts("2026-01-05 09:30"))]}
    )
    frt_business = availability(answered, SETTINGS, Filters(), "frt_business")
    assert (frt_business.status, frt_business.reasons) == (
        "partial",
        ["no support hours in settings (24x7): business time equals calendar time"],
    )
    assert availability(answered, office, Filters(), "frt_business").status == "available"


def test_filters_that_match_nothing_say_so(make_wh):
    wh = tickets_only(make_wh)
    nothing = Filters(channel=("phone",))
    peaks = availability(wh, SETTINGS, nothing, "peak_days")
    assert peaks.status == "not_available"
    assert peaks.reasons == ["no contact matches these filters (widen the period or a filter)"]
    assert peaks.commands == []


def test_an_empty_warehouse_names_the_first_load(make_wh):
    table = availability_table(make_wh({}), SETTINGS, Filters())
    assert table.height == len(NEEDS)
    assert set(table["status"]) == {"not_available"}
    assert set(table["commands"]) >= {"python -m etl load tickets FILE --db PATH"}


def test_a_share_of_contacts_without_a_customer_makes_fcr_partial(make_wh):
    solved = {"status": "solved", "reopens": 0}
    wh = make_wh({"tickets": [
        ticket("T1", "2026-01-05 09:00", customer_id="C1", solved_at=ts("2026-01-05 10:00"), **solved),
        ticket("T2", "2026-01-05 09:00", solved_at=ts("2026-01-05 10:00"), **solved),
    ]})  # fmt: skip
    fcr = availability(wh, SETTINGS, Filters(), "fcr_rate")
    assert fcr.status == "partial"
    assert "only 1 of 2 contacts have a customer id (50%)" in fcr.reasons


def test_the_filtered_counts_are_counted_once_per_filter_choice(make_wh, monkeypatch):
    from metrics.core import inputs

    wh = tickets_only(make_wh)
    counted: list[Filters] = []
    count = inputs.contact_counts
    monkeypatch.setattr(
        inputs, "contact_counts", lambda w, s, f: counted.append(f) or count(w, s, f)
    )
    fifth = Filters(date_from=date(2026, 1, 5), date_to=date(2026, 1, 5))
    first = inputs.data_facts(wh, SETTINGS, fifth)
    first.contacts["contacts"] = 99  # a caller's change is its own
    again = inputs.data_facts(wh, SETTINGS, fifth)
    # T1 on 5 January; the second call is answered from the first
    assert (again.contacts["contacts"], again.contacts["tickets"]) == (1, 1)
    assert counted == [fifth]
    # another choice counts again: T1 and T2
    assert inputs.data_facts(wh, SETTINGS, Filters()).contacts["contacts"] == 2
    assert counted == [fifth, Filters()]


def _rated(score: int, ticket_id: str) -> dict:
    return {"source": "t", "ticket_id": ticket_id, "score": score, "responded_at": None}


def test_csat_over_time_needs_rated_contacts_with_a_creation_time(make_wh):
    # T1 and T2 have creation times, T3 and T4 none; T3 and T4 are the rated ones. Peak days
    # (contacts per day) stand on T1 and T2 (partial: 2 of 4 timed); CSAT stands on the two
    # ratings; CSAT per week has none of its 2 ratings in a week: not available.
    untimed = {"source": "t", "created_at": None}
    wh = make_wh({
        "tickets": [ticket("T1", "2026-01-05 09:00"), ticket("T2", "2026-01-06 10:00"),
                    {**untimed, "ticket_id": "T3"}, {**untimed, "ticket_id": "T4"}],
        "surveys": [_rated(5, "T3"), _rated(2, "T4")],
    })  # fmt: skip
    assert availability(wh, SETTINGS, Filters(), "peak_days").status == "partial"
    assert availability(wh, SETTINGS, Filters(), "csat").status == "available"
    trend = availability(wh, SETTINGS, Filters(), "csat_trend")
    assert trend.status == "not_available"
    assert trend.reasons == [
        "none of the 2 survey responses of these contacts belongs to a contact with a creation "
        "time, which places a rating in a week (the export has none)"
    ]
    assert trend.commands == ["python -m etl load tickets FILE --db PATH --mapping MAPPING"]
    # one rated contact with a time (T1), one without (T3): 1 of 2 placed, partial
    wh = make_wh({
        "tickets": [ticket("T1", "2026-01-05 09:00"), {**untimed, "ticket_id": "T3"}],
        "surveys": [_rated(4, "T1"), _rated(5, "T3")],
    })  # fmt: skip
    trend = availability(wh, SETTINGS, Filters(), "csat_trend")
    assert (trend.status, trend.reasons) == ("partial", [
        "only 1 of 2 survey responses belong to a contact with a creation time (the others "
        "are in no week)"
    ])  # fmt: skip
