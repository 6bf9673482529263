"""Departure boards from the timetable (GTFS static): the trips that leave a stop from a
moment on, as :class:`~smartcity.mobility.departures.Departure`s, for realtime
(realtime.py) to correct. Framework-free; the API and the pages are adapters.

A trip runs on a service day when its service does (calendar.txt's weekdays between its
dates, with calendar_dates.txt's additions and removals). Its times count from "noon
minus 12 h" of that day in the agency's time zone, so a departure at 25:10:00 leaves
at 01:10 the next morning, and the days on which the clocks change come out right. A
board from a moment therefore looks at the service days before, of and after it. Not a
departure: a trip's last stop (it only arrives there) and a stop without pickup
(pickup_type 1). Trips given by headway (frequencies.txt) are expanded at load
(gtfs/frequencies.py), so a board sees each of their runs as a trip."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import F, Q

from smartcity.mobility.departures import Departure
from smartcity.mobility.models import Agency, Service, ServiceDate, Stop, StopTime, TransitVersion

DAY = 86_400
FIRST_DAY, LAST_DAY = date(1970, 1, 2), date(9998, 12, 31)  # a board reads a day either side


class BadDay(ValueError):
    """A date a board or sheet cannot be read for: ``malformed`` (not YYYY-MM-DD), else
    outside FIRST_DAY to LAST_DAY."""

    def __init__(self, message: str, *, malformed: bool) -> None:
        super().__init__(message)
        self.malformed = malformed


def parse_day(text: str) -> date:
    """A date given as YYYY-MM-DD (the API's ``date``, the sheet's ``datum``), checked."""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        on = date.fromisoformat(text)
    except ValueError:
        raise BadDay("date must be YYYY-MM-DD", malformed=True) from None
    if not FIRST_DAY <= on <= LAST_DAY:
        raise BadDay(f"date must lie between {FIRST_DAY} and {LAST_DAY}", malformed=False)
    return on


@dataclass(frozen=True)
class Place:
    """Where a board is read: the stops (platforms) of one active timetable version."""

    version: TransitVersion
    stops: tuple[int, ...]  # Stop pks
    zone: ZoneInfo


def place(version: TransitVersion, stop_ids: list[str]) -> Place:
    """The stops of ``stop_ids`` in ``version`` (a station's platforms, say)."""
    stops = tuple(
        Stop.objects.filter(version=version, stop_id__in=stop_ids).values_list("pk", flat=True)
    )
    zone = Agency.objects.filter(version=version).values_list("timezone", flat=True).first()
    return Place(version, stops, ZoneInfo(zone or "Europe/Berlin"))


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """Where a service day's times count from: noon minus 12 hours, in UTC."""
    noon = datetime.combine(day, time(12), tzinfo=zone)
    return noon.astimezone(UTC) - timedelta(hours=12)


def running(version: TransitVersion, day: date) -> set[str]:
    """The service_ids that run on ``day``."""
    bit = 1 << day.weekday()
    services = set(
        Service.objects.filter(version=version, start_date__lte=day, end_date__gte=day)
        .annotate(on=F("weekdays").bitand(bit))
        .filter(on__gt=0)
        .values_list("service_id", flat=True)
    )
    for service_id, exception in ServiceDate.objects.filter(version=version, date=day).values_list(
        "service_id", "exception"
    ):
        if exception == 1:
            services.add(service_id)
        else:
            services.discard(service_id)
    return services


_VALUES = (
    "departure",
    "sequence",
    "headsign",
    "stop__stop_id",
    "stop__platform",
    "trip__trip_id",
    "trip__headsign",
    "trip__last_stop",
    "trip__wheelchair",
    "trip__route__route_id",
    "trip__route__short_name",
    "trip__route__long_name",
    "trip__route__route_type",
    "trip__route__color",
)


def departures(where: Place, at: datetime, *, limit: int, horizon: int = DAY) -> list[Departure]:
    """The next ``limit`` departures from the place's stops at or after ``at`` (aware),
    within ``horizon`` seconds, earliest first."""
    found: list[Departure] = []
    local = at.astimezone(where.zone).date()
    for day in (local - timedelta(days=1), local, local + timedelta(days=1)):
        start = day_start(day, where.zone)
        low = int((at - start).total_seconds())
        high = low + horizon
        if high < 0 or low > 2 * DAY or not where.stops:
            continue
        services = running(where.version, day)
        if not services:
            continue
        rows = (
            StopTime.objects.filter(
                version=where.version,
                stop_id__in=where.stops,
                departure__gte=max(low, 0),
                departure__lt=high,
                trip__service_id__in=services,
            )
            .exclude(pickup=1)
            .exclude(Q(trip__last_sequence__isnull=False) & Q(sequence=F("trip__last_sequence")))
            .order_by("departure")
            .values(*_VALUES)[:limit]
        )
        found += [_departure(row, day, start, where.zone) for row in rows]
    found.sort(key=lambda d: (d.scheduled, d.line, d.trip_id))
    return found[:limit]


def _departure(row: dict, day: date, start: datetime, zone: ZoneInfo) -> Departure:  # type: ignore[type-arg]
    return Departure(
        trip_id=row["trip__trip_id"],
        route_id=row["trip__route__route_id"],
        line=row["trip__route__short_name"] or row["trip__route__long_name"],
        route_type=row["trip__route__route_type"],
        headsign=row["headsign"] or row["trip__headsign"] or row["trip__last_stop"],
        stop_id=row["stop__stop_id"],
        stop_sequence=row["sequence"],
        service_date=day,
        scheduled=(start + timedelta(seconds=row["departure"])).astimezone(zone),
        platform=row["stop__platform"],
        wheelchair=row["trip__wheelchair"],
        color=row["trip__route__color"],
    )


def day_departures(where: Place, day: date, *, limit: int) -> list[Departure]:
    """The first ``limit`` departures of a calendar day (local midnight to midnight in the
    place's time zone, 23 or 25 hours on the days the clocks change), earliest first."""
    start = datetime.combine(day, time(0), tzinfo=where.zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=where.zone).astimezone(UTC)
    found = departures(where, start, limit=limit, horizon=int((end - start).total_seconds()))
    return [d for d in found if d.scheduled < end]
