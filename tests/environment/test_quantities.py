"""The ObservedProperty definitions the dashboard recognises (environment.quantities):
every vocabulary's URI for a quantity counts as that quantity, the operator adds more,
a malformed addition is refused with a message."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from smartcity.environment import dashboard, quantities
from smartcity.sensors import services
from smartcity.sensors.entities import entity


@pytest.fixture(autouse=True)
def fresh():
    quantities._known.cache_clear()
    yield
    quantities._known.cache_clear()


def _station_with(definition: str, result: float) -> int:
    thing = services.create(
        entity("Thing"),
        {
            "name": "Wetterstation Marktplatz",
            "description": "Lufttemperatur",
            "Locations": [
                {
                    "name": "Marktplatz",
                    "description": "Hamm-Mitte",
                    "encodingType": "application/geo+json",
                    "location": {"type": "Point", "coordinates": [7.8175, 51.6806]},
                }
            ],
            "Datastreams": [
                {
                    "name": "Lufttemperatur",
                    "description": "2 m",
                    "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
                    "unitOfMeasurement": {
                        "name": "Grad Celsius",
                        "symbol": "°C",
                        "definition": "x",
                    },
                    "Sensor": {
                        "name": "SHT31",
                        "description": "-",
                        "encodingType": "text/plain",
                        "metadata": "-",
                    },
                    "ObservedProperty": {
                        "name": "Lufttemperatur",
                        "description": "-",
                        "definition": definition,
                    },
                    "Observations": [
                        {"phenomenonTime": timezone.now().isoformat(), "result": result}
                    ],
                }
            ],
        },
    )
    return thing.pk


def test_the_envthes_air_temperature_of_a_deep_insert_shows_on_the_dashboard(db):
    pk = _station_with("http://vocabs.lter-europe.net/EnvThes/22035", 21.5)
    [station] = dashboard.stations(thing=pk)
    assert station.kind == dashboard.AIR
    assert [s.value for s in station.streams] == [21.5]
    assert station.streams[0].definition == dashboard.AIR_TEMPERATURE


def test_an_https_eionet_pollutant_is_the_pollutant(db):
    pk = _station_with("https://dd.eionet.europa.eu/vocabulary/aq/pollutant/8", 35.0)
    [station] = dashboard.stations(thing=pk)
    assert station.streams[0].level == 3  # NO2 35 µg/m³: "mäßig"


def test_the_operator_adds_a_definition(db, monkeypatch):
    own = "https://daten.hamm.de/def/lufttemperatur"
    pk = _station_with(own, 3.0)
    assert dashboard.stations(thing=pk) == []
    monkeypatch.setenv("SMARTCITY_ENVIRONMENT_DEFINITIONS", f'{{"{own}": "air_temperature"}}')
    quantities._known.cache_clear()
    assert [s.kind for s in dashboard.stations(thing=pk)] == [dashboard.AIR]


@pytest.mark.parametrize("raw", ["[1]", "{kaputt", '{"https://x": "lufttemperatur"}'])
def test_a_malformed_addition_is_refused_with_a_message(monkeypatch, raw):
    monkeypatch.setenv("SMARTCITY_ENVIRONMENT_DEFINITIONS", raw)
    with pytest.raises(ImproperlyConfigured, match="SMARTCITY_ENVIRONMENT_DEFINITIONS"):
        quantities.key_of("https://x")
