"""Alert evaluation: what arrived since a rule last looked, turned into episodes and the
notifications to send.

Nothing here runs on the write path: the periodic task reads the observations whose id is
above the rule's watermark (a primary-key range), in id order, and moves the watermark
in the same transaction that opens and closes episodes and writes the notifications. So
a restart repeats nothing and loses nothing, and a rule is never evaluated twice at once
(the rule's row is locked on PostgreSQL; SQLite has one writer).

Ids are handed out before their transactions commit (a PostgreSQL sequence, bulk
ingest's reserved ranges), so a lower id can become visible after a higher one. An
evaluation therefore reads only up to the newest id the previous evaluation saw (the
rule's ``horizon``): a write then has one evaluation interval (a minute) to commit before
the watermark passes its ids, at the price of alerts one interval later.

An episode per (rule, Datastream) opens on the first value beyond the threshold and stays
open while values stay beyond it; it closes on the first value back on the good side by
at least the rule's hysteresis (a dead band, so a value that hovers at the threshold does
not notify again and again). A rule judges single values, or (window "hour") the mean
of each Datastream's values over the 60 minutes up to each new value.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate
from typing import Any

from django.db import transaction
from shapely.geometry.base import BaseGeometry

from smartcity.core import geo
from smartcity.core.timeutil import shifted
from smartcity.environment.models import AlertEpisode, AlertNotification, AlertRule
from smartcity.sensors import services as sensors

log = logging.getLogger("smartcity.alerts")
HOUR = timedelta(hours=1)
BATCH = 10_000  # observations one rule reads per transaction
MAX_BATCHES = 20  # per rule and minute; a larger backlog waits for the next minute


def area_shape(area: Any) -> BaseGeometry:
    """A rule's area: [west, south, east, north] in degrees or a GeoJSON (Multi)Polygon;
    GeometryError otherwise."""
    if isinstance(area, list):
        numbers = len(area) == 4 and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in area
        )
        if not numbers or not (area[0] < area[2] and area[1] < area[3]):
            raise geo.GeometryError("a bounding box is [west, south, east, north] in degrees")
        west, south, east, north = area
        return geo.to_shape(
            {
                "type": "Polygon",
                "coordinates": [
                    [[west, south], [east, south], [east, north], [west, north], [west, south]]
                ],
            }
        )
    shape = geo.to_shape(area)
    if shape.geom_type not in {"Polygon", "MultiPolygon"}:
        raise geo.GeometryError("the area must be a Polygon or MultiPolygon")
    return shape


def matching_streams(rule: AlertRule) -> dict[int, sensors.StreamInfo]:
    thing_ids = list(rule.things.values_list("pk", flat=True)) or None
    streams = sensors.stream_catalogue(observed_property=rule.observed_property_id,
                                       things=thing_ids)
    if rule.area is None:
        return {s.datastream: s for s in streams}
    area = area_shape(rule.area)
    return {
        s.datastream: s for s in streams if any(_inside(place, area) for place in s.locations)
    }


def _inside(place: Any, area: BaseGeometry) -> bool:
    try:
        return bool(geo.to_shape(place).intersects(area))
    except geo.GeometryError:
        return False


def beyond(rule: AlertRule, value: float) -> bool:
    threshold = float(rule.threshold or 0)  # never None for a threshold rule (a constraint)
    return value > threshold if rule.comparison == AlertRule.ABOVE else value < threshold


def back(rule: AlertRule, value: float) -> bool:
    threshold = float(rule.threshold or 0)
    if rule.comparison == AlertRule.ABOVE:
        return value <= threshold - rule.hysteresis
    return value >= threshold + rule.hysteresis


@dataclass
class Outcome:
    observations: int = 0
    opened: int = 0
    closed: int = 0
    notifications: list[int] = field(default_factory=list)
    peaked: dict[int, AlertEpisode] = field(default_factory=dict)  # peaks to save


def evaluate(rule_id: int) -> Outcome:
    """Read what arrived for one rule and record the episodes and notifications; the
    notifications' delivery is queued once the transaction commits."""
    from smartcity.environment import tasks

    outcome = Outcome()
    with transaction.atomic():
        rule = (
            AlertRule.objects.select_for_update()
            .filter(pk=rule_id, enabled=True, kind=AlertRule.THRESHOLD)
            .first()
        )
        if rule is None:
            return outcome
        streams = matching_streams(rule)
        newest = sensors.newest_observation_id()
        upper = max(rule.horizon, rule.watermark)
        rows = sensors.numeric_observations_after(list(streams), rule.watermark, upper, BATCH)
        open_episodes = {e.datastream_id: e for e in rule.episodes.filter(closed_at__isnull=True)}
        judged = trailing_means(rows) if rule.window == AlertRule.HOUR_MEAN else rows
        for _obs, stream_id, when, value in judged:
            _step(rule, stream_id, when, value, open_episodes, outcome)
        for episode in outcome.peaked.values():
            episode.save(update_fields=["peak_value"])
        rule.watermark = rows[-1][0] if len(rows) == BATCH else upper
        rule.horizon = max(newest, upper)
        AlertRule.objects.filter(pk=rule.pk).update(watermark=rule.watermark, horizon=rule.horizon)
        outcome.observations = len(rows)
        created = list(outcome.notifications)
        transaction.on_commit(lambda: [tasks.deliver_notification(pk) for pk in created])
    return outcome


def trailing_means(
    rows: list[tuple[int, int, datetime, float]],
) -> list[tuple[int, int, datetime, float]]:
    """Each observation's value replaced by the mean of its stream's stored values of the
    60 minutes up to its time (one indexed read per stream, then sums over a sorted list)."""
    spans: dict[int, tuple[datetime, datetime]] = {}
    for _obs, stream_id, when, _value in rows:
        first, last = spans.get(stream_id, (when, when))
        spans[stream_id] = (min(first, when), max(last, when))
    series = {
        stream_id: sensors.numeric_values_between(stream_id, shifted(first, -HOUR), last)
        for stream_id, (first, last) in spans.items()
    }
    sums = {
        stream_id: [0.0, *accumulate(v for _t, v in values)] for stream_id, values in series.items()
    }
    times = {stream_id: [t for t, _v in values] for stream_id, values in series.items()}
    means = []
    for obs, stream_id, when, value in rows:
        low = bisect_right(times[stream_id], shifted(when, -HOUR))
        high = bisect_right(times[stream_id], when)
        total = sums[stream_id]
        mean = (total[high] - total[low]) / (high - low) if high > low else value
        means.append((obs, stream_id, when, mean))
    return means


def _step(
    rule: AlertRule,
    stream_id: int,
    when: datetime,
    value: float,
    open_episodes: dict[int, AlertEpisode],
    outcome: Outcome,
) -> None:
    episode = open_episodes.get(stream_id)
    if episode is None:
        if beyond(rule, value):
            episode = AlertEpisode.objects.create(
                rule=rule,
                datastream_id=stream_id,
                opened_at=when,
                opened_value=value,
                peak_value=value,
            )
            open_episodes[stream_id] = episode
            outcome.opened += 1
            record_notifications(rule, episode, AlertNotification.OPENED, outcome)
        return
    if back(rule, value):
        episode.closed_at, episode.closed_value = when, value
        episode.save(update_fields=["closed_at", "closed_value", "peak_value"])
        outcome.peaked.pop(episode.pk, None)
        del open_episodes[stream_id]
        outcome.closed += 1
        if rule.notify_all_clear:
            record_notifications(rule, episode, AlertNotification.CLOSED, outcome)
        return
    worse = (
        value > episode.peak_value
        if rule.comparison == AlertRule.ABOVE
        else (value < episode.peak_value)
    )
    if worse:
        episode.peak_value = value
        outcome.peaked[episode.pk] = episode


def record_notifications(
    rule: AlertRule, episode: AlertEpisode, event: str, outcome: Outcome
) -> None:
    """One notification per channel of the rule, delivered once the transaction commits."""
    targets = []
    if rule.addresses():
        targets.append((AlertNotification.EMAIL, ", ".join(rule.addresses())))
    if rule.webhook_url:
        targets.append((AlertNotification.WEBHOOK, rule.webhook_url))
    for channel, target in targets:
        notification = AlertNotification.objects.create(
            rule=rule, episode=episode, event=event, channel=channel, target=target
        )
        outcome.notifications.append(notification.pk)


def evaluate_all() -> list[Outcome]:
    """Every enabled rule; one that fails (say, an area edited into the database by hand)
    is logged and leaves the others and its own watermark alone."""
    from smartcity.environment import silence

    outcomes = []
    rules = AlertRule.objects.filter(enabled=True).order_by("pk").values_list("pk", "kind")
    for pk, kind in rules:
        try:
            if kind == AlertRule.SILENCE:
                outcomes.append(silence.evaluate(pk))
                continue
            for _batch in range(MAX_BATCHES):  # catch up after a bulk import
                outcomes.append(evaluate(pk))
                if outcomes[-1].observations < BATCH:
                    break
        except Exception:
            log.exception("alert rule %s could not be evaluated", pk)
    return outcomes
