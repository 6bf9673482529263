"""The built-in provider ``testpay``: the plug-in for the test provider server
(``python -m smartcity.administration.payments.testprovider``), for tests and demos. It
does what an adapter for a real provider (ePayBL, a PSP) does: creates the payment
through the provider's API, sends the browser to its page, asks the provider on return
(the return's query is not trusted), takes signed webhooks once, and refunds through the
API."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from smartcity.administration.models import Payment, WebhookReceipt
from smartcity.administration.payments import status
from smartcity.administration.payments.providers import (
    ProviderError,
    WebhookRefused,
    webhook_url,
)
from smartcity.core import config

NAME = "testpay"
OUTCOMES = {"paid": Payment.COMPLETED, "cancelled": Payment.FAILED, "refunded": Payment.REFUNDED}


def _api(method: str, path: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    base = config.get("PAYMENT_TESTPAY_URL").rstrip("/")
    body = None if data is None else json.dumps(data).encode()
    request = urllib.request.Request(  # noqa: S310 - the operator's http(s) URL, checked below
        base + path,
        data=body,
        method=method,
        headers={
            "Authorization": f"Bearer {config.get('PAYMENT_TESTPAY_API_KEY')}",
            "Content-Type": "application/json",
        },
    )
    if urlsplit(base).scheme not in ("http", "https"):
        raise ProviderError(f"SMARTCITY_PAYMENT_TESTPAY_URL is not an http(s) URL: {base!r}")
    try:
        timeout = config.get("PAYMENT_PROVIDER_TIMEOUT")
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            found = json.loads(answer.read(65536))
    except urllib.error.HTTPError as error:
        raise ProviderError(f"testpay answered {error.code} to {method} {path}") from None
    except (OSError, ValueError) as error:
        raise ProviderError(f"testpay could not be asked ({method} {path}): {error}") from None
    if not isinstance(found, dict):
        raise ProviderError(f"testpay answered {method} {path} with no JSON object")
    return found


def verify(header: str, body: bytes, secret: str, now: float, tolerance: float) -> str:
    """The signature's hex digest if ``header`` signs ``body`` within ``tolerance``
    seconds of ``now``; WebhookRefused otherwise."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    stamp, given = fields.get("t", ""), fields.get("v1", "")
    if not stamp.isdigit() or not given:
        raise WebhookRefused("the webhook carries no valid Testpay-Signature header", 403)
    expected = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, given):
        raise WebhookRefused("the webhook's signature is wrong", 403)
    if abs(now - int(stamp)) > tolerance:
        raise WebhookRefused("the webhook's time stamp is too old (or in the future)", 400)
    return expected


class TestPay:
    name = NAME
    title = _("Testzahlung (Online)")
    description = _("Nur für Tests und Vorführungen: Es fließt kein echtes Geld.")

    def available(self) -> bool:
        return all(
            config.get(key).strip()
            for key in (
                "PAYMENT_TESTPAY_URL",
                "PAYMENT_TESTPAY_API_KEY",
                "PAYMENT_TESTPAY_WEBHOOK_SECRET",
            )
        )

    def origins(self) -> list[str]:
        parts = urlsplit(config.get("PAYMENT_TESTPAY_URL"))
        return [f"{parts.scheme}://{parts.netloc}"]

    def start(self, payment: Any, return_url: str) -> str:
        created = _api(
            "POST",
            "/api/payments",
            {
                "amount": payment.amount,
                "currency": payment.currency,
                "reference": payment.kassenzeichen,
                "description": payment.service.name,
                "return_url": return_url,
                "webhook_url": webhook_url(return_url, NAME),
            },
        )
        reference, page = str(created.get("id", "")), str(created.get("payment_url", ""))
        if not reference or urlsplit(page).netloc != urlsplit(self.origins()[0]).netloc:
            raise ProviderError("testpay's answer has no id or a payment page elsewhere")
        status.choose(payment, NAME, reference, actor=f"provider:{NAME} start")
        return page

    def handle_return(self, request: HttpRequest, payment: Any) -> None:
        if payment.provider != NAME or not payment.provider_ref:
            return
        found = _api("GET", f"/api/payments/{payment.provider_ref}")
        new = OUTCOMES.get(str(found.get("status")))
        if new in (Payment.COMPLETED, Payment.FAILED) and found.get("amount") == payment.amount:
            status.move(payment, new, actor=f"provider:{NAME} return", again=True)

    def handle_webhook(self, request: HttpRequest) -> HttpResponse:
        body = request.body
        digest = verify(
            request.headers.get("Testpay-Signature", ""),
            body,
            config.get("PAYMENT_TESTPAY_WEBHOOK_SECRET"),
            time.time(),
            config.get("PAYMENT_WEBHOOK_TOLERANCE"),
        )
        try:
            message = json.loads(body)
            reference, outcome = str(message["reference"]), OUTCOMES[message["status"]]
            amount = message["amount"]
        except (ValueError, KeyError, TypeError):
            raise WebhookRefused("the webhook's body is not a testpay status message") from None
        payment = Payment.objects.filter(kassenzeichen=reference).first()
        if payment is None or payment.amount != amount:
            raise WebhookRefused("the webhook names no payment of that amount", 404)
        try:
            with transaction.atomic():
                WebhookReceipt.objects.create(provider=NAME, digest=digest)
                status.move(payment, outcome, actor=f"provider:{NAME} webhook", again=True)
        except IntegrityError:
            raise WebhookRefused("the webhook was received before (a replay)", 409) from None
        except status.IllegalTransition as error:
            raise WebhookRefused(str(error), 409) from None
        return HttpResponse(status=204)

    def refund(self, payment: Any, *, actor: str) -> None:
        if payment.status != Payment.COMPLETED:
            raise status.IllegalTransition(payment, Payment.REFUNDED)
        answer = _api("POST", f"/api/payments/{payment.provider_ref}/refund", {})
        if answer.get("status") != "refunded":
            raise ProviderError(f"testpay did not refund {payment.provider_ref}: {answer}")
        status.move(payment, Payment.REFUNDED, actor=actor, again=True)


PROVIDER = TestPay()
