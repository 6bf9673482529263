"""A GTFS-Realtime FeedMessage (protobuf, gtfs-realtime-bindings) as the rows the platform
keeps: trip updates, vehicle positions (as offers) and service alerts. An entity that
breaks the reference's rules is rejected with its id and the reason; the others are kept.

Only full datasets are read (``incrementality: FULL_DATASET``): a differential feed, which
the reference still marks as unsupported, is refused as a whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from google.protobuf import text_format
from google.protobuf.message import DecodeError
from google.transit import gtfs_realtime_pb2 as rt

from smartcity.mobility.models import Offer, ServiceAlert, TripUpdate
from smartcity.mobility.offers import OfferRecord

CANCELED = rt.TripDescriptor.ScheduleRelationship.Value("CANCELED")
DELETED = rt.TripDescriptor.ScheduleRelationship.Value("DELETED")
SKIPPED = rt.TripUpdate.StopTimeUpdate.ScheduleRelationship.Value("SKIPPED")
NO_DATA = rt.TripUpdate.StopTimeUpdate.ScheduleRelationship.Value("NO_DATA")


class MessageError(ValueError):
    """The message as a whole cannot be used."""


@dataclass
class Decoded:
    timestamp: datetime | None
    trips: list[TripUpdate] = field(default_factory=list)
    vehicles: list[OfferRecord] = field(default_factory=list)
    alerts: list[ServiceAlert] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)


def parse(data: bytes) -> rt.FeedMessage:
    """The FeedMessage of binary protobuf (or of the text format the reference's examples
    use). MessageError when it is neither."""
    message = rt.FeedMessage()
    try:
        message.ParseFromString(data)
        if message.HasField("header"):
            return message
    except DecodeError:
        pass
    try:
        return text_format.Parse(data.decode("utf-8"), rt.FeedMessage())
    except (text_format.ParseError, UnicodeDecodeError):
        raise MessageError(
            "not a GTFS-Realtime FeedMessage (neither protobuf nor its text format)"
        ) from None


def _time(seconds: int) -> datetime | None:
    try:
        return datetime.fromtimestamp(seconds, UTC) if seconds else None
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"{seconds} is not a POSIX time") from None


def decode(message: rt.FeedMessage) -> Decoded:
    header = message.header
    if not header.gtfs_realtime_version:
        raise MessageError("the header lacks gtfs_realtime_version")
    if header.incrementality == rt.FeedHeader.Incrementality.Value("DIFFERENTIAL"):
        raise MessageError("differential GTFS-Realtime feeds are not supported, only full datasets")
    decoded = Decoded(_time(header.timestamp))
    for entity in message.entity:
        where = f"entity {entity.id.replace(chr(0), '') or '?'}"
        try:
            if not entity.id:
                raise ValueError("id is required")
            if _has_nul(entity):  # no store keeps a NUL character
                raise ValueError("a text holds a NUL character")
            if entity.is_deleted:
                continue
            if entity.HasField("trip_update"):
                decoded.trips.append(_trip(entity.trip_update, decoded.timestamp))
            if entity.HasField("vehicle"):
                decoded.vehicles.append(_vehicle(entity.id, entity.vehicle, decoded.timestamp))
            if entity.HasField("alert"):
                decoded.alerts.append(_alert(entity.id, entity.alert))
        except ValueError as error:
            decoded.rejected.append((where, str(error)))
    return decoded


def _has_nul(message: Any) -> bool:
    """Whether any string of a message (at any depth) holds a NUL character."""
    for descriptor, value in message.ListFields():
        values = value if descriptor.is_repeated else [value]
        if descriptor.type == descriptor.TYPE_STRING:
            if any("\0" in text for text in values):
                return True
        elif descriptor.type == descriptor.TYPE_MESSAGE and any(_has_nul(v) for v in values):
            return True
    return False


def _event(event: Any) -> dict[str, int]:
    found = {}
    if event.HasField("delay"):
        found["delay"] = event.delay
    if event.HasField("time"):
        found["time"] = event.time
    return found


def _service_date(text: str) -> date | None:
    if not text:
        return None
    if not (len(text) == 8 and text.isdigit()):
        raise ValueError(f"start_date {text!r} is not YYYYMMDD")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise ValueError(f"start_date {text!r} is not a date") from None


def _trip(update: Any, fallback: datetime | None) -> TripUpdate:
    trip = update.trip
    if not trip.trip_id:
        raise ValueError("trip_update: a trip without trip_id cannot be matched to the timetable")
    stops = []
    for stop in update.stop_time_update:
        if not (stop.HasField("stop_sequence") or stop.stop_id):
            raise ValueError("stop_time_update: needs stop_sequence or stop_id")
        item: dict[str, Any] = {"rel": stop.schedule_relationship}
        if stop.HasField("stop_sequence"):
            item["seq"] = stop.stop_sequence
        if stop.stop_id:
            item["stop"] = stop.stop_id
        if stop.HasField("arrival"):
            item["arr"] = _event(stop.arrival)
        if stop.HasField("departure"):
            item["dep"] = _event(stop.departure)
        stops.append(item)
    return TripUpdate(
        trip_id=trip.trip_id[:200],
        start_date=_service_date(trip.start_date),
        start_time=_start_time(trip.start_time),
        relationship=trip.schedule_relationship,
        route_id=trip.route_id[:200],
        headsign=update.trip_properties.trip_headsign[:200],
        delay=update.delay if update.HasField("delay") else None,
        stops=stops,
        timestamp=_time(update.timestamp) or fallback,
        vehicle=(update.vehicle.label or update.vehicle.id)[:200],
    )


def _start_time(text: str) -> str:
    """A TripDescriptor's start_time as HH:MM:SS ("8:10:00" too; past 24:00 allowed)."""
    if not text:
        return ""
    hours, _, rest = text.partition(":")
    minutes, _, seconds = rest.partition(":")
    parts = (hours, minutes, seconds)
    if (
        not all(part.isdigit() and len(part) <= 2 for part in parts)
        or int(hours) > 47
        or (int(minutes) > 59 or int(seconds) > 59)
    ):
        raise ValueError(f"start_time {text[:20]!r} is not HH:MM:SS")
    return f"{int(hours):02d}:{int(minutes):02d}:{int(seconds):02d}"


def _vehicle(ref: str, vehicle: Any, fallback: datetime | None) -> OfferRecord:
    if not vehicle.HasField("position"):
        raise ValueError("vehicle: a vehicle without position is no place")
    position = vehicle.position
    if not (-90 <= position.latitude <= 90 and -180 <= position.longitude <= 180):
        raise ValueError("vehicle: the position lies outside the Earth's degrees")
    status: dict[str, Any] = {
        "trip": vehicle.trip.trip_id,
        "route": vehicle.trip.route_id,
        "stop": vehicle.stop_id,
        "currentStatus": rt.VehiclePosition.VehicleStopStatus.Name(vehicle.current_status),
    }
    if position.HasField("bearing"):
        status["bearing"] = position.bearing
    if position.HasField("speed"):
        status["speed"] = position.speed
    if vehicle.HasField("occupancy_status"):
        status["occupancy"] = rt.VehiclePosition.OccupancyStatus.Name(vehicle.occupancy_status)
    return OfferRecord(
        ref=(vehicle.vehicle.id or ref)[:200],
        mode=Offer.TRANSIT,
        kind=Offer.VEHICLE,
        lat=position.latitude,
        lon=position.longitude,
        name=vehicle.vehicle.label,
        status=status,
        status_at=_time(vehicle.timestamp) or fallback,
    )


def _texts(translated: Any) -> dict[str, str]:
    return {t.language or "": t.text for t in translated.translation}


def _alert(ref: str, alert: Any) -> ServiceAlert:
    entities = []
    for selector in alert.informed_entity:
        chosen = {
            name: getattr(selector, name)
            for name in ("agency_id", "route_id", "stop_id")
            if getattr(selector, name)
        }
        if selector.HasField("route_type"):
            chosen["route_type"] = selector.route_type
        if selector.HasField("trip") and selector.trip.trip_id:
            chosen["trip_id"] = selector.trip.trip_id
        if not chosen:
            raise ValueError("alert: an informed_entity must select something")
        entities.append(chosen)
    if not entities:
        raise ValueError("alert: informed_entity is required")
    return ServiceAlert(
        ref=ref[:200],
        cause=rt.Alert.Cause.Name(alert.cause) if alert.HasField("cause") else "",
        effect=rt.Alert.Effect.Name(alert.effect) if alert.HasField("effect") else "",
        severity=(
            rt.Alert.SeverityLevel.Name(alert.severity_level)
            if alert.HasField("severity_level")
            else ""
        ),
        header=_texts(alert.header_text),
        description=_texts(alert.description_text),
        url=_texts(alert.url),
        periods=[[p.start or None, p.end or None] for p in alert.active_period],
        entities=entities,
        stops=sorted({e["stop_id"] for e in entities if "stop_id" in e}),
        routes=sorted({e["route_id"] for e in entities if "route_id" in e}),
    )
