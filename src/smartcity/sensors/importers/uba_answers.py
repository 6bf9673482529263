"""The answers of the Umweltbundesamt's air data API v3 as the API sends them: positional
arrays described by ``indices`` (with the documented order where an answer has none), an
empty ``data`` sent as ``[]``, and the API's clock, CET all year with hours 1 to 24. What
they mean for the platform (stations, series, observations) is in ``uba``."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from smartcity.core.timeutil import as_utc

CET = timezone(timedelta(hours=1), "CET")  # the API's clock: no summer time
STATION_FIELDS = (  # the documented order, used when an answer has no indices
    "station id", "station code", "station name", "station city", "station synonym",
    "station active from", "station active to", "station longitude", "station latitude",
    "network id", "station setting id", "station type id", "network code", "network name",
    "station setting name", "station setting short name", "station type name",
    "station street", "station street nr", "station zip code",
)  # fmt: skip
MEASURE_FIELDS = ("component id", "scope id", "value", "date end", "index")


def cet_instant(text: Any) -> datetime:
    """``YYYY-MM-DD HH:MM:SS`` on the API's CET clock, hour 24 being the next midnight,
    as a UTC instant."""
    if not isinstance(text, str):
        raise TypeError("a time stamp must be a string")
    day, _, clock = text.strip().partition(" ")
    if clock in ("24:00:00", "24:00"):
        try:
            following = date.fromisoformat(day) + timedelta(days=1)
        except OverflowError:  # 9999-12-31 24:00
            raise ValueError(f"time stamp {text!r} lies after the year 9999") from None
        value = datetime.combine(following, datetime.min.time())
    else:
        value = datetime.fromisoformat(text.strip())
    if value.tzinfo is not None:
        raise ValueError(f"time stamp {text!r} carries an offset; the API sends CET")
    return as_utc(value.replace(tzinfo=CET), text)


def uba_hour(instant: datetime) -> tuple[str, int]:
    """The API's (date, hour 1..24) for the hour that ends at ``instant``."""
    local = instant.astimezone(CET)
    if local.hour == 0:
        return (local.date() - timedelta(days=1)).isoformat(), 24
    return local.date().isoformat(), local.hour


def data_of(answer: Any) -> dict[str, Any] | None:
    """An answer's ``data`` object; the API sends an empty one as ``[]``."""
    data = answer.get("data") if isinstance(answer, dict) else None
    if data == []:
        return {}
    return data if isinstance(data, dict) else None


def station_rows(answer: Any) -> list[dict[str, Any]]:
    """The stations of a ``stations/json`` answer as dicts keyed by the indices' names."""
    data = data_of(answer)
    if data is None:
        raise TypeError("a stations answer must be an object with data")
    names = answer.get("indices") or STATION_FIELDS
    rows = []
    for key, row in data.items():
        if isinstance(row, list):
            rows.append({"key": key, **dict(zip(names, row, strict=False))})
        else:
            rows.append({"key": key})
    return rows


def components(answer: Any) -> dict[int, str]:
    """Component id -> code from a ``components/json`` answer (entries keyed by id at the
    top level, beside ``count`` and ``indices``)."""
    if not isinstance(answer, dict):
        raise TypeError("a components answer must be a JSON object")
    entries = answer["data"] if isinstance(answer.get("data"), dict) else answer
    names = list(answer.get("indices") or ["component id", "component code"])
    at_id, at_code = names.index("component id"), names.index("component code")
    return {
        int(entry[at_id]): str(entry[at_code])
        for key, entry in entries.items()
        if key not in ("count", "indices", "request") and isinstance(entry, list)
    }


def measure_fields(answer: dict[str, Any]) -> list[str]:
    try:
        names = answer["indices"]["data"]["station id"]["date start"]
    except (KeyError, TypeError):
        return list(MEASURE_FIELDS)
    return list(names) if isinstance(names, list) else list(MEASURE_FIELDS)
