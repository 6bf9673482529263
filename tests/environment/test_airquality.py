"""The UBA air quality index and the EU limit values (environment.airquality)."""

from __future__ import annotations

import pytest

from smartcity.environment import airquality
from smartcity.environment.airquality import LIMIT_VALUES, air_quality_index, assess, index_class


@pytest.mark.parametrize(
    ("pollutant", "value", "level"),
    [
        # UBA LQI, hourly means in µg/m³: the upper bound of each class belongs to it
        ("no2", 10, 1),
        ("no2", 10.4, 1),
        ("no2", 10.6, 2),
        ("no2", 30, 2),
        ("no2", 31, 3),
        ("no2", 60, 3),
        ("no2", 100, 4),
        ("no2", 101, 5),
        ("pm10", 9, 1),
        ("pm10", 27, 2),
        ("pm10", 54, 3),
        ("pm10", 90, 4),
        ("pm10", 91, 5),
        ("pm25", 5, 1),
        ("pm25", 15, 2),
        ("pm25", 30, 3),
        ("pm25", 50, 4),
        ("pm25", 51, 5),
        ("o3", 24, 1),
        ("o3", 72, 2),
        ("o3", 144, 3),
        ("o3", 240, 4),
        ("o3", 241, 5),
        ("so2", 0, 1),
        ("so2", -3, 1),
    ],
)
def test_index_classes(pollutant, value, level):
    assert index_class(pollutant, value) == level


def test_the_worst_pollutant_decides_and_completeness_is_reported():
    found = air_quality_index({"no2": 25, "pm10": 60, "pm25": 12})
    assert (found.level, found.determined_by, found.complete) == (4, "pm10", False)
    assert found.classes == {"no2": 2, "pm10": 4, "pm25": 2}
    full = air_quality_index({"no2": 5, "pm10": 5, "pm25": 5, "o3": 5, "so2": 5})
    assert full.complete and full.level == 1
    assert air_quality_index({"co": 3}) is None


def _limits(pollutant, directive):
    return [a for a in LIMIT_VALUES if a.pollutant == pollutant and a.directive == directive]


def test_the_limit_values_of_both_directives():
    """2008/50/EC Annex XI B: PM10 50 µg/m³ as a daily mean, 35 exceedances a year, 40 as
    an annual mean; NO2 200 as an hourly mean, 18 a year. (EU) 2024/2881 Annex I Table 1,
    from 2030: PM10 45 per day (18), 20 per year; NO2 200 per hour (3), 50 per day (18),
    20 per year; PM2.5 25 per day (18), 10 per year."""
    pm10 = {(a.averaging, a.value, a.allowed_exceedances) for a in _limits("pm10", "2008/50/EC")}
    assert pm10 == {("day", 50, 35), ("year", 40, None)}
    new = {(a.averaging, a.value, a.allowed_exceedances) for a in _limits("no2", "(EU) 2024/2881")}
    assert new == {("hour", 200, 3), ("day", 50, 18), ("year", 20, None)}
    assert {a.from_year for a in _limits("pm25", "(EU) 2024/2881")} == {2030}


def _year(day_values, hours_per_day=24):
    days = [[value] * hours_per_day for value in day_values]
    return [h for day in days for h in day], days


def test_daily_exceedances_are_counted_against_the_permitted_number():
    hourly, days = _year([48.0] * 300 + [47.0] * 20 + [60.0] * 36 + [20.0] * 9)
    by_directive = {
        a.limit.directive: a
        for a in assess("pm10", 2026, hourly, days)
        if a.limit.averaging == "day"
    }
    old, new = by_directive["2008/50/EC"], by_directive["(EU) 2024/2881"]
    assert old.exceedances == 36 and old.exceeded  # above 50 on 36 days; 35 permitted
    assert new.exceedances == 356 and new.exceeded  # above 45
    assert old.valid


def test_a_day_with_fewer_than_18_hourly_values_has_no_daily_mean():
    """2008/50/EC Annex XI A: a daily value needs 75 % of the hourly values."""
    hourly, days = _year([60.0] * 365)
    days[0] = [60.0] * 17 + [None] * 7
    days[1] = [60.0] * 18 + [None] * 6
    assessed = next(
        a
        for a in assess("pm10", 2026, hourly, days)
        if a.limit.directive == "2008/50/EC" and a.limit.averaging == "day"
    )
    assert assessed.exceedances == 364


def test_hourly_exceedances_and_the_annual_mean():
    hourly = [30.0] * 7800 + [210.0] * 19 + [None] * 941
    results = {
        (a.limit.directive, a.limit.averaging): a for a in assess("no2", 2026, hourly, [hourly])
    }
    assert results[("2008/50/EC", "hour")].exceedances == 19
    assert results[("2008/50/EC", "hour")].exceeded  # 18 permitted
    annual = results[("2008/50/EC", "year")]
    assert annual.mean == pytest.approx((30 * 7800 + 210 * 19) / 7819)
    assert not annual.exceeded and annual.valid is False  # 7819 of 8760 hours < 90 %


def test_a_year_below_90_percent_of_its_hours_is_not_assessable():
    """2008/50/EC Annex I, A and Annex XI, A: 90 % of a year's hourly values; below that
    even exceedances counted so far give no verdict."""
    hours = 8760
    short = [250.0] * 100 + [None] * (hours - 100)  # 100 hours above 200 µg/m³, too few
    results = {(a.limit.directive, a.limit.averaging): a for a in airquality.assess(
        "no2", 2026, short, [short[i:i + 24] for i in range(0, hours, 24)])}
    hourly = results[("2008/50/EC", "hour")]
    assert hourly.exceedances == 100 and hourly.result == "not assessable"
    enough = [250.0] * 100 + [10.0] * (int(hours * 0.9) - 100) + [None] * (hours - int(hours * 0.9))
    full = {(a.limit.directive, a.limit.averaging): a for a in airquality.assess(
        "no2", 2026, enough, [enough[i:i + 24] for i in range(0, hours, 24)])}
    assert full[("2008/50/EC", "hour")].result == "exceeded"
    assert full[("2008/50/EC", "year")].result == "met"


def test_every_limit_value_is_cited_in_german():
    citations = {(lv.directive, lv.pollutant, lv.averaging): (lv.citation, lv.national)
                 for lv in airquality.LIMIT_VALUES}
    assert citations[("2008/50/EC", "pm25", "year")] == (
        "Richtlinie 2008/50/EG, Anhang XIV Abschnitt E", "39. BImSchV § 5 Abs. 2")
    assert citations[("2008/50/EC", "so2", "day")] == (
        "Richtlinie 2008/50/EG, Anhang XI Abschnitt B", "39. BImSchV § 2 Abs. 2")
    assert citations[("(EU) 2024/2881", "no2", "day")][0] == (
        "Richtlinie (EU) 2024/2881, Anhang I Abschnitt 1 Tabelle 1")
    assert all(lv.national for lv in airquality.LIMIT_VALUES if lv.directive == "2008/50/EC")
