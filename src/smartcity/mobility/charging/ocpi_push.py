"""The OCPI 2.2.1 Locations receiver interface (the CPO pushes to us): GET, PUT and PATCH
of a Location, one of its EVSEs or one Connector, as plain functions of the feed the
caller's token is bound to; ocpi_views.py adapts HTTP to them.

A push is written in one transaction on the Location's offer (read for update first, so
two pushes to one Location do not lose each other's change): PUT replaces the object,
PATCH changes only the fields it gives and must give ``last_updated``; both set
``last_updated`` on the parents, as mod_locations.asciidoc asks. The object is validated
as a whole after the change (ocpi_models), so nothing is written half. What is not to be
shown (unpublished, no EVSE in service, outside the city's extent) is not kept: its offer
is removed, and the push is answered as a success."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from smartcity.core.city import city
from smartcity.core.tokens import Principal
from smartcity.mobility.charging import ocpi
from smartcity.mobility.charging.ocpi_models import (
    UNKNOWN_LOCATION,
    Connector,
    Evse,
    Location,
    OcpiError,
    dump,
    parse,
)
from smartcity.mobility.models import Feed, Offer

SUCCESS = 1000
GENERIC = 2000  # OCPI: generic client error


@dataclass(frozen=True)
class Target:
    """What the URL addresses: a Location, one of its EVSEs, or one Connector."""

    country_code: str
    party_id: str
    location_id: str
    evse_uid: str | None = None
    connector_id: str | None = None

    @property
    def ref(self) -> str:
        return ocpi.ref_of(self.country_code, self.party_id, self.location_id)


@dataclass(frozen=True)
class Answer:
    http: int
    code: int
    message: str = ""
    data: Any = None


def feed_of(principal: Principal) -> Feed:
    """The OCPI feed the token is bound to (``options["receiver_tokens"]``)."""
    for feed in Feed.objects.filter(kind=Feed.OCPI):
        if principal.token_id in (feed.options.get("receiver_tokens") or []):
            return feed
    raise OcpiError(f"the token {principal.name!r} is bound to no OCPI feed", GENERIC, 403)


def check_party(feed: Feed, target: Target) -> None:
    """A CPO writes only its own Locations: those of its feed's country code and party."""
    own = (str(feed.options.get("country_code", "")), str(feed.options.get("party_id", "")))
    if (target.country_code.upper(), target.party_id.upper()) != (own[0].upper(), own[1].upper()):
        raise OcpiError(
            f"this token pushes the Locations of {own[0]}/{own[1]} only, "
            f"not of {target.country_code}/{target.party_id}",
            GENERIC,
            403,
        )


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()  # CiString: case-insensitive


def _unknown(what: str) -> OcpiError:
    return OcpiError(f"unknown {what}", UNKNOWN_LOCATION, 404)


def _evse(location: dict[str, Any], uid: str) -> dict[str, Any]:
    for evse in location.get("evses", []):
        if _same(evse["uid"], uid):
            return evse
    raise _unknown(f"EVSE {uid}")


def _connector(evse: dict[str, Any], connector_id: str) -> dict[str, Any]:
    for connector in evse.get("connectors", []):
        if _same(connector["id"], connector_id):
            return connector
    raise _unknown(f"Connector {connector_id}")


def _stored(feed: Feed, target: Target, *, lock: bool = False) -> Offer | None:
    query = Offer.objects.filter(feed=feed, ref=target.ref)
    return (query.select_for_update() if lock else query).first()


def get(feed: Feed, target: Target) -> Answer:
    """The object as the platform keeps it (404 with 2003 when it keeps none)."""
    offer = _stored(feed, target)
    if offer is None:
        raise _unknown(f"Location {target.location_id}")
    data: dict[str, Any] = ocpi.location_of(offer)
    if target.evse_uid is not None:
        data = _evse(data, target.evse_uid)
        if target.connector_id is not None:
            data = _connector(data, target.connector_id)
    return Answer(200, SUCCESS, data=data)


def _write(feed: Feed, target: Target, location: Location, existed: bool) -> Answer:
    """Store the Location as its offer, or remove the offer when it is not to be shown."""
    record = ocpi.record(location)
    area = city().extent
    shown = (
        record is not None
        and area.min_x <= record.lon <= area.max_x
        and area.min_y <= record.lat <= area.max_y
    )
    if record is None or not shown:
        Offer.objects.filter(feed=feed, ref=target.ref).delete()
        return Answer(
            200,
            SUCCESS,
            "accepted; not shown (unpublished, no EVSE in service or outside the city)",
        )
    Offer.objects.update_or_create(
        feed=feed,
        ref=record.ref,
        defaults={
            "mode": record.mode,
            "kind": record.kind,
            "name": record.name[:300],
            "lat": record.lat,
            "lon": record.lon,
            "details": record.details,
            "status": record.status,
            "status_at": record.status_at,
        },
    )
    return Answer(200 if existed else 201, SUCCESS)


def _whole(target: Target, location: Any) -> Location:
    whole = parse(Location, location)
    if not (_same(whole.id, target.location_id) and _same(whole.country_code, target.country_code)):
        raise OcpiError("the Location's id or country_code differs from the URL's")
    if not _same(whole.party_id, target.party_id):
        raise OcpiError("the Location's party_id differs from the URL's")
    return whole


def _stamp(location: dict[str, Any], evse: dict[str, Any] | None, at: Any) -> None:
    """The parents' last_updated follow the pushed object's."""
    when = at if isinstance(at, str) else ocpi_now()
    location["last_updated"] = when
    if evse is not None:
        evse["last_updated"] = when


def ocpi_now() -> str:
    return timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")


def put(feed: Feed, target: Target, body: Any) -> Answer:
    """Replace (or create) the Location, EVSE or Connector with ``body``."""
    with transaction.atomic():
        offer = _stored(feed, target, lock=True)
        if target.evse_uid is None:
            return _write(feed, target, _whole(target, body), offer is not None)
        if offer is None:
            raise _unknown(f"Location {target.location_id}")
        location = ocpi.location_of(offer)
        if target.connector_id is None:
            evse = dump(parse(Evse, body))
            if not _same(evse["uid"], target.evse_uid):
                raise OcpiError("the EVSE's uid differs from the URL's")
            others = [e for e in location["evses"] if not _same(e["uid"], target.evse_uid)]
            location["evses"] = [*others, evse]
            _stamp(location, None, evse.get("last_updated"))
        else:
            parent = _evse(location, target.evse_uid)
            connector = dump(parse(Connector, body))
            if not _same(connector["id"], target.connector_id):
                raise OcpiError("the Connector's id differs from the URL's")
            others = [c for c in parent["connectors"] if not _same(c["id"], target.connector_id)]
            parent["connectors"] = [*others, connector]
            _stamp(location, parent, connector.get("last_updated"))
        return _write(feed, target, _whole(target, location), True)


def _merge(current: dict[str, Any], patch: dict[str, Any], key: str, children: str | None) -> None:
    """Set the patch's fields on ``current``; the items of ``children`` (evses by uid,
    connectors by id) are merged one by one, new ones added. ``key`` may not change."""
    for name, value in patch.items():
        if name == key and not (isinstance(value, str) and _same(value, str(current.get(key, "")))):
            raise OcpiError(f"{key} cannot be changed by a PATCH")
        if name == children and isinstance(value, list):
            child_key = "uid" if children == "evses" else "id"
            grandchildren = "connectors" if children == "evses" else None
            for item in value:
                if not isinstance(item, dict) or not isinstance(item.get(child_key), str):
                    raise OcpiError(f"each of {children} needs its {child_key}")
                found = next(
                    (c for c in current.get(children, []) if _same(c[child_key], item[child_key])),
                    None,
                )
                if found is None:
                    current.setdefault(children, []).append(item)
                else:
                    _merge(found, item, child_key, grandchildren)
        else:
            current[name] = value


def patch(feed: Feed, target: Target, body: Any) -> Answer:
    """Change only the fields ``body`` gives; ``last_updated`` is required."""
    if not isinstance(body, dict) or not isinstance(body.get("last_updated"), str):
        raise OcpiError("a PATCH must give last_updated")
    with transaction.atomic():
        offer = _stored(feed, target, lock=True)
        if offer is None:
            raise _unknown(f"Location {target.location_id}")
        location = ocpi.location_of(offer)
        if target.evse_uid is None:
            _merge(location, body, "id", "evses")
        else:
            evse = _evse(location, target.evse_uid)
            if target.connector_id is None:
                _merge(evse, body, "uid", "connectors")
            else:
                _merge(_connector(evse, target.connector_id), body, "id", None)
                evse["last_updated"] = body["last_updated"]
            location["last_updated"] = body["last_updated"]
        return _write(feed, target, _whole(target, location), True)
