"""A departure from a stop, as the timetable (GTFS) plans it and realtime (GTFS-Realtime)
corrects it: the one shape the departure board, ``nearby`` and the printed sheet share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass
class Departure:
    """One trip's departure from one stop on one service day. The timetable fills the
    planned part; realtime sets ``delay``, ``expected``, ``cancelled`` or ``skipped`` and
    ``realtime`` (True once an update spoke of this trip). A trip added by realtime
    (``added``) has no plan: its ``scheduled`` and ``expected`` are the feed's time."""

    trip_id: str
    route_id: str
    line: str  # route_short_name, else route_long_name
    route_type: int
    headsign: str  # stop_headsign, else trip_headsign, else the last stop's name
    stop_id: str  # the stop (platform) it departs from
    stop_sequence: int
    service_date: date
    scheduled: datetime  # aware, in the agency's time zone
    platform: str = ""
    wheelchair: int = 0  # the trip's wheelchair_accessible: 0 unknown, 1 yes, 2 no
    color: str = ""  # route_color, hex without '#'
    delay: int | None = None  # seconds late (negative: early); None: no realtime
    expected: datetime | None = None
    cancelled: bool = False  # the trip does not run
    skipped: bool = False  # the trip runs but does not stop here
    realtime: bool = False
    added: bool = False  # a trip the timetable does not know, added by realtime (NEW, ADDED)

    def as_json(self) -> dict[str, Any]:
        return {
            "trip": self.trip_id,
            "route": self.route_id,
            "line": self.line,
            "routeType": self.route_type,
            "headsign": self.headsign,
            "stop": self.stop_id,
            "stopSequence": self.stop_sequence,
            "serviceDate": self.service_date.isoformat(),
            "scheduled": self.scheduled.isoformat(),
            "expected": self.expected.isoformat() if self.expected else None,
            "delay": self.delay,
            "cancelled": self.cancelled,
            "skipped": self.skipped,
            "realtime": self.realtime,
            "added": self.added,
            "platform": self.platform,
            "wheelchair": self.wheelchair,
            "color": self.color,
        }
