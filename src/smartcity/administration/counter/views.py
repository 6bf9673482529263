"""The counter's pages (/service/schalter/), for clerks past the second factor: the
services of their teams, the citizen's identity, then the service's own steps
(/service/antrag/<id>/..., the same views as online); and "Papierantrag erfassen", the
identity and the scan of a paper application, submitted at once."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from smartcity.administration.applying import mail, pages
from smartcity.administration.applying.engine import parse, validate
from smartcity.administration.applying.engine import render as engine
from smartcity.administration.applying.limits import Refused
from smartcity.administration.counter import identity, services
from smartcity.administration.counter.identity import SCAN, Citizen
from smartcity.administration.models import Application, Service
from smartcity.core import config, roles
from smartcity.core.uploads import UploadRefused

View = Callable[..., HttpResponse]


def clerks_only(view: View) -> View:
    """Signed in, past the second factor, and a clerk of some team who may enter."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not getattr(user, "is_verified", lambda: False)():
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('login:second-factor')}?{query}")
        if not roles.teams_for(user, services.ACTION):
            message = _("Diese Seiten sind für die Sachbearbeitung am Schalter.")
            return pages.refused(request, Refused(message, 403))
        return view(request, *args, **kwargs)

    return wrapped


@clerks_only
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    drafts = (
        Application.objects.filter(entered_by=request.user.pk, status=Application.DRAFT)
        .select_related("service")
        .order_by("-updated")[:50]
    )
    context = {"services": services.services_for(request.user), "drafts": drafts}
    return render(request, "administration/counter/index.html", context)


def _service(request: HttpRequest, key: str) -> Service:
    found = (
        Service.objects.filter(key=str(key)[:80], published=True)
        .exclude(form={})
        .select_related("team")
        .first()
    )
    if found is None:
        raise Http404("no such service with a form")
    if not services.may_enter(request.user, found):
        raise Refused(_("Für diese Leistung dürfen Sie keine Anträge erfassen."), 403)
    return found


def _page(
    request: HttpRequest,
    service: Service,
    data: dict[str, Any],
    errors: dict[str, str],
    *,
    paper: bool,
    status: int = 200,
) -> HttpResponse:
    largest = config.get("APPLY_UPLOAD_MAX_BYTES")
    form = identity.form(paper=paper, max_bytes=largest)
    html = engine.step(form.steps[0], data, errors, {}, largest)
    context = {
        "service": service,
        "paper": paper,
        "errors": errors,
        "summary": mark_safe(engine.error_summary(errors)),  # noqa: S308 (escaped by engine)
        "fields": mark_safe(html),  # noqa: S308 (the engine escapes every value)
    }
    return render(request, "administration/counter/identity.html", context, status=status)


def _read(request: HttpRequest, *, paper: bool) -> tuple[dict[str, Any], dict[str, str]]:
    """The identity from the POST, with the engine's errors by field."""
    form = identity.form(paper=paper, max_bytes=config.get("APPLY_UPLOAD_MAX_BYTES"))
    parsed = parse.step(form.steps[0], request.POST, {})
    data = parsed.data
    if paper and request.FILES.get(SCAN) is not None:
        data[SCAN] = "sent"  # checked when it is kept
    errors = parsed.errors
    checked = validate.step(form, form.steps[0], data)
    return data, errors | {k: v for k, v in checked.items() if k not in errors}


@clerks_only
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, service: str) -> HttpResponse:
    """The citizen's identity, then the service's first step."""
    try:
        found = _service(request, service)
        if request.method == "GET":
            return _page(request, found, {}, {}, paper=False)
        data, errors = _read(request, paper=False)
        if errors:
            return _page(request, found, data, errors, paper=False, status=400)
        form = pages.form_for(found)
        application = services.start(found, request.user, Citizen.of(data))
    except Refused as error:
        return pages.refused(request, error)
    return redirect(pages.step_url(application, form.steps[0].key))


@clerks_only
@require_http_methods(["GET", "POST"])
def paper(request: HttpRequest, service: str) -> HttpResponse:
    """A paper application: the identity and the scan, submitted at once."""
    try:
        found = _service(request, service)
        if request.method == "GET":
            return _page(request, found, {}, {}, paper=True)
        data, errors = _read(request, paper=True)
        if errors:
            return _page(request, found, data, errors, paper=True, status=400)
        pages.form_for(found)  # a broken form is refused before anything is kept
        scan = request.FILES.get(SCAN)
        assert scan is not None  # _read made it a required field
        spec = identity.form(paper=True, max_bytes=config.get("APPLY_UPLOAD_MAX_BYTES"))
        upload_spec = spec.steps[0].fields[-1].upload
        done = services.record_paper(
            found, request.user, Citizen.of(data), scan, upload_spec, _acknowledger(request)
        )
    except UploadRefused as refused:
        return _page(request, found, data, {SCAN: str(refused)}, paper=True, status=400)
    except Refused as error:
        return pages.refused(request, error)
    return redirect("applying-done", done.public_id)


def _acknowledger(request: HttpRequest) -> Callable[[Application], None]:
    def acknowledge(application: Application) -> None:
        path = reverse("applying-mine-detail", args=[application.public_id])
        mail.acknowledgement(application, pages.absolute(request, path))

    return acknowledge
