"""Which account a person of the identity broker is: one row per issuer and subject."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OidcIdentity(models.Model):
    """A person at an OpenID provider (``iss`` + ``sub`` of their ID tokens), and the
    account they log in to. The subject is the provider's stable id; the e-mail address
    is not (it can change and is not unique across providers)."""

    user = models.ForeignKey(
        "auth.User",
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="oidc_identities",
    )
    issuer = models.CharField(_("Aussteller"), max_length=255)
    subject = models.CharField(_("Kennung beim Aussteller"), max_length=255)
    created_at = models.DateTimeField(_("verknüpft am"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("zuletzt angemeldet am"), null=True, blank=True)

    class Meta:
        app_label = "core"
        verbose_name = _("OIDC-Identität")
        verbose_name_plural = _("OIDC-Identitäten")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="core_oidc_identity_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.issuer})"
