"""Alerts of the kind "keine Daten seit N Stunden": one episode and one notification per
silence, an all-clear when data arrives again; evaluated at times the test chooses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from smartcity.core.timeutil import format_instant
from smartcity.environment import alerts, notify, silence
from smartcity.environment.models import AlertEpisode, AlertNotification, AlertRule
from smartcity.environment.tasks import evaluate_alerts
from smartcity.sensors import services
from smartcity.sensors.entities import entity
from tests.sensors.factories import (
    add_observations,
    datastream_payload,
    make_thing_with_datastream,
)

pytestmark = pytest.mark.django_db
HOUR = timedelta(hours=1)


def _rule(hours=3, **extra):
    fields = {
        "name": "Station stumm",
        "kind": AlertRule.SILENCE,
        "silence_hours": hours,
        "webhook_url": "http://127.0.0.1:9/hook",
        "email_recipients": "umwelt@hamm.de",
    }
    return AlertRule.objects.create(**{**fields, **extra})


def _value_at(stream, when, value=12.5):
    add_observations(stream, [(format_instant(when), value)])


def _events(rule):
    return list(
        AlertNotification.objects.filter(rule=rule, channel=AlertNotification.WEBHOOK)
        .order_by("pk")
        .values_list("event", flat=True)
    )


def test_one_alert_per_silence_and_an_all_clear_when_data_arrives():
    _thing, stream = make_thing_with_datastream("Hauptbahnhof")
    start = timezone.now().replace(microsecond=0) - HOUR
    _value_at(stream, start)
    rule = _rule(hours=3)
    assert silence.evaluate(rule.pk, now=start + 2 * HOUR).opened == 0
    opened = silence.evaluate(rule.pk, now=start + 3 * HOUR + timedelta(minutes=1))
    assert opened.opened == 1 and len(opened.notifications) == 2  # e-mail and webhook
    for later in (4, 5, 9):  # every minute's evaluation: still the same silence
        outcome = silence.evaluate(rule.pk, now=start + later * HOUR)
        assert (outcome.opened, outcome.notifications) == (0, [])
    episode = AlertEpisode.objects.get(rule=rule)
    assert episode.opened_at == start and episode.closed_at is None
    assert episode.opened_value == pytest.approx(3.02, abs=0.01)
    assert episode.peak_value == 9  # the longest silence seen so far, in hours

    _value_at(stream, start + 10 * HOUR)
    closed = silence.evaluate(rule.pk, now=start + 10 * HOUR + timedelta(minutes=1))
    assert closed.closed == 1 and len(closed.notifications) == 2
    episode.refresh_from_db()
    assert episode.closed_at == start + 10 * HOUR and episode.closed_value == 10
    assert silence.evaluate(rule.pk, now=start + 11 * HOUR).notifications == []
    assert _events(rule) == ["opened", "closed"]

    silence.evaluate(rule.pk, now=start + 14 * HOUR)  # silent again: a new episode
    assert _events(rule) == ["opened", "closed", "opened"]
    assert AlertEpisode.objects.filter(rule=rule, closed_at__isnull=True).count() == 1


def test_a_stream_that_never_sent_is_silent_since_the_rule_was_made():
    make_thing_with_datastream("Neu")
    rule = _rule(hours=3, notify_all_clear=False)
    assert silence.evaluate(rule.pk, now=rule.created_at + 2 * HOUR).opened == 0
    assert silence.evaluate(rule.pk, now=rule.created_at + 3 * HOUR).opened == 1
    assert AlertEpisode.objects.get(rule=rule).opened_at == rule.created_at


def test_the_periodic_task_evaluates_silence_rules_once_per_silence():
    _thing, stream = make_thing_with_datastream("Alt")
    _value_at(stream, timezone.now() - 30 * HOUR)
    rule = _rule(hours=24)
    assert evaluate_alerts.call_local() == 2
    assert evaluate_alerts.call_local() == 0
    assert _events(rule) == ["opened"]
    # the threshold evaluation leaves a silence rule alone
    assert alerts.evaluate(rule.pk).observations == 0


def test_the_stations_of_a_rule_choose_the_streams():
    quiet, quiet_stream = make_thing_with_datastream("Still")
    _busy, busy_stream = make_thing_with_datastream("Laut")
    now = timezone.now()
    _value_at(quiet_stream, now - 5 * HOUR)
    _value_at(busy_stream, now - 5 * HOUR)
    rule = _rule(hours=2)
    rule.things.set([quiet])
    assert silence.evaluate(rule.pk, now=now).opened == 1
    assert AlertEpisode.objects.get(rule=rule).datastream_id == quiet_stream.pk


def test_per_station_one_alert_when_none_of_its_streams_sends():
    thing, first = make_thing_with_datastream("Funkmast")
    second = services.create(
        entity("Datastream"), {**datastream_payload("Batterie"), "Thing": {"@iot.id": thing.pk}}
    )
    start = timezone.now().replace(microsecond=0) - HOUR
    _value_at(first, start)
    _value_at(second, start + HOUR)
    rule = _rule(hours=3, per_station=True, notify_all_clear=True)
    # the first stream is silent for 3 hours, but the station still sent an hour later
    assert silence.evaluate(rule.pk, now=start + 3 * HOUR + timedelta(minutes=30)).opened == 0
    opened = silence.evaluate(rule.pk, now=start + 4 * HOUR)
    assert opened.opened == 1
    episode = AlertEpisode.objects.get(rule=rule)
    assert (episode.datastream_id, episode.opened_at) == (second.pk, start + HOUR)
    assert silence.evaluate(rule.pk, now=start + 6 * HOUR).opened == 0
    _value_at(first, start + 7 * HOUR)  # any of the station's streams ends the silence
    assert silence.evaluate(rule.pk, now=start + 7 * HOUR).closed == 1
    assert _events(rule) == ["opened", "closed"]
    message = notify.compose(AlertNotification.objects.filter(rule=rule).first())
    assert message.subject.endswith("): Funkmast") and message.payload["perStation"] is True


def test_the_messages_say_how_long_it_was_silent(settings):
    settings.LANGUAGE_CODE = "de"
    _thing, stream = make_thing_with_datastream("Hauptbahnhof")
    start = timezone.now().replace(microsecond=0) - HOUR
    _value_at(stream, start)
    rule = _rule(hours=3)
    silence.evaluate(rule.pk, now=start + 4 * HOUR)
    _value_at(stream, start + 6 * HOUR)
    silence.evaluate(rule.pk, now=start + 6 * HOUR)
    opened, closed = (
        notify.compose(n)
        for n in AlertNotification.objects.filter(rule=rule, channel="webhook").order_by("pk")
    )
    assert (
        opened.subject
        == "Keine Daten seit 3 Stunden (Station stumm): Hauptbahnhof, PM10 Hauptbahnhof"
    )
    assert "(4 Stunden)" in opened.body
    assert opened.payload["rule"]["kind"] == "silence" and opened.payload["silenceHours"] == 3
    assert opened.payload["unit"] == "h" and opened.payload["value"] == 4
    assert closed.subject.startswith("Wieder Daten (Station stumm)")
    assert "nach 6 Stunden ohne Daten" in closed.body


def test_a_rule_must_say_what_its_kind_needs():
    with pytest.raises(IntegrityError), transaction.atomic():
        AlertRule.objects.create(name="x", kind=AlertRule.SILENCE, webhook_url="http://x")
    with pytest.raises(IntegrityError), transaction.atomic():
        AlertRule.objects.create(name="x", kind=AlertRule.THRESHOLD, webhook_url="http://x")
