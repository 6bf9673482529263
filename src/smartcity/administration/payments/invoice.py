"""The invoice of a bank transfer as PDF/A (core.pdf): what is to pay, to which account,
with which Kassenzeichen, by when, and the GiroCode."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from smartcity.administration.models import Payment
from smartcity.administration.payments import girocode, services
from smartcity.core import config, pdf


def transfer_context(payment: Payment) -> dict[str, Any]:
    """What the transfer page and the invoice show (the account must be configured)."""
    target = girocode.account()
    assert target is not None, "bank transfer is offered only with SMARTCITY_PAYMENT_IBAN"
    text = girocode.remittance(payment.kassenzeichen, payment.service.name)
    code = girocode.qr(target, payment.amount, text)
    due = (payment.created or timezone.now()) + timedelta(days=config.get("PAYMENT_DUE_DAYS"))
    return {
        "payment": payment,
        "account": target,
        "remittance": text,
        "total": services.euros(payment.amount),
        "lines": [{**line, "euros": services.euros(line["amount"])} for line in payment.lines],
        "due": timezone.localtime(due).date(),
        "code": code,
    }


def render(payment: Payment) -> bytes:
    context = transfer_context(payment)
    context["qr_uri"] = girocode.data_uri(context["code"])
    title = _("Zahlungsaufforderung %(kassenzeichen)s") % {"kassenzeichen": payment.kassenzeichen}
    return pdf.from_template(
        "administration/payments/invoice.html", {**context, "title": title}, title=title
    )
