"""The sensor health view of the back office: every Datastream with its station, its
newest value and that value's age, judged "aktuell", "veraltet" or "stumm", and the
station's battery or radio signal where a LoRaWAN device reports them.

Fast on a large store: ages come from the Datastreams' phenomenonTime end, which the
writers keep on the Datastream row, so judging, filtering and sorting every Datastream
reads no observation. Only the page shown fetches its newest values, one seek in the
(stream, time, id) index per Datastream.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import JSONField, OuterRef, Subquery

from smartcity.core import config
from smartcity.core.timeutil import local_time
from smartcity.sensors.models import Datastream, LoRaWANField, Observation

CURRENT, STALE, SILENT = "current", "stale", "silent"
SEVERITY = {CURRENT: 0, STALE: 1, SILENT: 2}
# payload members (the last part of a LoRaWAN field's key, lower case) that describe the device
DEVICE_KEYS = {
    "battery": "battery",
    "batterylevel": "battery",
    "battery_level": "battery",
    "bat": "battery",
    "rssi": "RSSI",
    "snr": "SNR",
}


@dataclass
class Row:
    datastream: int
    name: str
    thing: int
    thing_name: str
    last: datetime | None
    status: str
    age: timedelta | None
    unit: str | None
    value: Any = None
    device: list[tuple[str, Any]] = field(default_factory=list)  # ("battery", 87), ...

    @property
    def shown(self) -> datetime | None:
        """The time in local time (the calendar's ends have none: see timeutil)."""
        return None if self.last is None else local_time(self.last)


def stale_after(properties: Any) -> timedelta:
    """Three times a Datastream's expectedInterval (seconds, in its properties), else
    SMARTCITY_HEALTH_STALE_HOURS."""
    interval = properties.get("expectedInterval") if isinstance(properties, dict) else None
    if isinstance(interval, int | float) and not isinstance(interval, bool) and interval > 0:
        return timedelta(seconds=3 * interval)
    return timedelta(hours=config.get("HEALTH_STALE_HOURS"))


def judge(last: datetime | None, now: datetime, properties: Any) -> str:
    if last is None or now - last > timedelta(hours=config.get("HEALTH_SILENT_HOURS")):
        return SILENT
    return STALE if now - last > stale_after(properties) else CURRENT


def rows(
    now: datetime, *, status: str = "", search: str = "", oldest_first: bool = True
) -> list[Row]:
    """Every Datastream (of the stations whose name contains ``search``), judged at
    ``now``; ``status`` "problems" keeps the stale and silent ones, "silent" the silent
    ones. Sorted by age (no value counts as oldest), then station and name."""
    streams = Datastream.objects.all()
    if search:
        streams = streams.filter(thing__name__icontains=search)
    found = []
    for pk, name, thing, thing_name, last, properties, unit in streams.values_list(
        "pk",
        "name",
        "thing_id",
        "thing__name",
        "phenomenon_time_end",
        "properties",
        "unit_of_measurement",
    ):
        judged = judge(last, now, properties)
        if (status == "problems" and judged == CURRENT) or (
            status == "silent" and judged != SILENT
        ):
            continue
        symbol = unit.get("symbol") if isinstance(unit, dict) else None
        age = None if last is None else now - last
        found.append(Row(pk, name, thing, thing_name, last, judged, age, symbol))
    never = timedelta.max
    found.sort(key=lambda r: (r.thing_name.lower(), r.name.lower(), r.datastream))
    found.sort(key=lambda r: never if r.age is None else r.age, reverse=oldest_first)
    return found


def fill(page: list[Row]) -> None:
    """The newest value of each Datastream on the page, and each station's battery and
    signal values: one statement each."""
    values = newest_values({r.datastream for r in page})
    for row in page:
        row.value = values.get(row.datastream)
    device_fields = list(
        LoRaWANField.objects.filter(device__thing_id__in={r.thing for r in page}).values_list(
            "device__thing_id", "key", "datastream_id"
        )
    )
    wanted = [
        (thing, DEVICE_KEYS[key.rsplit(".", 1)[-1].lower()], stream)
        for thing, key, stream in device_fields
        if key.rsplit(".", 1)[-1].lower() in DEVICE_KEYS
    ]
    device_values = newest_values({stream for _thing, _label, stream in wanted})
    per_thing: dict[int, list[tuple[str, Any]]] = {}
    for thing, label, stream in sorted(wanted):
        if device_values.get(stream) is not None:
            per_thing.setdefault(thing, []).append((label, device_values[stream]))
    for row in page:
        row.device = per_thing.get(row.thing, [])


def newest_values(stream_ids: set[int]) -> dict[int, Any]:
    """The result of each Datastream's newest observation (by phenomenonTime)."""
    newest = Observation.objects.filter(datastream_id=OuterRef("pk")).order_by(
        "-phenomenon_time_start", "-id"
    )
    found = (
        Datastream.objects.filter(pk__in=stream_ids)
        .annotate(newest=Subquery(newest.values("result")[:1], output_field=JSONField()))
        .values_list("pk", "newest")
    )
    return dict(found)


def counts(now: datetime) -> dict[str, int]:
    """How many Datastreams are current, stale and silent."""
    totals = dict.fromkeys(SEVERITY, 0)
    for last, properties in Datastream.objects.values_list("phenomenon_time_end", "properties"):
        totals[judge(last, now, properties)] += 1
    return totals
