"""The limits on applying, each a documented setting: how many applications one account
or guest address, and one client address, may start and submit in an hour, how many
drafts one may hold, how large the data and the uploads may be. Counted from the
applications themselves, in the store, so every server process sees the same counts."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcity.administration.models import Application
from smartcity.core import config


class Refused(Exception):
    """What the person asked for is over a limit or not allowed now: ``status`` (400, 403,
    409 or 429) and a message for them."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.status = message, status


def client_key(address: str | None) -> str:
    """A keyed hash of a client address: enough to count, not the address itself."""
    if not address:
        return ""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, b"applying:" + address.encode(), hashlib.sha256).hexdigest()[:40]


def _person(user: Any, guest_email: str) -> Q:
    if user is not None and user.is_authenticated:
        return Q(applicant=user)
    return Q(applicant__isnull=True, guest_email=guest_email.lower())


def check_start(user: Any, guest_email: str, client: str) -> None:
    since = timezone.now() - timedelta(hours=1)
    mine = Application.objects.filter(_person(user, guest_email))
    if mine.filter(created__gte=since).count() >= config.get("APPLY_STARTS_PER_HOUR"):
        raise Refused(
            _(
                "Sie haben in der letzten Stunde schon viele Anträge begonnen. Bitte "
                "versuchen Sie es später noch einmal."
            ),
            429,
        )
    recent = Application.objects.filter(client=client, created__gte=since)
    if client and recent.count() >= config.get("APPLY_STARTS_PER_HOUR_PER_CLIENT"):
        raise Refused(
            _(
                "Von Ihrem Anschluss wurden in der letzten Stunde schon viele Anträge "
                "begonnen. Bitte versuchen Sie es später noch einmal."
            ),
            429,
        )
    drafts = config.get("APPLY_MAX_DRAFTS")
    if mine.filter(status=Application.DRAFT).count() >= drafts:
        raise Refused(
            _(
                "Sie haben schon %(count)s nicht abgeschickte Anträge. Bitte schicken "
                "Sie einen davon ab oder löschen Sie ihn, bevor Sie einen neuen "
                "beginnen."
            )
            % {"count": drafts},
            429,
        )


def check_counter(clerk: Any, *, submitting: bool = False) -> None:
    """A clerk's entries at the counter and on paper: SMARTCITY_APPLY_COUNTER_PER_HOUR
    started (and submitted) an hour, and drafts as online. No count per client address:
    an office's computers share one."""
    since = timezone.now() - timedelta(hours=1)
    mine = Application.objects.filter(entered_by=clerk)
    when = "submitted__gte" if submitting else "created__gte"
    if mine.filter(**{when: since}).count() >= config.get("APPLY_COUNTER_PER_HOUR"):
        raise Refused(
            _(
                "Sie haben in der letzten Stunde schon sehr viele Anträge erfasst. Bitte "
                "versuchen Sie es später noch einmal."
            ),
            429,
        )
    drafts = config.get("APPLY_MAX_DRAFTS")
    if not submitting and mine.filter(status=Application.DRAFT).count() >= drafts:
        raise Refused(
            _(
                "Sie haben schon %(count)s nicht abgeschickte Anträge erfasst. Bitte "
                "schicken Sie einen davon ab, bevor Sie einen neuen beginnen."
            )
            % {"count": drafts},
            429,
        )


def check_submit(application: Application, client: str) -> None:
    if application.entered_by_id is not None:  # entered at the counter or from paper
        check_counter(application.entered_by, submitting=True)
        return
    since = timezone.now() - timedelta(hours=1)
    person = _person(application.applicant, application.guest_email)
    done = Application.objects.filter(person, submitted__gte=since)
    if done.count() >= config.get("APPLY_SUBMISSIONS_PER_HOUR"):
        raise Refused(
            _(
                "Sie haben in der letzten Stunde schon viele Anträge abgeschickt. Ihr "
                "Antrag ist gespeichert; bitte schicken Sie ihn später ab."
            ),
            429,
        )
    recent = Application.objects.filter(client=client, submitted__gte=since)
    if client and recent.count() >= config.get("APPLY_SUBMISSIONS_PER_HOUR_PER_CLIENT"):
        raise Refused(
            _(
                "Von Ihrem Anschluss wurden in der letzten Stunde schon viele Anträge "
                "abgeschickt. Ihr Antrag ist gespeichert; bitte schicken Sie ihn "
                "später ab."
            ),
            429,
        )
