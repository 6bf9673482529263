"""The environment's background work: evaluate the alert rules every minute, deliver each
notification with retries."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.utils import timezone

from smartcity.core.tasks import crontab, queue

log = logging.getLogger("smartcity.alerts")
RETRIES = 5
RETRY_DELAY = 60  # seconds, doubled on every retry (1, 2, 4, 8, 16 minutes)
LOST_AFTER = timedelta(minutes=15)


@queue.periodic_task(crontab())
def evaluate_alerts() -> int:
    """Every minute: all enabled rules against what arrived; the number of notifications."""
    from smartcity.environment import alerts

    return sum(len(o.notifications) for o in alerts.evaluate_all())


@queue.periodic_task(crontab(minute="*/10"))
def requeue_lost_notifications() -> int:
    """A notification written but never attempted for LOST_AFTER lost its task (the
    process stopped between the commit and the enqueue, or the queue was emptied)."""
    from smartcity.environment.models import AlertNotification

    lost = AlertNotification.objects.filter(
        status=AlertNotification.PENDING,
        attempts=0,
        created_at__lt=timezone.now() - LOST_AFTER,
    ).values_list("pk", flat=True)
    found = list(lost[:1000])
    for pk in found:
        deliver_notification(pk)
    return len(found)


@queue.task(
    retries=RETRIES,
    retry_delay=RETRY_DELAY,
    retry_backoff=2,
    context=True,
)
def deliver_notification(notification_id: int, task: Any = None) -> None:
    # None: the outcome is on the notification row, not in the queue's result store
    deliver(notification_id, last_attempt=task is None or task.retries == 0)


def deliver(notification_id: int, *, last_attempt: bool) -> str:
    """Send one notification unless it went out already; record the attempt. Raises for
    a failure worth retrying, so the queue tries again."""
    from smartcity.environment import notify
    from smartcity.environment.models import AlertNotification

    notification = (
        AlertNotification.objects.select_related("rule", "episode")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or notification.status == AlertNotification.SENT:
        return "done"
    notification.attempts += 1
    try:
        notify.send(notification)
    except notify.DeliveryError as error:
        final = error.final or last_attempt
        notification.status = AlertNotification.FAILED if final else AlertNotification.PENDING
        notification.error = str(error)[:2000]
        notification.save(update_fields=["status", "error", "attempts"])
        log.warning(
            "notification %s failed (attempt %s): %s", notification_id, notification.attempts, error
        )
        if final:
            return "failed"
        raise
    notification.status, notification.sent_at = AlertNotification.SENT, timezone.now()
    notification.error = ""
    notification.save(update_fields=["status", "sent_at", "error", "attempts"])
    log.info(
        "notification %s sent (%s to %s)",
        notification_id,
        notification.channel,
        notification.target,
    )
    return "sent"
