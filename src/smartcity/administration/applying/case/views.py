"""The applicant's side of the case in Meine Anträge: what the case page shows (status,
history, messages, document requests, mailbox), writing to the office, answering a
document request by upload, and downloading a letter from the mailbox. Every view
reaches the application through access.own (an account's own, or a guest's session):
anyone else gets a 404. Plain forms, no JavaScript needed."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from smartcity.administration.applying import access, pages
from smartcity.administration.applying.case import history, services
from smartcity.administration.applying.engine import fields, summary
from smartcity.administration.applying.limits import Refused
from smartcity.administration.applying.storage import store
from smartcity.administration.models import Application, DocumentRequest, Message
from smartcity.core import config
from smartcity.core.uploads import UploadRefused

DONE = {
    "nachricht": _("Ihre Nachricht ist beim Amt angekommen."),
    "hochgeladen": _("Danke, Ihre Unterlagen sind angekommen."),
}


def news_counts() -> dict[str, Any]:
    """Annotations for a list of applications: what is new in each for the applicant."""
    return {
        "unread_messages": Count(
            "messages",
            filter=Q(messages__sender=Message.OFFICE, messages__read__isnull=True),
            distinct=True,
        ),
        "unread_letters": Count("mailbox", filter=Q(mailbox__read__isnull=True), distinct=True),
        "open_requests": Count(
            "document_requests",
            filter=Q(document_requests__status=DocumentRequest.OPEN),
            distinct=True,
        ),
    }


def context(application: Application, request: HttpRequest) -> dict[str, Any]:
    """What the case page shows beside the application's data."""
    if application.is_draft:
        return {"status": history.status_of(application), "case": False}
    limit = config.get("CASE_LIST_LIMIT")
    messages = list(application.messages.order_by("-created", "-pk")[:limit])[::-1]
    done = DONE.get(str(request.GET.get("ok", "")), "")
    return {
        "case": True,
        "status": history.status_of(application),
        "events": application.events.filter(visible_to_applicant=True)[:limit],
        "messages": messages,
        "new_messages": sum(1 for m in messages if m.sender == Message.OFFICE and not m.read),
        "open_requests": application.document_requests.filter(status=DocumentRequest.OPEN),
        "closed_requests": application.document_requests.exclude(
            status=DocumentRequest.OPEN
        ).prefetch_related("uploads")[:limit],
        "mailbox": application.mailbox.all()[:limit],
        "message_limit": config.get("CASE_MESSAGE_MAX_CHARS"),
        "done": str(done),
    }


def detail_page(
    request: HttpRequest,
    application: Application,
    extra: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The case page: the application's data and uploads, and the case around it. The
    office's messages count as read once this page has shown them."""
    sections = []
    try:
        form = fields.load(application.service.form)
        sections = summary.sections(form, application.data, pages.file_names(application))
    except fields.FormError:
        pass
    page = {
        "application": application,
        "service": application.service,
        "sections": sections,
        "uploads": application.uploads.all(),
        **context(application, request),
        **(extra or {}),
    }
    response = render(request, "administration/applying/mine_detail.html", page, status=status)
    if page["case"]:
        services.seen_messages(application)
    return response


def _detail_url(application: Application, ok: str, anchor: str) -> str:
    url = reverse("applying-mine-detail", args=[application.public_id])
    return f"{url}?ok={ok}#{anchor}"


@require_http_methods(["POST"])
def reply(request: HttpRequest, public_id: str) -> HttpResponse:
    application = access.own(request, public_id)
    text = str(request.POST.get("text", ""))
    try:
        services.reply(application, text)
    except Refused as error:
        if error.status != 400:
            return pages.refused(request, error)
        return detail_page(
            request, application, {"message_error": error.message, "message_text": text}, 400
        )
    return redirect(_detail_url(application, "nachricht", "nachrichten"))


@require_http_methods(["POST"])
def answer(request: HttpRequest, public_id: str, request_id: str) -> HttpResponse:
    application = access.own(request, public_id)
    file = request.FILES.get("datei")
    problem = ""
    if file is None:
        problem = _("Bitte wählen Sie eine Datei aus.")
    else:
        try:
            services.answer_request(application, request_id, file, file.name or "")
        except Refused as error:
            if error.status == 404:
                raise Http404("no such document request") from None
            return pages.refused(request, error)
        except UploadRefused as error:
            problem = str(error)
    if problem:
        errors = {"upload_error": problem, "upload_for": str(request_id)[:32]}
        return detail_page(request, application, errors, 400)
    return redirect(_detail_url(application, "hochgeladen", "nachforderungen"))


@require_http_methods(["GET"])
def letter(request: HttpRequest, public_id: str, item_id: str) -> FileResponse:
    application = access.own(request, public_id)
    item = application.mailbox.filter(public_id=str(item_id)[:32]).first()
    if item is None:
        raise Http404("no such letter")
    services.seen_item(item)
    response = FileResponse(
        store().open(item.stored),
        as_attachment=True,
        filename=f"{slugify(item.title) or 'schreiben'}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
