"""Case files handed to the archive as xdomea 3.1.0 messages
(docs/administration.md#archiv-xdomea): one ArchiveTransfer per export, with the
message's process id (its ProzessID), the id of the exported file (the Akte), the
zip's checksum, and what the archive answered (0507: received, 0506: taken over or
not). The service layer is administration/archive/."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from smartcity.administration.models.applications import Application


class ArchiveTransfer(models.Model):
    EXPORTED, RECEIVED, ARCHIVED, REJECTED = "exported", "received", "archived", "rejected"
    STATUSES = [
        (EXPORTED, _("exportiert")),
        (RECEIVED, _("vom Archiv empfangen")),
        (ARCHIVED, _("archiviert")),
        (REJECTED, _("vom Archiv abgelehnt")),
    ]

    application = models.ForeignKey(
        Application,
        verbose_name=_("Antrag"),
        on_delete=models.CASCADE,
        related_name="archive_transfers",
    )
    process_id = models.UUIDField(_("Nachrichten-ID (ProzessID)"), unique=True, default=uuid.uuid4)
    file_id = models.UUIDField(_("ID der Akte"), unique=True, default=uuid.uuid4)
    exported = models.DateTimeField(_("exportiert am"), auto_now_add=True)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("exportiert von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sha256 = models.CharField(_("SHA-256 der ZIP-Datei"), max_length=64, blank=True, default="")
    size = models.PositiveBigIntegerField(_("Größe (Bytes)"), default=0)
    documents = models.PositiveIntegerField(_("Dokumente"), default=0)
    status = models.CharField(_("Status"), max_length=12, choices=STATUSES, default=EXPORTED)
    archive_id = models.CharField(_("Archivkennung"), max_length=200, blank=True, default="")
    receipt = models.JSONField(_("Antwort des Archivs"), default=dict, blank=True)
    answered = models.DateTimeField(_("beantwortet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Archivübergabe")
        verbose_name_plural = _("Archivübergaben")
        ordering = ["-exported", "-pk"]

    def __str__(self) -> str:
        return f"{self.application} {self.process_id}"
