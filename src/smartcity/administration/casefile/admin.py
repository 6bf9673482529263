"""The case file's page in the back office, beside the application's own page (linked
from it): the file's number and retention, its documents with every version, the
application's uploads and mailbox (shown, not copied: they are the file's documents as
the applicant sent or received them), the notes, and three forms (new document, new
version, note) that go through services.py. Opening the page and each download are in
the audit log; a person without the read action gets a 404, as an id that does not
exist."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _

from smartcity.administration.applying.limits import Refused
from smartcity.administration.casefile import services
from smartcity.administration.models import Application, CaseDocument, DocumentVersion
from smartcity.core import config


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    kind = forms.ChoiceField(label=_("Art"), choices=CaseDocument.KINDS)
    file = forms.FileField(label=_("Datei"))


class VersionForm(forms.Form):
    document = forms.ChoiceField(label=_("Dokument"))
    file = forms.FileField(label=_("Datei der neuen Version"))

    def __init__(self, documents: list[CaseDocument], *args: Any) -> None:
        super().__init__(*args)
        field = self.fields["document"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(d.public_id, d.title) for d in documents]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Vermerk"), widget=forms.Textarea(attrs={"rows": 4}))


def urls(model_admin: admin.ModelAdmin) -> list[URLPattern]:  # type: ignore[type-arg]
    """The page's URLs, for the application's admin (applying/case/admin.py)."""

    def page_view(request: HttpRequest, pk: int) -> HttpResponse:
        return page(model_admin, request, pk)

    def download_view(request: HttpRequest, pk: int, version_id: str) -> FileResponse:
        return download(model_admin, request, pk, version_id)

    wrap = model_admin.admin_site.admin_view
    return [
        path("<int:pk>/akte/", wrap(page_view), name="casefile-page"),
        path(
            "<int:pk>/akte/version/<slug:version_id>/",
            wrap(download_view),
            name="casefile-download",
        ),
    ]


def _application(model_admin: Any, request: HttpRequest, pk: int) -> Application:
    found = model_admin.get_queryset(request).filter(pk=pk).first()
    if found is None or not services.may(request.user, services.READ, found):
        raise Http404("no such case file")
    return found  # type: ignore[no-any-return]


def page(model_admin: Any, request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(model_admin, request, pk)
    casefile = services.read(application, request.user, request)
    limit = config.get("CASEFILE_LIST_LIMIT")
    documents = list(casefile.documents.prefetch_related("versions__added_by")[:limit])
    post = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    chosen = request.POST.get("form", "") if post else ""
    forms_ = {
        "document": DocumentForm(post if chosen == "document" else None, files),
        "version": VersionForm(documents, post if chosen == "version" else None, files),
        "note": NoteForm(post if chosen == "note" else None),
    }
    status = 200
    if post is not None:
        form = forms_.get(chosen)
        if form is None or not form.is_valid():
            status = 400
        else:
            try:
                _act(chosen, application, documents, form.cleaned_data, request.user)
            except Refused as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(request, _("In der E-Akte gespeichert."))
                return redirect(reverse("admin:casefile-page", args=[pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("E-Akte %(reference)s") % {"reference": application.reference},
        "application": application,
        "casefile": casefile,
        "documents": documents,
        "uploads": application.uploads.all()[:limit],
        "mailbox": application.mailbox.all()[:limit],
        "notes": casefile.notes.select_related("author")[:limit],
        "forms": forms_,
        "may_write": services.may(request.user, services.WRITE, application),
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "administration/casefile/page.html", context, status=status)


def _act(
    chosen: str,
    application: Application,
    documents: list[CaseDocument],
    data: dict[str, Any],
    user: Any,
) -> None:
    if chosen == "note":
        services.add_note(application, text=data["text"], by=user)
        return
    upload = data["file"]
    if chosen == "document":
        services.add_document(
            application, title=data["title"], kind=data["kind"], file=upload,
            name=upload.name or "", by=user,
        )  # fmt: skip
        return
    document = next(d for d in documents if d.public_id == data["document"])
    services.add_version(document, file=upload, name=upload.name or "", by=user)


def download(model_admin: Any, request: HttpRequest, pk: int, version_id: str) -> FileResponse:
    application = _application(model_admin, request, pk)
    version = (
        DocumentVersion.objects.select_related("document__casefile__application__service__team")
        .filter(public_id=str(version_id)[:32], document__casefile__application=application)
        .first()
    )
    if version is None:
        raise Http404("no such version")
    response = FileResponse(
        services.download(version, request.user, request),
        as_attachment=True,
        filename=version.original_name,
        content_type=version.media_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
