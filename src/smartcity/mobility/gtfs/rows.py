"""One row of stop_times.txt read into the tuple the loader writes (gtfs/load.py): the
general path's parser, run for every stop time of the kept trips."""

from __future__ import annotations

from typing import Any

from smartcity.mobility.gtfs import tables
from smartcity.mobility.gtfs.tables import FieldError


def stop_time(table: tables.Table, values: list[str], at: list[int]) -> tuple[Any, ...]:
    """(stop_id, sequence, arrival, departure, headsign, pickup, drop_off) of a row. Run
    for every stop time of the kept trips: times through a cache of the ones seen (a day
    has at most 172,800), the usual values of the optional fields without a parser."""
    if len(values) > table.width:
        raise ValueError(table.too_long(values))
    sequence = values[at[2]]
    if not sequence.isdigit():
        sequence = sequence.strip()
        if not sequence.isdigit():
            raise FieldError("stop_sequence", f"{sequence!r} is not a whole number of at least 0")
    arrival = _time(values, at[3], "arrival_time")
    departure = _time(values, at[4], "departure_time")
    if arrival is None:
        arrival = departure
    elif departure is None:
        departure = arrival
    elif departure < arrival:
        raise FieldError("departure_time", "is before arrival_time")
    headsign, pickup, drop_off = at[5], at[6], at[7]
    return (
        values[at[1]].strip(),
        int(sequence),
        arrival,
        departure,
        values[headsign].strip()[:300] if headsign >= 0 else "",
        _kind(values, pickup, "pickup_type"),
        _kind(values, drop_off, "drop_off_type"),
    )


_TIMES: dict[str, int | None] = {"": None}


def _time(values: list[str], index: int, field: str) -> int | None:
    if index < 0:
        return None
    text = values[index]
    found = _TIMES.get(text, -1)
    if found == -1:
        found = tables.seconds(text, field)  # FieldError when it is no time: not cached
        if len(_TIMES) < 400_000:
            _TIMES[text] = found
    return found


def _kind(values: list[str], index: int, field: str) -> int:
    """pickup_type / drop_off_type: 0 (regular) when left out or empty."""
    if index < 0:
        return 0
    text = values[index]
    if text in ("", "0"):
        return 0
    return tables.enum({field: text.strip()}, field, range(4))
