"""What GTFS-Realtime says now (gtfs-realtime-reference.md): the trip updates and service
alerts of each realtime feed, as of its last good poll (a full dataset replaces the
previous one in one transaction). Vehicle positions are offers (mode transit, kind
vehicle) like every other place."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from smartcity.mobility.models.feeds import Feed


class TripUpdate(models.Model):
    """One trip's realtime: cancelled, or its stops' delays and times. ``stops`` holds the
    StopTimeUpdates in the feed's order, each ``{"seq", "stop", "rel", "arr": {"delay",
    "time"}, "dep": {...}}`` with what the feed gave (missing keys: not given)."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="trip_updates")
    trip_id = models.CharField(_("Fahrt"), max_length=200)
    start_date = models.DateField(_("Betriebstag"), null=True, blank=True)
    # HH:MM:SS as the feed gave it: names one run of a trip given by headway
    # (frequencies.txt, expanded to TRIP@HH:MM:SS), empty when not given
    start_time = models.CharField(_("Abfahrtszeit der Fahrt"), max_length=8, blank=True)
    relationship = models.PositiveSmallIntegerField(_("Art"), default=0)  # TripDescriptor's
    # what a trip the timetable does not know (NEW, ADDED) needs to be shown: its route
    # (TripDescriptor.route_id) and headsign (TripProperties.trip_headsign)
    route_id = models.CharField(_("Linie"), max_length=200, blank=True)
    headsign = models.CharField(_("Ziel"), max_length=200, blank=True)
    delay = models.IntegerField(_("Verspätung der Fahrt"), null=True, blank=True)  # seconds
    stops = models.JSONField(_("Halte"), default=list, blank=True)
    timestamp = models.DateTimeField(_("Stand"), null=True, blank=True)
    vehicle = models.CharField(_("Fahrzeug"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Echtzeit einer Fahrt")
        verbose_name_plural = _("Echtzeit der Fahrten")
        indexes = [
            models.Index(fields=["trip_id", "feed"], name="tripupdate_trip"),
            # the trips a feed adds (NEW, ADDED), which every board of its timetable reads
            models.Index(fields=["feed", "relationship"], name="tripupdate_relationship"),
        ]

    def __str__(self) -> str:
        return f"{self.trip_id} {self.start_date or ''}".strip()


class ServiceAlert(models.Model):
    """A service alert: what is disrupted (``entities``: agency_id, route_id, route_type,
    stop_id, trip_id, as the feed selects them), when, why and what to expect, with its
    texts by language."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="alerts")
    ref = models.CharField(_("Kennung"), max_length=200)  # the entity id
    cause = models.CharField(_("Ursache"), max_length=32, blank=True)
    effect = models.CharField(_("Auswirkung"), max_length=32, blank=True)
    severity = models.CharField(_("Schwere"), max_length=16, blank=True)
    header = models.JSONField(_("Überschrift"), default=dict, blank=True)  # language: text
    description = models.JSONField(_("Beschreibung"), default=dict, blank=True)
    url = models.JSONField(_("Adresse"), default=dict, blank=True)
    periods = models.JSONField(_("Zeiträume"), default=list, blank=True)  # [[start, end]]
    entities = models.JSONField(_("betrifft"), default=list, blank=True)
    stops = models.JSONField(default=list, blank=True)  # the stop_ids it names, to match
    routes = models.JSONField(default=list, blank=True)  # the route_ids it names

    class Meta:
        verbose_name = _("Störungsmeldung")
        verbose_name_plural = _("Störungsmeldungen")
        constraints = [models.UniqueConstraint(fields=["feed", "ref"], name="alert_ref_per_feed")]

    def __str__(self) -> str:
        return next(iter(self.header.values()), self.ref)
