"""What the platform keeps about an account besides Django's user: whether its e-mail
address is confirmed, and when it was last mailed (so that nobody floods an inbox)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Registration(models.Model):
    """An account's e-mail address and its confirmation. A citizen's account is inactive
    until ``confirmed_at`` is set by the link mailed at registration; an account an
    administrator deactivates later keeps its confirmation, so no link opens it again."""

    user = models.OneToOneField(
        "auth.User",
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="registration",
    )
    registered_at = models.DateTimeField(_("registriert am"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("E-Mail-Adresse bestätigt am"), null=True, blank=True)
    mailed_at = models.DateTimeField(_("zuletzt angeschrieben am"), null=True, blank=True)

    class Meta:
        app_label = "core"
        verbose_name = _("Registrierung")
        verbose_name_plural = _("Registrierungen")

    def __str__(self) -> str:
        return str(self.user)
