"""The mobility domain's background work: every minute the live sources that are due
(polling.py), and each timetable that is due in a task of its own."""

from __future__ import annotations

from django.utils import timezone

from smartcity.core.tasks import crontab, queue


@queue.periodic_task(crontab())
def poll_feeds() -> dict[str, str]:
    """Every minute: poll the due live feeds; hand the due timetables to import_timetable."""
    from smartcity.mobility import polling

    now = timezone.now()
    for key in polling.timetables_due(now):
        import_timetable(key)
    return polling.poll_due(now)


@queue.task()
def import_timetable(key: str) -> str:
    """Read the GTFS feed ``key`` from its address (the importer records the outcome)."""
    from smartcity.core import importers

    try:
        report = importers.run(importers.get("gtfs"), feed=key)
    except (OSError, ValueError) as error:  # unreachable: recorded like a failed read
        from smartcity.mobility import feeds
        from smartcity.mobility.models import Feed

        found = Feed.objects.filter(key=key).first()
        if found is not None:
            feeds.failed(found, f"cannot read the timetable: {error}")
        return str(error)
    return report.failure or "ok"
