"""What the applying views share: the service and form of a request, the answer to a
refusal (a page with the status and a message), links and the client's key."""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from smartcity.administration.applying import limits
from smartcity.administration.applying.engine import fields
from smartcity.administration.applying.engine import render as engine_render
from smartcity.administration.applying.limits import Refused
from smartcity.administration.models import Application, Service
from smartcity.core.logins import client_ip

log = logging.getLogger("smartcity.administration.applying")


def service_for(key: str) -> Service:
    found = Service.objects.filter(key=str(key)[:80], published=True, online=True).first()
    if found is None or not found.form:
        raise Http404("no such service to apply for online")
    return found


def form_for(service: Service) -> fields.Form:
    try:
        return fields.load(service.form)
    except fields.FormError as error:  # the catalogue's mistake, not the person's
        log.error("the form of service %s is broken: %s", service.key, error)
        raise Refused(
            _(
                "Dieser Antrag ist gerade nicht verfügbar. Bitte versuchen Sie es "
                "später noch einmal."
            ),
            503,
        ) from None


def refused(request: HttpRequest, error: Refused) -> HttpResponse:
    titles = {
        429: _("Bitte etwas später"),
        403: _("Nicht möglich"),
        409: _("Nicht möglich"),
        503: _("Gerade nicht verfügbar"),
    }
    context = {
        "title": titles.get(error.status, _("Das hat nicht geklappt")),
        "message": error.message,
    }
    response = render(request, "administration/applying/refused.html", context, status=error.status)
    if error.status == 429:
        response["Retry-After"] = "3600"
    return response


def client(request: HttpRequest) -> str:
    return limits.client_key(client_ip(request))


def step_url(application: Application, key: str) -> str:
    return reverse("applying-step", args=[application.public_id, key])


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def upload_infos(application: Application) -> dict[str, engine_render.UploadInfo]:
    """Each field's upload (by the field's name), as the step pages show it."""
    return {
        upload.field: engine_render.UploadInfo(
            upload.original_name,
            upload.size,
            reverse("applying-file", args=[application.public_id, upload.public_id]),
        )
        for upload in application.uploads.all()
    }


def file_names(application: Application) -> dict[str, str]:
    return {u.public_id: u.original_name for u in application.uploads.all()}
