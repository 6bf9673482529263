"""Paths the lean read and write paths recognise without resolving them (sensors.paths)."""

from __future__ import annotations

import pytest

from smartcity.sensors.sta import paths


@pytest.mark.parametrize(
    ("path", "found"),
    [
        ("/Datastreams(3)/Observations", ("Datastream", 3)),
        ("Datastreams(3)/Observations/", ("Datastream", 3)),
        ("/MultiDatastreams(12)/Observations", ("MultiDatastream", 12)),
        ("/Datastreams('3')/Observations", None),  # quoted ids take the general path
        ("/Datastreams(0)/Observations", None),
        ("/Things(3)/Datastreams", None),
        ("/Observations", None),
    ],
)
def test_stream_observations_for_the_lean_paths(path, found):
    link = paths.stream_observations(path)
    assert (None if link is None else (link.entity.name, link.pk)) == found
    if link is not None:
        assert link.navigation.name == "Observations"
