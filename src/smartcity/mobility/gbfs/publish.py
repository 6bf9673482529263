"""The city's GBFS systems re-published as one merged GBFS 3.0 feed (as Lamassu does),
under ``/api/v1/mobility/gbfs/city/``: plain functions from the stored rows to the
files' dicts; api.py only adapts HTTP to them.

- **The system is the city**: its system_information says the city's id, name, time
  zone, languages and feed contact (:class:`City`, from settings).
- **Sources**: every GBFS feed whose last delivery is not stale (mobility's freshness
  rule, feeds.freshness: within three of its ttl); a stale one is left out, and one
  whose last poll failed is in with its last good data while that is fresh. Each
  source's objects are reshaped by reshape.py (ids prefixed ``KEY:``, v2.3 converted).
- **Times**: each file's ``last_updated`` is the oldest ``last_updated`` of the sources'
  files that went into it and its ``ttl`` the smallest of their ttls (a source without
  such a file row, e.g. demo data, counts with its feed's last delivery and ttl);
  gbfs.json and system_information take the oldest and smallest of all the files.
- **Files**: system_information, station_information, station_status and vehicle_status
  always (empty where no source has such places now), the others where a source has them.
- **Bounded**: at most ``SMARTCITY_MOBILITY_GBFS_PUBLISH_MAX_PLACES`` stations (in both
  station files the same ones, by feed key and id) and as many vehicles per answer;
  when there were more, ``data._truncated`` is true (a GBFS extension field)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.text import slugify

from smartcity.core import config
from smartcity.core.city import city
from smartcity.mobility import feeds
from smartcity.mobility.gbfs import catalogue, discovery, reshape, values
from smartcity.mobility.gbfs.reshape import Source
from smartcity.mobility.models import Feed, GbfsFile, Offer

log = logging.getLogger("smartcity.mobility.gbfs")

VERSION = reshape.VERSION
SYSTEM = discovery.SYSTEM
TYPES, PRICING, ZONES = discovery.VEHICLE_TYPES, discovery.PRICING, discovery.GEOFENCING
STATIONS, STATUS, VEHICLES = "station_information", "station_status", "vehicle_status"
FILES = (SYSTEM, TYPES, STATIONS, STATUS, VEHICLES, PRICING, ZONES)  # as gbfs.json lists them
REFERENCE = (TYPES, PRICING, ZONES)  # kept as GbfsFile data
ALWAYS = (SYSTEM, STATIONS, STATUS, VEHICLES)  # listed even when empty
EMPTY_TTL = 60  # the ttl of a file no source has data for (the importer's polling)
# the source files whose last_updated and ttl a merged file takes
SOURCE_FILES = {STATIONS: (STATIONS,), STATUS: (STATUS,),
                VEHICLES: (VEHICLES, discovery.VEHICLES_V2), TYPES: (TYPES,),
                PRICING: (PRICING,), ZONES: (ZONES,)}  # fmt: skip


@dataclass(frozen=True)
class City:
    """The merged system's own information (system_information), from settings."""

    system_id: str
    name: str
    languages: tuple[str, ...]
    timezone: str
    opening_hours: str
    email: str


def the_city() -> City:
    name = config.get("MOBILITY_GBFS_SYSTEM_NAME") or city().name
    languages = [reshape.language_tag(v.strip()) for v in config.get("MOBILITY_GBFS_LANGUAGES")
                 .split(",")]  # fmt: skip
    return City(
        system_id=config.get("MOBILITY_GBFS_SYSTEM_ID") or slugify(city().name) or "city",
        name=name,
        languages=tuple(dict.fromkeys(tag for tag in languages if tag)) or ("de",),
        timezone=config.get("TIME_ZONE"),
        opening_hours=config.get("MOBILITY_GBFS_OPENING_HOURS"),
        email=config.get("MOBILITY_GBFS_FEED_CONTACT_EMAIL") or config.get("EMAIL_FROM"),
    )


@dataclass(frozen=True)
class Timing:
    last_updated: datetime
    ttl: int


@dataclass(frozen=True)
class Merged:
    """What goes into the merged feed now: the sources, the languages of their texts, and
    per merged file the timings of the sources' data behind it (no entry: no source has
    that file now)."""

    city: City
    sources: tuple[Source, ...]
    languages: tuple[str, ...]
    timings: dict[str, list[Timing]]
    now: datetime

    def timing(self, names: Iterable[str]) -> Timing:
        found = [t for name in names for t in self.timings.get(name, [])]
        if not found:
            return Timing(self.now, EMPTY_TTL)
        return Timing(min(t.last_updated for t in found), min(t.ttl for t in found))

    @property
    def files(self) -> tuple[str, ...]:
        """The files the merged feed has now: system_information and the places always
        (v3.0's gbfs.json must list station_status or vehicle_status; a city without
        stations now has none), the others where a source has them."""
        return tuple(name for name in FILES if name in ALWAYS or self.timings.get(name))


def _language(version: str, rows: dict[str, GbfsFile], fallback: str) -> str:
    found = rows.get(discovery.DISCOVERY)
    system = rows.get(SYSTEM)
    chosen = catalogue.language_of(
        version,
        (found.data.get("language") if found is not None else None)
        or (system.data.get("language") if system is not None else None),
        system.data if system is not None else None,
    )
    return reshape.language_tag(chosen) or fallback


def _languages(source: Source, rows: dict[str, GbfsFile]) -> list[str]:
    system = rows.get(SYSTEM)
    given = (system.data.get("languages") if system is not None else None) or []
    return [source.language, *(tag for v in given if (tag := reshape.language_tag(v)))]


def _source(feed: Feed, rows: dict[str, GbfsFile], fallback: str) -> Source:
    head = rows.get(discovery.DISCOVERY) or rows.get(SYSTEM)
    version = head.version if head is not None and head.version else VERSION
    reference = {name: rows[name].data for name in REFERENCE if name in rows}
    return Source(feed.key, version, _language(version, rows, fallback), reference)


def _timings(feed: Feed, rows: dict[str, GbfsFile], places: set[str]) -> dict[str, Timing]:
    """Per merged file the timing of ``feed``'s data behind it, for the files it has."""
    assert feed.delivered_at is not None  # a feed that never delivered is stale
    own = Timing(feed.delivered_at, feed.ttl)
    has = {TYPES: True, PRICING: PRICING in rows, ZONES: ZONES in rows,
           STATIONS: "station" in places, STATUS: "station" in places,
           VEHICLES: "vehicle" in places}  # fmt: skip
    found = {}
    for name, present in has.items():
        if not present:
            continue
        row = next((rows[n] for n in SOURCE_FILES[name] if n in rows), None)
        found[name] = own if row is None or row.last_updated is None else Timing(
            row.last_updated, row.ttl)  # fmt: skip
    return found


def merged(now: datetime) -> Merged:
    """The sources of the merged feed now; a source whose stored data cannot be read is
    left out (and logged), the others are used."""
    the = the_city()
    fresh = [f for f in Feed.objects.filter(kind=Feed.GBFS).order_by("key")
             if not feeds.freshness(f, None, now).stale]  # fmt: skip
    rows: dict[int, dict[str, GbfsFile]] = {f.pk: {} for f in fresh}
    for row in GbfsFile.objects.filter(feed__in=fresh, fetched_at__isnull=False):
        rows[row.feed_id][row.name] = row
    places: dict[int, set[str]] = {f.pk: set() for f in fresh}
    kinds = Offer.objects.filter(feed__in=fresh, kind__in=("station", "vehicle"))
    for feed_id, kind in kinds.values_list("feed_id", "kind").distinct():
        places[feed_id].add(kind)
    sources, languages, timings = [], list(the.languages), {}  # type: ignore[var-annotated]
    for feed in fresh:
        try:
            source = _source(feed, rows[feed.pk], the.languages[0])
            reshape.vehicle_types(source)  # what every other file refers to must be readable
            found = _timings(feed, rows[feed.pk], places[feed.pk])
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            log.warning("GBFS feed %s left out of the merged feed: %r", feed.key, error)
            continue
        sources.append(source)
        languages += _languages(source, rows[feed.pk])
        for name, timing in found.items():
            timings.setdefault(name, []).append(timing)
    return Merged(the, tuple(sources), tuple(dict.fromkeys(languages)), timings, now)


def file(body: Merged, name: str, data: dict[str, Any], names: Iterable[str] = ()) -> dict:
    """A merged file: the header (RFC 3339 ``last_updated``, ``ttl``, ``version``) and
    ``data``; its timing that of the sources' files ``names`` (default: its own)."""
    timing = body.timing(names or (name,))
    return {"last_updated": values.iso(timing.last_updated), "ttl": timing.ttl,
            "version": VERSION, "data": data}  # fmt: skip


def discovery_file(body: Merged, url_of: Any) -> dict[str, Any]:
    """gbfs.json: every file the merged feed has now, at ``url_of(name)``."""
    feeds_ = [{"name": name, "url": url_of(name)} for name in body.files]
    return file(body, "gbfs", {"feeds": feeds_}, body.timings)


def system_information(body: Merged) -> dict[str, Any]:
    the = body.city
    data = {
        "system_id": the.system_id,
        "languages": list(body.languages),
        "name": [{"text": the.name, "language": the.languages[0]}],
        "opening_hours": the.opening_hours,
        "feed_contact_email": the.email,
        "timezone": the.timezone,
    }
    return file(body, SYSTEM, data, body.timings)


def _each(body: Merged, build: Any) -> list[Any]:
    """``build(source)`` of every source, a source whose data breaks it left out."""
    found = []
    for source in body.sources:
        try:
            found.append(build(source))
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            log.warning("GBFS feed %s: %s left out of the merged feed: %r",
                        source.key, getattr(build, "__name__", build), error)  # fmt: skip
    return found


def vehicle_types(body: Merged) -> dict[str, Any]:
    every = [kind for kinds in _each(body, reshape.vehicle_types) for kind in kinds]
    return file(body, TYPES, {"vehicle_types": every})


def pricing_plans(body: Merged) -> dict[str, Any]:
    every = [plan for plans in _each(body, reshape.plans) for plan in plans]
    return file(body, PRICING, {"plans": every})


def geofencing_zones(body: Merged) -> dict[str, Any]:
    features, global_rules = [], []
    for zones, rules in _each(body, reshape.zones):
        features += zones
        global_rules += rules
    collection = {"type": "FeatureCollection", "features": features}
    return file(body, ZONES, {"geofencing_zones": collection, "global_rules": global_rules})


def places(body: Merged, kind: str, limit: int) -> tuple[list[tuple[Source, dict]], bool]:
    """At most ``limit`` offers of ``kind`` (station, vehicle) of the sources, by feed key
    and ref, each with its source; and whether there were more."""
    by_key = {source.key: source for source in body.sources}
    rows = (
        Offer.objects.filter(feed__key__in=list(by_key), feed__kind=Feed.GBFS, kind=kind)
        .order_by("feed__key", "ref")
        .values("feed__key", "ref", "name", "lat", "lon", "details", "status", "status_at")
    )
    found = [(by_key[row["feed__key"]], dict(row)) for row in rows[: limit + 1]]
    return found[:limit], len(found) > limit


def _listed(body: Merged, name: str, key: str, items: list, more: bool) -> dict[str, Any]:
    data: dict[str, Any] = {key: items}
    if more:
        data["_truncated"] = True
    return file(body, name, data)


def _shaped(offers: list[tuple[Source, dict]], build: Any) -> list[dict[str, Any]]:
    found = []
    for source, offer in offers:
        try:
            shaped = build(source, offer)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            log.warning("GBFS feed %s: offer %s left out of the merged feed: %r",
                        source.key, offer["ref"], error)  # fmt: skip
            continue
        if shaped is not None:
            found.append(shaped)
    return found


def station_information(body: Merged, limit: int) -> dict[str, Any]:
    offers, more = places(body, "station", limit)
    stations = _shaped(offers, reshape.station_information)
    return _listed(body, STATIONS, "stations", stations, more)


def station_status(body: Merged, limit: int) -> dict[str, Any]:
    offers, more = places(body, "station", limit)
    return _listed(body, STATUS, "stations", _shaped(offers, reshape.station_status), more)


def vehicle_status(body: Merged, limit: int) -> dict[str, Any]:
    offers, more = places(body, "vehicle", limit)
    return _listed(body, VEHICLES, "vehicles", _shaped(offers, reshape.vehicle), more)


def document(body: Merged, name: str, limit: int) -> dict[str, Any] | None:
    """The merged file ``name`` (one of :data:`FILES`, not gbfs.json); None when no source
    has it now."""
    if name not in body.files:
        return None
    if name == SYSTEM:
        return system_information(body)
    if name in (STATIONS, STATUS, VEHICLES):
        build = {STATIONS: station_information, STATUS: station_status, VEHICLES: vehicle_status}
        return build[name](body, limit)
    return {TYPES: vehicle_types, PRICING: pricing_plans, ZONES: geofencing_zones}[name](body)
