"""ISO 8601 instants and intervals as SensorThings uses them.

Time stamps without a UTC offset are read in SMARTCITY_TIME_ZONE (default Europe/Berlin)
instead of being rejected; every output is UTC with a ``Z``.

Every time read from input goes through :func:`parse_instant` (or :func:`as_utc`), which
refuses what the platform cannot represent instead of failing later: a time whose UTC
instant lies outside the years 1 to 9999 (``9999-12-31T23:59:59-05:00``,
``0001-01-01T00:00:00+01:00``: Python's calendar ends there, so comparing, storing or
formatting it would overflow), and more than six decimals of a second (the stores keep
microseconds; the rest would be dropped silently). Readers that convert a stored time to
local time or shift it use :func:`local_time` and :func:`shifted`, which stop at the ends
of the calendar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

# more decimals of a second than microseconds; one pattern per separator, because a
# pattern that starts with a literal is searched for much faster
_LONG_FRACTIONS = (re.compile(r"\.\d{7}"), re.compile(r",\d{7}"))
LONGEST_SPAN = timedelta(days=3_652_425)  # 10,000 years: from the year 1 to the year 9999
_DURATION = re.compile(
    r"^P(?:(?P<days>\d+)D)?(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


class TimeFormatError(ValueError):
    pass


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def parse_instant(text: str) -> datetime:
    """An aware datetime from ISO 8601; a naive one is taken as local time."""
    if not isinstance(text, str) or not text:
        raise TimeFormatError(f"expected an ISO 8601 time string, got {text!r}")
    try:  # the common case, also the hot loop of bulk ingest: Python 3.11 reads "Z" itself
        value = datetime.fromisoformat(text)
    except ValueError:
        value = _parse_lenient(text)
    if has_long_fraction(text):
        raise TimeFormatError(
            f"{text!r} has more than 6 decimals of a second; times are kept to the microsecond"
        )
    if value.tzinfo is None:
        value = value.replace(tzinfo=local_zone())
    return as_utc(value, text)


def has_long_fraction(text: str) -> bool:
    """Whether ``text`` (one time or many, joined) has a second with more than six
    decimals; fast where none has a fraction at all, as in bulk ingest."""
    return any(
        separator in text and pattern.search(text) is not None
        for separator, pattern in zip(".,", _LONG_FRACTIONS, strict=True)
    )


def as_utc(value: datetime, text: str) -> datetime:
    """An aware ``value`` (read from ``text``) in UTC; TimeFormatError when that instant
    lies outside the years 1 to 9999."""
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise TimeFormatError(
            f"{text!r} lies outside the years 0001 to 9999 in UTC, the range of times "
            "this service can store"
        ) from None


def _parse_lenient(text: str) -> datetime:
    """Surrounding blanks and a lowercase ``z``, which fromisoformat refuses."""
    candidate = text.strip()
    if candidate.endswith(("z", "Z")):
        candidate = candidate[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(candidate)
    except ValueError as error:
        reason = str(error)  # "day is out of range for month", "year 0 is out of range"
        detail = "" if reason.startswith("Invalid isoformat") else f": {reason}"
        raise TimeFormatError(f"{text!r} is not an ISO 8601 time{detail}") from None


def parse_duration(text: str) -> timedelta:
    match = _DURATION.match(text)
    if not match or text in ("P", "PT"):
        raise TimeFormatError(f"{text!r} is not an ISO 8601 duration (e.g. P1DT2H)")
    parts = {k: float(v) for k, v in match.groupdict().items() if v}
    try:
        span = timedelta(**parts)
    except OverflowError:
        span = LONGEST_SPAN + LONGEST_SPAN
    if span > LONGEST_SPAN:
        raise TimeFormatError(f"{text!r} is longer than the calendar's 10,000 years")
    return span


def parse_interval(text: str) -> Interval:
    """``start/end``, ``start/duration`` or ``duration/end``."""
    if not isinstance(text, str) or text.count("/") != 1:
        raise TimeFormatError(f"{text!r} is not an ISO 8601 interval (start/end)")
    first, second = text.split("/")
    try:
        if first.startswith("P"):
            end = parse_instant(second)
            start = end - parse_duration(first)
        elif second.startswith("P"):
            start = parse_instant(first)
            end = start + parse_duration(second)
        else:
            start, end = parse_instant(first), parse_instant(second)
    except OverflowError:
        raise TimeFormatError(
            f"interval {text!r} reaches beyond the years 0001 to 9999 in UTC"
        ) from None
    if end < start:
        raise TimeFormatError(f"interval {text!r} ends before it starts")
    return Interval(start, end)


def parse_time_value(text: str) -> tuple[datetime, datetime | None]:
    """A TM_Object: an instant gives (t, None), an interval gives (start, end)."""
    if isinstance(text, str) and "/" in text:
        interval = parse_interval(text)
        return interval.start, interval.end
    return parse_instant(text), None


def format_instant(value: datetime) -> str:
    """UTC ISO 8601 with ``Z``, milliseconds when there are any. A naive value is taken as
    UTC: that is what Django's SQLite driver hands back."""
    if value.tzinfo is not None:
        if value.utcoffset():
            value = value.astimezone(UTC)
        value = value.replace(tzinfo=None)
    if value.microsecond:
        return value.isoformat(timespec="milliseconds") + "Z"
    return value.isoformat() + "Z"


def format_time_value(start: datetime | None, end: datetime | None) -> str | None:
    if start is None:
        return None
    if end is None:
        return format_instant(start)
    return f"{format_instant(start)}/{format_instant(end)}"


def local_time(value: datetime) -> datetime:
    """``value`` in SMARTCITY_TIME_ZONE, for display. The last hours of the year 9999 in
    UTC are in the year 10000 in a zone east of UTC, which Python cannot represent: those
    are shown as the calendar's last instant in the local zone."""
    zone = local_zone()
    try:
        return value.astimezone(zone)
    except OverflowError:
        return datetime.max.replace(tzinfo=zone)


def shifted(value: datetime, delta: timedelta) -> datetime:
    """``value + delta``, stopping at the ends of the calendar (for bounds of searches
    around a stored time, which may be the first or last instant there is)."""
    try:
        return value + delta
    except OverflowError:
        end = datetime.max if delta > timedelta(0) else datetime.min
        return end.replace(tzinfo=value.tzinfo)
