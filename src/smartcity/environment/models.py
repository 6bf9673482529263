"""Alerts: a rule watches the Datastreams of an ObservedProperty in an area (or of some
Things) for values beyond a threshold, or (kind "silence") for Datastreams that sent
nothing for N hours; each crossing or silence opens an episode per Datastream, and each
episode sends one notification when it opens and, if wanted, one when it closes."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.validators import MinValueValidator, URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_secret() -> str:
    return secrets.token_hex(32)


class AlertRule(models.Model):
    THRESHOLD, SILENCE = "threshold", "silence"
    KINDS = [(THRESHOLD, _("Schwellenwert")), (SILENCE, _("keine Daten seit N Stunden"))]
    ABOVE, BELOW = "above", "below"
    COMPARISONS = [(ABOVE, _("über dem Schwellenwert")), (BELOW, _("unter dem Schwellenwert"))]
    SINGLE, HOUR_MEAN = "value", "hour"
    WINDOWS = [(SINGLE, _("Einzelwert")), (HOUR_MEAN, _("Mittel der letzten 60 Minuten"))]

    name = models.CharField(_("Name"), max_length=200)
    enabled = models.BooleanField(_("aktiv"), default=True)
    kind = models.CharField(_("Art"), max_length=9, choices=KINDS, default=THRESHOLD)
    observed_property = models.ForeignKey(
        "sensors.ObservedProperty",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Messgröße"),
        help_text=_("nötig für Schwellenwerte; bei „keine Daten“ leer: alle Messgrößen"),
    )
    things = models.ManyToManyField(
        "sensors.Thing",
        blank=True,
        related_name="+",
        verbose_name=_("Sensoren (Things)"),
        help_text=_("leer: alle Sensoren (im Gebiet, wenn eines angegeben ist)"),
    )
    area = models.JSONField(
        _("Gebiet"),
        null=True,
        blank=True,
        help_text=_(
            "Begrenzungsrahmen [West, Süd, Ost, Nord] in Grad oder ein GeoJSON-Polygon; "
            "leer: überall"
        ),
    )
    comparison = models.CharField(_("Vergleich"), max_length=5, choices=COMPARISONS, default=ABOVE)
    threshold = models.FloatField(_("Schwellenwert"), null=True, blank=True)
    silence_hours = models.PositiveIntegerField(
        _("Stunden ohne Daten"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("bei „keine Daten“: so viele Stunden ohne neuen Wert lösen den Alarm aus"),
    )
    per_station = models.BooleanField(
        _("je Station"),
        default=False,
        help_text=_(
            "bei „keine Daten“: eine Meldung, wenn keiner der Datenströme einer Station mehr "
            "sendet, statt einer je Datenstrom"
        ),
    )
    window = models.CharField(
        _("geprüfter Wert"),
        max_length=5,
        choices=WINDOWS,
        default=SINGLE,
        help_text=_("jeder Messwert für sich, oder das gleitende Stundenmittel"),
    )
    hysteresis = models.FloatField(
        _("Hysterese"),
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_(
            "Eine Episode endet erst, wenn der Wert um so viel auf die gute Seite des "
            "Schwellenwerts zurückkehrt (verhindert Meldungen im Minutentakt)."
        ),
    )
    notify_all_clear = models.BooleanField(_("Entwarnung senden"), default=True)
    email_recipients = models.TextField(
        _("E-Mail-Empfänger"), blank=True, help_text=_("eine Adresse je Zeile")
    )
    webhook_url = models.URLField(
        _("Webhook-URL"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    webhook_secret = models.CharField(
        _("Webhook-Geheimnis"),
        max_length=128,
        default=new_secret,
        help_text=_("Schlüssel der HMAC-SHA256-Signatur (Kopfzeile X-Smartcity-Signature)"),
    )
    watermark = models.BigIntegerField(
        _("geprüft bis Beobachtung"),
        default=0,
        editable=False,
        help_text=_("die höchste Beobachtungs-ID, die die Regel schon geprüft hat"),
    )
    horizon = models.BigIntegerField(
        _("Horizont"),
        default=0,
        editable=False,
        help_text=_("die höchste Beobachtungs-ID beim letzten Prüfen; bis dorthin wird geprüft"),
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Alarmregel")
        verbose_name_plural = _("Alarmregeln")
        constraints = [
            # what each kind needs: a property and a threshold, or a number of hours
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="threshold",
                        observed_property__isnull=False,
                        threshold__isnull=False,
                    )
                    | models.Q(kind="silence", silence_hours__isnull=False, silence_hours__gte=1)
                ),
                name="alert_rule_kind_complete",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and not self.watermark:
            # A new rule judges what arrives from now on, not the history.
            from smartcity.sensors import services as sensors

            self.watermark = self.horizon = sensors.newest_observation_id()
        super().save(*args, **kwargs)

    def addresses(self) -> list[str]:
        text = self.email_recipients.replace(",", "\n").replace(";", "\n")
        return [line.strip() for line in text.splitlines() if line.strip()]


class AlertEpisode(models.Model):
    """A span in which one Datastream's values stayed beyond a rule's threshold."""

    rule = models.ForeignKey(
        AlertRule, on_delete=models.CASCADE, related_name="episodes", verbose_name=_("Regel")
    )
    datastream = models.ForeignKey(
        "sensors.Datastream",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Datenstrom"),
    )
    opened_at = models.DateTimeField(_("begonnen"))
    opened_value = models.FloatField(_("erster Wert"))
    peak_value = models.FloatField(_("extremster Wert"))
    closed_at = models.DateTimeField(_("beendet"), null=True, blank=True)
    closed_value = models.FloatField(_("Wert bei Ende"), null=True, blank=True)

    class Meta:
        verbose_name = _("Alarmepisode")
        verbose_name_plural = _("Alarmepisoden")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "datastream"],
                condition=models.Q(closed_at__isnull=True),
                name="alert_one_open_episode",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule} / {self.datastream_id} ab {self.opened_at:%Y-%m-%d %H:%M}"


class AlertNotification(models.Model):
    """One message (an e-mail to the rule's addresses, or one webhook call): written in
    the same transaction as the episode change, then delivered by the task queue."""

    OPENED, CLOSED = "opened", "closed"
    EVENTS = [(OPENED, _("Überschreitung")), (CLOSED, _("Entwarnung"))]
    EMAIL, WEBHOOK = "email", "webhook"
    CHANNELS = [(EMAIL, _("E-Mail")), (WEBHOOK, _("Webhook"))]
    PENDING, SENT, FAILED = "pending", "sent", "failed"
    STATUSES = [(PENDING, _("ausstehend")), (SENT, _("gesendet")), (FAILED, _("fehlgeschlagen"))]

    rule = models.ForeignKey(
        AlertRule, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("Regel")
    )
    episode = models.ForeignKey(
        AlertEpisode,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("Episode"),
    )
    event = models.CharField(_("Anlass"), max_length=6, choices=EVENTS)
    channel = models.CharField(_("Kanal"), max_length=7, choices=CHANNELS)
    target = models.TextField(_("Empfänger"))
    status = models.CharField(_("Status"), max_length=7, choices=STATUSES, default=PENDING)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    error = models.TextField(_("Fehler"), blank=True, default="")
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gesendet"), null=True, blank=True)

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        indexes = [models.Index(fields=["status", "created_at"], name="alert_notification_status")]

    def __str__(self) -> str:
        return f"{self.get_event_display()} → {self.target}"
