"""Plausible measurement series for a November fortnight or two in Hamm.

Plain functions, no Django: a ``Clock`` holds the sampling instants, ``Weather`` the
city-wide state every station shares (air temperature, how stagnant the air is), and
``place_series`` turns both into the series of one place. All randomness comes from
``random.Random`` seeded with stable strings, so the same inputs give the same numbers.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from smartcity.sensors.demo.places import AIR, SOIL, WATER, Place

STEP = timedelta(minutes=10)
STEPS_PER_DAY = 144
HAMM_ZONE = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class Clock:
    times: list[datetime]  # aware, every 10 minutes, oldest first
    hours: list[float]  # local hour of day, 0 <= h < 24
    weekend: list[bool]  # local Saturday or Sunday


@dataclass(frozen=True)
class Weather:
    air: list[float]  # city air temperature in °C
    stagnation: list[float]  # > 1: inversion, pollutants accumulate; < 1: windy


def make_clock(end: datetime, days: int) -> Clock:
    count = days * STEPS_PER_DAY
    start = end - (count - 1) * STEP
    times = [start + i * STEP for i in range(count)]
    local = [t.astimezone(HAMM_ZONE) for t in times]
    return Clock(
        times=times,
        hours=[t.hour + t.minute / 60 for t in local],
        weekend=[t.weekday() >= 5 for t in local],
    )


def _daily_values(rng: random.Random, days: int, low: float, high: float) -> list[float]:
    """A random walk of one value per day (plus one), kept between low and high."""
    value = rng.uniform(low, high)
    values = []
    for _ in range(days + 2):
        values.append(value)
        value = min(high, max(low, value + rng.gauss(0, (high - low) / 4)))
    return values


def _interpolate(daily: list[float], index: int) -> float:
    position = index / STEPS_PER_DAY
    whole = int(position)
    frac = position - whole
    return daily[whole] * (1 - frac) + daily[whole + 1] * frac


def make_weather(clock: Clock) -> Weather:
    rng = random.Random("hamm-demo-weather")
    days = len(clock.times) // STEPS_PER_DAY + 1
    mean = _daily_values(rng, days, 4.0, 9.0)
    amplitude = _daily_values(rng, days, 1.5, 3.5)  # cloudy days swing less
    stagnation = _daily_values(rng, days, 0.75, 1.35)
    air, stag = [], []
    for i, hour in enumerate(clock.hours):
        # Coldest shortly before sunrise, warmest around 14:30.
        cycle = math.cos(2 * math.pi * (hour - 14.5) / 24)
        air.append(_interpolate(mean, i) + _interpolate(amplitude, i) * cycle)
        # Inversions are strongest at night and in the early morning.
        night = 0.15 * math.cos(2 * math.pi * (hour - 4) / 24)
        stag.append(_interpolate(stagnation, i) + night)
    return Weather(air=air, stagnation=stag)


def rush(hour: float, weekend: bool) -> float:
    """Road traffic as a share of the weekday peak: 7-9 and 16-19 local time."""
    morning = math.exp(-(((hour - 8.0) / 1.1) ** 2)) * (0.35 if weekend else 1.0)
    evening = math.exp(-(((hour - 17.5) / 1.6) ** 2)) * (0.6 if weekend else 1.0)
    daytime = 0.3 if 6 <= hour < 22 else 0.0
    return min(1.0, 0.12 + daytime + 0.7 * max(morning, evening))


def _air_series(place: Place, clock: Clock, weather: Weather) -> dict[str, list[float]]:
    rng = random.Random(f"hamm-demo-air-{place.key}")
    no2, pm10, pm25, temp = [], [], [], []
    episode = 0.0  # a decaying extra load: a traffic jam, a parked diesel, a fire
    for i, hour in enumerate(clock.hours):
        traffic = rush(hour, clock.weekend[i])
        stagnation = weather.stagnation[i]
        if rng.random() < 0.002:
            episode += rng.uniform(15, 35)
        episode *= 0.8
        value = (6 + place.traffic * (10 + 22 * traffic)) * stagnation + rng.gauss(0, 1.5)
        no2.append(round(max(2.0, value + episode), 1))
        heating = math.exp(-(((hour - 20.0) / 2.5) ** 2))  # stoves in the evening
        dust = (8 + 4 * place.traffic * (0.6 + 0.4 * traffic) + 4 * heating) * stagnation
        dust = max(3.0, dust + rng.gauss(0, 1.2) + episode / 4)
        pm10.append(round(dust, 1))
        pm25.append(round(dust * 0.6 * rng.uniform(0.92, 1.08), 1))
        island = 0.6 * (place.traffic - 0.8)  # built-up places stay warmer
        temp.append(round(weather.air[i] + island + rng.gauss(0, 0.2), 1))
    return {"no2": no2, "pm10": pm10, "pm25": pm25, "air_temperature": temp}


def _smoothed(values: list[float], steps: float) -> list[float]:
    """Exponential smoothing with a time constant of ``steps`` samples."""
    alpha = 1 / steps
    level = sum(values[:STEPS_PER_DAY]) / len(values[:STEPS_PER_DAY])
    out = []
    for value in values:
        level += alpha * (value - level)
        out.append(level)
    return out


def _water_series(place: Place, clock: Clock, weather: Weather) -> list[float]:
    rng = random.Random(f"hamm-demo-water-{place.key}")
    base = rng.uniform(7.6, 8.4) + (0.6 if "Kanal" in place.name else 0.0)
    slow = _smoothed(weather.air, 4 * STEPS_PER_DAY)
    series = []
    for i, hour in enumerate(clock.hours):
        daily = 0.12 * math.cos(2 * math.pi * (hour - 16) / 24)
        value = base + 0.35 * (slow[i] - 6.5) + daily + rng.gauss(0, 0.03)
        series.append(round(min(10.5, max(5.5, value)), 1))
    return series


def _soil_series(place: Place, clock: Clock, weather: Weather) -> list[float]:
    rng = random.Random(f"hamm-demo-soil-{place.key}")
    lagged = _smoothed(weather.air, 60)  # ten hours: damped and late against the air
    offset = rng.uniform(0.8, 1.6)  # the ground still holds some autumn warmth
    return [round(value + offset + rng.gauss(0, 0.05), 1) for value in lagged]


def place_series(place: Place, clock: Clock, weather: Weather) -> dict[str, list[float]]:
    """Every series measured at ``place``, keyed like ``catalog.StreamSpec.key``."""
    series: dict[str, list[float]] = {}
    if AIR in place.kinds:
        series.update(_air_series(place, clock, weather))
    if WATER in place.kinds:
        series["water_temperature"] = _water_series(place, clock, weather)
    if SOIL in place.kinds:
        series["soil_temperature"] = _soil_series(place, clock, weather)
    return series
