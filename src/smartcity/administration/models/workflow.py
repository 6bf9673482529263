"""How a service's applications are worked (docs/administration.md#bearbeitung-workflow):
a service's own workflow as data (Workflow; without one the default of
administration/workflow/definition.py applies) and, per submitted application, where its
case stands (CaseState: the state, who works it, by when, who processed and who approved).
The logic is administration/workflow/."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from smartcity.administration.models.applications import Application
from smartcity.administration.models.catalogue import Service


class Workflow(models.Model):
    """A service's own workflow: its states, transitions, which need four eyes and which
    action may fire each, as JSON (the format in docs/administration.md), checked when
    saved."""

    service = models.OneToOneField(
        Service, verbose_name=_("Leistung"), on_delete=models.CASCADE, related_name="workflow"
    )
    definition = models.JSONField(
        _("Ablauf"), default=dict, help_text=_("docs/administration.md#bearbeitung-workflow")
    )
    due_days = models.PositiveIntegerField(
        _("Bearbeitungszeit (Tage)"),
        null=True,
        blank=True,
        help_text=_("Leer: die Vorgabe SMARTCITY_WORKFLOW_DUE_DAYS"),
    )

    class Meta:
        verbose_name = _("Bearbeitungsablauf")
        verbose_name_plural = _("Bearbeitungsabläufe")

    def __str__(self) -> str:
        return str(self.service)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from smartcity.administration.workflow.definition import DefinitionError, parse

        try:
            parse(self.definition)
        except DefinitionError as error:
            raise ValidationError({"definition": str(error)}) from None


class CaseState(models.Model):
    """Where one submitted application stands in its service's workflow."""

    application = models.OneToOneField(
        Application, verbose_name=_("Antrag"), on_delete=models.CASCADE, related_name="case_state"
    )
    state = models.CharField(_("Bearbeitungsstand"), max_length=40, db_index=True)
    team = models.ForeignKey(
        "core.Team", verbose_name=_("Team"), null=True, blank=True, on_delete=models.SET_NULL
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zuständig"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due = models.DateField(_("zu erledigen bis"), null=True, blank=True, db_index=True)
    processor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bearbeitet von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("freigegeben von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed = models.DateTimeField(_("zuletzt geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Bearbeitungsstand")
        verbose_name_plural = _("Bearbeitungsstände")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.state}"
