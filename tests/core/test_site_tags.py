"""The layout's template tags: one way to write a date and time, in the city's zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import override_settings
from django.utils import translation

from smartcity.core.templatetags.site import local_stamp, site_setting, stamp_suffix


@pytest.mark.parametrize(
    ("instant", "language", "text"),
    [
        ("2026-12-02T13:05:00Z", "de", "02.12.2026, 14:05 Uhr"),  # MEZ, UTC+1
        ("2026-07-01T22:30:00+00:00", "de", "02.07.2026, 00:30 Uhr"),  # MESZ: the next day
        (datetime(2026, 12, 2, 13, 5, tzinfo=UTC), "en", "2 Dec 2026, 14:05"),
        ("", "de", ""),
        (None, "de", ""),
    ],
)
def test_a_date_is_written_one_way_in_local_time(instant, language, text):
    with translation.override(language):
        assert local_stamp(instant) == text


@override_settings(TIME_ZONE="America/New_York")
def test_the_zone_is_the_configured_one():
    with translation.override("de"):
        assert local_stamp("2026-12-02T13:05:00Z") == "02.12.2026, 08:05 Uhr"
        assert stamp_suffix() == " Uhr"


def test_only_the_layouts_settings_are_given():
    with pytest.raises(Exception, match="does not give"):
        site_setting("SECRET_KEY")
