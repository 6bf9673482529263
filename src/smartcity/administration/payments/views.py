"""The pages of /service/zahlung/: pay (choose the way), the bank transfer details with
the GiroCode and the invoice, the return from a provider, and the providers' webhooks.
A payment is found by its public id only, and shown only to its owner (a guest's to
whoever has its address); bad input is a 4xx page that says what to do."""

from __future__ import annotations

import logging

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from smartcity.administration.models import Payment
from smartcity.administration.payments import invoice, providers, services, status
from smartcity.core import config

log = logging.getLogger(__name__)


def _payment(request: HttpRequest, public_id: str) -> Payment:
    payment = Payment.objects.select_related("service").filter(public_id=public_id).first()
    if payment is None or not services.visible_to(payment, request.user):
        raise Http404(_("Diese Zahlung gibt es nicht, oder sie gehört zu einem anderen Konto."))
    return payment


def _context(payment: Payment, **more: object) -> dict[str, object]:
    lines = [{**line, "euros": services.euros(line["amount"])} for line in payment.lines]
    return {"payment": payment, "lines": lines, "total": services.euros(payment.amount), **more}


def _pay_page(
    request: HttpRequest, payment: Payment, error: str = "", code: int = 200
) -> HttpResponse:
    offered = providers.enabled()
    response = render(
        request,
        "administration/payments/pay.html",
        _context(payment, providers=offered, error=error),
        status=code,
    )
    origins = sorted({origin for p in offered for origin in p.origins()})
    if origins:  # the form's POST is answered by a redirect to the provider's page
        response._csp_update = {"form-action": origins}  # type: ignore[attr-defined]
    return response


@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, public_id: str) -> HttpResponse:
    payment = _payment(request, public_id)
    if request.method == "GET":
        return _pay_page(request, payment)
    if not payment.open:
        return _pay_page(request, payment, _("Diese Zahlung ist abgeschlossen."), 409)
    try:
        provider = providers.get(request.POST.get("provider", ""))
    except LookupError:
        return _pay_page(request, payment, _("Bitte wählen Sie, wie Sie bezahlen möchten."), 400)
    back = request.build_absolute_uri(
        reverse("payments:returned", args=[payment.public_id, provider.name])
    )
    try:
        return HttpResponseRedirect(provider.start(payment, back))
    except providers.ProviderError as error:
        log.warning("payment %s: %s could not start: %s", payment.pk, provider.name, error)
        text = _(
            "Das Bezahlen hat gerade nicht geklappt. Bitte versuchen Sie es später noch "
            "einmal oder wählen Sie einen anderen Zahlungsweg."
        )
        return _pay_page(request, payment, text, 503)
    except status.IllegalTransition:
        return _pay_page(request, payment, _("Diese Zahlung ist abgeschlossen."), 409)


def _transfer_payment(request: HttpRequest, public_id: str) -> Payment:
    payment = _payment(request, public_id)
    try:
        providers.get("bank-transfer")
    except LookupError:
        raise Http404(_("Die Überweisung wird hier nicht angeboten.")) from None
    return payment


def transfer(request: HttpRequest, public_id: str) -> HttpResponse:
    from smartcity.administration.payments import girocode

    payment = _transfer_payment(request, public_id)
    context = invoice.transfer_context(payment)
    context["svg"] = girocode.svg(
        context["code"], _("GiroCode für die Überweisung von %(total)s") % context
    )
    return render(request, "administration/payments/transfer.html", context)


def invoice_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    payment = _transfer_payment(request, public_id)
    response = HttpResponse(invoice.render(payment), content_type="application/pdf")
    name = f"zahlungsaufforderung-{payment.kassenzeichen}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def returned(request: HttpRequest, public_id: str, provider_name: str) -> HttpResponse:
    payment = _payment(request, public_id)
    try:
        provider = providers.get(provider_name)
    except LookupError:
        raise Http404(_("Diesen Zahlungsweg gibt es hier nicht.")) from None
    try:
        provider.handle_return(request, payment)
    except (providers.ProviderError, status.IllegalTransition) as error:
        log.warning("payment %s: return from %s: %s", payment.pk, provider_name, error)
    payment.refresh_from_db()
    return render(request, "administration/payments/returned.html", _context(payment))


@csrf_exempt  # a provider's server calls it; its signature is the proof, not a cookie
@require_POST
def webhook(request: HttpRequest, provider_name: str) -> HttpResponse:
    try:
        provider = providers.get(provider_name)
    except LookupError:
        return JsonResponse({"error": f"no payment provider {provider_name!r}"}, status=404)
    declared = request.META.get("CONTENT_LENGTH") or "0"
    limit = config.get("PAYMENT_WEBHOOK_MAX_BYTES")
    if not declared.isdigit() or int(declared) > limit or len(request.body) > limit:
        return JsonResponse({"error": "webhook body too large"}, status=413)
    try:
        return provider.handle_webhook(request)
    except providers.WebhookRefused as refused:
        log.warning("webhook of %s refused: %s", provider_name, refused)
        return JsonResponse({"error": str(refused)}, status=refused.status)
