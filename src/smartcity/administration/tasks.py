"""The administration domain's background work: the e-mail that something new is in
Meine Anträge (applying/case/notify.py), and every hour the reminders of document
requests whose deadline is near and the marking of those past it."""

from __future__ import annotations

import logging

from smartcity.administration.applying.case import notify, reminders
from smartcity.core.tasks import crontab, queue

log = logging.getLogger("smartcity.administration.case")
__all__ = ["notify", "remind_document_requests"]


@queue.periodic_task(crontab(minute="17"))  # type: ignore[misc]
def remind_document_requests() -> dict[str, int]:
    counts = reminders.remind_due()
    if any(counts.values()):
        log.info("document requests: %(reminded)s reminded, %(overdue)s overdue", counts)
    return counts
