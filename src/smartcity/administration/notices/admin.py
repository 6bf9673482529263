"""Notices in the back office: the templates (edited by whoever edits the catalogue,
``administration.service.edit``), the form "Bescheid erstellen" on an application's page
(pick the template, write the decision, preview the PDF, deliver), and the print jobs
of notices that go out on paper. The form's two pages are mounted by the application's
admin (applying/case/admin.py) through :func:`urls`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcity.administration.applying import access
from smartcity.administration.applying.limits import Refused
from smartcity.administration.applying.storage import store
from smartcity.administration.catalogue.admin import CatalogueEditing
from smartcity.administration.models import Application, NoticeTemplate, PrintJob
from smartcity.administration.notices import services, templates
from smartcity.core import roles


class NoticeForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Vorlage"),
        queryset=NoticeTemplate.objects.none(),
        error_messages={
            "required": _("Bitte wählen Sie eine Vorlage."),
            "invalid_choice": _("Diese Vorlage gibt es für diese Leistung nicht."),
        },
    )
    decision = forms.CharField(
        label=_("Entscheidungstext"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Steht im Bescheid dort, wo die Vorlage $entscheidung schreibt."),
    )

    def __init__(self, application: Application, *args: Any) -> None:
        super().__init__(*args)
        field = self.fields["template"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = NoticeTemplate.objects.filter(service=application.service)


def _pdf(document: bytes, name: str) -> HttpResponse:
    answer = HttpResponse(document, content_type="application/pdf")
    answer["Content-Disposition"] = f'inline; filename="{name}"'
    answer["X-Content-Type-Options"] = "nosniff"
    return answer


def notice_view(model_admin: Any, request: HttpRequest, pk: int) -> HttpResponse:
    """Bescheid erstellen: GET the form; POST "preview" answers with the PDF, POST
    "deliver" delivers it and goes back to the application."""
    application = model_admin._application(request, pk)
    form = NoticeForm(application, request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        template, decision = form.cleaned_data["template"], form.cleaned_data["decision"]
        try:
            if "preview" in request.POST:
                document = services.preview(application, template, decision, by=request.user)
                return _pdf(document, "vorschau.pdf")
            services.issue(application, template, decision, by=request.user)
        except Refused as error:
            form.add_error(None, error.message)
            status = error.status
        else:
            messages.success(request, _("Der Bescheid ist zugestellt."))
            return redirect(reverse("admin:administration_application_change", args=[pk]))
    elif request.method == "POST":
        status = 400
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Bescheid erstellen"),
        "application": application,
        "form": form,
        "opts": Application._meta,
        "fields": templates.FIELDS,
    }
    return TemplateResponse(
        request, "administration/notices/admin_form.html", context, status=status
    )


def urls(model_admin: Any) -> list[URLPattern]:
    """The notice form's address under the application's admin."""

    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return notice_view(model_admin, request, pk)

    wrapped: Callable[..., HttpResponse] = model_admin.admin_site.admin_view(view)
    return [path("<int:pk>/bescheid/", wrapped, name="notice-admin-create")]


@admin.register(NoticeTemplate)
class NoticeTemplateAdmin(CatalogueEditing, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("service", "kind", "title", "with_fees", "is_demo")
    list_filter = ("kind", "service", "is_demo")
    search_fields = ("title", "body", "service__name")


@admin.register(PrintJob)
class PrintJobAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The notices to print for the teams the staff member makes notices for."""

    list_display = ("item", "reference", "created", "printed", "printed_by", "download")
    list_filter = ("printed",)
    actions = ["mark_printed"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[PrintJob]:
        teams = roles.teams_for(request.user, services.NOTICE)
        return (
            super().get_queryset(request).filter(application__service__team__key__in=teams)
            .select_related("application", "item", "printed_by")
        )  # fmt: skip

    def _may(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and roles.teams_for(request.user, services.NOTICE))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("Aktenzeichen"))
    def reference(self, job: PrintJob) -> str:
        return job.application.reference or ""

    @admin.display(description=_("PDF"))
    def download(self, job: PrintJob) -> Any:
        from django.utils.html import format_html

        url = reverse("admin:notice-print-pdf", args=[job.pk])
        return format_html('<a href="{}">{}</a>', url, _("PDF öffnen"))

    @admin.action(description=_("Als gedruckt markieren"))
    def mark_printed(self, request: HttpRequest, queryset: QuerySet[PrintJob]) -> None:
        done = queryset.filter(printed__isnull=True).update(
            printed=timezone.now(), printed_by=request.user
        )
        messages.success(request, _("%(count)s als gedruckt markiert.") % {"count": done})

    def get_urls(self) -> list[URLPattern]:
        pdf = self.admin_site.admin_view(self.pdf_view)
        return [path("<int:pk>/pdf/", pdf, name="notice-print-pdf"), *super().get_urls()]

    def pdf_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self._may(request):
            raise PermissionDenied
        job = get_object_or_404(self.get_queryset(request), pk=pk)
        access.read_as(job.application, request.user, "print", request)
        with store().open(job.item.stored) as file:
            return _pdf(file.read(), "bescheid.pdf")
