"""Deadlines of document requests: an open request whose deadline is
SMARTCITY_CASE_REMINDER_DAYS away or nearer is reminded of once (unless it was asked
for inside that window: then the request itself was the notice); one whose deadline
has passed is marked overdue once. Both write the history and send the e-mail that
something new is there. Run by the periodic task in administration/tasks.py; each
request is claimed under a row lock, so two workers never remind twice."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from smartcity.administration.applying.case import history, notify
from smartcity.administration.models import DocumentRequest
from smartcity.core import config


def _claim(pk: int, field: str) -> DocumentRequest | None:
    locked = (
        DocumentRequest.objects.select_for_update(of=("self",))
        .select_related("application__service", "application__applicant")
        .filter(pk=pk, status=DocumentRequest.OPEN, **{f"{field}__isnull": True})
        .first()
    )
    if locked is not None:
        setattr(locked, field, timezone.now())
        locked.save(update_fields=[field])
    return locked


def remind_due(today: date | None = None) -> dict[str, int]:
    """Reminds and marks overdue what is due on ``today``; how many of each."""
    today = today or timezone.localdate()
    soon = today + timedelta(days=config.get("CASE_REMINDER_DAYS"))
    open_requests = DocumentRequest.objects.filter(status=DocumentRequest.OPEN)
    counts = {"reminded": 0, "overdue": 0}
    days = timedelta(days=config.get("CASE_REMINDER_DAYS"))
    due = open_requests.filter(reminded__isnull=True, deadline__gte=today, deadline__lte=soon)
    for pk, deadline, created in due.values_list("pk", "deadline", "created"):
        if timezone.localtime(created).date() >= deadline - days:
            continue  # asked for inside the reminder's window: the request was the notice
        with transaction.atomic():
            found = _claim(pk, "reminded")
            if found is not None:
                history.record(
                    found.application, "request_reminder",
                    data={"what": found.what, "deadline": found.deadline.isoformat()},
                )  # fmt: skip
                notify.something_new(found.application)
                counts["reminded"] += 1
    late = open_requests.filter(overdue__isnull=True, deadline__lt=today)
    for pk in late.values_list("pk", flat=True):
        with transaction.atomic():
            found = _claim(pk, "overdue")
            if found is not None:
                history.record(found.application, "request_overdue", data={"what": found.what})
                notify.something_new(found.application)
                counts["overdue"] += 1
    return counts
