"""The sensor.community importer on a stored answer of its data API (the real format:
values as strings, "nan", UTC time stamps without an offset, records outside the area,
malformed records)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from smartcity import cli
from smartcity.sensors.importers import sensor_community
from smartcity.sensors.models import Datastream, Observation, ObservedProperty, Thing

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).parent / "data" / "sensor_community.json"


def _payload():
    return json.loads(SAMPLE.read_text())


def test_records_become_things_datastreams_and_observations():
    report = sensor_community.run(_payload())
    assert report.created == {"things": 2, "datastreams": 4, "observations": 6}
    things = Thing.objects.filter(properties__source="sensor.community")
    assert sorted(t.properties["sensorId"] for t in things) == [17420, 17421]
    pm10 = Datastream.objects.get(properties__valueType="P1")
    assert pm10.unit_of_measurement["symbol"] == "µg/m³"
    values = list(
        Observation.objects.filter(datastream=pm10)
        .order_by("phenomenon_time_start")
        .values_list("phenomenon_time_start", "result")
    )
    # time stamps without an offset are UTC, not local time
    assert values == [
        (datetime(2026, 11, 30, 23, 10, 42, tzinfo=UTC), 14.73),
        (datetime(2026, 11, 30, 23, 15, 40, tzinfo=UTC), 15.02),
    ]
    location = things.get(properties__sensorId=17420).locations.get()
    assert location.location == {"type": "Point", "coordinates": [7.821, 51.677]}


def test_nan_unknown_types_outside_and_malformed_records_are_counted_not_fatal():
    report = sensor_community.run(_payload())
    assert report.skipped["value nan"] == 1
    assert report.skipped["value type pressure_at_sealevel"] == 1
    assert report.skipped["outside the area"] == 1  # Dortmund
    assert dict(report.rejected) == {
        "/4": "missing member 'location'",
        "/5": "Invalid isoformat string: 'gestern'",
    }


def test_a_second_run_creates_nothing():
    sensor_community.run(_payload())
    again = sensor_community.run(_payload())
    assert again.created == {}
    assert again.skipped["already stored"] == 6
    assert Observation.objects.count() == 6
    assert Thing.objects.count() == 2


def test_shares_observed_properties_with_the_citys_own_sensors():
    ObservedProperty.objects.create(
        name="Feinstaub PM10",
        definition="http://dd.eionet.europa.eu/vocabulary/aq/pollutant/5",
        description="Stadt",
    )
    sensor_community.run(_payload())
    assert ObservedProperty.objects.filter(name="Feinstaub PM10").count() == 1


def test_not_a_list_is_rejected():
    report = sensor_community.run({"error": "rate limited"})
    assert report.rejected == [("/", "expected a JSON array of records")]


def test_command_imports_a_file(capsys):
    assert cli.main(["import", "sensor-community", "--file", str(SAMPLE), "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert "created 2 things, 4 datastreams, 6 observations" in out
    assert "rejected /4: missing member 'location'" in err
    assert cli.main(["import", "sensor-community", "--file", str(SAMPLE), "--quiet"]) == 0
    assert "created nothing new" in capsys.readouterr().out


def test_command_refuses_unknown_sources_and_bad_areas(capsys):
    assert cli.main(["import", "wetter-online", "--file", str(SAMPLE)]) == 2
    with pytest.raises(SystemExit):
        cli.main(["import", "sensor-community", "--bbox", "8,51,7,52"])
