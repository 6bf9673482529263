"""ISO 8601 instants and intervals as SensorThings uses them.

Time stamps without a UTC offset are read in SMARTCITY_TIME_ZONE (default Europe/Berlin)
instead of being rejected; every output is UTC with a ``Z``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

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
    if value.tzinfo is None:
        value = value.replace(tzinfo=local_zone())
    return value.astimezone(UTC)


def _parse_lenient(text: str) -> datetime:
    """Surrounding blanks and a lowercase ``z``, which fromisoformat refuses."""
    candidate = text.strip()
    if candidate.endswith(("z", "Z")):
        candidate = candidate[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        raise TimeFormatError(f"{text!r} is not an ISO 8601 time") from None


def parse_duration(text: str) -> timedelta:
    match = _DURATION.match(text)
    if not match or text in ("P", "PT"):
        raise TimeFormatError(f"{text!r} is not an ISO 8601 duration (e.g. P1DT2H)")
    parts = {k: float(v) for k, v in match.groupdict().items() if v}
    return timedelta(**parts)


def parse_interval(text: str) -> Interval:
    """``start/end``, ``start/duration`` or ``duration/end``."""
    if not isinstance(text, str) or text.count("/") != 1:
        raise TimeFormatError(f"{text!r} is not an ISO 8601 interval (start/end)")
    first, second = text.split("/")
    if first.startswith("P"):
        end = parse_instant(second)
        start = end - parse_duration(first)
    elif second.startswith("P"):
        start = parse_instant(first)
        end = start + parse_duration(second)
    else:
        start, end = parse_instant(first), parse_instant(second)
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
