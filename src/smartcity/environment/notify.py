"""Alert messages and their delivery: an e-mail through Django's mail API (SMTP), or a
JSON POST to a webhook signed with HMAC-SHA256 over the body with the rule's secret
(header ``X-Smartcity-Signature: sha256=<hex>``). The text is German first (gettext, in
the platform's language)."""

from __future__ import annotations

import hashlib
import hmac
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import orjson
from django.conf import settings
from django.core.mail import send_mail
from django.utils import formats, translation
from django.utils.translation import gettext as _

from smartcity.core import config
from smartcity.core.timeutil import format_instant, local_time
from smartcity.environment.models import AlertEpisode, AlertNotification, AlertRule
from smartcity.sensors import services as sensors

SIGNATURE_HEADER = "X-Smartcity-Signature"


class DeliveryError(Exception):
    """The message could not be delivered; ``final`` when trying again cannot help."""

    def __init__(self, message: str, *, final: bool = False) -> None:
        super().__init__(message)
        self.final = final


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    payload: dict[str, Any]


def _number(value: float) -> str:
    shown: float | int = int(value) if float(value).is_integer() else round(value, 3)
    return formats.number_format(shown, use_l10n=True)


def sensor_link(datastream_id: int) -> str:
    root = config.get("PUBLIC_URL").rstrip("/")
    return f"{root}/sta/v1.1/Datastreams({datastream_id})"


def compose(notification: AlertNotification) -> Message:
    episode: AlertEpisode = notification.episode
    rule: AlertRule = notification.rule
    place = _stream(rule, episode.datastream_id)
    closing = notification.event == AlertNotification.CLOSED
    when = episode.closed_at if closing and episode.closed_at else episode.opened_at
    value = (
        episode.closed_value
        if closing and episode.closed_value is not None
        else (episode.opened_value)
    )
    unit = place.unit_symbol or ""
    link = sensor_link(episode.datastream_id)
    with translation.override(settings.LANGUAGE_CODE):
        facts = {
            "rule": rule.name,
            "sensor": place.thing_name
            if rule.kind == AlertRule.SILENCE and rule.per_station
            else f"{place.thing_name}, {place.name}",
            "value": f"{_number(value)} {unit}".strip(),
            "threshold": f"{_number(rule.threshold or 0)} {unit}".strip(),
            "time": formats.date_format(local_time(when), "DATETIME_FORMAT"),
            "hours": _number(value),
            "limit": rule.silence_hours or 0,
        }
        if rule.kind == AlertRule.SILENCE:
            subject, lead = _silence_texts(closing, facts)
        else:
            subject, lead = _threshold_texts(rule, closing, facts)
        hourly = rule.kind == AlertRule.THRESHOLD and rule.window == AlertRule.HOUR_MEAN
        body = "\n\n".join(
            [
                _("Sensor: %(sensor)s") % facts,
                lead % facts
                + (" " + _("Geprüft wird das Mittel der letzten 60 Minuten.") if hourly else ""),
                _("Messreihe: %(link)s") % {"link": link},
                _("Diese Nachricht sendet die Alarmregel „%(rule)s“ der Smart-City-Plattform.")
                % facts,
            ]
        )
    payload = _payload(notification, place, value, when, link)
    payload["message"] = f"{subject}\n\n{body}"
    return Message(subject, body, payload)


def _threshold_texts(rule: AlertRule, closing: bool, facts: dict[str, Any]) -> tuple[str, str]:
    """The subject and the lead (still to be filled with ``facts``) of a threshold alert."""
    if closing:
        subject = _("Entwarnung (%(rule)s): %(sensor)s") % facts
        lead = _(
            "Der Wert ist wieder im Rahmen: %(value)s am %(time)s (Schwellenwert "
            "%(threshold)s)."
        )
    elif rule.comparison == AlertRule.ABOVE:
        subject = _("Schwellenwert überschritten (%(rule)s): %(sensor)s") % facts
        lead = _("%(value)s am %(time)s, über dem Schwellenwert von %(threshold)s.")
    else:
        subject = _("Schwellenwert unterschritten (%(rule)s): %(sensor)s") % facts
        lead = _("%(value)s am %(time)s, unter dem Schwellenwert von %(threshold)s.")
    return subject, lead


def _silence_texts(closing: bool, facts: dict[str, Any]) -> tuple[str, str]:
    """The subject and the lead of a "keine Daten" alert; the value is hours."""
    if closing:
        subject = _("Wieder Daten (%(rule)s): %(sensor)s") % facts
        lead = _("Am %(time)s kam wieder ein Wert, nach %(hours)s Stunden ohne Daten.")
    else:
        subject = _("Keine Daten seit %(limit)s Stunden (%(rule)s): %(sensor)s") % facts
        lead = _("Seit %(time)s keine Daten (%(hours)s Stunden).")
    return subject, lead


def _payload(
    notification: AlertNotification, place: Any, value: float | None, when: Any, link: str
) -> dict[str, Any]:
    """The webhook's JSON body (its ``message`` is added by :func:`compose`)."""
    episode: AlertEpisode = notification.episode
    rule: AlertRule = notification.rule
    return {
        "event": notification.event,
        "rule": {
            "id": rule.pk,
            "name": rule.name,
            "kind": rule.kind,
            "comparison": rule.comparison,
        },
        "threshold": rule.threshold,
        "silenceHours": rule.silence_hours,
        "perStation": rule.per_station,
        "window": rule.window,
        "value": value,
        "peak": episode.peak_value,
        "unit": "h" if rule.kind == AlertRule.SILENCE else place.unit_symbol,
        "time": format_instant(when),
        "episode": {
            "id": episode.pk,
            "opened": format_instant(episode.opened_at),
            "closed": format_instant(episode.closed_at) if episode.closed_at else None,
        },
        "datastream": {"id": episode.datastream_id, "name": place.name, "link": link},
        "thing": {"id": place.thing, "name": place.thing_name},
    }



def _stream(rule: AlertRule, datastream_id: int) -> sensors.StreamInfo:
    for place in sensors.stream_catalogue(
        observed_property=rule.observed_property_id, datastream=datastream_id
    ):
        return place
    raise DeliveryError(f"Datastream {datastream_id} no longer exists", final=True)


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send(notification: AlertNotification) -> None:
    message = compose(notification)
    if notification.channel == AlertNotification.EMAIL:
        _send_email(notification, message)
    else:
        _send_webhook(notification, message)


def _send_email(notification: AlertNotification, message: Message) -> None:
    if not settings.EMAIL_HOST:
        raise DeliveryError("no SMTP server configured (SMARTCITY_EMAIL_HOST)", final=True)
    recipients = [a.strip() for a in notification.target.split(",") if a.strip()]
    try:
        send_mail(message.subject, message.body, None, recipients)
    except OSError as error:  # smtplib's errors are OSErrors
        raise DeliveryError(f"SMTP: {error}") from error


def _send_webhook(notification: AlertNotification, message: Message) -> None:
    url = notification.target
    if urlsplit(url).scheme not in {"http", "https"}:
        raise DeliveryError("webhook URL must be http or https", final=True)
    body = orjson.dumps(message.payload)
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "smartcity-alerts",
            SIGNATURE_HEADER: signature(notification.rule.webhook_secret, body),
        },
    )
    try:
        with urllib.request.urlopen(  # noqa: S310 - the scheme is checked above
            request, timeout=config.get("WEBHOOK_TIMEOUT")
        ) as answer:
            answer.read(1024)
    except OSError as error:  # URLError, HTTPError (status >= 400) and timeouts
        raise DeliveryError(f"webhook: {error}") from error
