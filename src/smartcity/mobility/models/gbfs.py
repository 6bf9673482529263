"""What the platform keeps of each file of a GBFS system besides its offers: where the
file is, its version, ttl and ``last_updated``, when it was last fetched and what went
wrong, and, for the files that are not places (system_information, vehicle_types,
system_pricing_plans, geofencing_zones, vehicle_availability), their last good ``data``.

One row per feed and file name (``gbfs`` for the discovery file itself). Polling reads a
file again only once its ttl since the last attempt is over; a file that fails keeps its
last good data here and its offers in the offers table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from smartcity.mobility.models.feeds import Feed


class GbfsFile(models.Model):
    """One file of a GBFS system (a ``Feed`` of kind ``gbfs``)."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="gbfs_files")
    name = models.CharField(_("Datei"), max_length=64)  # e.g. "station_status"
    url = models.CharField(_("Adresse"), max_length=500)
    version = models.CharField(_("GBFS-Version"), max_length=16, blank=True)
    ttl = models.PositiveIntegerField(_("gültig für (Sekunden)"), default=0)
    last_updated = models.DateTimeField(_("Stand der Quelle"), null=True, blank=True)
    attempted_at = models.DateTimeField(_("zuletzt abgefragt"), null=True, blank=True)
    fetched_at = models.DateTimeField(_("zuletzt gültig gelesen"), null=True, blank=True)
    error = models.TextField(_("letzter Fehler"), blank=True)
    data = models.JSONField(_("Daten"), default=dict, blank=True)

    class Meta:
        verbose_name = _("GBFS-Datei")
        verbose_name_plural = _("GBFS-Dateien")
        ordering = ["feed", "name"]
        constraints = [models.UniqueConstraint(fields=["feed", "name"], name="gbfs_file_per_feed")]

    def __str__(self) -> str:
        return f"{self.feed.key}: {self.name}"
