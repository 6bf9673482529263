from __future__ import annotations

from django.db import models


class ApiToken(models.Model):
    """A bearer token for machines and scripts. Only a SHA-256 of the secret is kept; the
    secret is shown once, when the token is created."""

    name = models.CharField(max_length=200)
    prefix = models.CharField(max_length=12, help_text="first characters, to recognise a token")
    secret_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    datastreams = models.JSONField(
        default=list, blank=True, help_text="ids of the Datastreams a sta:observe token may feed"
    )
    broker_account = models.CharField(
        max_length=20,
        blank=True,
        default="",
        help_text="state of the token's account at the MQTT broker (see sensors.mqtt.accounts)",
    )

    class Meta:
        verbose_name = "API-Token"
        verbose_name_plural = "API-Tokens"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
