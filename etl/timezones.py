"""Time-zone names found in exports and mappings, resolved to IANA zones.

Exports name zones in many ways: IANA names, Rails/Zendesk display names ("Pacific Time (US &
Canada)", with or without a "(GMT-08:00) " prefix), bare city names and fixed offsets.
"""

from __future__ import annotations

import re
import zoneinfo
from functools import lru_cache

# Rails/Zendesk/Freshdesk zone names (ActiveSupport::TimeZone::MAPPING), "name=IANA" pairs.
_RAILS_ZONES = """
International Date Line West=Etc/GMT+12; Midway Island=Pacific/Midway; Hawaii=Pacific/Honolulu
American Samoa=Pacific/Pago_Pago; Alaska=America/Juneau; Pacific Time (US & Canada)=America/Los_Angeles
Tijuana=America/Tijuana; Mountain Time (US & Canada)=America/Denver; Arizona=America/Phoenix
Chihuahua=America/Chihuahua; Mazatlan=America/Mazatlan; Central Time (US & Canada)=America/Chicago
Saskatchewan=America/Regina; Guadalajara=America/Mexico_City; Mexico City=America/Mexico_City
Monterrey=America/Monterrey; Central America=America/Guatemala; Eastern Time (US & Canada)=America/New_York
Indiana (East)=America/Indiana/Indianapolis; Bogota=America/Bogota; Lima=America/Lima; Quito=America/Lima
Atlantic Time (Canada)=America/Halifax; Caracas=America/Caracas; La Paz=America/La_Paz
Santiago=America/Santiago; Newfoundland=America/St_Johns; Brasilia=America/Sao_Paulo
Buenos Aires=America/Argentina/Buenos_Aires; Montevideo=America/Montevideo; Georgetown=America/Guyana
Puerto Rico=America/Puerto_Rico; Greenland=America/Godthab; Mid-Atlantic=Atlantic/South_Georgia
Azores=Atlantic/Azores; Cape Verde Is.=Atlantic/Cape_Verde; Dublin=Europe/Dublin; Edinburgh=Europe/London
Lisbon=Europe/Lisbon; London=Europe/London; Casablanca=Africa/Casablanca; Monrovia=Africa/Monrovia
Belgrade=Europe/Belgrade; Bratislava=Europe/Bratislava; Budapest=Europe/Budapest; Prague=Europe/Prague
Ljubljana=Europe/Ljubljana; Sarajevo=Europe/Sarajevo; Skopje=Europe/Skopje; Warsaw=Europe/Warsaw
Zagreb=Europe/Zagreb; Brussels=Europe/Brussels; Copenhagen=Europe/Copenhagen; Madrid=Europe/Madrid
Paris=Europe/Paris; Amsterdam=Europe/Amsterdam; Berlin=Europe/Berlin; Bern=Europe/Zurich
Zurich=Europe/Zurich; Rome=Europe/Rome; Stockholm=Europe/Stockholm; Vienna=Europe/Vienna
West Central Africa=Africa/Algiers; Bucharest=Europe/Bucharest; Cairo=Africa/Cairo; Kyiv=Europe/Kiev
Helsinki=Europe/Helsinki; Riga=Europe/Riga; Sofia=Europe/Sofia; Tallinn=Europe/Tallinn
Vilnius=Europe/Vilnius; Athens=Europe/Athens; Istanbul=Europe/Istanbul; Minsk=Europe/Minsk
Jerusalem=Asia/Jerusalem; Harare=Africa/Harare; Pretoria=Africa/Johannesburg; Moscow=Europe/Moscow
Kaliningrad=Europe/Kaliningrad; St. Petersburg=Europe/Moscow; Volgograd=Europe/Volgograd
Samara=Europe/Samara; Kuwait=Asia/Kuwait; Riyadh=Asia/Riyadh; Nairobi=Africa/Nairobi
Baghdad=Asia/Baghdad; Tehran=Asia/Tehran; Abu Dhabi=Asia/Muscat; Muscat=Asia/Muscat; Baku=Asia/Baku
Tbilisi=Asia/Tbilisi; Yerevan=Asia/Yerevan; Kabul=Asia/Kabul; Ekaterinburg=Asia/Yekaterinburg
Islamabad=Asia/Karachi; Karachi=Asia/Karachi; Tashkent=Asia/Tashkent; Chennai=Asia/Kolkata
Kolkata=Asia/Kolkata; Mumbai=Asia/Kolkata; New Delhi=Asia/Kolkata; Kathmandu=Asia/Kathmandu
Astana=Asia/Dhaka; Dhaka=Asia/Dhaka; Sri Jayawardenepura=Asia/Colombo; Almaty=Asia/Almaty
Novosibirsk=Asia/Novosibirsk; Rangoon=Asia/Rangoon; Bangkok=Asia/Bangkok; Hanoi=Asia/Bangkok
Jakarta=Asia/Jakarta; Krasnoyarsk=Asia/Krasnoyarsk; Beijing=Asia/Shanghai; Chongqing=Asia/Chongqing
Hong Kong=Asia/Hong_Kong; Urumqi=Asia/Urumqi; Kuala Lumpur=Asia/Kuala_Lumpur; Singapore=Asia/Singapore
Taipei=Asia/Taipei; Perth=Australia/Perth; Irkutsk=Asia/Irkutsk; Ulaanbaatar=Asia/Ulaanbaatar
Seoul=Asia/Seoul; Osaka=Asia/Tokyo; Sapporo=Asia/Tokyo; Tokyo=Asia/Tokyo; Yakutsk=Asia/Yakutsk
Darwin=Australia/Darwin; Adelaide=Australia/Adelaide; Canberra=Australia/Melbourne
Melbourne=Australia/Melbourne; Sydney=Australia/Sydney; Brisbane=Australia/Brisbane
Hobart=Australia/Hobart; Vladivostok=Asia/Vladivostok; Guam=Pacific/Guam
Port Moresby=Pacific/Port_Moresby; Magadan=Asia/Magadan; Srednekolymsk=Asia/Srednekolymsk
Solomon Is.=Pacific/Guadalcanal; New Caledonia=Pacific/Noumea; Fiji=Pacific/Fiji
Kamchatka=Asia/Kamchatka; Marshall Is.=Pacific/Majuro; Auckland=Pacific/Auckland
Wellington=Pacific/Auckland; Nuku'alofa=Pacific/Tongatapu; Tokelau Is.=Pacific/Fakaofo
Chatham Is.=Pacific/Chatham; Samoa=Pacific/Apia
"""
RAILS_ZONES: dict[str, str] = dict(
    pair.strip().split("=") for pair in re.split(r"[;\n]", _RAILS_ZONES) if pair.strip()
)
_UTC_NAMES = {"utc", "z", "gmt", "etc/utc", "etc/gmt", "utc+0", "gmt+0", "zulu"}
_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_DISPLAY_PREFIX = re.compile(r"^\((?:GMT|UTC)[^)]*\)\s*", re.IGNORECASE)  # "(GMT-08:00) Pacific..."


@lru_cache(maxsize=1)
def _zone_lookup() -> dict[str, str]:
    """Lower-cased IANA names, Rails names and bare IANA city names ('hong kong') -> IANA name."""
    iana = sorted(zoneinfo.available_timezones(), key=lambda z: (z.count("/") == 0, len(z), z))
    lookup: dict[str, str] = {}
    for zone in reversed(iana):  # earlier (regional, shorter) names win a shared city name
        lookup[zone.rsplit("/", 1)[-1].replace("_", " ").lower()] = zone
    lookup.update({name.lower(): zone for name, zone in RAILS_ZONES.items()})
    lookup.update({zone.lower(): zone for zone in iana})
    return lookup


def resolve_timezone(name: str) -> str:
    """IANA zone for a zone name found in an export or a mapping.

    Takes IANA names (any case), 'UTC'/'Z'/'GMT', fixed offsets ('+08:00',
    'UTC+8', 'GMT-0530'), Rails/Zendesk names ('Pacific Time (US & Canada)',
    'Beijing'), with or without a '(GMT+08:00) ' display prefix, and IANA city
    names ('Hong Kong'). Whole-hour offsets become 'Etc/GMT-8' style zones (the
    sign is inverted there by POSIX convention); other offsets stay '+05:30',
    which Polars and DuckDB accept as a fixed zone.
    """
    text = _DISPLAY_PREFIX.sub("", name.strip()) if isinstance(name, str) else ""
    key = text.lower()
    if key in _UTC_NAMES:
        return "UTC"
    if match := _OFFSET.match(text):
        sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
        if hours <= 14 and minutes < 60:
            if hours == minutes == 0:
                return "UTC"
            if minutes == 0:
                return f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"
            return f"{sign}{hours:02d}:{minutes:02d}"
    if key and (zone := _zone_lookup().get(key)):
        return zone
    raise ValueError(f"unknown time zone {name!r}")
