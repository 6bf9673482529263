"""Paying through the test provider run as its own process, over real HTTP both ways:
start -> the provider's page -> pay -> webhook and return complete the payment; a webhook
with a wrong signature, an old time stamp or sent again is refused and changes nothing;
a refund goes through the provider's API."""

from __future__ import annotations

import json
import re
import time

import httpx
import pytest

from smartcity.administration.models import Payment, PaymentEvent
from smartcity.administration.payments.providers import testpay
from smartcity.administration.payments.testprovider.server import signature
from tests.administration.payments.conftest import API_KEY, SECRET, payment_of

pytestmark = pytest.mark.django_db(transaction=True)


def start(base: str, payment: Payment, way: str = "testpay") -> httpx.Response:
    client = httpx.Client(base_url=base, timeout=20)
    page = client.get(f"/service/zahlung/{payment.public_id}/")
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token is not None
    return client.post(
        f"/service/zahlung/{payment.public_id}/",
        data={"csrfmiddlewaretoken": token.group(1), "provider": way},
        headers={"Referer": base},
    )


def paid(live_server, testprovider, service) -> tuple[Payment, httpx.Response]:
    payment = payment_of(service)
    answer = start(live_server.url, payment)
    assert answer.status_code == 302, answer.text
    page = answer.headers["Location"]
    assert page.startswith(testprovider.url + "/pay/tp_")
    shown = httpx.get(page)
    assert "24,00 EUR" in shown.text and payment.kassenzeichen in shown.text
    back = httpx.post(page, data={"action": "pay"})
    assert back.status_code == 303
    return payment, httpx.get(back.headers["Location"])


def webhooks(testprovider) -> list[dict]:
    answer = httpx.get(
        f"{testprovider.url}/api/webhooks", headers={"Authorization": f"Bearer {API_KEY}"}
    )
    return answer.json()


def test_pay_return_and_webhook_complete_the_payment(live_server, testprovider, service):
    payment, back = paid(live_server, testprovider, service)
    assert back.status_code == 200
    assert "Vielen Dank, Ihre Zahlung ist eingegangen" in back.text
    payment.refresh_from_db()
    assert payment.status == Payment.COMPLETED and payment.provider == "testpay"
    actors = list(payment.events.values_list("new", "actor"))
    assert actors == [
        ("started", "applying"),
        ("processing", "provider:testpay start"),
        ("completed", "provider:testpay webhook"),
    ]
    (sent,) = webhooks(testprovider)
    assert sent["answer"] == 204


def test_a_cancelled_payment_fails(live_server, testprovider, service):
    payment = payment_of(service)
    page = start(live_server.url, payment).headers["Location"]
    back = httpx.post(page, data={"action": "cancel"})
    shown = httpx.get(back.headers["Location"])
    assert "Die Zahlung hat nicht geklappt" in shown.text
    payment.refresh_from_db()
    assert payment.status == Payment.FAILED


def _post_webhook(base: str, body: bytes, header: str) -> httpx.Response:
    return httpx.post(
        f"{base}/service/zahlung/webhook/testpay/",
        content=body,
        headers={"Testpay-Signature": header, "Content-Type": "application/json"},
    )


def test_a_replayed_or_forged_webhook_is_refused_and_changes_nothing(
    live_server, testprovider, service
):
    _, _ = paid(live_server, testprovider, service)
    (sent,) = webhooks(testprovider)
    events = PaymentEvent.objects.count()
    replay = _post_webhook(live_server.url, sent["body"].encode(), sent["signature"])
    assert replay.status_code == 409 and "replay" in replay.json()["error"]

    other = payment_of(service)  # open: a forged "paid" would complete it
    body = json.dumps(
        {
            "id": "tp_x",
            "status": "paid",
            "amount": other.amount,
            "currency": "EUR",
            "reference": other.kassenzeichen,
        }
    ).encode()
    now = int(time.time())
    forged = _post_webhook(live_server.url, body, signature("wrong-secret-0123456789", now, body))
    assert forged.status_code == 403 and "signature" in forged.json()["error"]
    tampered = _post_webhook(
        live_server.url, body.replace(b"paid", b"paid "), signature(SECRET, now, body)
    )
    assert tampered.status_code == 403
    stale = _post_webhook(live_server.url, body, signature(SECRET, now - 3600, body))
    assert stale.status_code == 400 and "too old" in stale.json()["error"]
    unsigned = _post_webhook(live_server.url, body, "")
    assert unsigned.status_code == 403
    other.refresh_from_db()
    assert other.status == Payment.STARTED
    assert PaymentEvent.objects.count() == events + 1  # only other's "started"


def test_a_good_webhook_alone_completes_and_a_second_one_is_a_replay(
    live_server, testprovider, service
):
    payment = payment_of(service)
    body = json.dumps(
        {
            "id": "tp_y",
            "status": "paid",
            "amount": payment.amount,
            "currency": "EUR",
            "reference": payment.kassenzeichen,
        }
    ).encode()
    header = signature(SECRET, int(time.time()), body)
    assert _post_webhook(live_server.url, body, header).status_code == 204
    assert _post_webhook(live_server.url, body, header).status_code == 409
    payment.refresh_from_db()
    assert payment.status == Payment.COMPLETED
    assert payment.events.filter(new=Payment.COMPLETED).count() == 1


def test_refund_through_the_providers_api(live_server, testprovider, service):
    payment, _ = paid(live_server, testprovider, service)
    payment.refresh_from_db()
    testpay.PROVIDER.refund(payment, actor="user:clerk")
    payment.refresh_from_db()
    assert payment.status == Payment.REFUNDED
    assert [w["body"] for w in webhooks(testprovider)][-1].count('"refunded"') == 1
    assert payment.events.filter(new=Payment.REFUNDED).count() == 1
    with pytest.raises(Exception, match="cannot go from refunded"):
        testpay.PROVIDER.refund(payment, actor="user:clerk")


def test_the_provider_being_down_is_a_clear_page_not_an_error(live_server, testprovider, service):
    testprovider.process.terminate()
    testprovider.process.wait(timeout=10)
    answer = start(live_server.url, payment_of(service))
    assert answer.status_code == 503
    assert "Das Bezahlen hat gerade nicht geklappt" in answer.text


def test_a_signed_webhook_for_another_amount_changes_nothing(live_server, testprovider, service):
    payment = payment_of(service)
    body = json.dumps(
        {
            "id": "tp_z",
            "status": "paid",
            "amount": 1,
            "currency": "EUR",
            "reference": payment.kassenzeichen,
        }
    ).encode()
    answer = _post_webhook(live_server.url, body, signature(SECRET, int(time.time()), body))
    assert answer.status_code == 404 and "amount" in answer.json()["error"]
    payment.refresh_from_db()
    assert payment.status == Payment.STARTED
