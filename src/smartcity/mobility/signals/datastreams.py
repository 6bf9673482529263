"""Signal states or counts from the city's own sensors: a SensorThings Thing whose
property ``signalRef`` (or the feed's ``options["thing_property"]``) equals a signal's
OSM ``ref`` lends the signal the ids of its Datastreams, as ``details.datastreams``; an
app reads their observations through the SensorThings API. The Datastreams are looked
up through sensors.services (``stream_catalogue``), the one part of the sensors domain
another domain may import (pyproject: the import-linter's ignore_imports)."""

from __future__ import annotations

from smartcity.sensors import services as sensors

DEFAULT_PROPERTY = "signalRef"


def by_ref(thing_property: str = DEFAULT_PROPERTY) -> dict[str, list[int]]:
    """Each value of the Things' ``thing_property`` with the ids of their Datastreams."""
    found: dict[str, list[int]] = {}
    for info in sensors.stream_catalogue():
        value = info.thing_properties.get(thing_property)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            found.setdefault(str(value).strip(), []).append(info.datastream)
    return found
