"""The fast path over stop_times.txt (pyarrow) held to the general path (the csv module):
the same trips served, the same stop times written, and the general path taken wherever the
fast one cannot read a table the same way."""

from __future__ import annotations

import io
import zipfile

import pytest

from smartcity.core import importers
from smartcity.mobility.gtfs import columnar, tables
from smartcity.mobility.models import StopTime
from tests.mobility import gtfs_feeds as feeds

GTFS = importers.get("gtfs")


def _table(text: str | bytes) -> tables.Table:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr("stop_times.txt", text)
    archive = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    return tables.Table(archive, archive.getinfo("stop_times.txt"))


def _general(table: tables.Table, key: str, kept: set[str], columns: list[str]) -> list:
    found = []
    for line, values in table.lines():
        if values[table.index[key]].strip() in kept:
            found.append((line, [values[table.index[c]] for c in columns]))
    return found


def test_the_fast_path_picks_the_rows_the_general_path_reads() -> None:
    with zipfile.ZipFile(feeds.CAIRNS) as archive:
        table = tables.Table(archive, archive.getinfo("stop_times.txt"))
        columns = ["trip_id", "stop_id", "stop_sequence", "arrival_time", "departure_time"]
        stops = {values[table.index["stop_id"]] for _line, values in table.lines()}
        some = set(sorted(stops)[::40])
        trips = {values[table.index["trip_id"]] for _line, values in table.lines()
                 if values[table.index["stop_id"]] in some}  # fmt: skip
        assert columnar.served(table, some, "trip_id", "stop_id") == trips
        trips = set(sorted(trips)[::5])
        fast = list(columnar.rows(table, columns, "trip_id", trips))
        assert fast == _general(table, "trip_id", trips, columns)
        assert 0 < len(fast) < sum(1 for _ in table.lines())


@pytest.mark.django_db(transaction=True)
def test_an_import_writes_the_same_stop_times_on_either_path(monkeypatch) -> None:
    def written() -> set[tuple]:
        return set(StopTime.objects.values_list(
            "trip__trip_id", "stop__stop_id", "sequence", "arrival", "departure", "headsign",
            "pickup", "drop_off"))  # fmt: skip

    taken: list[str] = []
    rows = columnar.rows
    monkeypatch.setattr(columnar, "rows", lambda *a: (taken.append("fast"), rows(*a))[1])
    report = importers.run(GTFS, str(feeds.CAIRNS), bbox=feeds.QUEENSLAND)
    fast = written()
    # the second pass: the trips with untimed stops (Cairns has 65) read again (untimed.py)
    assert taken == ["fast", "fast"] and report.rejected == []
    assert all(row[3] is not None for row in fast)  # each of them timed
    monkeypatch.setattr(columnar, "available", lambda: False)
    importers.run(GTFS, str(feeds.CAIRNS), bbox=feeds.QUEENSLAND)
    assert taken == ["fast", "fast"]  # not asked again
    assert written() == fast and len(fast) == report.created["stop_times"]


@pytest.mark.django_db(transaction=True)
def test_a_bad_row_sends_the_load_to_the_general_path_without_writing_twice() -> None:
    bad = dict(feeds.HAMM)
    bad["stop_times.txt"] = feeds.HAMM_TIMES + "T1,08:20:00,08:10:00,WBP,4\n"
    report = importers.run(GTFS, feeds.archive(bad))
    assert dict(report.rejected) == {
        "stop_times.txt line 8": "departure_time: is before arrival_time"}  # fmt: skip
    assert report.created["stop_times"] == StopTime.objects.count() == 5


@pytest.mark.parametrize(
    "text",
    [
        "trip_id,stop_id\nT1,S1\nT2\n",  # a short row: the general path reads it
        "trip_id,stop_id,x\nT1,S1,1,2\n",  # a long row: the general path rejects it
        b"trip_id,stop_id\nT1,S\xff1\n",  # no UTF-8
        " trip_id,stop_id\nT1,S1\n",  # a header with spaces
        "trip_id,trip_id,stop_id\nT1,T1,S1\n",  # a column twice
        "stop_id\nS1\n",  # a column missing: the general path names it
    ],
)
def test_what_the_fast_path_cannot_read_the_same_way_is_left_to_the_general_path(text) -> None:
    with pytest.raises(columnar.Fallback):
        columnar.served(_table(text), {"S1"}, "trip_id", "stop_id")


def test_a_nul_byte_refuses_the_table_on_the_fast_path_too() -> None:
    with pytest.raises(tables.TableError, match="NUL"):
        columnar.served(_table(b"trip_id,stop_id\nT1,S\x001\n"), {"S1"}, "trip_id", "stop_id")
