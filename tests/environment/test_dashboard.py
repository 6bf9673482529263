"""What the environment dashboard shows: classes of the newest values (UBA air quality
index classes for pollutants, temperature bands for water and soil), one station per Thing
and kind of series, and staleness."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from smartcity.environment import dashboard
from smartcity.sensors import services
from smartcity.sensors.entities import entity
from tests.sensors.factories import add_observations, make_thing_with_datastream

pytestmark = pytest.mark.django_db
NO2 = "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/8"
PM10 = "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/5"


@pytest.mark.parametrize(
    ("definition", "value", "level"),
    [
        (NO2, 10, 1),  # UBA LQI: NO2 up to 10 µg/m³ "sehr gut"
        (NO2, 10.4, 1),  # rounded to whole µg/m³ as the UBA publishes
        (NO2, 25, 2),
        (PM10, 91, 5),
        (dashboard.WATER_TEMPERATURE, 25.0, 4),
        (dashboard.WATER_TEMPERATURE, 25.1, 5),
        (dashboard.SOIL_TEMPERATURE, -0.5, 1),
        (dashboard.AIR_TEMPERATURE, 30, None),  # no classes
        (NO2, "n/a", None),
        (NO2, True, None),
    ],
)
def test_classify(definition, value, level):
    assert dashboard.classify(definition, value) == level


def _water_stream(thing_pk: int):
    return services.create(entity("Datastream"), {
        "name": "Wassertemperatur", "description": "alle 10 Minuten",
        "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
        "unitOfMeasurement": {"name": "Grad Celsius", "symbol": "°C", "definition": "x"},
        "Sensor": {"name": "DS18B20", "description": "Fühler", "encodingType": "text/plain",
                   "metadata": "ds18b20"},
        "ObservedProperty": {"name": "Wassertemperatur", "description": "Wasser",
                             "definition": dashboard.WATER_TEMPERATURE},
        "Thing": {"@iot.id": thing_pk},
    })


def test_a_station_per_thing_and_kind_with_its_newest_values():
    thing, pm10 = make_thing_with_datastream("Lippewehr", lon=7.80, lat=51.69)
    water = _water_stream(thing.pk)
    now = timezone.now()
    add_observations(pm10, [((now - timedelta(minutes=20)).isoformat(), 12),
                            ((now - timedelta(minutes=10)).isoformat(), 60)])
    add_observations(water, [((now - timedelta(minutes=5)).isoformat(), 14.2)])
    found = {s.kind: s for s in dashboard.stations()}
    assert set(found) == {"air", "water"}
    air = found["air"]
    assert (air.thing, air.lon, air.lat, air.district) == (thing.pk, 7.80, 51.69, "Mitte")
    assert [(s.value, s.level) for s in air.streams] == [(60, 4)]  # the newest, "schlecht"
    assert air.level == 4 and str(air.label) == "schlecht"
    assert not air.stale
    assert found["water"].streams[0].value == 14.2 and found["water"].level == 2
    assert [s.kind for s in dashboard.stations(kind="water")] == ["water"]
    assert dashboard.stations(thing=thing.pk + 1000) == []


def test_a_station_without_recent_values_is_stale():
    _, pm10 = make_thing_with_datastream("Alt")
    old = timezone.now() - dashboard.STALE_AFTER - timedelta(minutes=1)
    add_observations(pm10, [(old.isoformat(), 5)])
    (station,) = dashboard.stations()
    assert station.stale
    assert dashboard.station_json(station)["stale"] is True


def test_a_station_without_any_value_is_stale_and_unclassed():
    make_thing_with_datastream("Neu")
    (station,) = dashboard.stations()
    assert station.stale and station.level is None and station.newest is None


def test_the_stylesheet_has_every_class_colour_of_every_scale():
    """The badges and swatches take their colour from a class (the CSP allows no style
    attribute); the stylesheet's colours are the scales'."""
    import re

    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "smartcity.css").read_text()
    found = dict(re.findall(r"\.tint--([a-z]+-\d+) \{ background: (#[0-9a-f]{6}); \}", css))
    expected = {
        f"{key}-{number}": colour
        for key, scale in dashboard.SCALES.items()
        for number, colour in enumerate(scale.colours, start=1)
    }
    assert found == expected


def test_the_pages_carry_no_style_attribute(client):
    thing, pm10 = make_thing_with_datastream("Lippewehr")
    add_observations(pm10, [(timezone.now().isoformat(), 30)])
    add_observations(_water_stream(thing.pk), [(timezone.now().isoformat(), 18.0)])
    for path in ("/umwelt/", "/umwelt/wasser/", f"/umwelt/messstellen/{thing.pk}/"):
        html = client.get(path).content.decode()
        assert " style=" not in html, path
    assert 'class="level level--3 tint--water-3"' in client.get("/umwelt/wasser/").content.decode()
