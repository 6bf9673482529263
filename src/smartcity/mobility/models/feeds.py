"""Feeds (the sources of mobility data, with when each last delivered), offers (every place
where a way to get around is: a stop, a bike station, a scooter, a charge point, a car
park, a traffic signal) and hubs (a Mobilstation: what lies within a short walk of it).

An offer keeps what seldom changes in ``details`` and what changes by the minute in
``status`` with ``status_at``, the time the source says it observed that status; the
conventions of both per mode are in docs/mobility.md ("The offer model")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Feed(models.Model):
    """One source of mobility data: a GTFS feed, a GBFS system, a charge point register, an
    OCPI platform, a parking API, an OpenStreetMap extract. ``delivered_at`` is when it
    last delivered good data; a failing feed keeps its offers, with ``error`` and
    ``failures`` saying what went wrong since."""

    GTFS, GTFS_RT, GBFS = "gtfs", "gtfs-rt", "gbfs"
    BNETZA, OCPI, PARKAPI, DATEX2, OSM, CITY = "bnetza", "ocpi", "parkapi", "datex2", "osm", "city"
    KINDS = [
        (GTFS, "GTFS"),
        (GTFS_RT, "GTFS-Realtime"),
        (GBFS, "GBFS"),
        (BNETZA, _("Ladesäulenregister (BNetzA)")),
        (OCPI, "OCPI 2.2.1"),
        (PARKAPI, "ParkAPI"),
        (DATEX2, "DATEX II"),
        (OSM, "OpenStreetMap"),
        (CITY, _("Stadt (eigene Angaben)")),
    ]

    key = models.SlugField(_("Schlüssel"), max_length=64, unique=True)
    kind = models.CharField(_("Art"), max_length=8, choices=KINDS)
    provider = models.CharField(_("Anbieter"), max_length=200)
    url = models.CharField(_("Adresse"), max_length=500, blank=True)
    options = models.JSONField(_("Optionen"), default=dict, blank=True)
    is_demo = models.BooleanField(_("Demodaten"), default=False)
    ttl = models.PositiveIntegerField(
        _("gültig für (Sekunden)"),
        default=300,
        help_text=_("so lange gelten die Daten als aktuell; danach als veraltet markiert"),
    )
    attempted_at = models.DateTimeField(_("zuletzt abgefragt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("zuletzt geliefert"), null=True, blank=True)
    error = models.TextField(_("letzter Fehler"), blank=True)
    failures = models.PositiveIntegerField(_("Fehler in Folge"), default=0)

    class Meta:
        verbose_name = _("Datenquelle")
        verbose_name_plural = _("Datenquellen")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.provider} ({self.key})"


class Offer(models.Model):
    """A place where one way to get around is offered, of any mode, from any feed."""

    TRANSIT, BIKE, SCOOTER, MOPED, CAR = "transit", "bike", "scooter", "moped", "car"
    CHARGING, PARKING, SIGNAL = "charging", "parking", "signal"
    MODES = [
        (TRANSIT, _("Bus und Bahn")),
        (BIKE, _("Fahrrad-Sharing")),
        (SCOOTER, _("E-Scooter")),
        (MOPED, _("E-Roller (Moped)")),
        (CAR, _("Carsharing")),
        (CHARGING, _("Laden")),
        (PARKING, _("Parken")),
        (SIGNAL, _("Ampel")),
    ]
    STOP, STATION, VEHICLE, SITE, POINT = "stop", "station", "vehicle", "site", "point"
    KINDS = [
        (STOP, _("Haltestelle")),
        (STATION, _("Station")),
        (VEHICLE, _("Fahrzeug")),
        (SITE, _("Standort")),
        (POINT, _("Punkt")),
    ]

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="offers")
    mode = models.CharField(_("Verkehrsmittel"), max_length=8, choices=MODES)
    kind = models.CharField(_("Art"), max_length=8, choices=KINDS)
    ref = models.CharField(_("Kennung der Quelle"), max_length=200)
    name = models.CharField(_("Name"), max_length=300, blank=True)
    lat = models.FloatField(_("Breite"))
    lon = models.FloatField(_("Länge"))
    details = models.JSONField(_("Angaben"), default=dict, blank=True)
    status = models.JSONField(_("aktueller Zustand"), default=dict, blank=True)
    status_at = models.DateTimeField(_("Zustand vom"), null=True, blank=True)
    updated_at = models.DateTimeField(_("zuletzt geschrieben"), auto_now=True)

    class Meta:
        verbose_name = _("Angebot")
        verbose_name_plural = _("Angebote")
        constraints = [models.UniqueConstraint(fields=["feed", "ref"], name="offer_ref_per_feed")]
        indexes = [
            # with the id (PostgreSQL: INCLUDE; SQLite indexes carry the rowid anyway), so
            # that nearby reads the positions in a box from the index alone
            models.Index(fields=["lat", "lon"], include=["id"], name="offer_position"),
            models.Index(fields=["mode", "lat"], name="offer_mode_position"),
        ]

    def __str__(self) -> str:
        return self.name or self.ref


class Hub(models.Model):
    """A mobility hub (Mobilstation): the offers within ``radius`` metres of one place."""

    key = models.SlugField(_("Schlüssel"), max_length=64, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    lat = models.FloatField(_("Breite"))
    lon = models.FloatField(_("Länge"))
    radius = models.PositiveIntegerField(_("Umkreis (Meter)"), default=150)
    is_demo = models.BooleanField(_("Demodaten"), default=False)

    class Meta:
        verbose_name = _("Mobilstation")
        verbose_name_plural = _("Mobilstationen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
