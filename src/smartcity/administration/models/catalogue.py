from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Service(models.Model):
    """One service (Leistung, in FIM's words) that people can apply for, with the form
    they fill in (docs/administration.md#forms) and the team that works its cases."""

    key = models.SlugField(_("Kennung"), max_length=80, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    summary = models.TextField(_("Kurzbeschreibung"), blank=True, default="")
    team = models.ForeignKey(
        "core.Team", verbose_name=_("Team"), null=True, blank=True, on_delete=models.PROTECT
    )
    online = models.BooleanField(_("online beantragbar"), default=True)
    guest = models.BooleanField(
        _("ohne Konto beantragbar"),
        default=False,
        help_text=_("Gäste dürfen den Antrag ohne Konto stellen."),
    )
    form = models.JSONField(
        _("Formular"), default=dict, blank=True, help_text=_("docs/administration.md#forms")
    )
    published = models.BooleanField(_("veröffentlicht"), default=True)

    class Meta:
        verbose_name = _("Leistung")
        verbose_name_plural = _("Leistungen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
