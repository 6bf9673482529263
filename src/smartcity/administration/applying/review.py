"""The end of applying: "Angaben prüfen" (every answer with a link to change it, the
co-signer where the form asks for one), submitting, the acknowledgement; and the second
person's page, where they confirm with their own account."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from smartcity.administration.applying import access, links, mail, pages, services
from smartcity.administration.applying.engine import summary, validate
from smartcity.administration.applying.limits import Refused
from smartcity.administration.models import Application
from smartcity.administration.payments import services as payments


def _applicant_email(request: HttpRequest, application: Application) -> str:
    return request.user.email if request.user.is_authenticated else application.guest_email


def _review_page(
    request: HttpRequest,
    application: Application,
    *,
    errors: dict[str, str] | None = None,
    message: str = "",
    status: int = 200,
) -> HttpResponse:
    form = pages.form_for(application.service)
    found = validate.whole(form, application.data) if errors is None else errors
    context = {
        "application": application,
        "service": application.service,
        "form": form,
        "sections": summary.sections(form, application.data, pages.file_names(application)),
        "errors": [(key, text, form.step_of(tuple(key.split(".")))) for key, text in found.items()],
        "message": message,
        # at the counter both people sign on paper (services.submit)
        "cosign": form.cosign and application.channel == Application.ONLINE,
    }
    return render(request, "administration/applying/review.html", context, status=status)


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, public_id: str) -> HttpResponse:
    """GET: the summary. POST: invite the second person (their e-mail address)."""
    application = access.own(request, public_id)
    if not application.is_draft:
        return redirect("applying-done", application.public_id)
    try:
        if request.method == "GET":
            return _review_page(request, application)
        form = pages.form_for(application.service)
        if not form.cosign or application.channel != Application.ONLINE:
            raise Refused(_("Dieser Antrag braucht keine zweite Person."), 400)
        email = str(request.POST.get("cosigner", "")).strip()[:254]
        try:
            validate_email(email)
        except ValidationError:
            return _review_page(
                request,
                application,
                status=400,
                message=_(
                    "Bitte geben Sie die E-Mail-Adresse der zweiten Person in der Form "
                    "name@beispiel.de an."
                ),
            )
        nonce = services.invite_cosigner(application, email, _applicant_email(request, application))
    except Refused as error:
        return pages.refused(request, error)
    path = reverse("applying-cosign", args=[links.cosign_token(application.public_id, nonce)])
    sent = mail.cosign_invitation(
        application, pages.absolute(request, path), _applicant_email(request, application)
    )
    message = (
        _("Die Einladung ist verschickt.")
        if sent
        else _(
            "Die Einladung konnte gerade nicht verschickt werden. Bitte versuchen Sie "
            "es später noch einmal."
        )
    )
    return _review_page(request, application, message=message)


def _acknowledge(application: Application, link: str) -> None:
    mail.acknowledgement(application, link)


@require_http_methods(["POST"])
def submit(request: HttpRequest, public_id: str) -> HttpResponse:
    application = access.own(request, public_id)
    link = pages.absolute(request, reverse("applying-mine-detail", args=[public_id]))
    try:
        done = services.submit(
            application.pk,
            pages.client(request),
            partial(_acknowledge, link=link),
        )
    except services.Invalid as invalid:
        return _review_page(request, application, errors=invalid.errors, status=400)
    except Refused as error:
        return pages.refused(request, error)
    return redirect("applying-done", done.public_id)


@require_http_methods(["GET"])
def done(request: HttpRequest, public_id: str) -> HttpResponse:
    application = access.own(request, public_id)
    if application.is_draft:
        return redirect("applying-review", application.public_id)
    payment = services.payment_of(application)
    return render(
        request,
        "administration/applying/done.html",
        {
            "application": application,
            "service": application.service,
            "payment": payment,
            "fee": payments.euros(payment.amount) if payment else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cosign(request: HttpRequest, token: str) -> HttpResponse:
    try:
        public_id, nonce_hash = links.read_cosign(token)
    except links.LinkRefused as refused:
        return render(
            request,
            "administration/applying/link_refused.html",
            {"expired": refused.expired},
            status=400,
        )
    found = (
        Application.objects.select_related("service")
        .filter(public_id=public_id, cosign_token=nonce_hash)
        .first()
    )
    if found is None:
        raise Http404("no such invitation")
    try:
        services.check_cosigner(found, request.user)  # only the invited person reads it
        application = access.read_as(found, request.user, "cosign", request)
        if request.method == "POST":
            services.cosign(application, request.user)
    except Refused as error:
        return pages.refused(request, error)
    form = pages.form_for(application.service)
    context = {
        "application": application,
        "service": application.service,
        "sections": summary.sections(form, application.data, pages.file_names(application)),
        "signed": application.cosigned is not None,
    }
    return render(request, "administration/applying/cosign.html", context)
