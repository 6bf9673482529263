"""The case around an application, as its applicant follows it in Meine Anträge
(docs/administration.md#meine-antrage): the history (CaseEvent), messages with the
office, requests for missing documents answered by upload, and the mailbox of letters
and notices as PDF. Everything is reached by a random public id, never by a number; the
service layer that writes these is administration/applying/case/."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from smartcity.administration.models.applications import Application, Upload, public_id

# What happened, in plain language for the citizen; %(...)s come from the event's data.
EVENT_TEXTS: dict[str, Any] = {
    "submitted": _("Ihr Antrag ist bei uns eingegangen."),
    "cosigned": _("Die zweite antragstellende Person hat den Antrag mitgezeichnet."),
    "payment_completed": _("Ihre Zahlung ist eingegangen. Vielen Dank."),
    "message_office": _("Das Amt hat Ihnen eine Nachricht geschrieben."),
    "message_applicant": _("Sie haben dem Amt eine Nachricht geschrieben."),
    "documents_requested": _(
        "Wir brauchen noch Unterlagen von Ihnen: %(what)s. Bitte laden Sie sie bis zum "
        "%(deadline)s hoch."
    ),
    "documents_received": _("Sie haben die angeforderten Unterlagen hochgeladen: %(what)s."),
    "request_withdrawn": _("Die Unterlagen brauchen wir doch nicht mehr: %(what)s."),
    "request_reminder": _(
        "Erinnerung: Bitte laden Sie die fehlenden Unterlagen bis zum %(deadline)s hoch: %(what)s."
    ),
    "request_overdue": _(
        "Die Frist für die fehlenden Unterlagen ist abgelaufen: %(what)s. Sie können sie "
        "trotzdem noch hochladen."
    ),
    "delivered": _("In Ihrem Postfach liegt ein neues Schreiben: %(title)s."),
    "status_changed": _("Ihr Antrag hat einen neuen Stand: %(status)s."),
}
KINDS = tuple(EVENT_TEXTS)


class CaseEvent(models.Model):
    """One step in a case's history: what (``kind``, one of a fixed list, with its
    ``data``), by whom (staff, the applicant or the system), when, and whether the
    applicant sees it."""

    STAFF, APPLICANT, SYSTEM = "staff", "applicant", "system"
    ACTORS = [(STAFF, _("Amt")), (APPLICANT, _("Antragsteller/in")), (SYSTEM, _("System"))]

    public_id = models.CharField(
        _("öffentliche Kennung"), max_length=32, unique=True, default=public_id, editable=False
    )
    application = models.ForeignKey(
        Application, verbose_name=_("Antrag"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(
        _("Art"), max_length=40, choices=[(k, k) for k in KINDS], editable=False
    )
    data = models.JSONField(_("Angaben"), default=dict, blank=True, editable=False)
    actor = models.CharField(_("von"), max_length=12, choices=ACTORS, editable=False)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Mitarbeiter/in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    at = models.DateTimeField(_("wann"), auto_now_add=True, db_index=True)
    visible_to_applicant = models.BooleanField(_("für Antragsteller/in sichtbar"), default=True)

    class Meta:
        verbose_name = _("Verlaufseintrag")
        verbose_name_plural = _("Verlauf")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["application", "at"], name="case_event_application")]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"

    @property
    def text(self) -> str:
        """The citizen's sentence for this event, in the active language."""
        template = str(EVENT_TEXTS.get(self.kind, self.kind))
        if "%(" not in template:
            return template
        values = {k: _shown(k, v) for k, v in self.data.items()}
        try:
            return template % values
        except (KeyError, TypeError, ValueError):
            return template


def _shown(key: str, value: Any) -> str:
    """A date (kept as ISO text) in the reader's format; a state's sentence (kept in
    German, a msgid of the workflow's states) in the reader's language; anything else as
    it is."""
    if key == "deadline":
        try:
            return formats.date_format(date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
        except ValueError:
            pass
    if key == "status" and value:
        return gettext(str(value))
    return str(value)


class Message(models.Model):
    """A message between the office and the applicant; ``read`` is when the other side
    first saw it."""

    OFFICE, APPLICANT = "office", "applicant"
    SENDERS = [(OFFICE, _("Amt")), (APPLICANT, _("Antragsteller/in"))]

    public_id = models.CharField(
        _("öffentliche Kennung"), max_length=32, unique=True, default=public_id, editable=False
    )
    application = models.ForeignKey(
        Application, verbose_name=_("Antrag"), on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.CharField(_("von"), max_length=12, choices=SENDERS)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geschrieben von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("Text"))
    created = models.DateTimeField(_("geschrieben"), auto_now_add=True)
    read = models.DateTimeField(_("gelesen"), null=True, blank=True)

    class Meta:
        verbose_name = _("Nachricht")
        verbose_name_plural = _("Nachrichten")
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["application", "created"], name="case_message_application")]

    def __str__(self) -> str:
        return f"{self.get_sender_display()}: {self.body[:40]}"


class DocumentRequest(models.Model):
    """The office asks for a missing document by a deadline; the applicant answers by
    upload. ``reminded`` and ``overdue`` are when the reminder task did each, once."""

    OPEN, ANSWERED, WITHDRAWN = "open", "answered", "withdrawn"
    STATUSES = [(OPEN, _("offen")), (ANSWERED, _("beantwortet")), (WITHDRAWN, _("zurückgezogen"))]

    public_id = models.CharField(
        _("öffentliche Kennung"), max_length=32, unique=True, default=public_id, editable=False
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("Antrag"),
        on_delete=models.CASCADE,
        related_name="document_requests",
    )
    what = models.TextField(_("Was fehlt"))
    deadline = models.DateField(_("Frist"), db_index=True)
    status = models.CharField(_("Status"), max_length=12, choices=STATUSES, default=OPEN)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angefordert von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploads = models.ManyToManyField(
        Upload, verbose_name=_("Antwort (Dateien)"), blank=True, related_name="answered_requests"
    )
    created = models.DateTimeField(_("angefordert am"), auto_now_add=True)
    answered = models.DateTimeField(_("beantwortet am"), null=True, blank=True)
    reminded = models.DateTimeField(_("erinnert am"), null=True, blank=True)
    overdue = models.DateTimeField(_("als überfällig vermerkt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Nachforderung")
        verbose_name_plural = _("Nachforderungen")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"], name="case_request_due")]

    def __str__(self) -> str:
        return f"{self.what[:40]} ({self.deadline})"

    @property
    def is_open(self) -> bool:
        return self.status == self.OPEN


class MailboxItem(models.Model):
    """A letter or notice as PDF in the applicant's portal mailbox; the bytes are in the
    upload store (applying/storage.py)."""

    NOTICE, LETTER = "notice", "letter"
    KINDS = [(NOTICE, _("Bescheid")), (LETTER, _("Schreiben"))]

    public_id = models.CharField(
        _("öffentliche Kennung"), max_length=32, unique=True, default=public_id, editable=False
    )
    application = models.ForeignKey(
        Application, verbose_name=_("Antrag"), on_delete=models.CASCADE, related_name="mailbox"
    )
    title = models.CharField(_("Titel"), max_length=200)
    kind = models.CharField(_("Art"), max_length=12, choices=KINDS, default=LETTER)
    stored = models.CharField(_("Ablageort"), max_length=255, editable=False)
    size = models.PositiveBigIntegerField(_("Größe (Bytes)"), editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zugestellt von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("zugestellt am"), auto_now_add=True)
    read = models.DateTimeField(_("geöffnet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Postfach-Eintrag")
        verbose_name_plural = _("Postfach")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return self.title
