"""The timetable of public transport, as GTFS defines it (gtfs-reference.md), cropped to
the city's area: one :class:`TransitVersion` per imported feed version, and its agencies,
stops, routes, trips, stop times and service days. A new version is written beside the
active one and replaces it in one transaction (``TransitVersion.active``).

Times of day are whole seconds after "noon minus 12 h" of the service day, as GTFS counts
them (so 25:10:00 is 90600). The bulk tables (``StopTime``) refer to their rows by plain
integer keys without database constraints, so that a feed of millions of stop times is
written and deleted by set, not row by row; the importer keeps them consistent."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from smartcity.mobility.models.feeds import Feed


def _bulk(to: Any, *, index: bool = True) -> Any:
    """A key to a row of the same feed version, without a database constraint (and, with
    ``index=False``, without the index of its own that Django gives every key)."""
    return models.ForeignKey(
        to, on_delete=models.DO_NOTHING, db_constraint=False, db_index=index, related_name="+"
    )


class TransitVersion(models.Model):
    """One imported version of a GTFS feed."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="transit_versions")
    active = models.BooleanField(_("aktiv"), default=False)
    imported_at = models.DateTimeField(_("eingelesen"), auto_now_add=True)
    feed_info = models.JSONField(_("Feed-Angaben"), default=dict, blank=True)  # feed_info.txt
    counts = models.JSONField(_("Anzahlen"), default=dict, blank=True)  # rows kept per file
    first_date = models.DateField(_("gilt ab"), null=True, blank=True)
    last_date = models.DateField(_("gilt bis"), null=True, blank=True)

    class Meta:
        verbose_name = _("Fahrplanversion")
        verbose_name_plural = _("Fahrplanversionen")

    def __str__(self) -> str:
        return f"{self.feed_id}/{self.pk}"


class Agency(models.Model):
    version = _bulk(TransitVersion)
    agency_id = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True)
    timezone = models.CharField(max_length=64)
    phone = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("Verkehrsunternehmen")
        verbose_name_plural = _("Verkehrsunternehmen")
        indexes = [models.Index(fields=["version", "agency_id"], name="agency_key")]

    def __str__(self) -> str:
        return self.name


class Stop(models.Model):
    version = _bulk(TransitVersion)
    stop_id = models.CharField(max_length=200)
    name = models.CharField(max_length=300, blank=True)
    lat = models.FloatField(null=True)
    lon = models.FloatField(null=True)
    location_type = models.PositiveSmallIntegerField(default=0)  # 0 stop, 1 station, ...
    parent = models.CharField(max_length=200, blank=True)  # parent_station's stop_id
    platform = models.CharField(max_length=64, blank=True)  # platform_code
    wheelchair = models.PositiveSmallIntegerField(default=0)  # wheelchair_boarding: 0, 1, 2
    timezone = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("Haltestelle (Fahrplan)")
        verbose_name_plural = _("Haltestellen (Fahrplan)")
        indexes = [models.Index(fields=["version", "stop_id"], name="stop_key")]

    def __str__(self) -> str:
        return self.name or self.stop_id


class Route(models.Model):
    version = _bulk(TransitVersion)
    route_id = models.CharField(max_length=200)
    agency_id = models.CharField(max_length=200, blank=True)
    short_name = models.CharField(max_length=64, blank=True)
    long_name = models.CharField(max_length=300, blank=True)
    route_type = models.PositiveIntegerField()  # 3 bus, 2 rail, ... (and extended types)
    color = models.CharField(max_length=6, blank=True)
    text_color = models.CharField(max_length=6, blank=True)

    class Meta:
        verbose_name = _("Linie")
        verbose_name_plural = _("Linien")
        indexes = [models.Index(fields=["version", "route_id"], name="route_key")]

    def __str__(self) -> str:
        return self.short_name or self.long_name or self.route_id


class Trip(models.Model):
    version = _bulk(TransitVersion)
    trip_id = models.CharField(max_length=200)
    route = _bulk(Route)
    service_id = models.CharField(max_length=200)
    headsign = models.CharField(max_length=300, blank=True)
    short_name = models.CharField(max_length=64, blank=True)
    direction = models.PositiveSmallIntegerField(null=True)  # direction_id
    wheelchair = models.PositiveSmallIntegerField(default=0)  # wheelchair_accessible
    bikes = models.PositiveSmallIntegerField(default=0)  # bikes_allowed
    last_sequence = models.PositiveIntegerField(null=True)  # its last stop (in the area or not)
    last_stop = models.CharField(max_length=300, blank=True)  # that stop's name

    class Meta:
        verbose_name = _("Fahrt")
        verbose_name_plural = _("Fahrten")
        indexes = [
            models.Index(fields=["version", "trip_id"], name="trip_key"),
            models.Index(fields=["version", "service_id"], name="trip_service"),
        ]

    def __str__(self) -> str:
        return self.trip_id


class StopTime(models.Model):
    # no index per key: the two below lead with trip and stop, and every index costs the
    # load of millions of rows (five of them took twice as long as these two)
    version = _bulk(TransitVersion, index=False)
    trip = _bulk(Trip, index=False)
    stop = _bulk(Stop, index=False)
    sequence = models.PositiveIntegerField()  # stop_sequence
    arrival = models.IntegerField(null=True)  # seconds after noon minus 12 h
    departure = models.IntegerField(null=True)
    headsign = models.CharField(max_length=300, blank=True)  # stop_headsign
    pickup = models.PositiveSmallIntegerField(default=0)  # pickup_type
    drop_off = models.PositiveSmallIntegerField(default=0)  # drop_off_type

    class Meta:
        verbose_name = _("Halt einer Fahrt")
        verbose_name_plural = _("Halte der Fahrten")
        indexes = [
            models.Index(fields=["stop", "departure"], name="stoptime_board"),
            models.Index(fields=["trip", "sequence"], name="stoptime_trip"),
        ]

    def __str__(self) -> str:
        return f"{self.trip_id}#{self.sequence}"


class Service(models.Model):
    """A row of calendar.txt: the weekdays of a service between two dates."""

    version = _bulk(TransitVersion)
    service_id = models.CharField(max_length=200)
    weekdays = models.PositiveSmallIntegerField()  # bit 0 Monday ... bit 6 Sunday
    start_date = models.DateField()
    end_date = models.DateField()

    class Meta:
        verbose_name = _("Verkehrstage (Kalender)")
        verbose_name_plural = _("Verkehrstage (Kalender)")
        indexes = [models.Index(fields=["version", "service_id"], name="service_key")]

    def __str__(self) -> str:
        return self.service_id


class ServiceDate(models.Model):
    """A row of calendar_dates.txt: a service added (1) or removed (2) on one date."""

    version = _bulk(TransitVersion)
    service_id = models.CharField(max_length=200)
    date = models.DateField()
    exception = models.PositiveSmallIntegerField()  # exception_type

    class Meta:
        verbose_name = _("Verkehrstag (Ausnahme)")
        verbose_name_plural = _("Verkehrstage (Ausnahmen)")
        indexes = [models.Index(fields=["version", "date"], name="servicedate_day")]

    def __str__(self) -> str:
        return f"{self.service_id} {self.date}"
