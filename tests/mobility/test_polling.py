"""The periodic polling of the live mobility sources: the due ones are read, the others
are left until their ttl has passed, a fault of ours in one poller stops no other."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from smartcity.mobility import feeds, polling, tasks
from smartcity.mobility.models import Feed, TripUpdate
from tests.https import Answer
from tests.mobility import gtfs_feeds
from tests.mobility.test_realtime_feed import _message

pytestmark = pytest.mark.django_db(transaction=True)


def broken(feed, *, now):
    raise RuntimeError("a bug")


def test_due_feeds_are_polled_and_the_others_wait(site):
    site.routes["/rt.pb"] = Answer(_message())
    fresh = feeds.feed("a", kind=Feed.GTFS_RT, provider="A", url=site.url("/rt.pb"), ttl=30)
    feeds.feed("demo", kind=Feed.GTFS_RT, provider="D", url=site.url("/rt.pb"), is_demo=True)
    feeds.feed("no-url", kind=Feed.GTFS_RT, provider="N")
    now = timezone.now()
    assert polling.poll_due(now) == {"a": "ok"}
    assert TripUpdate.objects.filter(feed=fresh).count() == 2
    assert polling.poll_due(now + timedelta(seconds=10)) == {}  # within its ttl
    assert polling.poll_due(now + timedelta(seconds=31)) == {"a": "ok"}
    assert site.requests.count("/rt.pb") == 2


def test_a_failing_source_and_a_fault_of_ours_stop_no_other_feed(site):
    site.routes["/rt.pb"] = Answer(_message())
    feeds.feed("good", kind=Feed.GTFS_RT, provider="G", url=site.url("/rt.pb"))
    feeds.feed("gone", kind=Feed.GTFS_RT, provider="X", url=site.url("/missing.pb"))
    feeds.feed("buggy", kind=Feed.GBFS, provider="B", url=site.url("/gbfs.json"))
    pollers = {**polling.POLLERS, Feed.GBFS: "tests.mobility.test_polling:broken"}
    done = polling.poll_due(timezone.now(), pollers)
    assert done["good"] == "ok"
    assert "404" in done["gone"]
    assert done["buggy"] == "RuntimeError"
    buggy = Feed.objects.get(key="buggy")
    assert buggy.failures == 1 and "internal error" in buggy.error


def test_the_periodic_task_hands_a_due_timetable_to_its_own_task(site, settings):
    site.routes["/gtfs.zip"] = Answer(gtfs_feeds.archive(gtfs_feeds.HAMM))
    feeds.feed("swh", kind=Feed.GTFS, provider="SWH", url=site.url("/gtfs.zip"), ttl=86400)
    assert polling.timetables_due(timezone.now()) == ["swh"]
    assert polling.timetables_due(timezone.now()) == []  # marked as attempted
    assert tasks.import_timetable.call_local("swh") == "ok"
    assert Feed.objects.get(key="swh").delivered_at is not None
    assert tasks.import_timetable.call_local("nothing-known") != "ok"
