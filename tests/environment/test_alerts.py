"""Alerts: episodes from the observations past a rule's watermark, and their notifications
delivered to a real SMTP server (aiosmtpd) and a real HTTP server by the real consumer."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
from datetime import timedelta
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from smartcity.environment import alerts, notify
from smartcity.environment import tasks as env_tasks
from smartcity.environment.admin import AlertRuleForm
from smartcity.environment.models import AlertEpisode, AlertNotification, AlertRule
from smartcity.environment.tasks import deliver, evaluate_alerts
from smartcity.sensors import services
from smartcity.sensors.entities import entity
from smartcity.sensors.models import Observation
from tests.sensors.factories import (
    add_observations,
    datastream_payload,
    make_thing_with_datastream,
    thing_payload,
)

HBF_BOX = [7.78, 51.66, 7.83, 51.69]


@pytest.fixture
def world():
    """Two stations measuring the same property: one at the Hauptbahnhof, one far away."""
    thing, near = make_thing_with_datastream("Hauptbahnhof")
    far_thing = services.create(entity("Thing"), thing_payload("Weit weg", lon=7.0, lat=51.0))
    far = services.create(
        entity("Datastream"),
        {
            **datastream_payload("PM10 weit weg"),
            "ObservedProperty": {"@iot.id": near.observed_property_id},
            "Thing": {"@iot.id": far_thing.pk},
        },
    )
    return {"thing": thing, "near": near, "far": far, "far_thing": far_thing}


def _rule(world, **extra):
    fields = {
        "name": "PM10 hoch",
        "observed_property_id": world["near"].observed_property_id,
        "threshold": 50,
        "webhook_url": "http://127.0.0.1:9/hook",
    }
    return AlertRule.objects.create(**{**fields, **extra})


def _values(stream, values, start_hour=0):
    add_observations(
        stream, [(f"2026-11-01T{start_hour + i:02d}:00:00Z", v) for i, v in enumerate(values)]
    )


def _evaluate(rule):
    """What a rule finds in two evaluations: the first moves its horizon past the new
    observations, the second reads up to there."""
    assert alerts.evaluate(rule.pk).observations == 0
    return alerts.evaluate(rule.pk)


@pytest.mark.django_db
def test_one_notification_per_episode_with_hysteresis(world):
    rule = _rule(world, hysteresis=5)
    _values(world["near"], [40, 55, 60, 48, 52, 44, 56])
    outcome = _evaluate(rule)
    assert (outcome.observations, outcome.opened, outcome.closed) == (7, 2, 1)
    first, second = AlertEpisode.objects.filter(rule=rule).order_by("id")
    assert (first.opened_value, first.peak_value, first.closed_value) == (55, 60, 44)
    assert second.closed_at is None and second.opened_value == 56
    events = list(AlertNotification.objects.order_by("id").values_list("event", flat=True))
    assert events == ["opened", "closed", "opened"]


@pytest.mark.django_db
def test_a_second_evaluation_notifies_nothing_again(world):
    rule = _rule(world)
    _values(world["near"], [70])
    assert len(_evaluate(rule).notifications) == 1
    assert alerts.evaluate(rule.pk).notifications == []
    _values(world["near"], [80, 90], start_hour=1)  # still the same episode
    assert _evaluate(rule).notifications == []
    rule.refresh_from_db()
    assert rule.watermark == services.newest_observation_id()


@pytest.mark.django_db
def test_an_id_that_commits_late_is_still_read(world):
    _values(world["near"], [1])
    feature = Observation.objects.get().feature_of_interest_id
    rule = _rule(world)
    first = rule.watermark
    Observation.objects.create(  # a later id that commits first
        id=first + 10,
        datastream=world["near"],
        phenomenon_time_start="2026-11-01T10:00Z",
        result=20,
        result_number=20,
        feature_of_interest_id=feature,
    )
    assert alerts.evaluate(rule.pk).observations == 0  # the horizon moves to first + 10
    Observation.objects.create(  # the earlier id, committed late
        id=first + 5,
        datastream=world["near"],
        phenomenon_time_start="2026-11-01T09:00Z",
        result=70,
        result_number=70,
        feature_of_interest_id=feature,
    )
    outcome = alerts.evaluate(rule.pk)
    assert (outcome.observations, outcome.opened, outcome.closed) == (2, 1, 1)


@pytest.mark.django_db
def test_a_backlog_is_read_in_batches(world, monkeypatch):
    monkeypatch.setattr(alerts, "BATCH", 2)
    rule = _rule(world)
    _values(world["near"], [10, 20, 70, 80, 20])
    alerts.evaluate_all()  # moves the horizon
    assert [o.observations for o in alerts.evaluate_all()] == [2, 2, 1]
    assert AlertEpisode.objects.get().closed_value == 20
    rule.refresh_from_db()
    assert rule.watermark == rule.horizon


@pytest.mark.django_db
def test_a_new_rule_judges_only_what_arrives_after_it(world):
    _values(world["near"], [99])
    rule = _rule(world)
    assert _evaluate(rule).observations == 0


@pytest.mark.django_db
def test_the_hourly_window_judges_the_mean_of_the_last_60_minutes(world):
    rule = _rule(world, window="hour")
    add_observations(
        world["near"],
        [
            ("2026-11-01T10:00:00Z", 40),
            ("2026-11-01T10:20:00Z", 70),  # mean 55: opens
            ("2026-11-01T10:40:00Z", 30),  # mean 46.7: closes
            ("2026-11-01T11:30:00Z", 90),  # 10:40 and 11:30: mean 60, opens again
        ],
    )
    outcome = _evaluate(rule)
    assert (outcome.opened, outcome.closed) == (2, 1)
    first, second = AlertEpisode.objects.order_by("id")
    assert (first.opened_value, round(first.closed_value, 1)) == (55, 46.7)
    assert second.opened_value == 60
    message = notify.compose(AlertNotification.objects.filter(event="opened").first())
    assert "Mittel der letzten 60 Minuten" in message.body
    assert message.payload["window"] == "hour"


@pytest.mark.django_db
def test_below_and_no_all_clear(world):
    rule = _rule(world, comparison="below", threshold=5, hysteresis=1, notify_all_clear=False)
    _values(world["near"], [6, 4, 3, 5.5, 7])
    outcome = _evaluate(rule)
    assert (outcome.opened, outcome.closed) == (1, 1)
    assert AlertEpisode.objects.get().peak_value == 3
    assert AlertNotification.objects.count() == 1


@pytest.mark.parametrize(
    ("area", "things", "expected"),
    [
        (None, False, {"near", "far"}),
        (HBF_BOX, False, {"near"}),
        (
            {
                "type": "Polygon",
                "coordinates": [[[6.9, 50.9], [7.1, 50.9], [7.1, 51.1], [6.9, 50.9]]],
            },
            False,
            {"far"},
        ),
        (None, True, {"far"}),
    ],
)
@pytest.mark.django_db
def test_the_area_and_things_choose_the_streams(world, area, things, expected):
    rule = _rule(world, area=area)
    if things:
        rule.things.add(world["far_thing"])
    chosen = set(alerts.matching_streams(rule))
    assert chosen == {world[name].pk for name in expected}


@pytest.mark.django_db
def test_without_an_smtp_server_the_attempt_fails_for_good(world, settings):
    settings.EMAIL_HOST = ""
    rule = _rule(world, webhook_url="", email_recipients="umwelt@hamm.de")
    _values(world["near"], [70])
    (pk,) = _evaluate(rule).notifications
    assert deliver(pk, last_attempt=False) == "failed"
    notification = AlertNotification.objects.get(pk=pk)
    assert notification.status == "failed" and "SMARTCITY_EMAIL_HOST" in notification.error


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    # Django's test set-up swaps in the in-memory backend; these tests use real SMTP.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield inbox
    controller.stop()


@pytest.fixture
def webhook_server():
    received = []
    failures = {"left": 0}

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(500 if failures["left"] > 0 else 204)
            failures["left"] -= 1
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {
        "url": f"http://127.0.0.1:{server.server_port}/hook",
        "received": received,
        "failures": failures,
    }
    server.shutdown()
    server.server_close()


@pytest.mark.django_db(transaction=True)
def test_end_to_end_mail_and_signed_webhook(
    world, smtp_server, webhook_server, consumer, monkeypatch
):
    monkeypatch.setenv("SMARTCITY_PUBLIC_URL", "https://smartcity.hamm.de")
    rule = _rule(
        world,
        webhook_url=webhook_server["url"],
        email_recipients="umwelt@hamm.de\nleitstelle@hamm.de",
    )
    _values(world["near"], [72.5])
    # the periodic task, run here at once: twice, as _evaluate does
    assert evaluate_alerts.call_local() == 0
    assert evaluate_alerts.call_local() == 2
    deadline = time.monotonic() + 15
    while AlertNotification.objects.filter(status="sent").count() < 2:
        assert time.monotonic() < deadline, list(AlertNotification.objects.values())
        time.sleep(0.05)

    (envelope,) = smtp_server.messages
    assert sorted(envelope.rcpt_tos) == ["leitstelle@hamm.de", "umwelt@hamm.de"]
    mail = message_from_bytes(envelope.original_content, policy=policy.default)
    assert "Schwellenwert überschritten (PM10 hoch): Hauptbahnhof" in mail["Subject"]
    text = mail.get_content()
    assert "72,5 µg/m³" in text and "50 µg/m³" in text
    link = f"https://smartcity.hamm.de/sta/v1.1/Datastreams({world['near'].pk})"
    assert link in text and "1. November 2026" in text

    ((headers, body),) = webhook_server["received"]
    expected = hmac.new(rule.webhook_secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Smartcity-Signature"] == f"sha256={expected}"
    payload = json.loads(body)
    assert payload["event"] == "opened" and payload["value"] == 72.5
    assert payload["datastream"]["link"] == link and payload["unit"] == "µg/m³"


@pytest.mark.django_db
def test_a_failing_webhook_is_retried(world, webhook_server):
    webhook_server["failures"]["left"] = 1
    rule = _rule(world, webhook_url=webhook_server["url"])
    _values(world["near"], [70])
    (pk,) = _evaluate(rule).notifications
    with pytest.raises(notify.DeliveryError):
        deliver(pk, last_attempt=False)
    assert AlertNotification.objects.get(pk=pk).status == "pending"
    assert deliver(pk, last_attempt=False) == "sent"
    assert deliver(pk, last_attempt=False) == "done"  # a repeated task sends nothing twice
    notification = AlertNotification.objects.get(pk=pk)
    assert (notification.status, notification.attempts) == ("sent", 2)
    assert len(webhook_server["received"]) == 2


@pytest.mark.django_db
def test_all_clear_message(world, settings):
    rule = _rule(world)
    _values(world["near"], [70, 20])
    _evaluate(rule)
    closing = AlertNotification.objects.get(event="closed")
    message = notify.compose(closing)
    assert message.subject.startswith("Entwarnung (PM10 hoch): Hauptbahnhof")
    assert "20 µg/m³" in message.body and message.payload["event"] == "closed"


def _form(world, **data):
    fields = {
        "name": "PM10",
        "enabled": "on",
        "kind": "threshold",
        "observed_property": world["near"].observed_property_id,
        "comparison": "above",
        "threshold": "50",
        "window": "value",
        "hysteresis": "0",
        "webhook_secret": "s" * 64,
        "email_recipients": "umwelt@hamm.de",
        "notify_all_clear": "on",
    }
    return AlertRuleForm(data={**fields, **data})


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"webhook_url": "ftp://example.org/x"}, "webhook_url"),
        ({"webhook_url": "javascript:alert(1)"}, "webhook_url"),
        ({"email_recipients": "umwelt@hamm.de\nkeine adresse"}, "email_recipients"),
        ({"email_recipients": ""}, "__all__"),
        ({"area": "[8, 51, 7, 52]"}, "area"),
        ({"area": "[1, 2, 3]"}, "area"),
        ({"area": '{"type": "Point", "coordinates": [7, 51]}'}, "area"),
        ({"area": "{kaputt"}, "area"),
        ({"threshold": "viel"}, "threshold"),
        ({"hysteresis": "-1"}, "hysteresis"),
        ({"window": "week"}, "window"),
        ({"threshold": ""}, "threshold"),
        ({"observed_property": ""}, "observed_property"),
        ({"kind": "silence"}, "silence_hours"),
        ({"kind": "silence", "silence_hours": "0"}, "silence_hours"),
        ({"kind": "sometimes"}, "kind"),
    ],
)
@pytest.mark.django_db
def test_the_rule_form_refuses_bad_input(world, data, field):
    form = _form(world, **data)
    assert not form.is_valid()
    assert field in form.errors


@pytest.mark.django_db
def test_the_rule_form_accepts_a_good_rule(world):
    form = _form(world, area=json.dumps(HBF_BOX), webhook_url="https://example.org/hook")
    assert form.is_valid(), form.errors
    assert form.save().area == HBF_BOX


@pytest.mark.django_db
def test_the_admin_pages_answer(admin_client, world):
    rule = _rule(world)
    _values(world["near"], [70])
    _evaluate(rule)
    for page in (
        "alertrule/",
        "alertrule/add/",
        f"alertrule/{rule.pk}/change/",
        "alertepisode/",
        "alertnotification/",
    ):
        assert admin_client.get(f"/admin/environment/{page}").status_code == 200
    answer = admin_client.post("/admin/environment/alertrule/add/", {"name": "x", "area": "{"})
    assert answer.status_code == 200


@pytest.mark.django_db
def test_a_notification_whose_task_was_lost_is_queued_again(world, monkeypatch):
    queued = []
    monkeypatch.setattr(env_tasks, "deliver_notification", queued.append)
    rule = _rule(world)
    _values(world["near"], [70])
    (pk,) = _evaluate(rule).notifications
    assert env_tasks.requeue_lost_notifications.call_local() == 0  # too young to be lost
    AlertNotification.objects.filter(pk=pk).update(
        created_at=timezone.now() - timedelta(minutes=20)
    )
    assert env_tasks.requeue_lost_notifications.call_local() == 1
    assert queued == [pk]


@pytest.mark.django_db
def test_a_broken_rule_does_not_stop_the_others(world, caplog):
    broken = _rule(world)
    AlertRule.objects.filter(pk=broken.pk).update(area={"type": "Nonsense"})
    good = _rule(world, name="PM10 gut")
    _values(world["near"], [70])
    evaluate_alerts.call_local()
    assert evaluate_alerts.call_local() == 1
    assert AlertEpisode.objects.get().rule_id == good.pk
    assert "could not be evaluated" in caplog.text


@pytest.mark.django_db
def test_an_unreachable_smtp_server_is_retried(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()
    settings.EMAIL_USE_TLS = False
    rule = _rule(world, webhook_url="", email_recipients="umwelt@hamm.de")
    _values(world["near"], [70])
    (pk,) = _evaluate(rule).notifications
    with pytest.raises(notify.DeliveryError):
        deliver(pk, last_attempt=False)
    assert AlertNotification.objects.get(pk=pk).status == "pending"
    assert deliver(pk, last_attempt=True) == "failed"
    notification = AlertNotification.objects.get(pk=pk)
    assert (notification.status, notification.attempts) == ("failed", 2)
    assert "SMTP" in notification.error


@pytest.mark.django_db
def test_messages_follow_the_platform_language(world, settings):
    settings.LANGUAGE_CODE = "en"
    rule = _rule(world)
    _values(world["near"], [70.25])
    _evaluate(rule)
    message = notify.compose(AlertNotification.objects.get())
    assert message.subject.startswith("Threshold exceeded (PM10 hoch): Hauptbahnhof")
    assert "70.25 µg/m³" in message.body and "above the threshold of 50 µg/m³" in message.body
