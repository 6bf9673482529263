"""The workflow in the back office: the "Bearbeitungsstand" form on an application's page
(the case's state, due date, who works it, and one button per transition this person may
fire, through services.fire, so the same checks apply), and the services' own workflows
as data (edited by whoever may edit the catalogue; checked when saved)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from smartcity.administration.applying.limits import Refused
from smartcity.administration.catalogue.admin import CatalogueEditing
from smartcity.administration.models import Application, Workflow
from smartcity.administration.workflow import services
from smartcity.administration.workflow.definition import DefinitionError, label, parse


class TransitionForm(forms.Form):
    transition = forms.CharField(max_length=40)
    what = forms.CharField(label=_("Was fehlt"), required=False, widget=forms.Textarea)
    deadline = forms.DateField(
        label=_("Frist"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def panel(application: Application, user: Any) -> dict[str, Any]:
    """What the application's page shows of the workflow (nothing for a draft)."""
    if application.is_draft:
        return {}
    current = services.state_of(application)
    return {
        "workflow_state": current,
        "workflow_label": label(current.state),
        "workflow_choices": [
            {"name": t.name, "label": label(t.target), "request": t.kind == "request"}
            for t in services.choices(application, user)
        ],
        "workflow_form": TransitionForm(),
    }


def transition_view(request: HttpRequest, application: Application) -> HttpResponse:
    """POST: fire one transition; a refused one answers with its status and message and
    changes nothing."""
    back = reverse("admin:administration_application_change", args=[application.pk])
    if request.method != "POST":
        return redirect(back)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Bitte prüfen Sie Ihre Angaben."), status=400)
    data = form.cleaned_data
    try:
        services.fire(
            application, data["transition"], request.user,
            what=data["what"], deadline=data["deadline"],
        )  # fmt: skip
    except Refused as error:
        return HttpResponse(error.message, status=error.status, content_type="text/plain")
    messages.success(request, _("Der Bearbeitungsstand ist geändert."))
    return redirect(back)


class WorkflowForm(forms.ModelForm):
    class Meta:
        model = Workflow
        fields = ("service", "definition", "due_days")

    def clean_definition(self) -> Any:
        definition = self.cleaned_data["definition"]
        try:
            parse(definition)
        except DefinitionError as error:
            raise forms.ValidationError(str(error)) from None
        return definition


@admin.register(Workflow)
class WorkflowAdmin(CatalogueEditing, admin.ModelAdmin):  # type: ignore[type-arg]
    form = WorkflowForm
    list_display = ("service", "due_days")
