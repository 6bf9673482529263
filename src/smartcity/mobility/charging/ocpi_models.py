"""OCPI 2.2.1 Locations, EVSEs and Connectors as validated objects (mod_locations.asciidoc,
types.asciidoc), read with pydantic (django-ninja's validator, already in the platform).

The reader is strict about what the platform cannot do without (a Location's id, owner,
position and ``last_updated``; an EVSE's ``uid`` and ``status`` from the Status enum; a
Connector's ``id`` and ``standard``) and tolerant about the rest, as the spec asks of a
receiver ("process the correct objects"): a missing ``power_type`` or ``max_voltage``
leaves the power unknown, a number where a string is due is read as its text, fields the
spec does not define are ignored. ``publish_allowed_to`` is never kept: it names drivers'
tokens. :class:`OcpiError` carries the OCPI status code of what is wrong (2001)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

STATUSES = (
    "AVAILABLE",
    "BLOCKED",
    "CHARGING",
    "INOPERATIVE",
    "OUTOFORDER",
    "PLANNED",
    "REMOVED",
    "RESERVED",
    "UNKNOWN",
)
Status = Literal[
    "AVAILABLE",
    "BLOCKED",
    "CHARGING",
    "INOPERATIVE",
    "OUTOFORDER",
    "PLANNED",
    "REMOVED",
    "RESERVED",
    "UNKNOWN",
]
PowerType = Literal["AC_1_PHASE", "AC_2_PHASE", "AC_2_PHASE_SPLIT", "AC_3_PHASE", "DC"]
PHASES = {"AC_1_PHASE": 1, "AC_2_PHASE": 2, "AC_2_PHASE_SPLIT": 2, "AC_3_PHASE": 3, "DC": 1}

INVALID = 2001  # OCPI: invalid or missing parameters
UNKNOWN_LOCATION = 2003


class OcpiError(ValueError):
    """A request or object OCPI cannot take: its status code and HTTP status."""

    def __init__(self, message: str, code: int = INVALID, http: int = 400) -> None:
        super().__init__(message)
        self.code, self.http = code, http


def _utc(value: datetime) -> datetime:
    """OCPI times are UTC; one without a zone designator is UTC too (types.asciidoc)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _printable(value: str) -> str:
    if any(not char.isprintable() for char in value):
        raise ValueError("only printable characters are allowed")
    return value


DateTime = Annotated[datetime, AfterValidator(_utc)]
CiString = Annotated[str, Field(min_length=1, max_length=36), AfterValidator(_printable)]
Text = Annotated[str, Field(max_length=512)]


def _latitude(value: str) -> str:
    if not -90 <= float(value) <= 90:
        raise ValueError("a latitude lies between -90 and 90")
    return value


def _longitude(value: str) -> str:
    if not -180 <= float(value) <= 180:
        raise ValueError("a longitude lies between -180 and 180")
    return value


class _Object(BaseModel):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True, frozen=True)


class GeoLocation(_Object):
    latitude: Annotated[str, Field(max_length=12), AfterValidator(_latitude)]
    longitude: Annotated[str, Field(max_length=12), AfterValidator(_longitude)]


class BusinessDetails(_Object):
    name: Annotated[str, Field(max_length=100)]
    website: Annotated[str, Field(max_length=255)] | None = None


class RegularHours(_Object):
    weekday: Annotated[int, Field(ge=1, le=7)]
    period_begin: Annotated[str, Field(pattern=r"^([0-1][0-9]|2[0-3]):[0-5][0-9]$")]
    period_end: Annotated[str, Field(pattern=r"^([0-1][0-9]|2[0-4]):[0-5][0-9]$")]


class ExceptionalPeriod(_Object):
    period_begin: DateTime
    period_end: DateTime


class Hours(_Object):
    twentyfourseven: bool
    regular_hours: list[RegularHours] = []
    exceptional_openings: list[ExceptionalPeriod] = []
    exceptional_closings: list[ExceptionalPeriod] = []


class DisplayText(_Object):
    language: Annotated[str, Field(max_length=2)]
    text: Text


class Connector(_Object):
    id: CiString
    standard: Annotated[str, Field(min_length=1, max_length=40)]
    format: Literal["SOCKET", "CABLE"] | None = None
    power_type: PowerType | None = None
    max_voltage: Annotated[int, Field(ge=0)] | None = None
    max_amperage: Annotated[int, Field(ge=0)] | None = None
    max_electric_power: Annotated[int, Field(ge=0)] | None = None
    tariff_ids: list[CiString] = []
    terms_and_conditions: Annotated[str, Field(max_length=255)] | None = None
    last_updated: DateTime | None = None

    @property
    def watts(self) -> float | None:
        """The most power it delivers: ``max_electric_power``, else voltage times amperage
        times the phases (the voltage of AC_3_PHASE is line to neutral); None if unknown."""
        if self.max_electric_power is not None:
            return float(self.max_electric_power)
        if None in (self.max_voltage, self.max_amperage, self.power_type):
            return None
        assert self.max_voltage is not None and self.max_amperage is not None
        return float(self.max_voltage * self.max_amperage * PHASES[str(self.power_type)])


class StatusSchedule(_Object):
    period_begin: DateTime
    period_end: DateTime | None = None
    status: Status


class Evse(_Object):
    uid: CiString
    evse_id: Annotated[str, Field(max_length=48)] | None = None
    status: Status
    status_schedule: list[StatusSchedule] = []
    capabilities: list[Annotated[str, Field(max_length=40)]] = []
    connectors: list[Connector] = []
    floor_level: Annotated[str, Field(max_length=4)] | None = None
    coordinates: GeoLocation | None = None
    physical_reference: Annotated[str, Field(max_length=16)] | None = None
    directions: list[DisplayText] = []
    parking_restrictions: list[Annotated[str, Field(max_length=20)]] = []
    last_updated: DateTime | None = None


class Location(_Object):
    country_code: Annotated[str, Field(min_length=2, max_length=2)]
    party_id: Annotated[str, Field(min_length=3, max_length=3)]
    id: CiString
    publish: bool = True
    name: Annotated[str, Field(max_length=255)] | None = None
    address: Annotated[str, Field(max_length=45)] = ""
    city: Annotated[str, Field(max_length=45)] = ""
    postal_code: Annotated[str, Field(max_length=10)] | None = None
    state: Annotated[str, Field(max_length=20)] | None = None
    country: Annotated[str, Field(max_length=3)] = ""
    coordinates: GeoLocation
    parking_type: Annotated[str, Field(max_length=20)] | None = None
    evses: list[Evse] = []
    directions: list[DisplayText] = []
    operator: BusinessDetails | None = None
    suboperator: BusinessDetails | None = None
    owner: BusinessDetails | None = None
    facilities: list[Annotated[str, Field(max_length=20)]] = []
    time_zone: Annotated[str, Field(max_length=255)] | None = None
    opening_times: Hours | None = None
    charging_when_closed: bool | None = None
    energy_mix: dict[str, Any] | None = None
    last_updated: DateTime


T = TypeVar("T", bound=_Object)


def _message(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ())) or "object"
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return f"{where}: {first.get('msg', 'invalid')}{more}"


def parse(kind: type[T], value: Any) -> T:
    """``value`` (decoded JSON) as an OCPI object of ``kind``; OcpiError (2001) with the
    first field that is wrong."""
    if not isinstance(value, dict):
        raise OcpiError(f"expected an OCPI {kind.__name__} object, not {type(value).__name__}")
    try:
        return kind.model_validate(value)
    except ValidationError as error:
        raise OcpiError(f"invalid {kind.__name__}: {_message(error)}") from None


def dump(value: _Object) -> dict[str, Any]:
    """The object as OCPI JSON (times as OCPI writes them, absent fields left out)."""
    return value.model_dump(mode="json", exclude_none=True, exclude_defaults=False)
