"""What the environment dashboard (``/umwelt/``) shows: every measuring station with the
newest value of each of its series, the class that value falls into, and whether the
station is stale.

* Air: the UBA air quality index classes (airquality.INDEX_BOUNDS) applied to the newest
  value of each pollutant (the tables' per-value class). The station's own class, on the
  map as on its page, is its index from the newest hourly means
  (services.station_index), which the pages add to each air station.
* Water and soil temperature: temperature bands, for orientation only (no legal meaning).
* A station is stale when its newest value is older than :data:`STALE_AFTER`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcity.core.timeutil import local_time
from smartcity.environment import airquality, quantities
from smartcity.sensors import services as sensors

STALE_AFTER = timedelta(hours=3)

AIR, WATER, SOIL = "air", "water", "soil"
# the platform's own definitions (environment.quantities: every one recognised)
AIR_TEMPERATURE = quantities.QUANTITIES["air_temperature"][0]
WATER_TEMPERATURE = quantities.QUANTITIES["water_temperature"][0]
SOIL_TEMPERATURE = quantities.QUANTITIES["soil_temperature"][0]


@dataclass(frozen=True)
class Scale:
    """Classes 1..n of one kind of value: upper bounds of classes 1..n-1, names, colours
    (light tints, so that dark text on them keeps a contrast above 4.5:1)."""

    key: str
    title: Any  # lazy translation
    bounds: tuple[float, ...]
    labels: tuple[Any, ...]
    colours: tuple[str, ...]

    def level(self, value: float) -> int:
        for number, bound in enumerate(self.bounds, start=1):
            if value <= bound:
                return number
        return len(self.bounds) + 1


AIR_SCALE = Scale(
    "air",
    _("Luftqualität (UBA-Index, neuester Messwert)"),
    (),  # per pollutant: airquality.INDEX_BOUNDS
    (_("sehr gut"), _("gut"), _("mäßig"), _("schlecht"), _("sehr schlecht")),
    ("#9ee6dc", "#b9e4a6", "#f7e37c", "#f6a38e", "#d9a6e8"),
)
WATER_SCALE = Scale(
    "water",
    _("Wassertemperatur"),
    (8.0, 15.0, 20.0, 25.0),
    (_("kalt (bis 8 °C)"), _("kühl (bis 15 °C)"), _("mild (bis 20 °C)"),
     _("warm (bis 25 °C)"), _("sehr warm (über 25 °C)")),
    ("#bcd7f5", "#cfe8f3", "#e3efc4", "#f7d58b", "#f4a3a3"),
)
SOIL_SCALE = Scale(
    "soil",
    _("Bodentemperatur (10 cm)"),
    (0.0, 5.0, 10.0, 15.0),
    (_("Frost (bis 0 °C)"), _("kalt (bis 5 °C)"), _("kühl (bis 10 °C)"),
     _("mild (bis 15 °C)"), _("warm (über 15 °C)")),
    ("#c7d2fe", "#bcd7f5", "#cfe8f3", "#e3efc4", "#f7d58b"),
)
SCALES = {AIR: AIR_SCALE, WATER: WATER_SCALE, SOIL: SOIL_SCALE}
# What each class of the air quality index means for health, in a sentence or two, after
# the advice the UBA gives with its index (Luftqualitätsindex, "Verhaltensempfehlungen").
AIR_ADVICE = (
    _("Aufenthalt und Sport im Freien sind ohne Einschränkung möglich."),
    _("Nachteilige Wirkungen auf die Gesundheit sind nicht zu erwarten."),
    _("Kurzfristig sind keine Folgen für die Gesundheit zu erwarten. Empfindliche Menschen, "
      "etwa mit Asthma, können stärker reagieren, besonders bei Pollenflug."),
    _("Empfindliche Menschen sollten sich im Freien nicht körperlich anstrengen. Auch "
      "andere können die Belastung spüren."),
    _("Die Luft kann der Gesundheit schaden: Alle sollten anstrengende Tätigkeiten im Freien "
      "meiden, empfindliche Menschen ganz besonders."),
)
KIND_TITLES = {AIR: _("Luft"), WATER: _("Wasser"), SOIL: _("Boden")}


def kind_of(definition: str) -> str | None:
    if definition in airquality.POLLUTANTS or definition == AIR_TEMPERATURE:
        return AIR
    if definition == WATER_TEMPERATURE:
        return WATER
    if definition == SOIL_TEMPERATURE:
        return SOIL
    return None


def classify(definition: str, value: Any) -> int | None:
    """The class (1..5) of a value of what ``definition`` measures; None when the value is
    not a number or the quantity has no classes (air temperature, say)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    pollutant = airquality.POLLUTANTS.get(definition)
    if pollutant is not None:
        return airquality.index_class(pollutant, float(value))
    if definition == WATER_TEMPERATURE:
        return WATER_SCALE.level(float(value))
    if definition == SOIL_TEMPERATURE:
        return SOIL_SCALE.level(float(value))
    return None


@dataclass
class StreamValue:
    datastream: int
    name: str
    property_name: str
    definition: str
    unit: str | None
    time: str | None
    value: Any
    level: int | None
    scale: Scale

    @property
    def label(self) -> Any:
        return None if self.level is None else self.scale.labels[self.level - 1]

    @property
    def colour(self) -> str | None:
        return None if self.level is None else self.scale.colours[self.level - 1]

    @property
    def local_time(self) -> datetime | None:
        return None if self.time is None else local_time(datetime.fromisoformat(self.time))


@dataclass
class Station:
    thing: int
    name: str
    district: str
    kind: str
    lon: float | None
    lat: float | None
    streams: list[StreamValue] = field(default_factory=list)
    demo: bool = False  # demo data (the Thing has properties.demoKey), not a measurement

    @property
    def level(self) -> int | None:
        levels = [s.level for s in self.streams if s.level is not None]
        return max(levels) if levels else None

    @property
    def newest(self) -> str | None:
        times = [s.time for s in self.streams if s.time]
        return max(times) if times else None

    @property
    def stale(self) -> bool:
        newest = self.newest
        return newest is None or timezone.now() - datetime.fromisoformat(newest) > STALE_AFTER

    @property
    def scale(self) -> Scale:
        return SCALES[self.kind]

    @property
    def label(self) -> Any:
        level = self.level
        return None if level is None else self.scale.labels[level - 1]

    @property
    def colour(self) -> str | None:
        level = self.level
        return None if level is None else self.scale.colours[level - 1]


def stations(kind: str | None = None, thing: int | None = None) -> list[Station]:
    """Every station with its newest values: one per Thing and kind of series the dashboard
    knows (a Thing measuring air and soil is two stations at one place). Two catalogue
    queries and the one newest-values statement."""
    newest = {item.datastream: item for item in sensors.latest_values()}
    found: dict[tuple[int, str], Station] = {}
    for info in sensors.stream_catalogue(thing):
        definition = quantities.canonical(info.property_definition)
        stream_kind = kind_of(definition)
        if stream_kind is None or (kind is not None and stream_kind != kind):
            continue
        station = found.get((info.thing, stream_kind))
        if station is None:
            lon, lat = info.point if info.point else (None, None)
            district = info.thing_properties.get("district")
            station = found[info.thing, stream_kind] = Station(
                info.thing,
                info.thing_name,
                district if isinstance(district, str) else "",
                stream_kind,
                lon,
                lat,
                demo="demoKey" in info.thing_properties,
            )
        latest = newest.get(info.datastream)
        value = latest.result if latest else None
        station.streams.append(
            StreamValue(
                info.datastream,
                info.name,
                info.property_name,
                definition,
                info.unit_symbol,
                latest.phenomenon_time if latest else None,
                value,
                classify(definition, value),
                SCALES[stream_kind],
            )
        )
    return list(found.values())


def station_json(station: Station) -> dict[str, Any]:
    """A station as the dashboard's script reads it (embedded in the page)."""
    return {
        "thing": station.thing,
        "name": station.name,
        "district": station.district,
        "kind": station.kind,
        "lon": station.lon,
        "lat": station.lat,
        "stale": station.stale,
        "demo": station.demo,
        "streams": [
            {
                "datastream": s.datastream,
                "property": s.property_name,
                "unit": s.unit,
                "time": s.time,
                "value": s.value,
                "level": s.level,
            }
            for s in station.streams
        ],
    }


def scales_json() -> dict[str, Any]:
    return {
        key: {"title": str(scale.title), "labels": [str(x) for x in scale.labels],
              "colours": list(scale.colours)}
        for key, scale in SCALES.items()
    }
