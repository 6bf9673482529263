"""What the demo city measures: sensor models, observed properties and the datastreams
each kind of place gets, with their units."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from smartcity.sensors.demo.places import AIR, SOIL, WATER

MEASUREMENT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"
SENSORML = "http://www.opengis.net/doc/IS/SensorML/2.0"
PDF = "application/pdf"

MICROGRAM_PER_M3: dict[str, Any] = {
    "name": "Mikrogramm pro Kubikmeter",
    "symbol": "µg/m³",
    "definition": "http://qudt.org/vocab/unit/MicroGM-PER-M3",
}
DEGREE_CELSIUS: dict[str, Any] = {
    "name": "Grad Celsius",
    "symbol": "°C",
    "definition": "http://qudt.org/vocab/unit/DEG_C",
}


@dataclass(frozen=True)
class SensorSpec:
    key: str
    name: str
    description: str
    encoding_type: str
    metadata: str  # a URL


@dataclass(frozen=True)
class PropertySpec:
    key: str
    name: str
    definition: str
    description: str


@dataclass(frozen=True)
class StreamSpec:
    key: str  # also the name of the generated series, see series.py
    label: str  # German, goes before the place name
    sensor: str
    observed_property: str
    unit: dict[str, Any]


SENSORS = (
    SensorSpec(
        "alphasense-no2-b43f",
        "Alphasense NO2-B43F",
        "Elektrochemischer Stickstoffdioxid-Sensor.",
        PDF,
        "https://www.alphasense.com/wp-content/uploads/2019/09/NO2-B43F.pdf",
    ),
    SensorSpec(
        "sensirion-sps30",
        "Sensirion SPS30",
        "Optischer Feinstaubsensor (Laserstreuung) für PM1 bis PM10.",
        PDF,
        "https://sensirion.com/media/documents/8600FF88/616542B5/"
        "Sensirion_PM_Sensors_Datasheet_SPS30.pdf",
    ),
    SensorSpec(
        "bosch-bme280",
        "Bosch BME280",
        "Kombinierter Sensor für Lufttemperatur, Luftfeuchte und Luftdruck.",
        PDF,
        "https://www.bosch-sensortec.com/media/boschsensortec/downloads/datasheets/"
        "bst-bme280-ds002.pdf",
    ),
    SensorSpec(
        "ds18b20",
        "DS18B20",
        "Digitaler Temperaturfühler im wasserdichten Edelstahlgehäuse.",
        SENSORML,
        "https://www.analog.com/en/products/ds18b20.html",
    ),
)

PROPERTIES = (
    PropertySpec(
        "no2",
        "Stickstoffdioxid (NO₂)",
        "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/8",
        "Massenkonzentration von Stickstoffdioxid in der Außenluft.",
    ),
    PropertySpec(
        "pm10",
        "Feinstaub PM10",
        "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/5",
        "Massenkonzentration von Partikeln mit höchstens 10 µm Durchmesser.",
    ),
    PropertySpec(
        "pm25",
        "Feinstaub PM2,5",
        "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/6001",
        "Massenkonzentration von Partikeln mit höchstens 2,5 µm Durchmesser.",
    ),
    PropertySpec(
        "air_temperature",
        "Lufttemperatur",
        "http://mmisw.org/ont/cf/parameter/air_temperature",
        "Temperatur der Außenluft in etwa 3 m Höhe.",
    ),
    PropertySpec(
        "water_temperature",
        "Wassertemperatur",
        "http://vocab.nerc.ac.uk/collection/P01/current/TEMPPR01/",
        "Temperatur des Gewässers knapp unter der Oberfläche.",
    ),
    PropertySpec(
        "soil_temperature",
        "Bodentemperatur (10 cm)",
        "http://mmisw.org/ont/cf/parameter/soil_temperature",
        "Temperatur des Bodens in 10 cm Tiefe.",
    ),
)

STREAMS: dict[str, tuple[StreamSpec, ...]] = {
    AIR: (
        StreamSpec("no2", "Stickstoffdioxid", "alphasense-no2-b43f", "no2", MICROGRAM_PER_M3),
        StreamSpec("pm10", "Feinstaub PM10", "sensirion-sps30", "pm10", MICROGRAM_PER_M3),
        StreamSpec("pm25", "Feinstaub PM2,5", "sensirion-sps30", "pm25", MICROGRAM_PER_M3),
        StreamSpec(
            "air_temperature", "Lufttemperatur", "bosch-bme280", "air_temperature", DEGREE_CELSIUS
        ),
    ),
    WATER: (
        StreamSpec(
            "water_temperature", "Wassertemperatur", "ds18b20", "water_temperature", DEGREE_CELSIUS
        ),
    ),
    SOIL: (
        StreamSpec(
            "soil_temperature",
            "Bodentemperatur in 10 cm Tiefe",
            "ds18b20",
            "soil_temperature",
            DEGREE_CELSIUS,
        ),
    ),
}
