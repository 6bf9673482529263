"""Activating a loaded timetable: the lines at each stop that the load notes while it
writes the stop times are the ones the stop times themselves give, and the stop times'
table carries only the indexes its readers use (each one more costs the load of millions
of rows)."""

from __future__ import annotations

import zipfile

import pytest
from django.db import connection

from smartcity.core.importers import ImportReport
from smartcity.mobility import feeds as mobility_feeds
from smartcity.mobility.gtfs import load, swap
from smartcity.mobility.models import Feed, StopTime, TransitVersion
from tests.mobility import gtfs_feeds as feeds

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("path", "area"),
    [(feeds.SAMPLE, feeds.NEVADA), (feeds.CAIRNS, feeds.QUEENSLAND)],
)
def test_the_lines_the_load_notes_are_the_ones_its_stop_times_give(path, area):
    feed = mobility_feeds.feed("gtfs", kind=Feed.GTFS, provider="GTFS")
    version = TransitVersion.objects.create(feed=feed)
    with zipfile.ZipFile(path) as archive:
        loaded = load.load(archive, version, area, ImportReport())
    assert loaded.calls  # the frequencies' copies and their templates are in there too
    noted = swap.lines_by_stop(version, loaded.calls)
    assert noted == swap.lines_by_stop(version)  # read from the stop times
    assert list(swap.stop_offers(version, loaded.calls)) == list(swap.stop_offers(version))


def test_the_stop_times_have_only_the_board_and_the_trip_index():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, StopTime._meta.db_table)
    indexes = {
        tuple(found["columns"])
        for found in constraints.values()
        if found["index"] and not found["primary_key"]
    }
    assert indexes == {("stop_id", "departure"), ("trip_id", "sequence")}
