"""The importer contract: run() opens the source, reports progress in bytes, passes each
function only its own options, records a rejected document and a broken source, and
refuses options nobody takes."""

from __future__ import annotations

import io
from typing import Any

import pytest

from smartcity.core import importers
from smartcity.core.importers import Importer, ImportReport
from smartcity.core.sources import Source, json_records

calls: list[tuple[str, dict[str, Any]]] = []


def _locate(*, size: int = 3, timeout: float = 60) -> Any:
    calls.append(("locate", {"size": size, "timeout": timeout}))
    return io.BytesIO(b"[" + b",".join(b'{"n": %d}' % i for i in range(size)) + b"]")


def _read(source: Source, report: ImportReport, *, even: bool = False) -> None:
    calls.append(("read", {"even": even}))
    for record in json_records(source, top=list, shape="expected an array of numbers"):
        with report.record(record.where):
            n = record.value["n"]
            if even and n % 2:
                raise ValueError(f"{n} is odd")
            report.count("created", "numbers")


TEST = Importer("test-numbers", "numbers made by the test", _read, _locate)


@pytest.fixture(autouse=True)
def clean():
    calls.clear()


def test_each_function_gets_only_its_own_options():
    report = importers.run(TEST, size=4, even=True)
    assert calls == [("locate", {"size": 4, "timeout": 60}), ("read", {"even": True})]
    assert report.created == {"numbers": 2}
    assert report.rejected == [("/1", "1 is odd"), ("/3", "3 is odd")]


def test_a_given_source_is_read_instead_of_the_live_one():
    report = importers.run(TEST, b'[{"n": 1}, {"m": 2}]')
    assert [name for name, _ in calls] == ["read"]
    assert report.created == {"numbers": 1}
    assert report.rejected == [("/1", "missing member 'n'")]


def test_a_document_of_another_shape_is_one_rejection():
    report = importers.run(TEST, b'{"error": "rate limited"}')
    assert report.rejected == [("/", "expected an array of numbers")]
    assert report.failure == ""


def test_a_broken_source_is_the_failure_and_keeps_what_came_before():
    report = importers.run(TEST, b'[{"n": 1}, {"n": 2}, {"n"')
    assert report.created == {"numbers": 2}
    assert "not JSON" in report.failure


def test_progress_is_in_kib_read_and_ends_full(tmp_path):
    path = tmp_path / "numbers.json"
    path.write_bytes(b"[" + b",".join(b'{"n": %d}' % i for i in range(60_000)) + b"]")
    seen: list[tuple[int, int]] = []
    importers.run(TEST, str(path), progress=lambda stage, done, total: seen.append((done, total)))
    total = path.stat().st_size // 1024
    assert len(seen) > 2
    assert all(t == total for _, t in seen[:-1])
    assert all(d < t for d, t in seen[:-1])  # the bar is not full before the end
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert seen[-1][0] == seen[-1][1] >= total


def test_a_record_over_the_configured_limit_is_the_failure(monkeypatch):
    monkeypatch.setenv("SMARTCITY_IMPORT_RECORD_BYTES", "2048")
    data = b'[{"n": 1}, {"n": 2, "text": "' + b"x" * 200_000 + b'"}]'
    report = importers.run(TEST, data)
    assert report.created == {"numbers": 1}
    assert "larger than 2048 bytes" in report.failure


def test_unknown_options_are_refused_before_anything_is_read():
    with pytest.raises(ValueError, match=r"does not know the option\(s\) \['colour'\]"):
        importers.run(TEST, colour="blue")
    assert calls == []


def test_options_of():
    assert importers.options_of(_locate) == {"size", "timeout"}
    assert importers.options_of(lambda source, report, **options: None) is None


def test_record_lets_a_source_error_through():
    from smartcity.core.sources import SourceError

    report = ImportReport()
    with pytest.raises(SourceError), report.record("/0"):
        raise SourceError("cut off")
    assert report.rejected == []
