"""The built-in provider ``bank-transfer``: the citizen transfers the amount with the
Kassenzeichen, from the details on the page, the GiroCode or the PDF invoice; the money
is matched when the bank statement (CAMT.053) is imported. There is no return and no
webhook; a refund is a transfer back by the cash office, recorded here."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from smartcity.administration.models import Payment
from smartcity.administration.payments import girocode, status
from smartcity.administration.payments.providers import WebhookRefused

NAME = "bank-transfer"


class BankTransfer:
    name = NAME
    title = _("Überweisung")
    description = _(
        "Sie überweisen den Betrag mit dem Kassenzeichen, auch per GiroCode mit Ihrer "
        "Banking-App. Die Zahlung ist verbucht, sobald das Geld bei der Stadtkasse ist."
    )

    def available(self) -> bool:
        return girocode.account() is not None

    def origins(self) -> list[str]:
        return []  # the transfer details are the platform's own page

    def start(self, payment: Any, return_url: str) -> str:
        if payment.provider != NAME or payment.status == Payment.STARTED:
            status.choose(payment, NAME, actor=f"provider:{NAME} start")
        return reverse("payments:transfer", args=[payment.public_id])

    def handle_return(self, request: HttpRequest, payment: Any) -> None:
        return None  # nothing comes back: the bank statement says when the money is there

    def handle_webhook(self, request: HttpRequest) -> HttpResponse:
        raise WebhookRefused("bank transfers have no webhook", status=404)

    def refund(self, payment: Any, *, actor: str) -> None:
        status.move(
            payment, Payment.REFUNDED, actor=actor, note="transferred back by the cash office"
        )


PROVIDER = BankTransfer()
