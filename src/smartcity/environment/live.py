"""Live updates for the dashboard: Server-Sent Events at ``/umwelt/live``, on the platform's
live-stream hub (``core.live``). The source is the observations written since the last
look, by primary key, each with its class on the dashboard's scale."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from smartcity.core import live
from smartcity.core.live import Update, last_event_id
from smartcity.environment import dashboard, quantities
from smartcity.sensors import services as sensors

PATH = "/umwelt/live"  # declared in platform.py (Domain.live_streams)

__all__ = [
    "PATH", "ObservationSource", "hub", "last_event_id", "response", "stream_async", "stream_sync",
]


class ObservationSource:
    """New observations, by id, as the dashboard shows them."""

    event = "observations"

    def __init__(self) -> None:
        self._definitions: dict[int, str] = {}

    def newest(self) -> int:
        return sensors.newest_observation_id()

    def after(self, cursor: int, limit: int) -> Update | None:
        values = sensors.observations_after(cursor, limit)
        if not values:
            return None
        return values[-1].observation, [self._describe(v) for v in values]

    def _describe(self, value: sensors.NewValue) -> dict[str, Any]:
        definition = self._definitions.get(value.datastream)
        if definition is None:
            definition = quantities.canonical(
                sensors.observed_property_definition(value.datastream)
            )
            self._definitions[value.datastream] = definition
        return {
            "datastream": value.datastream,
            "time": value.phenomenon_time,
            "value": value.result,
            "level": dashboard.classify(definition, value.result),
        }


hub = live.Hub(ObservationSource(), name="smartcity-live-environment")


def stream_sync(after: int | None) -> Iterator[bytes]:
    return live.stream_sync(hub, after)


def stream_async(after: int | None) -> AsyncIterator[bytes]:
    return live.stream_async(hub, after)


def response(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    return live.response(hub, request)
