"""The openSenseMap importer on a stored answer of its box list (the real format:
values as strings, UTC with Z, sensors without a measurement, unknown phenomena)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from smartcity import cli
from smartcity.core import importers
from smartcity.sensors.importers import opensensemap
from smartcity.sensors.models import Datastream, Observation, Thing

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).parent / "data" / "opensensemap.json"


def _payload():
    return json.loads(SAMPLE.read_text())


def _run(payload):
    """Import ``payload`` as the source would send it: a stream of JSON bytes."""
    return importers.run(opensensemap.IMPORTER, json.dumps(payload).encode())


def test_boxes_become_things_and_their_sensors_datastreams():
    report = _run(_payload())
    assert report.created == {"things": 1, "datastreams": 4, "observations": 4}
    box = Thing.objects.get(properties__boxId="5f2b9a1c7c4d3e001b8a1f01")
    assert box.name == "senseBox Freiherr-vom-Stein-Gymnasium"
    assert box.locations.get().location["coordinates"] == [7.8192, 51.6817]
    pm25 = Datastream.objects.get(properties__sensorId="5f2b9a1c7c4d3e001b8a1f05")
    assert pm25.observed_property.definition.endswith("/pollutant/6001")
    stored = Observation.objects.get(datastream=pm25)
    assert stored.result == 8.4
    assert stored.phenomenon_time_start == datetime(2026, 11, 30, 23, 14, 54, 871000, tzinfo=UTC)


def test_what_is_left_out_is_counted_or_rejected():
    report = _run(_payload())
    assert report.skipped["phenomenon Beleuchtungsstärke"] == 1
    assert report.skipped["no measurement"] == 1
    assert report.skipped["value nan"] == 1
    assert report.skipped["outside the area"] == 1
    assert report.rejected == [("/3", "missing member 'currentLocation'")]


def test_a_second_run_stores_nothing_twice():
    _run(_payload())
    again = _run(_payload())
    assert again.created == {} and again.skipped["already stored"] == 4
    assert Observation.objects.count() == 4


def test_command(capsys):
    assert cli.main(["import", "opensensemap", "--file", str(SAMPLE), "--quiet"]) == 0
    assert "created 1 things, 4 datastreams, 4 observations" in capsys.readouterr().out
