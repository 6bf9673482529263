"""The sensor.community importer on a stored answer of its data API (the real format:
values as strings, "nan", UTC time stamps without an offset, records outside the area,
malformed records)."""

from __future__ import annotations

import io
import json
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smartcity import cli
from smartcity.core import importers
from smartcity.core.sources import Chunks, Source
from smartcity.sensors.importers import common, sensor_community
from smartcity.sensors.models import Datastream, Observation, ObservedProperty, Thing

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).parent / "data" / "sensor_community.json"


def _payload():
    return json.loads(SAMPLE.read_text())


def _run(payload):
    """Import ``payload`` as the source would send it: a stream of JSON bytes."""
    return importers.run(sensor_community.IMPORTER, json.dumps(payload).encode())


def test_records_become_things_datastreams_and_observations():
    report = _run(_payload())
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
    report = _run(_payload())
    assert report.skipped["value nan"] == 1
    assert report.skipped["value type pressure_at_sealevel"] == 1
    assert report.skipped["outside the area"] == 1  # Dortmund
    assert dict(report.rejected) == {
        "/4": "missing member 'location'",
        "/5": "Invalid isoformat string: 'gestern'",
    }


@pytest.mark.parametrize("stamp", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+01:00"])
def test_a_time_stamp_beyond_the_calendar_is_a_rejected_record(stamp):
    payload = _payload()
    payload[0]["timestamp"] = stamp
    report = _run(payload)
    assert "outside the years 0001 to 9999" in dict(report.rejected)["/0"]
    assert report.created["observations"] == 4
    assert not Observation.objects.filter(phenomenon_time_start__year__in=[1, 9999]).exists()


def test_a_second_run_creates_nothing():
    _run(_payload())
    again = _run(_payload())
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
    _run(_payload())
    assert ObservedProperty.objects.filter(name="Feinstaub PM10").count() == 1


def test_not_a_list_is_rejected():
    report = _run({"error": "rate limited"})
    assert report.rejected == [("/", "expected a JSON array of records")]


def test_command_imports_a_file(capsys):
    assert cli.main(["import", "sensor-community", "--file", str(SAMPLE), "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert "created 2 things, 4 datastreams, 6 observations" in out
    assert "rejected /4: missing member 'location'" in err
    assert cli.main(["import", "sensor-community", "--file", str(SAMPLE), "--quiet"]) == 0
    assert "created nothing new" in capsys.readouterr().out


def test_command_reads_standard_input(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(SAMPLE.read_bytes())))
    assert cli.main(["import", "sensor-community", "--file", "-", "--quiet"]) == 0
    assert "created 2 things, 4 datastreams, 6 observations" in capsys.readouterr().out


def test_command_says_where_a_source_broke_off(capsys, tmp_path):
    cut = tmp_path / "cut.json"
    cut.write_bytes(SAMPLE.read_bytes()[:1500])
    assert cli.main(["import", "sensor-community", "--file", str(cut)]) == 1
    out, err = capsys.readouterr()
    assert "created 2 things, 4 datastreams, 4 observations" in out  # the first two records
    assert "cannot read the source to its end" in err and "not JSON" in err
    assert "gelesen (KiB)" in out  # the progress bar
    assert cli.main(["import", "sensor-community", "--url", "http://127.0.0.1:9/x"]) == 1
    assert "https only" in capsys.readouterr().err


def test_command_refuses_unknown_sources_and_bad_areas(capsys):
    assert cli.main(["import", "wetter-online", "--file", str(SAMPLE)]) == 2
    with pytest.raises(SystemExit):
        cli.main(["import", "sensor-community", "--bbox", "8,51,7,52"])


def _stream(records: int, *, inside: int) -> Chunks:
    """A data.json of ``records`` records made while it is read (never held whole): the
    first ``inside`` in Hamm (one sensor, one record per second), the rest in Dortmund."""
    template = (
        '{"id": %d, "timestamp": "%s", "location": {"id": 1, "latitude": "%s", '
        '"longitude": "%s", "indoor": 0}, "sensor": {"id": %d, "sensor_type": '
        '{"name": "SDS011"}}, "sensordatavalues": [{"value": "%d.5", "value_type": "P1"}]}'
    )
    start = datetime(2026, 11, 30, tzinfo=UTC)

    def chunks():
        yield b"["
        for n in range(records):
            where = ("51.677", "7.821") if n < inside else ("51.513", "7.465")
            stamp = (start + timedelta(seconds=n)).strftime("%Y-%m-%d %H:%M:%S")
            record = template % (n, stamp, *where, 1 + (n >= inside), n % 50)
            yield (b"," if n else b"") + record.encode()
        yield b"]"

    return Chunks(chunks())


def test_a_long_source_is_read_in_bounded_memory():
    source = Source(_stream(40_000, inside=0), "data.json")
    tracemalloc.start()
    try:
        report = importers.run(sensor_community.IMPORTER, source)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.skipped["outside the area"] == 40_000
    assert source.done > 9_000_000  # over 9 MB read ...
    assert peak < 1_000_000  # ... in less than 1 MB


def test_observations_are_written_in_batches(monkeypatch):
    batches = []
    write_new = common.write_new

    def counting(values, report):
        batches.append(sum(len(by_time) for by_time in values.values()))
        write_new(values, report)

    monkeypatch.setattr(common, "BATCH", 1000)
    monkeypatch.setattr(common, "write_new", counting)
    report = importers.run(sensor_community.IMPORTER, Source(_stream(2500, inside=2500), "x"))
    assert batches == [1000, 1000, 500]
    assert report.created["observations"] == 2500
    assert Observation.objects.count() == 2500
