"""The case file (E-Akte) of an application (docs/administration.md#e-akte): one
:class:`CaseFile` per application, filed under the service's file-plan number and kept
for its retention class; its documents (:class:`CaseDocument`), each a row of immutable
versions (:class:`DocumentVersion`, the bytes in the blob store, core/storage), and
staff notes (:class:`CaseNote`). A version or a note, once stored, is never changed
and never deleted, except by retention (``casefile.services.purge``): ``save`` refuses
an update, ``delete`` refuses outright; on PostgreSQL a trigger refuses both too."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from smartcity.administration.models.applications import Application, public_id
from smartcity.administration.models.catalogue import RETENTION_CLASSES


class Immutable(RuntimeError):
    """An attempt to change or delete a stored version or note."""


class _WriteOnce(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise Immutable(f"a stored {self._meta.model_name} is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise Immutable(f"a stored {self._meta.model_name} is deleted only by retention")


class CaseFile(models.Model):
    public_id = models.CharField(
        _("öffentliche Kennung"), max_length=32, unique=True, default=public_id, editable=False
    )
    application = models.OneToOneField(
        Application, verbose_name=_("Antrag"), on_delete=models.PROTECT, related_name="casefile"
    )
    file_plan = models.CharField(_("Aktenplan-Nr."), max_length=40, blank=True, default="")
    retention_class = models.CharField(
        _("Aufbewahrungsklasse"), max_length=12, choices=RETENTION_CLASSES
    )
    retention_years = models.PositiveSmallIntegerField(_("Aufbewahrungsfrist (Jahre)"))
    opened = models.DateTimeField(_("angelegt"), auto_now_add=True)
    closed = models.DateTimeField(_("geschlossen"), null=True, blank=True)

    class Meta:
        verbose_name = _("E-Akte")
        verbose_name_plural = _("E-Akten")

    def __str__(self) -> str:
        return f"{self.file_plan} {self.application.reference}".strip()


class CaseDocument(models.Model):
    APPLICATION, EVIDENCE, LETTER, NOTICE, OTHER = (
        "application",
        "evidence",
        "letter",
        "notice",
        "other",
    )
    KINDS = [
        (APPLICATION, _("Antragsunterlage")),
        (EVIDENCE, _("Nachweis")),
        (LETTER, _("Schreiben")),
        (NOTICE, _("Bescheid")),
        (OTHER, _("Sonstiges")),
    ]

    public_id = models.CharField(
        _("öffentliche Kennung"), max_length=32, unique=True, default=public_id, editable=False
    )
    casefile = models.ForeignKey(
        CaseFile, verbose_name=_("E-Akte"), on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(_("Titel"), max_length=200)
    kind = models.CharField(_("Art"), max_length=12, choices=KINDS, default=OTHER)
    created = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return self.title


class DocumentVersion(_WriteOnce):
    public_id = models.CharField(
        _("öffentliche Kennung"), max_length=32, unique=True, default=public_id, editable=False
    )
    document = models.ForeignKey(
        CaseDocument, verbose_name=_("Dokument"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("Version"))
    original_name = models.CharField(_("Dateiname"), max_length=255)
    media_type = models.CharField(_("Dateiart"), max_length=100)
    size = models.PositiveBigIntegerField(_("Größe (Bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    key = models.CharField(_("Ablageort"), max_length=255)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hochgeladen von"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Dokumentversion")
        verbose_name_plural = _("Dokumentversionen")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document.title} v{self.number}"


class CaseNote(_WriteOnce):
    public_id = models.CharField(
        _("öffentliche Kennung"), max_length=32, unique=True, default=public_id, editable=False
    )
    casefile = models.ForeignKey(
        CaseFile, verbose_name=_("E-Akte"), on_delete=models.PROTECT, related_name="notes"
    )
    text = models.TextField(_("Vermerk"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verfasst von"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("verfasst am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Vermerk")
        verbose_name_plural = _("Vermerke")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return self.text[:60]
