"""The minimal staff side of the case in the back office (Django's admin), until the
back office of issue 13: a team's applications, each with its history, messages,
document requests and mailbox, and four forms (write to the applicant, ask for a
document by a deadline, withdraw such a request, deliver a PDF) that go through the
service layer, so the same permission checks apply (core.roles: the actions in
administration/platform.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _

from smartcity.administration.applying import access
from smartcity.administration.applying import admin as applying_admin
from smartcity.administration.applying.case import services
from smartcity.administration.applying.limits import Refused
from smartcity.administration.casefile import admin as casefile_admin
from smartcity.administration.models import (
    Application,
    CaseEvent,
    DocumentRequest,
    MailboxItem,
    Message,
)
from smartcity.administration.notices import admin as notices_admin
from smartcity.administration.workflow import admin as workflow_admin
from smartcity.core import config, roles
from smartcity.core.admin_mixins import ViewOnly

READ = "administration.application.read"


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Nachricht an die antragstellende Person"), widget=forms.Textarea
    )


class RequestForm(forms.Form):
    what = forms.CharField(label=_("Was fehlt"), widget=forms.Textarea)
    deadline = forms.DateField(label=_("Frist"), widget=forms.DateInput(attrs={"type": "date"}))


class WithdrawForm(forms.Form):
    request = forms.ChoiceField(label=_("Offene Nachforderung"))

    def __init__(self, application: Application, *args: Any) -> None:
        super().__init__(*args)
        open_requests = application.document_requests.filter(status=DocumentRequest.OPEN)
        field = self.fields["request"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(r.public_id, f"{r.what[:80]} ({r.deadline})") for r in open_requests]


class DeliverForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    kind = forms.ChoiceField(label=_("Art"), choices=MailboxItem.KINDS)
    pdf = forms.FileField(label=_("PDF-Datei"))


class _ReadOnlyInline(ViewOnly, admin.TabularInline):  # type: ignore[type-arg]
    """A part of the case, shown to whoever may read the application (a role of its
    team, not Django's per-model permissions, which staff of the roles do not hold)."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_read(request)


class EventInline(_ReadOnlyInline):
    model = CaseEvent
    fields = readonly_fields = ("at", "kind", "actor", "staff", "visible_to_applicant")


class MessageInline(_ReadOnlyInline):
    model = Message
    fields = readonly_fields = ("created", "sender", "author", "body", "read")


class RequestInline(_ReadOnlyInline):
    model = DocumentRequest
    fields = readonly_fields = ("what", "deadline", "status", "answered", "reminded", "overdue")


class MailboxInline(_ReadOnlyInline):
    model = MailboxItem
    fields = readonly_fields = ("created", "title", "kind", "size", "read")


def _may_read(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and roles.teams_for(user, READ))


@admin.register(Application)
class ApplicationAdmin(applying_admin.ApplicationAdmin):
    """A team's submitted applications, read only (audited: applying/admin.py), with the
    case's history, messages, requests and mailbox, and its forms linked from each
    one's page."""

    inlines = [EventInline, MessageInline, RequestInline, MailboxInline]
    change_form_template = "administration/case/admin_change_form.html"

    def get_urls(self) -> list[URLPattern]:
        own = [
            path("<int:pk>/nachricht/", self._view(self.message_view), name="case-admin-message"),
            path(
                "<int:pk>/nachforderung/", self._view(self.request_view), name="case-admin-request"
            ),
            path("<int:pk>/zustellen/", self._view(self.deliver_view), name="case-admin-deliver"),
            path(
                "<int:pk>/bearbeitung/", self._view(self.workflow_view), name="case-admin-workflow"
            ),
            path(
                "<int:pk>/zurueckziehen/",
                self._view(self.withdraw_view),
                name="case-admin-withdraw",
            ),
        ]
        return own + notices_admin.urls(self) + casefile_admin.urls(self) + super().get_urls()

    def _view(self, view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        return self.admin_site.admin_view(view)  # type: ignore[no-any-return]

    def _application(self, request: HttpRequest, pk: int) -> Application:
        if not _may_read(request):
            raise PermissionDenied
        return access.read_as(
            get_object_or_404(self.get_queryset(request), pk=pk), request.user, "case", request
        )

    def _form_page(
        self,
        request: HttpRequest,
        application: Application,
        form: forms.Form,
        title: Any,
        act: Callable[[dict[str, Any]], Any],
    ) -> HttpResponse:
        status = 200
        if request.method == "POST" and form.is_valid():
            try:
                act(form.cleaned_data)
            except Refused as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(request, _("Erledigt. Die Person bekommt eine E-Mail."))
                return redirect(
                    reverse("admin:administration_application_change", args=[application.pk])
                )
        elif request.method == "POST":
            status = 400
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "application": application,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request, "administration/case/admin_form.html", context, status=status
        )

    def message_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = self._application(request, pk)
        return self._form_page(
            request, application, MessageForm(request.POST or None), _("Nachricht schreiben"),
            lambda data: services.post_message(application, request.user, data["text"]),
        )  # fmt: skip

    def request_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = self._application(request, pk)
        return self._form_page(
            request, application, RequestForm(request.POST or None), _("Unterlagen nachfordern"),
            lambda data: services.request_documents(
                application, request.user, data["what"], data["deadline"]
            ),
        )  # fmt: skip

    def withdraw_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = self._application(request, pk)

        def withdraw(data: dict[str, Any]) -> Any:
            found = application.document_requests.get(public_id=data["request"])
            return services.withdraw_request(found, request.user)

        form = WithdrawForm(application, request.POST or None)
        return self._form_page(
            request, application, form, _("Nachforderung zurückziehen"), withdraw
        )

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        found = self.get_object(request, object_id) if _may_read(request) else None
        if found is not None:
            extra_context = {**(extra_context or {}), **workflow_admin.panel(found, request.user)}
        return super().change_view(request, object_id, form_url, extra_context)

    def workflow_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return workflow_admin.transition_view(request, self._application(request, pk))

    def deliver_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = self._application(request, pk)
        form = DeliverForm(request.POST or None, request.FILES or None)

        def deliver(data: dict[str, Any]) -> Any:
            upload = data["pdf"]
            if upload.size > config.get("CASE_MAILBOX_MAX_BYTES"):
                raise Refused(str(_("Die Datei ist zu groß.")), 400)
            return services.deliver(
                application, data["title"], upload.read(), data["kind"], by=request.user
            )

        return self._form_page(request, application, form, _("PDF zustellen"), deliver)


__all__ = ["ApplicationAdmin"]
