"""The notice tables (docs/administration.md#bescheide): a notice template per service and
kind (granted, refused, fee notice) with its text in the small placeholder language of
notices/placeholders.py, and the print jobs of notices that go out on paper as well."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeTemplate(models.Model):
    """What a notice of ``kind`` for ``service`` says; ``$name`` and ``${name}`` are
    filled from the application (the placeholders are checked on save)."""

    GRANTED, REFUSED, FEE = "granted", "refused", "fee"
    KINDS = [(GRANTED, _("Bewilligung")), (REFUSED, _("Ablehnung")), (FEE, _("Gebührenbescheid"))]

    service = models.ForeignKey(
        "administration.Service",
        verbose_name=_("Leistung"),
        on_delete=models.CASCADE,
        related_name="notice_templates",
    )
    kind = models.CharField(_("Art"), max_length=10, choices=KINDS)
    title = models.CharField(_("Titel"), max_length=200)
    body = models.TextField(
        _("Text"),
        help_text=_("Platzhalter wie $name oder ${aktenzeichen}: siehe docs/administration.md."),
    )
    remedy = models.TextField(
        _("Rechtsbehelfsbelehrung"),
        blank=True,
        default="",
        help_text=_("Leer: die Belehrung über die Klage beim Verwaltungsgericht."),
    )
    with_fees = models.BooleanField(
        _("Gebühren aufführen"),
        default=True,
        help_text=_("Die Gebühren des Antrags mit Kassenzeichen und GiroCode."),
    )
    recipient_field = models.CharField(
        _("Feld mit dem Namen"),
        max_length=100,
        blank=True,
        default="",
        help_text=_("Die Gruppe im Formular mit Vorname und Familienname, z. B. eltern."),
    )
    address_field = models.CharField(
        _("Feld mit der Anschrift"),
        max_length=100,
        blank=True,
        default="",
        help_text=_("Die Gruppe mit Straße, Postleitzahl und Ort, z. B. anschrift."),
    )
    is_demo = models.BooleanField(_("Demodaten"), default=False)

    class Meta:
        verbose_name = _("Bescheidvorlage")
        verbose_name_plural = _("Bescheidvorlagen")
        ordering = ["service__name", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["service", "kind"], name="notice_template_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.service} – {self.title}"  # noqa: RUF001

    def clean(self) -> None:
        from smartcity.administration.notices import templates

        templates.check(self)


class PrintJob(models.Model):
    """A delivered notice that goes out on paper too (the person asked for letters on
    paper at the counter): the office prints it and marks it printed."""

    application = models.ForeignKey(
        "administration.Application",
        verbose_name=_("Antrag"),
        on_delete=models.CASCADE,
        related_name="print_jobs",
    )
    item = models.OneToOneField(
        "administration.MailboxItem",
        verbose_name=_("Schreiben"),
        on_delete=models.CASCADE,
        related_name="print_job",
    )
    created = models.DateTimeField(_("angelegt"), auto_now_add=True)
    printed = models.DateTimeField(_("gedruckt am"), null=True, blank=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gedruckt von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Druckauftrag")
        verbose_name_plural = _("Druckaufträge")
        ordering = ["printed", "created"]
        indexes = [models.Index(fields=["printed", "created"], name="print_job_open")]

    def __str__(self) -> str:
        return str(self.item)
