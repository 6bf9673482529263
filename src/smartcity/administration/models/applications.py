"""Applications people make for a service (docs/administration.md#applying): drafts and
submitted ones, with their uploads. A person reaches theirs by a random public id, never
by a number that could be guessed; people read the reference number
(``KITA-2026-000123``), given when the application is submitted."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def public_id() -> str:
    return secrets.token_urlsafe(18)  # 144 random bits, 24 characters


class Application(models.Model):
    DRAFT, SUBMITTED = "draft", "submitted"
    STATUSES = [(DRAFT, _("Entwurf")), (SUBMITTED, _("eingereicht"))]
    # where it came from: online by the citizen, entered at the counter, or a paper one
    ONLINE, COUNTER, PAPER = "online", "counter", "paper"
    CHANNELS = [(ONLINE, _("online")), (COUNTER, _("am Schalter")), (PAPER, _("auf Papier"))]

    public_id = models.CharField(
        _("öffentliche Kennung"), max_length=32, unique=True, default=public_id, editable=False
    )
    reference = models.CharField(
        _("Aktenzeichen"), max_length=40, unique=True, null=True, blank=True, editable=False
    )
    service = models.ForeignKey(
        "administration.Service",
        verbose_name=_("Leistung"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Antragsteller/in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    guest_email = models.EmailField(_("E-Mail-Adresse (Gast)"), blank=True, default="")
    data = models.JSONField(_("Angaben"), default=dict, blank=True)
    step = models.PositiveSmallIntegerField(_("erreichter Schritt"), default=0)
    status = models.CharField(_("Status"), max_length=20, choices=STATUSES, default=DRAFT)
    created = models.DateTimeField(_("begonnen"), auto_now_add=True)
    updated = models.DateTimeField(_("geändert"), auto_now=True)
    submitted = models.DateTimeField(_("eingereicht am"), null=True, blank=True)
    # a keyed hash of the address it was started from (the rate limits), not the address
    client = models.CharField(_("Herkunft (Prüfwert)"), max_length=64, blank=True, default="")
    cosigner_email = models.EmailField(_("E-Mail der zweiten Person"), blank=True, default="")
    cosign_token = models.CharField(
        _("Prüfwert des Mitzeichnungslinks"), max_length=64, blank=True, default="", db_index=True
    )
    cosigner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zweite antragstellende Person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cosigned_applications",
    )
    cosigned = models.DateTimeField(_("mitgezeichnet am"), null=True, blank=True)
    channel = models.CharField(_("Eingangsweg"), max_length=10, choices=CHANNELS, default=ONLINE)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erfasst von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entered_applications",
    )
    # the citizen's identity as the clerk took it (administration/counter/identity.py)
    citizen = models.JSONField(_("antragstellende Person (Schalter)"), default=dict, blank=True)
    paper_mail = models.BooleanField(_("Briefe auf Papier"), default=False)

    class Meta:
        verbose_name = _("Antrag")
        verbose_name_plural = _("Anträge")
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["applicant", "status"], name="application_applicant"),
            models.Index(fields=["guest_email", "created"], name="application_guest"),
            models.Index(fields=["client", "created"], name="application_client"),
            models.Index(fields=["entered_by", "created"], name="application_entered_by"),
        ]

    def __str__(self) -> str:
        return self.reference or f"{self.service_id}: {_('Entwurf')}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.DRAFT


class Upload(models.Model):
    """A file uploaded for a field of an application, checked by its content
    (core.uploads); the bytes are in the upload store (applying/storage.py)."""

    public_id = models.CharField(
        _("öffentliche Kennung"), max_length=32, unique=True, default=public_id, editable=False
    )
    application = models.ForeignKey(
        Application, verbose_name=_("Antrag"), on_delete=models.CASCADE, related_name="uploads"
    )
    field = models.CharField(_("Feld"), max_length=200)
    original_name = models.CharField(_("Dateiname"), max_length=255)
    media_type = models.CharField(_("Dateiart"), max_length=100)
    size = models.PositiveBigIntegerField(_("Größe (Bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    stored = models.CharField(_("Ablageort"), max_length=255, editable=False)
    created = models.DateTimeField(_("hochgeladen"), auto_now_add=True)

    class Meta:
        verbose_name = _("Hochgeladene Datei")
        verbose_name_plural = _("Hochgeladene Dateien")
        ordering = ["created"]

    def __str__(self) -> str:
        return self.original_name


class ReferenceCounter(models.Model):
    """The last reference number given per prefix and year (one row, counted up inside the
    submitting transaction: no two applications get the same number)."""

    prefix = models.CharField(_("Kürzel"), max_length=12)
    year = models.PositiveSmallIntegerField(_("Jahr"))
    value = models.PositiveIntegerField(_("letzte Nummer"), default=0)

    class Meta:
        verbose_name = _("Aktenzeichen-Zähler")
        verbose_name_plural = _("Aktenzeichen-Zähler")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="reference_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.value}"
