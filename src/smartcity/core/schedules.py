"""Scheduled importer runs: which ImportSchedule is due, and the tasks that run it.

Every minute the periodic task ``run_due_imports`` claims the due schedules (an UPDATE
that only succeeds for the process that still sees the old ``last_run_at``, so two
consumers never run one schedule twice) and enqueues ``run_import`` for each. A run that
fails (the source cannot be fetched, the importer raises) is recorded on the schedule and
tried again when it is next due; it never stops the consumer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from smartcity.core import importers
from smartcity.core.geo import BBox
from smartcity.core.importers import ImportReport
from smartcity.core.models import ImportSchedule
from smartcity.core.tasks import crontab, queue

log = logging.getLogger("smartcity.schedules")
_REJECTIONS_KEPT = 20


def parse_crontab(text: str) -> Callable[[datetime], bool]:
    """Five crontab fields (minute hour day month weekday) as a test of a minute; raises
    ValueError for anything else."""
    fields = text.split()
    if len(fields) != 5:
        raise ValueError("expected five fields: minute hour day month weekday")
    minute, hour, day, month, weekday = fields
    check: Callable[[datetime], bool] = crontab(minute, hour, day, month, weekday, strict=True)
    return check


def check_options(importer: importers.Importer, options: Any) -> dict[str, Any]:
    """The options if the importer takes them (``locate`` or ``read``); ValueError naming
    the problem otherwise."""
    if not isinstance(options, dict):
        raise ValueError("options must be a JSON object")
    importers.check_options(importer, options)
    if "bbox" in options:
        _check_bbox(options["bbox"])
    return options


def _typed(options: dict[str, Any]) -> dict[str, Any]:
    """The options as the importers take them: a bbox list as a BBox."""
    if "bbox" not in options:
        return options
    return {**options, "bbox": BBox.of_degrees(*options["bbox"])}


def _check_bbox(value: Any) -> None:
    numbers = (
        isinstance(value, list)
        and len(value) == 4
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    )
    if not numbers:
        raise ValueError("bbox must be [west, south, east, north] in degrees")
    try:
        BBox.of_degrees(*value)
    except ValueError as error:
        raise ValueError(f"bbox must be [west, south, east, north] in degrees: {error}") from None


def is_due(schedule: ImportSchedule, now: datetime) -> bool:
    last = schedule.last_run_at
    if schedule.interval_minutes:
        return last is None or now - last >= timedelta(minutes=schedule.interval_minutes)
    if schedule.crontab:
        minute = timezone.localtime(now).replace(second=0, microsecond=0)
        ran_this_minute = last is not None and last >= minute
        return parse_crontab(schedule.crontab)(minute) and not ran_this_minute
    return False


def claim_due(now: datetime) -> list[int]:
    """The ids of the enabled schedules that are due, each claimed by this caller."""
    claimed = []
    for schedule in ImportSchedule.objects.filter(enabled=True).order_by("id"):
        try:
            due = is_due(schedule, now)
        except ValueError:
            log.warning("import schedule %s has an invalid crontab", schedule.pk)
            continue
        if not due:
            continue
        won = ImportSchedule.objects.filter(
            pk=schedule.pk, last_run_at=schedule.last_run_at
        ).update(last_run_at=now, last_status="running")
        if won:
            claimed.append(schedule.pk)
    return claimed


def summary(report: ImportReport) -> dict[str, Any]:
    return {
        "created": report.created,
        "skipped": report.skipped,
        "rejected": len(report.rejected),
        "rejections": [list(item) for item in report.rejected[:_REJECTIONS_KEPT]],
    }


def run_schedule(schedule_id: int) -> str:
    """Fetch and run one schedule's importer now; the outcome is stored on the schedule."""
    schedule = ImportSchedule.objects.filter(pk=schedule_id).first()
    if schedule is None:
        return "missing"
    try:
        importer = importers.get(schedule.importer)
        options = _typed(check_options(importer, schedule.options))
        report = importers.run(importer, **options)
    except Exception as error:
        log.exception("scheduled import %s (%s) failed", schedule.pk, schedule.importer)
        _record(schedule_id, "failed", None, f"{type(error).__name__}: {error}")
        return "failed"
    if report.failure:  # the source broke off: what came before it is imported
        log.warning("scheduled import %s: %s", schedule.pk, report.failure)
        _record(schedule_id, "failed", summary(report), report.failure)
        return "failed"
    _record(schedule_id, "ok", summary(report), "")
    return "ok"


def _record(schedule_id: int, status: str, report: dict[str, Any] | None, error: str) -> None:
    ImportSchedule.objects.filter(pk=schedule_id).update(
        last_status=status, last_summary=report, last_error=error[:2000]
    )


@queue.task()
def run_import(schedule_id: int) -> None:
    # The outcome is on the schedule; a task that returns None leaves no result behind
    # in the queue's store, where nobody would read or remove it.
    run_schedule(schedule_id)


@queue.periodic_task(crontab())
def run_due_imports() -> list[int]:
    claimed = claim_due(timezone.now())
    for schedule_id in claimed:
        run_import(schedule_id)
    return claimed
