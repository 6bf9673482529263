"""Keeps the demo city live: while the server runs with ``SMARTCITY_DEMO_FEED`` seconds
set, a thread writes a new value for a few demo sensors at that interval, through the same
create path as a device's POST, so the dashboard, MQTT subscribers and alerts see them as
they would see real sensors. The values wander around the sensor's newest value."""

from __future__ import annotations

import logging
import random
import threading

from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from smartcity.core import config
from smartcity.sensors import services
from smartcity.sensors.entities import entity
from smartcity.sensors.models import Datastream, Observation

log = logging.getLogger("smartcity.demo")
# (demo place key, observed property definition, step, lowest, highest)
FED = (
    ("hbf", "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/8", 3.0, 5.0, 120.0),
    ("hbf", "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/5", 2.0, 3.0, 80.0),
    ("marktplatz", "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/6001", 1.0, 1.0, 50.0),
    ("lippe-radbod", "http://vocab.nerc.ac.uk/collection/P01/current/TEMPPR01/", 0.1, 0.0, 28.0),
)


class Feeder:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="smartcity-demo-feed", daemon=True)
        self._rng = random.Random()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.seconds):
                try:
                    close_old_connections()
                    self.feed_once()
                except Exception:
                    log.exception("demo feed failed")
        finally:
            connection.close()

    def feed_once(self) -> int:
        """One new value for every fed stream that exists; how many were written."""
        written = 0
        for place, definition, step, low, high in FED:
            stream = (
                Datastream.objects.filter(
                    thing__properties__demoKey=place, observed_property__definition=definition
                )
                .values_list("pk", flat=True)
                .first()
            )
            if stream is None:
                continue
            last = (
                Observation.objects.filter(datastream_id=stream)
                .order_by("-phenomenon_time_start", "-id")
                .values_list("result_number", flat=True)
                .first()
            )
            base = (low + high) / 4 if last is None else last
            value = round(min(high, max(low, base + self._rng.uniform(-step, step))), 1)
            with transaction.atomic():
                services.create(
                    entity("Observation"),
                    {
                        "result": value,
                        "phenomenonTime": timezone.now().isoformat(),
                        "Datastream": {"@iot.id": stream},
                    },
                )
            written += 1
        return written


def from_settings() -> Feeder | None:
    """The feeder of this server process, when SMARTCITY_DEMO_FEED is a positive number."""
    seconds = config.get("DEMO_FEED")
    return Feeder(seconds) if seconds > 0 else None
