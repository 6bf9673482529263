"""The demo city: where it is, what it measures and that loading it twice is harmless."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from statistics import mean
from zoneinfo import ZoneInfo

import pytest

from smartcity.sensors import models as m
from smartcity.sensors.demo import DISTRICTS, HAMM_BBOX, load_demo
from smartcity.sensors.demo.catalog import MEASUREMENT

NOW = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)  # a Monday
HAMM = ZoneInfo("Europe/Berlin")
RANGES = {  # plausible November values per observed property name
    "Stickstoffdioxid (NO₂)": (1, 150),
    "Feinstaub PM10": (1, 60),
    "Feinstaub PM2,5": (0.5, 40),
    "Lufttemperatur": (-5, 18),
    "Wassertemperatur": (4, 12),
    "Bodentemperatur (10 cm)": (0, 14),
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def counts() -> dict[str, int]:
    return load_demo(days=1, now=NOW)


def _values(key: str) -> list[tuple[datetime, float]]:
    stream = m.Datastream.objects.get(properties__demoKey=key)
    rows = stream.observations.order_by("phenomenon_time_start")
    return [(row.phenomenon_time_start, _number(row)) for row in rows]


def _number(row: m.Observation) -> float:
    assert row.result_number is not None
    return row.result_number


def test_counts_match_the_store(counts: dict[str, int]) -> None:
    assert counts["things"] == m.Thing.objects.count() >= 25
    assert counts["datastreams"] == m.Datastream.objects.count()
    assert counts["observations"] == m.Observation.objects.count() == counts["datastreams"] * 144
    assert counts["features_of_interest"] == counts["locations"] == counts["things"]


def test_things_are_demo_data_at_places_in_hamm(counts: dict[str, int]) -> None:
    for thing in m.Thing.objects.prefetch_related("locations"):
        properties = thing.properties or {}
        assert properties["demo"] is True and properties["demoKey"]
        assert "Demodaten" in thing.description
        (location,) = thing.locations.all()
        assert location.encoding_type == "application/geo+json"
        lon, lat = location.location["coordinates"]
        assert HAMM_BBOX.contains(lon, lat), thing.name
        (history,) = thing.historical_locations.all()
        assert history.time == NOW - timedelta(minutes=10 * 143)
        assert list(history.locations.all()) == [location]


def test_every_district_has_an_air_station(counts: dict[str, int]) -> None:
    districts = {
        (thing.properties or {})["district"]
        for thing in m.Thing.objects.filter(datastreams__observed_property__name="Feinstaub PM10")
    }
    assert districts == set(DISTRICTS)


def test_features_of_interest_follow_their_locations(counts: dict[str, int]) -> None:
    for feature in m.FeatureOfInterest.objects.select_related("generated_from"):
        assert feature.generated_from is not None
        assert feature.feature == feature.generated_from.location
        assert feature.name == feature.generated_from.name


def test_datastreams_have_ten_minute_observations_and_extents(counts: dict[str, int]) -> None:
    for stream in m.Datastream.objects.select_related("thing"):
        assert stream.observation_type == MEASUREMENT
        assert set(stream.unit_of_measurement) == {"name", "symbol", "definition"}
        rows = list(stream.observations.order_by("phenomenon_time_start"))
        times = [row.phenomenon_time_start for row in rows]
        assert len(times) == 144 and times[-1] == NOW
        assert {b - a for a, b in pairwise(times)} == {timedelta(minutes=10)}
        assert (stream.phenomenon_time_start, stream.phenomenon_time_end) == (times[0], times[-1])
        assert (stream.result_time_start, stream.result_time_end) == (times[0], times[-1])
        last_hour = stream.observations.filter(phenomenon_time_start__gt=NOW - timedelta(hours=1))
        assert last_hour.count() == 6
        feature = rows[0].feature_of_interest
        assert {row.feature_of_interest_id for row in rows} == {feature.pk}
        lon, lat = feature.feature["coordinates"]
        assert (stream.bbox_min_x, stream.bbox_max_x) == (lon, lon)
        assert (stream.bbox_min_y, stream.bbox_max_y) == (lat, lat)


def test_values_are_plausible_and_mirrored(counts: dict[str, int]) -> None:
    for name, (low, high) in RANGES.items():
        rows = m.Observation.objects.filter(datastream__observed_property__name=name)
        assert rows.exists(), name
        for row in rows:
            number = _number(row)
            assert row.result == number and low <= number <= high, name
            assert row.result_time == row.phenomenon_time_start
            assert round(number, 1) == number


def test_air_temperature_has_a_daily_cycle(counts: dict[str, int]) -> None:
    values = _values("marktplatz:air_temperature")
    afternoon = [v for t, v in values if 13 <= t.astimezone(HAMM).hour < 17]
    night = [v for t, v in values if 0 <= t.astimezone(HAMM).hour < 5]
    assert mean(afternoon) > mean(night) + 1


def test_no2_is_higher_at_the_station_than_in_the_park(counts: dict[str, int]) -> None:
    station = mean(v for _, v in _values("hbf:no2"))
    park = mean(v for _, v in _values("maximilianpark:no2"))
    assert station > park + 10


def test_pm25_is_a_share_of_pm10(counts: dict[str, int]) -> None:
    pm10 = [v for _, v in _values("hbf:pm10")]
    pm25 = [v for _, v in _values("hbf:pm25")]
    assert 0.5 < mean(pm25) / mean(pm10) < 0.7


def test_loading_twice_adds_nothing(counts: dict[str, int]) -> None:
    tables = (m.Thing, m.Location, m.HistoricalLocation, m.FeatureOfInterest, m.Sensor,
              m.ObservedProperty, m.Datastream, m.Observation)
    before = [model.objects.count() for model in tables]
    again = load_demo(days=1, now=NOW + timedelta(hours=1))
    assert set(again.values()) == {0}
    assert [model.objects.count() for model in tables] == before


def test_the_same_inputs_give_the_same_numbers(counts: dict[str, int]) -> None:
    first = _values("lippewehr-mitte:water_temperature")
    m.Thing.objects.all().delete()
    load_demo(days=1, now=NOW)
    assert _values("lippewehr-mitte:water_temperature") == first


def test_progress_is_reported_per_datastream() -> None:
    calls: list[tuple[str, int, int]] = []
    counts = load_demo(days=1, now=NOW, progress=lambda *call: calls.append(call))
    assert len(calls) == counts["datastreams"]
    assert calls[-1] == ("datastreams", counts["datastreams"], counts["datastreams"])


def test_default_end_is_rounded_to_ten_minutes() -> None:
    load_demo(days=1)
    last = m.Observation.objects.latest("phenomenon_time_start").phenomenon_time_start
    assert last.minute % 10 == 0 and last.second == 0 and last.microsecond == 0
    assert datetime.now(UTC) - last < timedelta(minutes=10)


def test_a_failure_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    from smartcity.sensors.demo import loader

    written = loader._write_observations
    calls = []

    def fail_on_third(*args: object, **kwargs: object) -> int:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return written(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "_write_observations", fail_on_third)
    with pytest.raises(RuntimeError):
        load_demo(days=1, now=NOW)
    assert not m.Thing.objects.exists() and not m.Observation.objects.exists()
    assert not m.Sensor.objects.exists()


def test_soil_and_water_sensors_are_mapped_as_lorawan_devices(counts: dict[str, int]) -> None:
    fields = m.LoRaWANField.objects.select_related("device", "datastream")
    keys = sorted({f.key for f in fields})
    assert keys == ["soil_temperature", "water_temperature"]
    assert counts["lorawan_devices"] == m.LoRaWANDevice.objects.count() == fields.count() >= 10
    assert all(f.datastream.thing_id == f.device.thing_id for f in fields)
    assert all(f.device.name.startswith("Demo:") for f in fields)
