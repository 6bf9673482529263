"""Small SensorThings worlds for tests, built through the real write services."""

from __future__ import annotations

from typing import Any

from smartcity.sensors import services
from smartcity.sensors.entities import entity

SENSOR = {
    "name": "SPS30",
    "description": "Feinstaubsensor",
    "encodingType": "application/pdf",
    "metadata": "https://example.org/sps30.pdf",
}
PM10 = {
    "name": "PM10",
    "definition": "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/5",
    "description": "Feinstaub PM10",
}
UNIT = {
    "name": "Mikrogramm pro Kubikmeter",
    "symbol": "µg/m³",
    "definition": "http://qudt.org/vocab/unit/MicroGM-PER-M3",
}
MEASUREMENT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"


def thing_payload(
    name: str = "Station Hauptbahnhof", lon: float = 7.8076, lat: float = 51.6780, **extra: Any
) -> dict[str, Any]:
    return {
        "name": name,
        "description": f"Messstation {name}",
        "properties": {"district": "Mitte"},
        "Locations": [
            {
                "name": f"Standort {name}",
                "description": "am Gebäude",
                "encodingType": "application/geo+json",
                "location": {"type": "Point", "coordinates": [lon, lat]},
            }
        ],
        **extra,
    }


def datastream_payload(name: str = "PM10 Hauptbahnhof", **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "description": "PM10 alle 10 Minuten",
        "unitOfMeasurement": UNIT,
        "observationType": MEASUREMENT,
        "Sensor": dict(SENSOR),
        "ObservedProperty": dict(PM10),
        **extra,
    }


def make_thing_with_datastream(name: str = "Station Hauptbahnhof", **kw: Any) -> tuple[Any, Any]:
    thing = services.create(entity("Thing"), thing_payload(name, **kw))
    stream = services.create(
        entity("Datastream"), {**datastream_payload(f"PM10 {name}"), "Thing": {"@iot.id": thing.pk}}
    )
    return thing, stream


def add_observations(stream: Any, values: list[tuple[str, Any]]) -> list[Any]:
    return [
        services.create(
            entity("Observation"),
            {"phenomenonTime": t, "result": v, "Datastream": {"@iot.id": stream.pk}},
        )
        for t, v in values
    ]
