"""GTFS feeds for the tests: the real ones in tests/fixtures, and small
ones built from tables (``archive({"stops.txt": "...", ...})``)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from smartcity.core.geo import BBox

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "fixtures" / "gtfs" / "sample-feed-1.zip"
CAIRNS = ROOT / "tests" / "fixtures" / "gtfs" / "cairns_gtfs.zip"
NEVADA = BBox.of_degrees(-117.5, 36.0, -116.0, 37.5)  # all of the sample feed
QUEENSLAND = BBox.of_degrees(145.5, -17.2, 146.0, -16.6)  # all of Cairns

AGENCY = "agency_id,agency_name,agency_url,agency_timezone\nSWH,Stadtwerke Hamm,https://www.stadtwerke-hamm.de,Europe/Berlin\n"
CALENDAR = (
    "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
    "WD,1,1,1,1,1,0,0,20260101,20261231\n"
)
HAMM_STOPS = (
    "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station,platform_code\n"
    "HBF,Hamm Hauptbahnhof,51.6783,7.8089,1,,\n"
    "HBF1,Hamm Hauptbahnhof,51.6784,7.8090,0,HBF,1\n"
    "HBF2,Hamm Hauptbahnhof,51.6782,7.8088,0,HBF,2\n"
    "WBP,Willy-Brandt-Platz,51.6787,7.8141,0,,\n"
    "DO,Dortmund Hbf,51.5178,7.4592,0,,\n"
)
HAMM_ROUTES = (
    "route_id,agency_id,route_short_name,route_long_name,route_type,route_color\n"
    "R1,SWH,1,,3,E30613\nRE,SWH,RE 6,,2,\n"
)
HAMM_TRIPS = (
    "route_id,service_id,trip_id,trip_headsign\nR1,WD,T1,Heessen\nR1,WD,T2,\nRE,WD,T3,Köln\n"
)
HAMM_TIMES = (
    "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
    "T1,08:00:00,08:00:00,HBF1,1\nT1,08:04:00,08:05:00,WBP,2\n"
    "T2,25:10:00,25:10:00,HBF2,1\nT2,25:14:00,25:14:00,WBP,2\n"
    "T3,09:00:00,09:02:00,HBF1,5\nT3,09:40:00,09:40:00,DO,6\n"
)
HAMM = {
    "agency.txt": AGENCY,
    "stops.txt": HAMM_STOPS,
    "routes.txt": HAMM_ROUTES,
    "trips.txt": HAMM_TRIPS,
    "stop_times.txt": HAMM_TIMES,
    "calendar.txt": CALENDAR,
}


def archive(files: dict[str, str], folder: str = "") -> bytes:
    """A zip archive of the given tables (optionally inside a folder)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, text in files.items():
            zipped.writestr(folder + name, text)
    return buffer.getvalue()


def timed(stop_times):
    """gtfs-kit's stop_times (a DataFrame) with the untimed stops timed as the reference
    says consumers may: linearly between the departure of the timed stop before and the
    arrival of the timed stop after, by shape_dist_traveled where the three have it, else
    by the stops' places in the trip. Written apart from the platform's (numpy, per trip),
    as the oracle of gtfs/untimed.py."""
    import numpy as np
    from gtfs_kit.helpers import timestr_to_seconds

    def clock(seconds: float) -> str:
        s = int(seconds)
        return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"

    frame = stop_times.sort_values(["trip_id", "stop_sequence"]).reset_index(drop=True)
    arrival = frame.arrival_time.map(
        lambda t: timestr_to_seconds(t) if isinstance(t, str) else np.nan
    )
    departure = frame.departure_time.map(
        lambda t: timestr_to_seconds(t) if isinstance(t, str) else np.nan
    )
    has_dist = "shape_dist_traveled" in frame
    for _trip, rows in frame.groupby("trip_id").indices.items():
        arr, dep = arrival.to_numpy()[rows], departure.to_numpy()[rows]
        known = np.flatnonzero(~np.isnan(arr) | ~np.isnan(dep))
        dist = frame.shape_dist_traveled.to_numpy(dtype=float)[rows] if has_dist else None
        for place in np.flatnonzero(np.isnan(arr) & np.isnan(dep)):
            after = np.searchsorted(known, place)
            if after == 0 or after == len(known):
                continue
            j, k = known[after - 1], known[after]
            start = dep[j] if not np.isnan(dep[j]) else arr[j]
            end = arr[k] if not np.isnan(arr[k]) else dep[k]
            share = (place - j) / (k - j)
            if dist is not None and not np.isnan(dist[[j, place, k]]).any() and dist[k] > dist[j]:
                share = min(1.0, max(0.0, (dist[place] - dist[j]) / (dist[k] - dist[j])))
            frame.loc[rows[place], ["arrival_time", "departure_time"]] = clock(
                round(start + share * (end - start))
            )
    return frame
