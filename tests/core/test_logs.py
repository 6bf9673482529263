"""What the logs say about answers (core.logs): a deliberate 501 is a WARNING, a fault is
logged once, with its trace."""

from __future__ import annotations

import logging

import pytest


@pytest.fixture
def records(caplog):
    caplog.set_level(logging.WARNING)
    return caplog


def _lines(caplog, name: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == name]


def test_an_option_the_api_does_not_implement_is_a_warning(client, db, records):
    answer = client.get("/sta/v1.1/Things", {"$unbekannt": "1"})
    assert answer.status_code == 501
    [line] = _lines(records, "django.request")
    assert line.levelno == logging.WARNING


def test_a_fault_is_logged_once_with_its_trace(client, db, records, monkeypatch):
    from smartcity.sensors.sta import views

    def broken(request):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(views, "handle", broken)
    client.raise_request_exception = False
    answer = client.get("/sta/v1.1/Things")
    assert answer.status_code == 500 and b"kaputt" not in answer.content
    errors = [r for r in records.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info is not None, errors
