"""Air quality as the Umweltbundesamt (UBA) and the EU directives judge it, as data and
plain functions.

* The UBA air quality index (Luftqualitätsindex, LQI): every pollutant's hourly mean falls
  into one of five classes, from "sehr gut" to "sehr schlecht"; the worst class of all
  measured pollutants is the station's index (UBA, "Der Luftqualitätsindex (LQI) des
  Umweltbundesamtes", thresholds derived from the WHO guidelines of 2021).
* The limit values for the protection of human health: Directive 2008/50/EC, Annex XI,
  Section B (and Annex XIV, Section E for PM2.5), in force, in German law §§ 2 to 5 of the
  39. BImSchV, and Directive (EU) 2024/2881, Annex I, Section 1, Table 1, to be met from
  1 January 2030, each with its averaging period and the number of exceedances a calendar
  year permits. The pages cite them as the German texts do (``LimitValue.citation``).
"""

from __future__ import annotations

from dataclasses import dataclass

# ObservedProperty.definition -> pollutant key (EEA/Eionet air quality pollutant codes)
POLLUTANTS = {
    "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/8": "no2",
    "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/5": "pm10",
    "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/6001": "pm25",
    "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/7": "o3",
    "http://dd.eionet.europa.eu/vocabulary/aq/pollutant/1": "so2",
}

CLASSES = ("sehr gut", "gut", "mäßig", "schlecht", "sehr schlecht")
CLASSES_EN = ("very good", "good", "moderate", "poor", "very poor")
# upper bounds (µg/m³, hourly mean, whole numbers) of the classes 1 to 4; above: class 5
INDEX_BOUNDS = {
    "no2": (10, 30, 60, 100),
    "pm10": (9, 27, 54, 90),
    "pm25": (5, 15, 30, 50),
    "o3": (24, 72, 144, 240),
    "so2": (10, 30, 60, 100),
}


def index_class(pollutant: str, hourly_mean: float) -> int:
    """The LQI class (1 "sehr gut" to 5 "sehr schlecht") of one pollutant's hourly mean,
    rounded to whole µg/m³ as the UBA publishes them."""
    value = int(hourly_mean + 0.5) if hourly_mean >= 0 else 0
    for number, bound in enumerate(INDEX_BOUNDS[pollutant], start=1):
        if value <= bound:
            return number
    return 5


@dataclass(frozen=True)
class AirQualityIndex:
    level: int  # 1..5
    determined_by: str  # the pollutant with the worst class
    classes: dict[str, int]  # every pollutant measured
    complete: bool  # all five pollutants measured


def air_quality_index(hourly_means: dict[str, float]) -> AirQualityIndex | None:
    """The index of a station from the hourly means of the pollutants it measures (None
    when it measures none of them)."""
    classes = {p: index_class(p, v) for p, v in hourly_means.items() if p in INDEX_BOUNDS}
    if not classes:
        return None
    worst = max(classes, key=lambda p: (classes[p], p))
    return AirQualityIndex(classes[worst], worst, classes, set(classes) == set(INDEX_BOUNDS))


@dataclass(frozen=True)
class LimitValue:
    directive: str
    provision: str  # where the directive sets it
    pollutant: str
    averaging: str  # "hour", "day" or "year" (calendar year)
    value: float  # µg/m³
    allowed_exceedances: int | None  # per calendar year; None for annual means
    from_year: int  # first calendar year it applies to
    national: str = ""  # where German law (39. BImSchV) sets the same value, if it does

    @property
    def citation(self) -> str:
        """The directive and its provision as the official German text names them."""
        return f"Richtlinie {DIRECTIVES_DE[self.directive]}, {PROVISIONS_DE[self.provision]}"


_2008 = "2008/50/EC"
_2024 = "(EU) 2024/2881"
DIRECTIVES_DE = {_2008: "2008/50/EG", _2024: "(EU) 2024/2881"}
PROVISIONS_DE = {
    "Annex XI, B": "Anhang XI Abschnitt B",
    "Annex XIV, E": "Anhang XIV Abschnitt E",
    "Annex I, Section 1, Table 1": "Anhang I Abschnitt 1 Tabelle 1",
}
_TABLE_1 = "Annex I, Section 1, Table 1"
# The values of 2008/50/EC as the 39. BImSchV (Verordnung über Luftqualitätsstandards und
# Emissionshöchstmengen) transposes them: § 2 SO2, § 3 NO2, § 4 PM10, § 5 PM2.5.
# (EU) 2024/2881 is to be transposed by 11 December 2026; no German provision is cited yet.
LIMIT_VALUES = (
    LimitValue(_2008, "Annex XI, B", "no2", "hour", 200, 18, 2010, "39. BImSchV § 3 Abs. 1"),
    LimitValue(_2008, "Annex XI, B", "no2", "year", 40, None, 2010, "39. BImSchV § 3 Abs. 2"),
    LimitValue(_2008, "Annex XI, B", "pm10", "day", 50, 35, 2005, "39. BImSchV § 4 Abs. 1"),
    LimitValue(_2008, "Annex XI, B", "pm10", "year", 40, None, 2005, "39. BImSchV § 4 Abs. 2"),
    LimitValue(_2008, "Annex XIV, E", "pm25", "year", 25, None, 2015, "39. BImSchV § 5 Abs. 2"),
    LimitValue(_2008, "Annex XI, B", "so2", "hour", 350, 24, 2005, "39. BImSchV § 2 Abs. 1"),
    LimitValue(_2008, "Annex XI, B", "so2", "day", 125, 3, 2005, "39. BImSchV § 2 Abs. 2"),
    LimitValue(_2024, _TABLE_1, "no2", "hour", 200, 3, 2030),
    LimitValue(_2024, _TABLE_1, "no2", "day", 50, 18, 2030),
    LimitValue(_2024, _TABLE_1, "no2", "year", 20, None, 2030),
    LimitValue(_2024, _TABLE_1, "pm10", "day", 45, 18, 2030),
    LimitValue(_2024, _TABLE_1, "pm10", "year", 20, None, 2030),
    LimitValue(_2024, _TABLE_1, "pm25", "day", 25, 18, 2030),
    LimitValue(_2024, _TABLE_1, "pm25", "year", 10, None, 2030),
    LimitValue(_2024, _TABLE_1, "so2", "hour", 350, 3, 2030),
    LimitValue(_2024, _TABLE_1, "so2", "day", 50, 18, 2030),
    LimitValue(_2024, _TABLE_1, "so2", "year", 20, None, 2030),
)

# Validity (2008/50/EC Annex XI, A): a daily mean needs 75 % of the day's hourly values
# (18 of 24); a calendar year 90 % of its hourly values, the minimum data capture of
# Annex I, A for fixed measurements (losses for calibration and normal maintenance are not
# counted against it: such hours are simply left out of the data). A year below that is
# not assessable ("nicht bewertbar"), whatever its figures say so far.
DAY_COVERAGE = 0.75
YEAR_COVERAGE = 0.90


@dataclass(frozen=True)
class Assessment:
    limit: LimitValue
    exceedances: int | None  # hours or days above the value; None for annual means
    mean: float | None  # the annual mean (for annual limits)
    exceeded: bool  # more exceedances than permitted, or the annual mean above the value
    valid: bool  # enough data captured for a formal assessment

    @property
    def result(self) -> str:
        """ "exceeded", "met", or "not assessable" when too few hours have data."""
        if not self.valid:
            return "not assessable"
        return "exceeded" if self.exceeded else "met"


def assess(
    pollutant: str,
    year: int,
    hourly: list[float | None],
    days: list[list[float | None]],
) -> list[Assessment]:
    """Every limit value of ``pollutant`` against a calendar year of hourly means
    (``hourly``, None for an hour without data) grouped by local day (``days``)."""
    captured = [value for value in hourly if value is not None]
    year_valid = bool(hourly) and len(captured) / len(hourly) >= YEAR_COVERAGE
    daily = [_daily_mean(day) for day in days]
    results = []
    for limit in LIMIT_VALUES:
        if limit.pollutant != pollutant:
            continue
        if limit.averaging == "year":
            mean = sum(captured) / len(captured) if captured else None
            exceeded = mean is not None and mean > limit.value
            results.append(Assessment(limit, None, mean, exceeded, year_valid))
            continue
        series = captured if limit.averaging == "hour" else [d for d in daily if d is not None]
        count = sum(1 for value in series if value > limit.value)
        permitted = limit.allowed_exceedances or 0
        results.append(Assessment(limit, count, None, count > permitted, year_valid))
    return results


def _daily_mean(hours: list[float | None]) -> float | None:
    """The mean of a day's hourly means when at least 75 % of its hours have one."""
    values = [value for value in hours if value is not None]
    if not hours or len(values) / len(hours) < DAY_COVERAGE:
        return None
    return sum(values) / len(values)
