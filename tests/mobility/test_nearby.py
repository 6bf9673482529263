import math

import pytest

from smartcity.mobility import nearby

CHECK = {"max_radius": 2000, "max_limit": 200}


def test_the_distance_is_the_great_circle():
    # Hamm Hauptbahnhof to Willy-Brandt-Platz, about 360 m
    assert nearby.distance(51.6783, 7.8089, 51.6787, 7.8141) == pytest.approx(360, abs=10)
    # one degree of latitude is about 111.2 km
    assert nearby.distance(51.0, 7.8, 52.0, 7.8) == pytest.approx(111_195, rel=1e-3)
    assert nearby.distance(51.6, 7.8, 51.6, 7.8) == 0


def test_a_walk_is_an_estimate_of_at_least_a_minute():
    assert nearby.walk_minutes(0) == 1
    assert nearby.walk_minutes(75) == 2  # 97.5 m at 75 m/min
    assert nearby.walk_minutes(1000) == math.ceil(1300 / 75)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((91, 7.8, 500, None, 10), "lat must be"),
        ((float("nan"), 7.8, 500, None, 10), "lat must be"),
        ((51.6, 181, 500, None, 10), "lon must be"),
        ((51.6, float("inf"), 500, None, 10), "lon must be"),
        ((51.6, 7.8, 0, None, 10), "radius must be between 1 and 2000"),
        ((51.6, 7.8, 2001, None, 10), "radius must be between 1 and 2000"),
        ((51.6, 7.8, 500, None, 201), "limit must be between 1 and 200"),
        ((51.6, 7.8, 500, "bike,plane", 10), "unknown mode.*plane"),
    ],
)
def test_a_query_out_of_bounds_says_what_is_wrong(arguments, message):
    with pytest.raises(nearby.NearbyError, match=message):
        nearby.check(*arguments, **CHECK)


def test_no_modes_means_every_mode():
    assert nearby.check(51.6, 7.8, 500, "", 10, **CHECK).modes == nearby.MODES
    assert nearby.check(51.6, 7.8, 500, "bike,car", 10, **CHECK).modes == ("bike", "car")
