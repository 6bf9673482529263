"""The SensorThings API v1.1 data model (OGC 18-088 clause 8, and 14 for MultiDatastream).

Times are stored as start/end columns (an instant has no end). Geometry is GeoJSON with a
bounding box beside it; on PostgreSQL migration 0002 adds GiST indexes on the PostGIS
geometry built from the GeoJSON (an expression index, no extra column).
Observations are the big table: it is indexed for (datastream, phenomenon time) from day
one, and numeric results are mirrored into ``result_number`` so comparisons and
aggregates run on a plain float column.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from smartcity.sensors.lorawan.deveui import normalise_dev_eui


class WrittenJSONField(models.JSONField):  # type: ignore[type-arg]
    """JSON that only this platform's writers produce (orjson output), so SQLite's per-row
    ``JSON_VALID`` check, which costs bulk ingest about a tenth of its insert rate, is left
    out. PostgreSQL's jsonb checks its input itself."""

    def db_check(self, connection: Any) -> str | None:
        return None


class BBoxMixin(models.Model):
    bbox_min_x = models.FloatField(null=True, blank=True)
    bbox_min_y = models.FloatField(null=True, blank=True)
    bbox_max_x = models.FloatField(null=True, blank=True)
    bbox_max_y = models.FloatField(null=True, blank=True)

    class Meta:
        abstract = True


class Location(BBoxMixin):
    name = models.CharField(max_length=255)
    description = models.TextField(default="", blank=True)
    encoding_type = models.CharField(max_length=100)
    location = models.JSONField()
    properties = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("Standort")
        verbose_name_plural = _("Standorte")
        indexes = [models.Index(fields=["bbox_min_x", "bbox_min_y"], name="location_bbox")]

    def __str__(self) -> str:
        return self.name


class Thing(models.Model):
    name = models.CharField(max_length=255)
    description = models.TextField(default="", blank=True)
    properties = models.JSONField(null=True, blank=True)
    locations = models.ManyToManyField(Location, related_name="things", blank=True)

    class Meta:
        verbose_name = _("Station (Thing)")
        verbose_name_plural = _("Stationen (Things)")

    def __str__(self) -> str:
        return self.name


class StationHealth(Thing):
    """The back office's sensor health view (``sensors/health.py``), not a table."""

    class Meta:
        proxy = True
        verbose_name = _("Sensorzustand")
        verbose_name_plural = _("Sensorzustand")


class HistoricalLocation(models.Model):
    time = models.DateTimeField(db_index=True)
    thing = models.ForeignKey(Thing, on_delete=models.CASCADE, related_name="historical_locations")
    locations = models.ManyToManyField(Location, related_name="historical_locations")

    class Meta:
        verbose_name = _("früherer Standort")
        verbose_name_plural = _("frühere Standorte")

    def __str__(self) -> str:
        return f"{self.thing_id} @ {self.time.isoformat()}"


class Sensor(models.Model):
    name = models.CharField(max_length=255)
    description = models.TextField(default="", blank=True)
    encoding_type = models.CharField(max_length=100)
    metadata = models.JSONField(null=True)
    properties = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("Sensor")
        verbose_name_plural = _("Sensoren")

    def __str__(self) -> str:
        return self.name


class ObservedProperty(models.Model):
    name = models.CharField(max_length=255)
    definition = models.CharField(max_length=500)
    description = models.TextField(default="", blank=True)
    properties = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("Messgröße")
        verbose_name_plural = _("Messgrößen")

    def __str__(self) -> str:
        return self.name


class StreamMixin(BBoxMixin):
    """What Datastream and MultiDatastream share, including the extents the service keeps
    up to date as observations arrive (phenomenonTime, resultTime, observedArea)."""

    name = models.CharField(max_length=255)
    description = models.TextField(default="", blank=True)
    observation_type = models.CharField(max_length=200)
    properties = models.JSONField(null=True, blank=True)
    phenomenon_time_start = models.DateTimeField(null=True, blank=True)
    phenomenon_time_end = models.DateTimeField(null=True, blank=True)
    result_time_start = models.DateTimeField(null=True, blank=True)
    result_time_end = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class Datastream(StreamMixin):
    unit_of_measurement = models.JSONField()
    thing = models.ForeignKey(Thing, on_delete=models.CASCADE, related_name="datastreams")
    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="datastreams")
    observed_property = models.ForeignKey(
        ObservedProperty, on_delete=models.CASCADE, related_name="datastreams"
    )

    class Meta:
        verbose_name = _("Datenstrom")
        verbose_name_plural = _("Datenströme")


class MultiDatastream(StreamMixin):
    unit_of_measurements = models.JSONField()
    multi_observation_data_types = models.JSONField()
    thing = models.ForeignKey(Thing, on_delete=models.CASCADE, related_name="multi_datastreams")
    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="multi_datastreams")
    observed_properties = models.ManyToManyField(
        ObservedProperty, through="MultiDatastreamProperty", related_name="multi_datastreams"
    )

    class Meta:
        verbose_name = _("Mehrfach-Datenstrom")
        verbose_name_plural = _("Mehrfach-Datenströme")


class MultiDatastreamProperty(models.Model):
    """The ordered link between a MultiDatastream and its ObservedProperties: the n-th
    ObservedProperty describes the n-th element of each result array."""

    multi_datastream = models.ForeignKey(MultiDatastream, on_delete=models.CASCADE)
    observed_property = models.ForeignKey(ObservedProperty, on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("Messgröße eines Mehrfach-Datenstroms")
        verbose_name_plural = _("Messgrößen der Mehrfach-Datenströme")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["multi_datastream", "position"], name="mds_position")
        ]

    def __str__(self) -> str:
        return f"{self.multi_datastream_id}[{self.position}]"


class FeatureOfInterest(BBoxMixin):
    name = models.CharField(max_length=255)
    description = models.TextField(default="", blank=True)
    encoding_type = models.CharField(max_length=100)
    feature = models.JSONField()
    properties = models.JSONField(null=True, blank=True)
    # The Location a FeatureOfInterest was generated from, so the next observation at the
    # same place reuses it instead of creating a copy.
    generated_from = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("Beobachtungsgegenstand")
        verbose_name_plural = _("Beobachtungsgegenstände")

    def __str__(self) -> str:
        return self.name


class Observation(models.Model):
    phenomenon_time_start = models.DateTimeField()
    phenomenon_time_end = models.DateTimeField(null=True, blank=True)
    result_time = models.DateTimeField(null=True, blank=True)
    result = WrittenJSONField(null=True)
    result_number = models.FloatField(null=True, blank=True)
    result_quality = WrittenJSONField(null=True, blank=True)
    valid_time_start = models.DateTimeField(null=True, blank=True)
    valid_time_end = models.DateTimeField(null=True, blank=True)
    parameters = WrittenJSONField(null=True, blank=True)
    # No single-column indexes on the stream keys: the (stream, time, id) indexes below
    # serve every lookup by stream, and each index costs time on every insert.
    datastream = models.ForeignKey(
        Datastream,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="observations",
        db_index=False,
    )
    multi_datastream = models.ForeignKey(
        MultiDatastream,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="observations",
        db_index=False,
    )
    feature_of_interest = models.ForeignKey(
        FeatureOfInterest, on_delete=models.CASCADE, related_name="observations"
    )

    class Meta:
        verbose_name = _("Beobachtung")
        verbose_name_plural = _("Beobachtungen")
        indexes = [
            # (stream, time, id): the newest-first page of a stream, with the id
            # tie-breaker of our stable ordering, comes straight from the index.
            # Partial: an observation belongs to one kind of stream, so each index only
            # holds the rows it can find. A query for "stream = x" implies NOT NULL.
            models.Index(
                fields=["datastream", "phenomenon_time_start", "id"],
                name="obs_ds_time",
                condition=models.Q(datastream__isnull=False),
            ),
            models.Index(
                fields=["multi_datastream", "phenomenon_time_start", "id"],
                name="obs_mds_time",
                condition=models.Q(multi_datastream__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(datastream__isnull=False, multi_datastream__isnull=True)
                    | models.Q(datastream__isnull=True, multi_datastream__isnull=False)
                ),
                name="obs_one_stream",
            )
        ]

    def __str__(self) -> str:
        return f"Observation {self.pk}"


def _check_dev_eui(text: str) -> None:
    try:
        normalise_dev_eui(text)
    except ValueError as error:
        raise ValidationError(str(error)) from None


class LoRaWANDevice(models.Model):
    """One of the city's LoRaWAN sensors: its DevEUI, the Thing it is, and which member of
    its decoded payload goes to which Datastream (``LoRaWANField``)."""

    dev_eui = models.CharField(
        _("DevEUI"),
        max_length=16,
        unique=True,
        validators=[_check_dev_eui],
        help_text=_("16 Hexadezimalziffern, wie im Netzwerkserver angezeigt"),
    )
    name = models.CharField(_("Name"), max_length=200, blank=True)
    thing = models.ForeignKey(
        Thing, on_delete=models.CASCADE, related_name="lorawan_devices", verbose_name=_("Thing")
    )
    active = models.BooleanField(
        _("aktiv"), default=True, help_text=_("Uplinks inaktiver Geräte werden ignoriert")
    )

    class Meta:
        verbose_name = _("LoRaWAN-Gerät")
        verbose_name_plural = _("LoRaWAN-Geräte")

    def __str__(self) -> str:
        return f"{self.name or self.thing} ({self.dev_eui})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.dev_eui = normalise_dev_eui(self.dev_eui)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.dev_eui:
            try:
                self.dev_eui = normalise_dev_eui(self.dev_eui)
            except ValueError as error:
                raise ValidationError({"dev_eui": str(error)}) from None


class LoRaWANField(models.Model):
    """A member of a device's decoded payload (``temperature``, or ``sensor.temperature``
    for a nested one) and the Datastream its values go to."""

    device = models.ForeignKey(
        LoRaWANDevice, on_delete=models.CASCADE, related_name="fields", verbose_name=_("Gerät")
    )
    key = models.CharField(
        _("Feld"),
        max_length=100,
        help_text=_("Name im dekodierten Payload, z. B. temperature; verschachtelt: a.b"),
    )
    datastream = models.ForeignKey(
        Datastream,
        on_delete=models.CASCADE,
        related_name="lorawan_fields",
        verbose_name=_("Datastream"),
    )

    class Meta:
        verbose_name = _("Payload-Feld")
        verbose_name_plural = _("Payload-Felder")
        constraints = [
            models.UniqueConstraint(fields=["device", "key"], name="lorawan_field_once"),
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.datastream}"

    def clean(self) -> None:
        device = getattr(self, "device", None)
        stream = getattr(self, "datastream", None)
        if device is not None and stream is not None and stream.thing_id != device.thing_id:
            raise ValidationError(
                {"datastream": _("Der Datastream muss zum Thing des Geräts gehören.")}
            )


class TrackedTopic(models.Model):
    """A property or ``$select`` topic somebody subscribed to at the broker, with the
    client ids that did (``sensors.mqtt.subscriptions``): kept in the store, so that a
    server process that starts later serves subscriptions made before it started."""

    topic = models.CharField(max_length=1024, unique=True)
    clients = models.JSONField(default=list)
    seen_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("abonniertes MQTT-Topic")
        verbose_name_plural = _("abonnierte MQTT-Topics")

    def __str__(self) -> str:
        return self.topic


class TokenGrant(models.Model):
    """What the sensors domain grants an API token beyond its scopes (the kernel's token
    knows no sensor; ``sensors.grants``): the Datastreams a sta:observe token may feed,
    and the state of the token's account at the MQTT broker (``sensors.mqtt.accounts``)."""

    token = models.OneToOneField(
        "core.ApiToken", on_delete=models.CASCADE, primary_key=True, related_name="sensor_grant"
    )
    datastreams = models.JSONField(
        default=list, blank=True, help_text="ids of the Datastreams a sta:observe token may feed"
    )
    broker_account = models.CharField(
        max_length=20,
        blank=True,
        default="",
        help_text="state of the token's account at the MQTT broker (see sensors.mqtt.accounts)",
    )

    class Meta:
        verbose_name = _("Token-Berechtigung (Sensoren)")
        verbose_name_plural = _("Token-Berechtigungen (Sensoren)")

    def __str__(self) -> str:
        return f"{self.token_id}: {self.datastreams} {self.broker_account}"
