"""Timestamp and date parsing of export cells: shapes, zones, DST, epochs, day-first dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import polars as pl
import pytest

from etl.timestamps import parse_dates, parse_timestamps, plausible
from etl.timezones import RAILS_ZONES, resolve_timezone


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def parsed(*values: str | None, **options) -> list[datetime | None]:
    return parse_timestamps(pl.Series("t", values, dtype=pl.String), **options).to_list()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-01T10:00:00Z", utc(2024, 3, 1, 10)),
        ("2024-03-01 10:00:00", utc(2024, 3, 1, 10)),  # no zone: the default zone, UTC
        ("2024-03-01T10:00:00.123456Z", utc(2024, 3, 1, 10, 0, 0, 123456)),
        ("2008-04-23T14:55:00.000Z", utc(2008, 4, 23, 14, 55)),  # the Ubuntu dialogue shape
        ("2024-03-01T10:00:00+08:00", utc(2024, 3, 1, 2)),  # 10:00 at +8 is 02:00 UTC
        ("2024-03-01 10:00:00+0800", utc(2024, 3, 1, 2)),
        ("2024-03-01T10:00:00+08", utc(2024, 3, 1, 2)),
        ("2010-01-13 08:40:25+00:00", utc(2010, 1, 13, 8, 40, 25)),  # the helpdesk event log
        ("2024-03-01T10:00:00 +05:30", utc(2024, 3, 1, 4, 30)),  # 10:00 - 5:30
        ("2024-03-01 10:00:00 UTC", utc(2024, 3, 1, 10)),
        ("2024-03-01T10:00", utc(2024, 3, 1, 10)),  # no seconds
        ("2024-03-01", utc(2024, 3, 1)),  # date only: midnight
        ("2024/03/01 10:00", utc(2024, 3, 1, 10)),
        ("1 March 2024", utc(2024, 3, 1)),
        ("01-Mar-2024 10:00:00", utc(2024, 3, 1, 10)),  # Excel's dd-mmm-yyyy
        ("1-march-2024", utc(2024, 3, 1)),
        ("Mar 1, 2024 10:00", utc(2024, 3, 1, 10)),
        ("Fri, 01 Mar 2024 10:00:00 GMT", utc(2024, 3, 1, 10)),  # RFC 2822 (e-mail headers)
        ("Tue Oct 31 22:11:45 +0000 2017", utc(2017, 10, 31, 22, 11, 45)),  # Twitter
    ],
)
def test_each_timestamp_shape_parses_to_the_utc_instant(text: str, expected: datetime) -> None:
    assert parsed(text) == [expected]


def test_the_result_is_a_utc_datetime_column_with_the_input_name() -> None:
    result = parse_timestamps(pl.Series("created_at", ["2024-03-01"]))
    assert (result.name, result.dtype) == ("created_at", pl.Datetime("us", "UTC"))


def test_mixed_offsets_in_one_column_are_each_honoured() -> None:
    # 10:00 at +08:00 is 02:00 UTC; 10:00 at -05:00 is 15:00 UTC; Z is UTC itself
    assert parsed(
        "2024-03-01T10:00:00+08:00", "2024-03-01T10:00:00-05:00", "2024-03-01T10:00:00Z"
    ) == [
        utc(2024, 3, 1, 2),
        utc(2024, 3, 1, 15),
        utc(2024, 3, 1, 10),
    ]


def test_epoch_seconds_and_milliseconds_give_the_same_instant() -> None:
    # 1_700_000_000 s after 1970-01-01 is 2023-11-14 22:13:20 UTC; ms is the same times 1000
    assert parsed("1700000000", "1700000000000", "1700000000.5") == [
        utc(2023, 11, 14, 22, 13, 20),
        utc(2023, 11, 14, 22, 13, 20),
        utc(2023, 11, 14, 22, 13, 20, 500000),
    ]


def test_epoch_numbers_from_1e11_are_milliseconds() -> None:
    # 99_999_999_999 s is in year 5138; 100_000_000_000 ms = 100_000_000 s = 1973-03-03 09:46:40
    assert parsed("99999999999", "100000000000") == [
        utc(5138, 11, 16, 9, 46, 39),
        utc(1973, 3, 3, 9, 46, 40),
    ]


def test_day_first_decides_an_ambiguous_date() -> None:
    assert parsed("01-06-2023", day_first=True) == [utc(2023, 6, 1)]  # 1 June
    assert parsed("01-06-2023", day_first=False) == [utc(2023, 1, 6)]  # 6 January


def test_slash_dash_and_dot_separators_read_alike() -> None:
    # day first: 1 June 2023 whatever the separator
    assert parsed("01/06/2023", "01-06-2023", "1.6.2023", day_first=True) == [utc(2023, 6, 1)] * 3


def test_the_kaggle_spreadsheet_time_is_read_day_first() -> None:
    # The spreadsheet round trip wrote 2023-06-01 12:15:36 as "01-06-2023 12:15" (seconds lost)
    assert parsed("01-06-2023 12:15", day_first=True) == [utc(2023, 6, 1, 12, 15)]


def test_a_date_only_valid_day_first_is_read_so_whatever_day_first_says() -> None:
    # 22 cannot be a month, so "22-03-2021" is 22 March 2021 either way
    assert parsed("22-03-2021", day_first=True) == [utc(2021, 3, 22)]
    assert parsed("22-03-2021", day_first=False) == [utc(2021, 3, 22)]


def test_a_two_digit_year_is_in_this_century_not_year_21() -> None:
    assert parsed("22-03-21", day_first=True) == [utc(2021, 3, 22)]


def test_a_twelve_hour_clock_is_read() -> None:
    # month first: 1 March, 1:05 PM is 13:05
    assert parsed("3/1/2024 1:05 PM") == [utc(2024, 3, 1, 13, 5)]


def test_every_cell_of_the_kaggle_roundtrip_export_parses(real_data) -> None:
    path = real_data / "kaggle-support-tickets" / "customer_support_tickets_excel_roundtrip.csv"
    frame = pl.read_csv(path, infer_schema=False)
    for column in ("Date of Purchase", "First Response Time", "Time to Resolution"):
        result = parse_timestamps(frame[column], day_first=True)
        assert result.null_count() == frame[column].null_count(), column
    # the README: responses fall between 2023-05-31 21:53 and 2023-06-02 00:55
    responses = parse_timestamps(frame["First Response Time"], day_first=True)
    assert responses.min() >= utc(2023, 5, 31, 21, 53)
    assert responses.max() <= utc(2023, 6, 2, 0, 55)


def test_mapping_formats_are_tried_in_order_before_the_built_in_shapes() -> None:
    # "01/06/2023" fits both formats; the first one listed wins, so it is 1 June
    formats = ("%d/%m/%Y", "%m/%d/%Y")
    assert parsed("01/06/2023", formats=formats) == [utc(2023, 6, 1)]


def test_mapping_formats_honour_z_and_zone_names() -> None:
    assert parsed("Tue Oct 31 22:11:45 -0500 2017", formats=["%a %b %d %H:%M:%S %z %Y"]) == [
        utc(2017, 11, 1, 3, 11, 45)  # 22:11:45 at -05:00 is 03:11:45 UTC the next day
    ]
    assert parsed("31.10.2017 22:11 UTC", formats=["%d.%m.%Y %H:%M %Z"], timezone="Asia/Tokyo") == [
        utc(2017, 10, 31, 22, 11)  # the value names its zone, so Tokyo does not apply
    ]


def test_a_zone_from_the_mapping_converts_local_times_to_utc() -> None:
    # Shanghai is UTC+8 all year: 08:00 local is 00:00 UTC
    assert parsed("2024-01-01 08:00", timezone="Asia/Shanghai") == [utc(2024, 1, 1)]
    assert parsed("2024-01-01 08:00", timezone="Beijing") == [utc(2024, 1, 1)]


def test_a_value_with_an_offset_ignores_the_mapping_zone() -> None:
    assert parsed("2024-01-01T08:00:00Z", timezone="Asia/Shanghai") == [utc(2024, 1, 1, 8)]


def test_a_rails_zone_name_is_accepted_as_the_mapping_zone() -> None:
    # Los Angeles in July is PDT, UTC-7: 12:00 local is 19:00 UTC
    assert parsed("2024-07-01 12:00", timezone="Pacific Time (US & Canada)") == [
        utc(2024, 7, 1, 19)
    ]


def test_a_non_existent_local_time_is_shifted_forward_by_the_gap() -> None:
    # New York skips 02:00-03:00 on 2024-03-10; 02:30 is read at the EST offset (-5)
    # in force before the gap: 07:30 UTC, which is 03:30 EDT
    assert parsed("2024-03-10 02:30", timezone="America/New_York") == [utc(2024, 3, 10, 7, 30)]


def test_an_ambiguous_local_time_takes_the_earlier_instant() -> None:
    # 01:30 happens twice in New York on 2024-11-03: first in EDT (-4) = 05:30 UTC,
    # then in EST (-5) = 06:30 UTC; the earlier one is kept
    assert parsed("2024-11-03 01:30", timezone="America/New_York") == [utc(2024, 11, 3, 5, 30)]


def test_garbage_becomes_null_and_nulls_pass_through() -> None:
    assert parsed("garbage", None, "2024-13-01", "31-31-2024", "1.7e9x") == [None] * 5


def test_surrounding_whitespace_is_ignored() -> None:
    assert parsed("  2024-03-01T10:00:00Z\n", "\t1700000000 ") == [
        utc(2024, 3, 1, 10),
        utc(2023, 11, 14, 22, 13, 20),
    ]


def test_an_all_null_column_stays_null() -> None:
    assert parsed(None, None) == [None, None]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Asia/Shanghai", "Asia/Shanghai"),
        ("asia/shanghai", "Asia/Shanghai"),
        ("UTC", "UTC"),
        ("Z", "UTC"),
        ("GMT", "UTC"),
        ("+08:00", "Etc/GMT-8"),  # POSIX Etc zones invert the sign
        ("UTC+8", "Etc/GMT-8"),
        ("-0500", "Etc/GMT+5"),
        ("+05:30", "+05:30"),  # no IANA zone for a half-hour offset: kept as a fixed offset
        ("Pacific Time (US & Canada)", "America/Los_Angeles"),
        ("Eastern Time (US & Canada)", "America/New_York"),
        ("(GMT-08:00) Pacific Time (US & Canada)", "America/Los_Angeles"),  # display form
        ("Beijing", "Asia/Shanghai"),
        ("Moscow", "Europe/Moscow"),
        ("Madrid", "Europe/Madrid"),
        ("Paris", "Europe/Paris"),
        ("London", "Europe/London"),
        ("Samoa", "Pacific/Apia"),  # Rails' Samoa, not the IANA link US/Samoa (Pago Pago)
        ("Hong Kong", "Asia/Hong_Kong"),
        ("Dubai", "Asia/Dubai"),  # a bare IANA city name
    ],
)
def test_resolve_timezone_accepts_the_names_found_in_exports(name: str, expected: str) -> None:
    assert resolve_timezone(name) == expected


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "+25:00", "Pacific Time"])
def test_resolve_timezone_rejects_unknown_names(name: str) -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        resolve_timezone(name)


def test_every_rails_zone_maps_to_a_zone_polars_can_use() -> None:
    assert len(RAILS_ZONES) >= 40
    noon = pl.Series([datetime(2024, 1, 1, 12)])
    for zone in set(RAILS_ZONES.values()):
        noon.dt.replace_time_zone(zone)  # raises for a zone Polars does not know


def test_parse_dates_gives_dates_by_the_same_rules() -> None:
    values = pl.Series(["2024-03-01", "22-03-2021", "2024-03-01T23:30:00-05:00", "x", None])
    assert parse_dates(values, day_first=True).to_list() == [
        date(2024, 3, 1),
        date(2021, 3, 22),
        date(2024, 3, 2),  # 23:30 at -05:00 is 04:30 UTC the next day
        None,
        None,
    ]


def test_parse_dates_honours_mapping_formats() -> None:
    assert parse_dates(pl.Series(["03/01/2024"]), formats=["%m/%d/%Y"]).to_list() == [
        date(2024, 3, 1)
    ]


def test_plausible_accepts_2000_until_two_days_from_now_and_keeps_nulls() -> None:
    now = datetime.now(UTC)
    ts = pl.Series(
        [
            utc(1999, 12, 31),
            utc(2000, 1, 1),
            now + timedelta(days=1),
            now + timedelta(days=3),
            None,
        ],
        dtype=pl.Datetime("us", "UTC"),
    )
    assert plausible(ts).to_list() == [False, True, True, False, None]


def test_plausible_works_on_dates_and_custom_bounds() -> None:
    dates = pl.Series([date(2009, 12, 31), date(2010, 1, 1), None])
    assert plausible(dates, earliest=utc(2010, 1, 1)).to_list() == [False, True, None]
