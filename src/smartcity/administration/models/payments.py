"""The payment tables: fee schedules (what a service or one of its steps costs, as data),
payments with their fee lines and every change of status, webhook receipts (so a
provider's message is taken once), and the bank's credits from CAMT.053 statements.

A payment names what it pays for by the Service and ``case_ref``, the application's
public reference number, not by a key into the applications' table: the two parts meet
through ``payments.signals.payment_changed``. Money is integer cents throughout."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_public_id() -> str:
    """128 random bits: a payment's address cannot be guessed from another's."""
    return secrets.token_urlsafe(16)


class FeeSchedule(models.Model):
    """The fees of a service, or of one of its steps: fee lines as data
    (docs/administration.md#fees), evaluated against the form's data."""

    service = models.ForeignKey(
        "administration.Service",
        verbose_name=_("Leistung"),
        on_delete=models.CASCADE,
        related_name="fee_schedules",
    )
    step = models.SlugField(
        _("Schritt"),
        max_length=80,
        blank=True,
        default="",
        help_text=_(
            "Leer: die Gebühr beim Absenden des Antrags; sonst der Schlüssel des Schritts."
        ),
    )
    rules = models.JSONField(
        _("Gebührenregeln"), default=dict, help_text=_("docs/administration.md#fees")
    )

    class Meta:
        verbose_name = _("Gebührenordnung")
        verbose_name_plural = _("Gebührenordnungen")
        constraints = [
            models.UniqueConstraint(fields=["service", "step"], name="fee_schedule_per_step")
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.step}".strip()

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from smartcity.administration.payments import fees

        try:
            fees.check_schedule(self.rules)
        except fees.ScheduleError as error:
            raise ValidationError({"rules": str(error)}) from None


class Payment(models.Model):
    STARTED, PROCESSING, COMPLETED, FAILED, REFUNDED = (
        "started",
        "processing",
        "completed",
        "failed",
        "refunded",
    )
    STATUSES = [
        (STARTED, _("begonnen")),
        (PROCESSING, _("in Bearbeitung")),
        (COMPLETED, _("bezahlt")),
        (FAILED, _("fehlgeschlagen")),
        (REFUNDED, _("erstattet")),
    ]

    public_id = models.CharField(
        _("öffentliche Kennung"), max_length=32, unique=True, default=new_public_id, editable=False
    )
    kassenzeichen = models.CharField(_("Kassenzeichen"), max_length=32, unique=True)
    service = models.ForeignKey(
        "administration.Service", verbose_name=_("Leistung"), on_delete=models.PROTECT
    )
    step = models.SlugField(_("Schritt"), max_length=80, blank=True, default="")
    case_ref = models.CharField(_("Vorgangsnummer"), max_length=64, db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("Leer: ein Gast; dann öffnet nur die Adresse der Zahlung sie."),
    )
    amount = models.PositiveIntegerField(_("Betrag (Cent)"))
    currency = models.CharField(_("Währung"), max_length=3, default="EUR")
    lines = models.JSONField(_("Gebührenpositionen"), default=list)
    provider = models.CharField(_("Zahlungsweg"), max_length=40, blank=True, default="")
    provider_ref = models.CharField(
        _("Kennung beim Zahlungsdienst"), max_length=100, blank=True, default="", db_index=True
    )
    status = models.CharField(_("Status"), max_length=12, choices=STATUSES, default=STARTED)
    created = models.DateTimeField(_("angelegt"), auto_now_add=True)
    changed = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Zahlung")
        verbose_name_plural = _("Zahlungen")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.kassenzeichen} ({self.get_status_display()})"

    @property
    def open(self) -> bool:
        """Still waiting for its money."""
        return self.status in (self.STARTED, self.PROCESSING)


class PaymentEvent(models.Model):
    """One change of a payment's status: from what to what, by whom or what, when."""

    payment = models.ForeignKey(
        Payment, verbose_name=_("Zahlung"), on_delete=models.CASCADE, related_name="events"
    )
    old = models.CharField(_("vorher"), max_length=12, blank=True, default="")
    new = models.CharField(_("nachher"), max_length=12)
    actor = models.CharField(
        _("ausgelöst durch"),
        max_length=120,
        help_text=_("z. B. user:12, provider:testpay webhook, camt053:Kontoauszug"),
    )
    note = models.CharField(_("Vermerk"), max_length=300, blank=True, default="")
    at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Zahlungsereignis")
        verbose_name_plural = _("Zahlungsereignisse")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.old or '-'} → {self.new}"


class WebhookReceipt(models.Model):
    """A provider's message that was taken: the same signature twice is a replay."""

    provider = models.CharField(_("Zahlungsweg"), max_length=40)
    digest = models.CharField(_("Prüfsumme"), max_length=64)
    received = models.DateTimeField(_("empfangen"), auto_now_add=True)

    class Meta:
        verbose_name = _("Webhook-Empfang")
        verbose_name_plural = _("Webhook-Empfänge")
        constraints = [
            models.UniqueConstraint(fields=["provider", "digest"], name="webhook_taken_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.digest[:12]}"


class BankCredit(models.Model):
    """A credit entry of a bank statement (CAMT.053) and what it was matched to; the ones
    not matched, and over or under payments, wait for a clerk."""

    MATCHED, OVERPAID, UNDERPAID, UNKNOWN, NOT_OPEN = (
        "matched",
        "overpaid",
        "underpaid",
        "unknown",
        "not_open",
    )
    OUTCOMES = [
        (MATCHED, _("zugeordnet")),
        (OVERPAID, _("zu viel bezahlt")),
        (UNDERPAID, _("zu wenig bezahlt")),
        (UNKNOWN, _("kein Kassenzeichen gefunden")),
        (NOT_OPEN, _("Zahlung war nicht offen")),
    ]

    fingerprint = models.CharField(_("Fingerabdruck"), max_length=64, unique=True)
    statement = models.CharField(_("Kontoauszug"), max_length=35)
    entry_ref = models.CharField(_("Buchungsreferenz"), max_length=35, blank=True, default="")
    booked = models.DateField(_("Buchungstag"), null=True, blank=True)
    amount = models.PositiveIntegerField(_("Betrag (Cent)"))
    currency = models.CharField(_("Währung"), max_length=3)
    debtor = models.CharField(_("Zahlende Person"), max_length=140, blank=True, default="")
    remittance = models.CharField(_("Verwendungszweck"), max_length=500, blank=True, default="")
    payment = models.ForeignKey(
        Payment, verbose_name=_("Zahlung"), null=True, blank=True, on_delete=models.SET_NULL
    )
    outcome = models.CharField(_("Ergebnis"), max_length=10, choices=OUTCOMES)
    resolved = models.BooleanField(
        _("erledigt"), default=False, help_text=_("Von der Kasse geklärt.")
    )
    imported = models.DateTimeField(_("eingelesen"), auto_now_add=True)

    class Meta:
        verbose_name = _("Zahlungseingang")
        verbose_name_plural = _("Zahlungseingänge")
        ordering = ["-imported", "id"]

    def __str__(self) -> str:
        return f"{self.statement} {self.entry_ref} {self.amount / 100:.2f} {self.currency}"
