"""The demo city's timetable as a GTFS feed, generated in code (an in-memory zip) so that it
goes through the real ``gtfs`` importer like any operator's feed.

Its calendar covers the load date plus and minus a year (weekdays, Saturdays, Sundays),
so the demo never runs out; ``smartcity demo`` loads it anew when less than half a year
is left. The buses leave the Hauptbahnhof every 10 to 30 minutes from 5:00 to 24:00, with
night trips after midnight (times of 24:xx and 25:xx, the next morning of the service
day); two regional train lines call at Hamm (Westf) Hbf every hour."""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from smartcity.mobility.demo.places import (
    BUS_BAYS,
    HBF,
    LINES,
    RAIL,
    STATION_ID,
    STOPS,
    TRACKS,
    TRAINS,
    Line,
)

BUS_AGENCY = ("swh-demo", "Stadtwerke Hamm (Demo)", "https://www.stadtwerke-hamm.de/")
RAIL_AGENCY = ("rail-demo", "Regionalverkehr Westfalen (Demo)", "https://www.nwl-info.de/")
ZONE = "Europe/Berlin"
DWELL = 1  # minutes a bus stands at each stop (in the running times)
WEEKDAYS = {"werktags": "1111100", "samstags": "0000010", "sonntags": "0000001"}
# (from, to, headway) in minutes after the service day's midnight: buses out of the Hbf
HEADWAYS: dict[str, tuple[tuple[int, int, int], ...]] = {
    "werktags": ((300, 360, 20), (360, 540, 10), (540, 840, 15), (840, 1080, 10),
                 (1080, 1200, 15), (1200, 1440, 30)),
    "samstags": ((300, 360, 30), (360, 1200, 15), (1200, 1440, 30)),
    "sonntags": ((420, 1200, 20), (1200, 1440, 30)),
}  # fmt: skip
NIGHT = (1470, 1515)  # 24:30 and 25:15: the night buses out of the Hbf
TRAIN_MINUTES = {  # minute past the hour the train leaves the Hbf: (outbound, inbound)
    "demo-re6": (12, 47),
    "demo-rb69": (25, 35),
}


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Roughly (an equirectangular projection is close enough within a city)."""
    dx = math.radians(b[1] - a[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    return 6371.0 * math.hypot(math.radians(b[0] - a[0]), dx) * 1.25  # roads wind


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


def _trip_id(line: Line, service: str, direction: int, minutes: int) -> str:
    """E.g. ``demo-4-werktags-0-0730``: line, service, direction, time at the Hbf."""
    return f"{line.route_id}-{service}-{direction}-{minutes // 60:02d}{minutes % 60:02d}"


def _bay(bay: str) -> str:
    return f"{STATION_ID}:{bay}"


def _stops() -> Iterator[list[object]]:
    lat, lon = HBF
    yield [STATION_ID, "Hamm (Westf) Hbf", lat, lon, 1, "", "", 1]
    for index, bay in enumerate(BUS_BAYS):  # north of the station, along the square
        yield [_bay(bay), "Hamm (Westf) Hbf", round(lat + 0.0008, 6),
               round(lon - 0.0014 + index * 0.0004, 6), 0, STATION_ID, bay, 1]  # fmt: skip
    for index, track in enumerate(TRACKS):  # the tracks run east-west, south of the hall
        yield [_bay(f"G{track}"), "Hamm (Westf) Hbf", round(lat - 0.0004 - index * 0.00012, 6),
               lon, 0, STATION_ID, track, 1]  # fmt: skip
    for stop in (*STOPS.values(), *RAIL.values()):
        yield [stop.stop_id, stop.name, stop.lat, stop.lon, 0, "", "", stop.wheelchair]


def _running(line: Line) -> list[int]:
    """Minutes from the Hbf to each of the line's stops."""
    where, total, found = HBF, 0, []
    for key in line.stops:
        stop = STOPS[key]
        hop = _distance_km(where, (stop.lat, stop.lon)) / line.speed * 60
        total += max(1, round(hop)) + DWELL
        found.append(total)
        where = (stop.lat, stop.lon)
    return found


def _departures(service: str, offset: int) -> list[int]:
    """Minutes after midnight the line leaves the Hbf: the service's headways, shifted by
    the line's ``offset`` so that the lines do not all leave in the same minute."""
    found = [t for start, end, step in HEADWAYS[service] for t in range(start, end, step)]
    return [t + offset for t in (*found, *NIGHT)]


def _bus_trips(line: Line, service: str) -> Iterator[tuple[list[object], list[list[object]]]]:
    """(trip row, its stop time rows): out of the Hbf, and back (not after midnight)."""
    running = _running(line)
    names = [STOPS[key].stop_id for key in line.stops]
    terminus = line.headsign or STOPS[line.stops[-1]].name
    offset = (LINES.index(line) * 3) % 10 if line in LINES else 0
    for number, start in enumerate(_departures(service, offset)):
        access = 2 if line.name in ("2", "9") and number % 6 == 5 else 1
        trip = _trip_id(line, service, 0, start)
        times = [(_bay(line.bay), start), *zip(names, (start + m for m in running), strict=True)]
        yield [line.route_id, service, trip, terminus, 0, access], _times(trip, times)
        if start >= 1440:
            continue
        trip = _trip_id(line, service, 1, start)
        back = [
            (stop_id, start + running[-1] - m) for stop_id, m in zip(names, running, strict=True)
        ]
        times = [*reversed(back), (_bay(line.bay), start + running[-1])]
        yield [line.route_id, service, trip, "Hamm (Westf) Hbf", 1, access], _times(trip, times)


def _times(trip: str, times: list[tuple[str, int]]) -> list[list[object]]:
    return [[trip, _clock(t), _clock(t), stop_id, seq] for seq, (stop_id, t) in enumerate(times, 1)]


def _train_trips(line: Line, service: str) -> Iterator[tuple[list[object], list[list[object]]]]:
    """Through Hamm each hour in both directions: before, Hbf (arriving two minutes ahead),
    after; the headsign is the line's real terminus."""
    before, after = RAIL[line.rail_before], RAIL[line.stops[0]]
    to_before = max(2, round(_distance_km(HBF, (before.lat, before.lon)) / line.speed * 60))
    to_after = max(2, round(_distance_km(HBF, (after.lat, after.lon)) / line.speed * 60))
    first = 360 if service == "sonntags" else 300
    out_minute, in_minute = TRAIN_MINUTES[line.route_id]
    for hour in range(first // 60, 24):
        t = hour * 60 + out_minute
        trip = _trip_id(line, service, 0, t)
        stops = [
            (before.stop_id, t - 2 - to_before, t - 2 - to_before),
            (_bay(f"G{line.bay}"), t - 2, t),
            (after.stop_id, t + to_after, t + to_after),
        ]
        yield [line.route_id, service, trip, line.headsigns[0], 0, 1], _rail(trip, stops)
        t = hour * 60 + in_minute
        trip = _trip_id(line, service, 1, t)
        stops = [
            (after.stop_id, t - 2 - to_after, t - 2 - to_after),
            (_bay(f"G{line.back_bay}"), t - 2, t),
            (before.stop_id, t + to_before, t + to_before),
        ]
        yield [line.route_id, service, trip, line.headsigns[1], 1, 1], _rail(trip, stops)


def _rail(trip: str, stops: list[tuple[str, int, int]]) -> list[list[object]]:
    return [
        [trip, _clock(arrive), _clock(leave), stop_id, seq]
        for seq, (stop_id, arrive, leave) in enumerate(stops, 1)
    ]


def _table(header: list[str], rows: Iterable[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _routes() -> Iterator[list[object]]:
    for line in LINES:
        yield [line.route_id, BUS_AGENCY[0], line.name, line.long_name, line.route_type,
               line.color, "FFFFFF"]  # fmt: skip
    for line in TRAINS:
        yield [line.route_id, RAIL_AGENCY[0], line.name, line.long_name, line.route_type,
               line.color, "FFFFFF"]  # fmt: skip


def _trips() -> tuple[list[list[object]], list[list[object]]]:
    trips: list[list[object]] = []
    times: list[list[object]] = []
    for service in WEEKDAYS:
        for line in LINES:
            for trip, rows in _bus_trips(line, service):
                trips.append(trip)
                times += rows
        for line in TRAINS:
            for trip, rows in _train_trips(line, service):
                trips.append(trip)
                times += rows
    return trips, times


HEADERS = {
    "agency.txt": "agency_id agency_name agency_url agency_timezone agency_lang",
    "stops.txt": "stop_id stop_name stop_lat stop_lon location_type parent_station "
    "platform_code wheelchair_boarding",
    "routes.txt": "route_id agency_id route_short_name route_long_name route_type "
    "route_color route_text_color",
    "trips.txt": "route_id service_id trip_id trip_headsign direction_id wheelchair_accessible",
    "stop_times.txt": "trip_id arrival_time departure_time stop_id stop_sequence",
    "calendar.txt": "service_id monday tuesday wednesday thursday friday saturday sunday "
    "start_date end_date",
    "feed_info.txt": "feed_publisher_name feed_publisher_url feed_lang feed_start_date "
    "feed_end_date feed_version",
}


def build(today: date) -> bytes:
    """The feed as the bytes of a zip archive, valid from a year before ``today`` to a
    year after."""
    start = (today - timedelta(days=365)).strftime("%Y%m%d")
    end = (today + timedelta(days=365)).strftime("%Y%m%d")
    trips, times = _trips()
    rows: dict[str, Iterable[list[object]]] = {
        "agency.txt": [[*BUS_AGENCY, ZONE, "de"], [*RAIL_AGENCY, ZONE, "de"]],
        "stops.txt": _stops(),
        "routes.txt": _routes(),
        "trips.txt": trips,
        "stop_times.txt": times,
        "calendar.txt": [[service, *days, start, end] for service, days in WEEKDAYS.items()],
        "feed_info.txt": [
            ["Stadt Hamm (Demodaten)", BUS_AGENCY[2], "de", start, end, f"demo-{today:%Y%m%d}"]
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, header in HEADERS.items():
            archive.writestr(name, _table(header.split(), rows[name]))
    return buffer.getvalue()
