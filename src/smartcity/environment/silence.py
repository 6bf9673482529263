"""Alerts of the kind "keine Daten seit N Stunden": a Datastream that sent nothing for a
rule's hours opens an episode (one notification per silence, not one per evaluation), and
its next value closes it (the all-clear, if the rule wants one).

A Datastream's last time is the end of its phenomenonTime, which the writers keep on the
Datastream row: an evaluation reads the rule's Datastreams, never their observations. A
Datastream that never sent anything is silent since the rule was created. A rule "je
Station" judges each station by the newest of its Datastreams: one episode (on that
Datastream) when none of them sends any more. The episode's
values are hours: ``opened_value`` the silence when it was noticed, ``peak_value`` the
longest silence seen, ``closed_value`` the whole gap.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from smartcity.environment import alerts
from smartcity.environment.models import AlertEpisode, AlertNotification, AlertRule
from smartcity.sensors import services as sensors

HOUR = timedelta(hours=1)


def hours(span: timedelta) -> float:
    return round(span / HOUR, 2)


def evaluate(rule_id: int, now: datetime | None = None) -> alerts.Outcome:
    """Open an episode for each of the rule's Datastreams silent for its hours, close the
    episodes of those that sent again; the notifications are queued on commit."""
    from smartcity.environment import tasks

    now = now or timezone.now()
    outcome = alerts.Outcome()
    with transaction.atomic():
        rule = (
            AlertRule.objects.select_for_update()
            .filter(pk=rule_id, enabled=True, kind=AlertRule.SILENCE)
            .first()
        )
        if rule is None or not rule.silence_hours:
            return outcome
        limit = timedelta(hours=rule.silence_hours)
        streams = alerts.matching_streams(rule)
        last = sensors.last_times(list(streams))
        per_station = rule.per_station

        def key(stream_id: int) -> int:  # what one episode is about: a station or a stream
            return streams[stream_id].thing if per_station else stream_id

        open_episodes = {
            key(e.datastream_id): e
            for e in rule.episodes.filter(closed_at__isnull=True)
            if e.datastream_id in streams
        }
        for unit, (when, stream_id) in sorted(newest_per(last, key).items()):
            episode = open_episodes.get(unit)
            if episode is None:
                since = when or rule.created_at
                if now - since >= limit:
                    _open(rule, stream_id, since, now, outcome)
            elif when is not None and when > episode.opened_at:
                _close(rule, episode, when, outcome)
            elif hours(now - episode.opened_at) > episode.peak_value:
                episode.peak_value = hours(now - episode.opened_at)
                episode.save(update_fields=["peak_value"])
        outcome.observations = len(last)  # Datastreams looked at
        created = list(outcome.notifications)
        transaction.on_commit(lambda: [tasks.deliver_notification(pk) for pk in created])
    return outcome


def newest_per(
    last: dict[int, datetime | None], key: Callable[[int], int]
) -> dict[int, tuple[datetime | None, int]]:
    """For each station (or stream), the newest last time among its streams and that
    stream (the lowest id among equals; a stream that never sent counts as oldest)."""
    newest: dict[int, tuple[datetime | None, int]] = {}
    for stream_id in sorted(last):
        when, unit = last[stream_id], key(stream_id)
        known = newest.get(unit)
        if known is None or (when is not None and (known[0] is None or when > known[0])):
            newest[unit] = (when, stream_id)
    return newest


def _open(
    rule: AlertRule, stream_id: int, since: datetime, now: datetime, outcome: alerts.Outcome
) -> None:
    silent = hours(now - since)
    episode = AlertEpisode.objects.create(
        rule=rule, datastream_id=stream_id, opened_at=since, opened_value=silent, peak_value=silent
    )
    outcome.opened += 1
    alerts.record_notifications(rule, episode, AlertNotification.OPENED, outcome)


def _close(rule: AlertRule, episode: AlertEpisode, when: datetime, outcome: alerts.Outcome) -> None:
    episode.closed_at, episode.closed_value = when, hours(when - episode.opened_at)
    episode.peak_value = max(episode.peak_value, episode.closed_value)
    episode.save(update_fields=["closed_at", "closed_value", "peak_value"])
    outcome.closed += 1
    if rule.notify_all_clear:
        alerts.record_notifications(rule, episode, AlertNotification.CLOSED, outcome)
