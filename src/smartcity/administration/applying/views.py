"""Starting an application and filling in its steps (/service/antrag/): each step a
plain HTML form that works without JavaScript; "Weiter" validates the step, "Zurück"
and "Speichern und später weitermachen" keep what was typed without judging it, the
list buttons add and remove entries. A guest starts with an e-mail address and gets a
signed link to resume."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from smartcity.administration.applying import access, links, mail, pages, services
from smartcity.administration.applying.engine import fields, names, parse, validate
from smartcity.administration.applying.engine import render as engine
from smartcity.administration.applying.limits import Refused
from smartcity.administration.models import Application
from smartcity.core import config
from smartcity.core.uploads import UploadRefused


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, service: str) -> HttpResponse:
    found = pages.service_for(service)
    if not request.user.is_authenticated and not found.guest:
        return redirect_to_login(request.get_full_path())
    try:
        form = pages.form_for(found)
        if request.method == "GET":
            return _start_page(request, found, form, "")
        email = ""
        if not request.user.is_authenticated:
            email = str(request.POST.get("email", "")).strip()
            try:
                if len(email) > 254:
                    raise ValidationError("too long")
                validate_email(email)
            except ValidationError:
                message = _("Bitte geben Sie Ihre E-Mail-Adresse in der Form name@beispiel.de an.")
                return _start_page(request, found, form, message, status=400)
        application = services.start(
            found, user=request.user, guest_email=email, client=pages.client(request)
        )
    except Refused as error:
        return pages.refused(request, error)
    if not request.user.is_authenticated:
        links.remember_guest(request.session, application.public_id)
        _send_guest_link(request, application)
    return redirect(pages.step_url(application, form.steps[0].key))


def _start_page(
    request: HttpRequest, service: Any, form: fields.Form, error: str, status: int = 200
) -> HttpResponse:
    context = {
        "service": service,
        "form": form,
        "error": error,
        "email": request.POST.get("email", "") if request.method == "POST" else "",
    }
    return render(request, "administration/applying/start.html", context, status=status)


def _send_guest_link(request: HttpRequest, application: Application) -> None:
    path = reverse("applying-resume", args=[links.guest_token(application.public_id)])
    mail.guest_link(application, pages.absolute(request, path))


@require_http_methods(["GET"])
def resume(request: HttpRequest, token: str) -> HttpResponse:
    """A guest's link from the e-mail: their session may open the application again."""
    try:
        public_id = links.read_guest(token)
    except links.LinkRefused as refused:
        return _link_refused(request, refused)
    application = Application.objects.filter(public_id=public_id, applicant__isnull=True).first()
    if application is None:
        raise Http404("no such application")
    links.remember_guest(request.session, application.public_id)
    if not application.is_draft:
        return redirect("applying-mine-detail", application.public_id)
    return redirect(_current_step_url(application))


def _link_refused(request: HttpRequest, refused: links.LinkRefused) -> HttpResponse:
    return render(
        request,
        "administration/applying/link_refused.html",
        {"expired": refused.expired},
        status=400,
    )


def _current_step_url(application: Application) -> str:
    form = fields.load(application.service.form)
    if application.step >= len(form.steps):
        return reverse("applying-review", args=[application.public_id])
    return pages.step_url(application, form.steps[application.step].key)


@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, public_id: str, key: str) -> HttpResponse:
    application = access.own(request, public_id)
    if not application.is_draft:
        return redirect("applying-done", application.public_id)
    try:
        form = pages.form_for(application.service)
        form_step = form.step(key)
        if form_step is None:
            raise Http404("no such step")
        index = form.index(key)
        if index > application.step:  # a step is reached by completing the one before
            return redirect(pages.step_url(application, form.steps[application.step].key))
        if request.method == "POST":
            return _post_step(request, application, form, form_step)
    except Refused as error:
        return pages.refused(request, error)
    return _step_page(request, application, form, form_step, application.data, {})


def _post_step(
    request: HttpRequest, application: Application, form: fields.Form, form_step: fields.Step
) -> HttpResponse:
    parsed = parse.step(form_step, request.POST, application.data)
    data = parsed.data
    errors = _take_uploads(request, application, form_step, data)
    errors = parsed.errors | errors
    action = request.POST.get("_action", "weiter")
    if parse.list_action(form, form_step, request.POST, data):
        services.save_step(application, form, form_step, data, done=False)
        return _step_page(request, application, form, form_step, data, parsed.errors)
    if action in ("speichern", "zurueck"):
        services.save_step(application, form, form_step, data, done=False)
        index = form.index(form_step.key)
        if action == "zurueck" and index > 0:
            return redirect(pages.step_url(application, form.steps[index - 1].key))
        if not request.user.is_authenticated:
            _send_guest_link(request, application)
        return redirect("applying-saved", application.public_id)
    errors = errors | {
        k: v for k, v in validate.step(form, form_step, data).items() if k not in errors
    }
    services.save_step(application, form, form_step, data, done=not errors)
    if errors:
        return _step_page(request, application, form, form_step, data, errors, status=400)
    index = form.index(form_step.key)
    if index + 1 < len(form.steps):
        return redirect(pages.step_url(application, form.steps[index + 1].key))
    return redirect("applying-review", application.public_id)


def _take_uploads(
    request: HttpRequest, application: Application, form_step: fields.Step, data: dict[str, Any]
) -> dict[str, str]:
    """Keeps each file sent for an upload field of the step (its id into ``data``)."""
    errors = {}
    for path, field in _upload_fields(form_step.fields, ()):
        name = names.name(path)
        file = request.FILES.get(name)
        if file is None:
            continue
        try:
            upload = services.add_upload(application, name, file, file.name or "", field.upload)
        except UploadRefused:
            errors[name] = _upload_message(file.size or 0, field)
            continue
        holder = data
        for part in path[:-1]:
            holder = holder.setdefault(str(part), {})
        holder[str(path[-1])] = upload.public_id
    return errors


def _upload_fields(
    items: tuple[fields.Field, ...], prefix: tuple[str, ...]
) -> list[tuple[tuple[str, ...], fields.Field]]:
    found = []
    for item in items:
        if item.kind == "upload":
            found.append(((*prefix, item.name), item))
        elif item.kind == "group":
            found += _upload_fields(item.children, (*prefix, item.name))
    return found


def _upload_message(size: int, field: fields.Field) -> str:
    largest = min(int(field.upload.get("maxBytes", 10**12)), config.get("APPLY_UPLOAD_MAX_BYTES"))
    if size > largest:
        return _("Die Datei ist zu groß: höchstens %(size)s MB sind möglich.") % {
            "size": f"{largest / 1_000_000:g}".replace(".", ",")
        }
    return _(
        "Diese Datei können wir nicht annehmen. Erlaubt sind die genannten Dateiarten; "
        "geprüft wird der Inhalt der Datei, nicht ihr Name."
    )


def _step_page(
    request: HttpRequest,
    application: Application,
    form: fields.Form,
    form_step: fields.Step,
    data: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> HttpResponse:
    index = form.index(form_step.key)
    context = {
        "application": application,
        "service": application.service,
        "form": form,
        "step": form_step,
        "number": index + 1,
        "total": len(form.steps),
        "summary": mark_safe(engine.error_summary(errors)),  # noqa: S308 (escaped by engine)
        "fields": mark_safe(  # noqa: S308 (the engine escapes every value)
            engine.step(
                form_step,
                data,
                errors,
                pages.upload_infos(application),
                config.get("APPLY_UPLOAD_MAX_BYTES"),
            )
        ),
        "errors": errors,
        "first": index == 0,
    }
    return render(request, "administration/applying/step.html", context, status=status)


@require_http_methods(["GET"])
def saved(request: HttpRequest, public_id: str) -> HttpResponse:
    application = access.own(request, public_id)
    return render(
        request,
        "administration/applying/saved.html",
        {"application": application, "resume": _current_step_url(application)},
    )
