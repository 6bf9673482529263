"""Meine Anträge (/service/meine-antraege/): the signed-in person's applications with
their status and what is new in each; each one's page with its data and uploads and
the case around it (applying/case/), its files, and the acknowledgement as PDF/A. A
guest reaches their own through their session (the link)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from smartcity.administration.applying import access, pages
from smartcity.administration.applying.case import history
from smartcity.administration.applying.case import views as case_views
from smartcity.administration.applying.engine import fields, summary
from smartcity.administration.applying.storage import store
from smartcity.administration.models import Application
from smartcity.core import config, pdf


@login_required
@require_http_methods(["GET"])
def overview(request: HttpRequest) -> HttpResponse:
    limit = config.get("APPLY_LIST_LIMIT")
    mine = list(
        Application.objects.filter(applicant=request.user.pk)
        .select_related("service")
        .annotate(**case_views.news_counts(), **history.status_annotations())
        .order_by("-updated")[: limit + 1]
    )
    mine = [history.with_status(application) for application in mine]
    return render(
        request,
        "administration/applying/mine.html",
        {"applications": mine[:limit], "more": len(mine) > limit, "limit": limit},
    )


@require_http_methods(["GET"])
def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """The case page (applying/case/views.py: history, messages, requests, mailbox)."""
    return case_views.detail_page(request, access.own(request, public_id))


@require_http_methods(["GET"])
def file(request: HttpRequest, public_id: str, upload_id: str) -> FileResponse:
    upload = access.own_upload(request, public_id, upload_id)
    response = FileResponse(
        store().open(upload.stored),
        as_attachment=True,
        filename=upload.original_name,
        content_type=upload.media_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET"])
def acknowledgement(request: HttpRequest, public_id: str) -> HttpResponse:
    application = access.own(request, public_id)
    if application.is_draft:
        return pages.refused(
            request,
            pages.Refused(
                _("Eine Eingangsbestätigung gibt es, sobald der Antrag abgeschickt ist."), 409
            ),
        )
    form = fields.load(application.service.form)
    context = {
        "application": application,
        "service": application.service,
        "sections": summary.sections(form, application.data, pages.file_names(application)),
    }
    title = _("Eingangsbestätigung %(reference)s") % {"reference": application.reference}
    document = pdf.from_template(
        "administration/applying/acknowledgement_pdf.html", context, title=title
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="eingangsbestaetigung-{application.reference}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
