"""The Umweltbundesamt API's clock: CET all year, hours 1 to 24."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from smartcity.sensors.importers import uba_answers


def _utc(*parts):
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-15 24:00:00", _utc(2026, 1, 15, 23)),
        ("2026-07-15 24:00:00", _utc(2026, 7, 15, 23)),  # CET in summer too
        ("2026-12-31 24:00:00", _utc(2026, 12, 31, 23)),
        ("2026-07-15 01:00:00", _utc(2026, 7, 15, 0)),
    ],
)
def test_cet_instant(text, expected):
    assert uba_answers.cet_instant(text) == expected


def test_cet_instant_refuses_other_shapes():
    for bad in ("gestern", "2026-07-15 25:00:00", "2026-07-15T01:00:00+02:00", 17,
                "9999-12-31 24:00:00", "0001-01-01 00:30:00"):  # beyond the calendar in UTC
        with pytest.raises((TypeError, ValueError)):
            uba_answers.cet_instant(bad)


def test_uba_hour_names_the_hour_that_ends_at_an_instant():
    assert uba_answers.uba_hour(_utc(2026, 11, 30, 23)) == ("2026-11-30", 24)
    assert uba_answers.uba_hour(_utc(2026, 7, 15, 0)) == ("2026-07-15", 1)
