"""The demo feeder keeps a few demo sensors live through the normal create path."""

from __future__ import annotations

import pytest

from smartcity.sensors.demo import feeder, load_demo
from smartcity.sensors.models import Datastream, Observation

pytestmark = pytest.mark.django_db


def test_each_fed_sensor_gets_a_new_value_near_its_last():
    load_demo(days=1)
    before = Observation.objects.count()
    written = feeder.Feeder(60).feed_once()
    assert written == len(feeder.FED)
    assert Observation.objects.count() == before + written
    for place, definition, step, low, high in feeder.FED:
        stream = Datastream.objects.get(
            thing__properties__demoKey=place, observed_property__definition=definition
        )
        newest, previous = Observation.objects.filter(datastream=stream).order_by(
            "-phenomenon_time_start"
        )[:2]
        assert low <= newest.result <= high
        assert abs(newest.result - previous.result) <= step + 0.051 or newest.result in (low, high)


def test_without_demo_data_nothing_is_written():
    assert feeder.Feeder(60).feed_once() == 0


def test_the_feeder_is_off_unless_configured(monkeypatch):
    monkeypatch.setenv("SMARTCITY_DEMO_FEED", "0")
    assert feeder.from_settings() is None
    monkeypatch.setenv("SMARTCITY_DEMO_FEED", "2.5")
    found = feeder.from_settings()
    assert found is not None and found.seconds == 2.5
