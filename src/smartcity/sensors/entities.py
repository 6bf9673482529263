"""The SensorThings entity types as data: their properties, navigation properties and the
Django fields behind them. The query compiler, the serializer and the write services all
read this one table, so a property is named in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from django.db import models as dj
from django.db.models import QuerySet

from smartcity.sensors import models


class Kind(Enum):
    ID = "id"
    TEXT = "text"  # CharacterString
    JSON = "json"  # JSON object or any JSON value (properties, parameters, metadata, ...)
    INSTANT = "instant"  # one datetime column
    TIME = "time"  # TM_Object: an instant or an interval (start and end columns)
    GEOMETRY = "geometry"  # GeoJSON with bbox columns
    AREA = "area"  # computed GeoJSON (observedArea), stored as a bounding box
    RESULT = "result"  # Observation.result: JSON plus the numeric mirror


@dataclass(frozen=True)
class Property:
    name: str  # as SensorThings names it
    kind: Kind
    field: str  # Django field (for TIME: the start column; for AREA: the bbox prefix)
    end_field: str | None = None  # TIME: the end column
    required: bool = False  # mandatory on create
    read_only: bool = False  # computed by the service, ignored or refused on write


@dataclass(frozen=True)
class Navigation:
    name: str  # as SensorThings names it: "Thing", "Datastreams"
    target: str  # entity type name
    many: bool
    orm: str  # Django relation name from this model
    required: bool = False  # mandatory on create (e.g. Datastream/Thing)


@dataclass(frozen=True)
class EntityType:
    name: str
    plural: str
    model: type[dj.Model]
    properties: dict[str, Property] = field(default_factory=dict)
    navigations: dict[str, Navigation] = field(default_factory=dict)

    def objects(self) -> QuerySet[Any]:
        """All rows of this entity type (typed, unlike ``model.objects``)."""
        return self.model._default_manager.all()

    def property(self, name: str) -> Property | None:
        return self.properties.get(name)

    def navigation(self, name: str) -> Navigation | None:
        return self.navigations.get(name)


def _props(*props: Property) -> dict[str, Property]:
    return {p.name: p for p in (Property("id", Kind.ID, "id"), *props)}


def _navs(*navs: Navigation) -> dict[str, Navigation]:
    return {n.name: n for n in navs}


_NAME = Property("name", Kind.TEXT, "name", required=True)
_DESCRIPTION = Property("description", Kind.TEXT, "description", required=True)
_PROPERTIES = Property("properties", Kind.JSON, "properties")
_ENCODING = Property("encodingType", Kind.TEXT, "encoding_type", required=True)

THING = EntityType(
    "Thing",
    "Things",
    models.Thing,
    _props(_NAME, _DESCRIPTION, _PROPERTIES),
    _navs(
        Navigation("Locations", "Location", True, "locations"),
        Navigation("HistoricalLocations", "HistoricalLocation", True, "historical_locations"),
        Navigation("Datastreams", "Datastream", True, "datastreams"),
        Navigation("MultiDatastreams", "MultiDatastream", True, "multi_datastreams"),
    ),
)
LOCATION = EntityType(
    "Location",
    "Locations",
    models.Location,
    _props(
        _NAME,
        _DESCRIPTION,
        _ENCODING,
        _PROPERTIES,
        Property("location", Kind.GEOMETRY, "location", required=True),
    ),
    _navs(
        Navigation("Things", "Thing", True, "things"),
        Navigation("HistoricalLocations", "HistoricalLocation", True, "historical_locations"),
    ),
)
HISTORICAL_LOCATION = EntityType(
    "HistoricalLocation",
    "HistoricalLocations",
    models.HistoricalLocation,
    _props(Property("time", Kind.INSTANT, "time", required=True)),
    _navs(
        Navigation("Thing", "Thing", False, "thing", required=True),
        Navigation("Locations", "Location", True, "locations", required=True),
    ),
)
_STREAM_COMPUTED = (
    Property("observedArea", Kind.AREA, "bbox", read_only=True),
    Property(
        "phenomenonTime", Kind.TIME, "phenomenon_time_start", "phenomenon_time_end", read_only=True
    ),
    Property("resultTime", Kind.TIME, "result_time_start", "result_time_end", read_only=True),
)
DATASTREAM = EntityType(
    "Datastream",
    "Datastreams",
    models.Datastream,
    _props(
        _NAME,
        _DESCRIPTION,
        _PROPERTIES,
        Property("unitOfMeasurement", Kind.JSON, "unit_of_measurement", required=True),
        Property("observationType", Kind.TEXT, "observation_type", required=True),
        *_STREAM_COMPUTED,
    ),
    _navs(
        Navigation("Thing", "Thing", False, "thing", required=True),
        Navigation("Sensor", "Sensor", False, "sensor", required=True),
        Navigation(
            "ObservedProperty", "ObservedProperty", False, "observed_property", required=True
        ),
        Navigation("Observations", "Observation", True, "observations"),
    ),
)
MULTI_DATASTREAM = EntityType(
    "MultiDatastream",
    "MultiDatastreams",
    models.MultiDatastream,
    _props(
        _NAME,
        _DESCRIPTION,
        _PROPERTIES,
        Property("unitOfMeasurements", Kind.JSON, "unit_of_measurements", required=True),
        Property("observationType", Kind.TEXT, "observation_type", required=True),
        Property(
            "multiObservationDataTypes", Kind.JSON, "multi_observation_data_types", required=True
        ),
        *_STREAM_COMPUTED,
    ),
    _navs(
        Navigation("Thing", "Thing", False, "thing", required=True),
        Navigation("Sensor", "Sensor", False, "sensor", required=True),
        Navigation(
            "ObservedProperties", "ObservedProperty", True, "observed_properties", required=True
        ),
        Navigation("Observations", "Observation", True, "observations"),
    ),
)
SENSOR = EntityType(
    "Sensor",
    "Sensors",
    models.Sensor,
    _props(
        _NAME,
        _DESCRIPTION,
        _ENCODING,
        _PROPERTIES,
        Property("metadata", Kind.JSON, "metadata", required=True),
    ),
    _navs(
        Navigation("Datastreams", "Datastream", True, "datastreams"),
        Navigation("MultiDatastreams", "MultiDatastream", True, "multi_datastreams"),
    ),
)
OBSERVED_PROPERTY = EntityType(
    "ObservedProperty",
    "ObservedProperties",
    models.ObservedProperty,
    _props(
        _NAME,
        _DESCRIPTION,
        _PROPERTIES,
        Property("definition", Kind.TEXT, "definition", required=True),
    ),
    _navs(
        Navigation("Datastreams", "Datastream", True, "datastreams"),
        Navigation("MultiDatastreams", "MultiDatastream", True, "multi_datastreams"),
    ),
)
OBSERVATION = EntityType(
    "Observation",
    "Observations",
    models.Observation,
    _props(
        Property("phenomenonTime", Kind.TIME, "phenomenon_time_start", "phenomenon_time_end"),
        Property("resultTime", Kind.INSTANT, "result_time"),
        Property("result", Kind.RESULT, "result", required=True),
        Property("resultQuality", Kind.JSON, "result_quality"),
        Property("validTime", Kind.TIME, "valid_time_start", "valid_time_end"),
        Property("parameters", Kind.JSON, "parameters"),
    ),
    _navs(
        Navigation("Datastream", "Datastream", False, "datastream"),
        Navigation("MultiDatastream", "MultiDatastream", False, "multi_datastream"),
        Navigation("FeatureOfInterest", "FeatureOfInterest", False, "feature_of_interest"),
    ),
)
FEATURE_OF_INTEREST = EntityType(
    "FeatureOfInterest",
    "FeaturesOfInterest",
    models.FeatureOfInterest,
    _props(
        _NAME,
        _DESCRIPTION,
        _ENCODING,
        _PROPERTIES,
        Property("feature", Kind.GEOMETRY, "feature", required=True),
    ),
    _navs(Navigation("Observations", "Observation", True, "observations")),
)

ENTITY_TYPES: tuple[EntityType, ...] = (
    THING,
    LOCATION,
    HISTORICAL_LOCATION,
    DATASTREAM,
    MULTI_DATASTREAM,
    SENSOR,
    OBSERVED_PROPERTY,
    OBSERVATION,
    FEATURE_OF_INTEREST,
)
BY_NAME = {e.name: e for e in ENTITY_TYPES}
BY_PLURAL = {e.plural: e for e in ENTITY_TYPES}


MAX_ID = 2**63 - 1  # ids are 64-bit; a larger number can name no entity


def valid_id(value: object) -> int | None:
    """An entity id from a client value (int or digit string), or None if it cannot be one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if isinstance(value, int) and 0 < value <= MAX_ID:
        return value
    return None


def entity(name: str) -> EntityType:
    return BY_NAME[name]
