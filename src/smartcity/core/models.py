from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A bearer token for machines and scripts, with the scopes it holds. Only a SHA-256
    of the secret is kept; the secret is shown once, when the token is created."""

    name = models.CharField(max_length=200)
    prefix = models.CharField(max_length=12, help_text="first characters, to recognise a token")
    secret_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # What a domain grants beyond the scopes (e.g. the Datastreams of a device token) is
    # stored by that domain (Domain.token_grants), not here.

    class Meta:
        verbose_name = "API-Token"
        verbose_name_plural = "API-Tokens"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ImportSchedule(models.Model):
    """A registered importer (core.importers) run by the task queue at an interval or on
    a crontab, with the outcome of its last run."""

    STATUS_CHOICES = [
        ("", _("noch nicht gelaufen")),
        ("running", _("läuft")),
        ("ok", _("erfolgreich")),
        ("failed", _("fehlgeschlagen")),
    ]

    importer = models.CharField(_("Importer"), max_length=100)
    options = models.JSONField(
        _("Optionen"),
        default=dict,
        blank=True,
        help_text=_('JSON-Objekt, z. B. {"bbox": [7.65, 51.58, 8.05, 51.78]}'),
    )
    interval_minutes = models.PositiveIntegerField(
        _("Intervall (Minuten)"), null=True, blank=True
    )
    crontab = models.CharField(
        _("Crontab"),
        max_length=100,
        blank=True,
        help_text=_("Minute Stunde Tag Monat Wochentag, z. B. „*/15 * * * *“"),
    )
    enabled = models.BooleanField(_("aktiv"), default=True)
    last_run_at = models.DateTimeField(_("letzter Lauf"), null=True, blank=True)
    last_status = models.CharField(
        _("Status"), max_length=10, choices=STATUS_CHOICES, default="", blank=True
    )
    last_summary = models.JSONField(_("Bericht"), null=True, blank=True)
    last_error = models.TextField(_("Fehler"), blank=True, default="")

    class Meta:
        verbose_name = _("Import-Zeitplan")
        verbose_name_plural = _("Import-Zeitpläne")

    def __str__(self) -> str:
        when = f"{self.interval_minutes} min" if self.interval_minutes else self.crontab
        return f"{self.importer} ({when})"


class Team(models.Model):
    """A team of the city's staff (e.g. the Standesamt of the Familienrathaus): clerks and
    supervisors hold their role for a team, and the team's cases are theirs."""

    key = models.SlugField(_("Kennung"), max_length=60, unique=True)
    name = models.CharField(_("Name"), max_length=200)

    class Meta:
        verbose_name = _("Team")
        verbose_name_plural = _("Teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RoleGrant(models.Model):
    """One role a person holds (core.roles.ROLES), for a team where the role is a team's."""

    user = models.ForeignKey(
        "auth.User", verbose_name=_("Person"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("Rolle"), max_length=20)
    team = models.ForeignKey(
        Team, verbose_name=_("Team"), null=True, blank=True, on_delete=models.CASCADE
    )
    granted_at = models.DateTimeField(_("vergeben am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Rolle")
        verbose_name_plural = _("Rollen")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "team"], name="core_rolegrant_once_per_team"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(team__isnull=True),
                name="core_rolegrant_once_without_team",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.role}" + (f" ({self.team})" if self.team_id else "")


# accounts' e-mail confirmations live beside the login that uses them (core.accounts.login)
from smartcity.core.accounts.login.models import Registration  # noqa: E402

# ... and the identities of the city's identity broker beside its login (core.accounts.oidc)
from smartcity.core.accounts.oidc.models import OidcIdentity  # noqa: E402

# The audit log's model lives with its logic in core/audit.py (its own database alias);
# imported here so that Django finds it among the kernel's models.
from smartcity.core.audit import AuditEvent  # noqa: E402

__all__ = [
    "ApiToken",
    "AuditEvent",
    "ImportSchedule",
    "OidcIdentity",
    "Registration",
    "RoleGrant",
    "Team",
]
