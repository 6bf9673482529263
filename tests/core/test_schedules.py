"""Scheduled importer runs: due schedules are claimed once, run by the real consumer, and
their outcome (report summary or error) is recorded; the admin form refuses bad input."""

from __future__ import annotations

import io
import time
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from smartcity.core import importers, schedules
from smartcity.core.admin import ImportScheduleForm
from smartcity.core.geo import BBox
from smartcity.core.importers import Importer, ImportReport
from smartcity.core.models import ImportSchedule
from smartcity.core.sources import json_records

fetched: list[dict[str, Any]] = []


def _locate(*, bbox: BBox | None = None, fail: bool = False) -> Any:
    fetched.append({"bbox": bbox, "fail": fail})
    if fail:
        raise OSError("source unreachable")
    if bbox is not None and bbox.min_x > 8:
        return io.BytesIO(b'[{"id": 1}, {"id": 2')  # breaks off
    return io.BytesIO(b'[{"id": 1}, {"id": 2}, {"bad": true}]')


def _read(source: Any, report: ImportReport, *, bbox: Any = None) -> None:
    for record in json_records(source, top=list, shape="expected an array"):
        with report.record(f"record {record.path[0]}"):
            if "id" not in record.value:
                raise ValueError("no id")
            report.count("created", "Observation")


@pytest.fixture(autouse=True)
def test_importer():
    importers.register(Importer("test-source", "a source made by the test", _read, _locate))
    yield
    importers._importers.pop("test-source", None)


def _wait_for(schedule: ImportSchedule, status: str) -> ImportSchedule:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        schedule.refresh_from_db()
        if schedule.last_status == status:
            return schedule
        time.sleep(0.05)
    raise AssertionError(f"schedule stayed {schedule.last_status!r}")


@pytest.mark.django_db(transaction=True)
def test_a_due_schedule_runs_in_the_consumer_and_records_its_report(consumer):
    schedule = ImportSchedule.objects.create(
        importer="test-source", options={"bbox": [7.7, 51.6, 7.9, 51.7]}, interval_minutes=15
    )
    assert schedules.run_due_imports.call_local() == [schedule.pk]
    schedule = _wait_for(schedule, "ok")
    assert schedule.last_summary["created"] == {"Observation": 2}
    assert schedule.last_summary["rejected"] == 1
    assert schedule.last_summary["rejections"] == [["record 2", "no id"]]
    assert fetched[-1]["bbox"] == BBox.of_degrees(7.7, 51.6, 7.9, 51.7)
    # not due again within its interval
    assert schedules.run_due_imports.call_local() == []


@pytest.mark.django_db(transaction=True)
def test_a_failing_fetch_is_recorded_and_tried_when_next_due(consumer):
    schedule = ImportSchedule.objects.create(
        importer="test-source", options={"fail": True}, interval_minutes=5
    )
    schedules.run_due_imports.call_local()
    schedule = _wait_for(schedule, "failed")
    assert "source unreachable" in schedule.last_error
    assert schedule.last_summary is None
    # the consumer survived: the next due run happens
    ImportSchedule.objects.filter(pk=schedule.pk).update(
        last_run_at=timezone.now() - timedelta(minutes=6), options={}
    )
    schedules.run_due_imports.call_local()
    assert _wait_for(schedule, "ok").last_error == ""


@pytest.mark.django_db
def test_a_source_that_breaks_off_is_a_failure_that_keeps_what_came_before():
    schedule = ImportSchedule.objects.create(
        importer="test-source", options={"bbox": [8.1, 51.6, 8.2, 51.7]}, interval_minutes=5
    )
    assert schedules.run_schedule(schedule.pk) == "failed"
    schedule.refresh_from_db()
    assert schedule.last_summary["created"] == {"Observation": 1}
    assert "premature EOF" in schedule.last_error


@pytest.mark.django_db
def test_a_schedule_is_claimed_once():
    now = timezone.now()
    ImportSchedule.objects.create(importer="test-source", interval_minutes=1)
    assert len(schedules.claim_due(now)) == 1
    assert schedules.claim_due(now) == []
    ImportSchedule.objects.create(importer="test-source", interval_minutes=1, enabled=False)
    assert schedules.claim_due(now + timedelta(minutes=2)) != []


@pytest.mark.django_db
def test_crontab_schedules_run_once_in_a_matching_minute():
    schedule = ImportSchedule(importer="test-source", crontab="30 6 * * *")
    morning = timezone.localtime().replace(hour=6, minute=30, second=5)
    assert schedules.is_due(schedule, morning)
    assert not schedules.is_due(schedule, morning.replace(minute=31))
    schedule.last_run_at = morning
    assert not schedules.is_due(schedule, morning.replace(second=40))


@pytest.mark.django_db
def test_an_unknown_importer_is_recorded_not_raised():
    schedule = ImportSchedule.objects.create(importer="gone", interval_minutes=1)
    assert schedules.run_schedule(schedule.pk) == "failed"
    schedule.refresh_from_db()
    assert schedule.last_status == "failed" and "gone" in schedule.last_error


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"options": '{"colour": 1}', "interval_minutes": 5}, "options"),
        ({"options": "[1, 2]", "interval_minutes": 5}, "options"),
        ({"options": "{not json", "interval_minutes": 5}, "options"),
        ({"options": '{"bbox": [8, 51, 7, 52]}', "interval_minutes": 5}, "options"),
        ({"options": "{}", "crontab": "61 * * * *"}, "crontab"),
        ({"options": "{}", "crontab": "* * *"}, "crontab"),
        ({"options": "{}"}, "__all__"),
        ({"options": "{}", "interval_minutes": 5, "crontab": "* * * * *"}, "__all__"),
    ],
)
@pytest.mark.django_db
def test_the_admin_form_refuses_bad_input(data, field):
    form = ImportScheduleForm(data={"importer": "test-source", "enabled": "on", **data})
    assert not form.is_valid()
    assert field in form.errors


@pytest.mark.django_db
def test_the_admin_form_accepts_a_good_schedule():
    form = ImportScheduleForm(
        data={
            "importer": "test-source",
            "options": '{"bbox": [7.7, 51.6, 7.9, 51.7]}',
            "crontab": "*/15  * * * *",
            "enabled": "on",
        }
    )
    assert form.is_valid(), form.errors
    assert form.save().crontab == "*/15 * * * *"


@pytest.mark.django_db
def test_the_admin_pages_answer(admin_client):
    ImportSchedule.objects.create(importer="test-source", interval_minutes=5)
    assert admin_client.get("/admin/core/importschedule/").status_code == 200
    assert admin_client.get("/admin/core/importschedule/add/").status_code == 200
    answer = admin_client.post(
        "/admin/core/importschedule/add/", {"importer": "test-source", "options": "{oops"}
    )
    assert answer.status_code == 200  # the form again, with its errors
