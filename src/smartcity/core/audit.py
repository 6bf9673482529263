"""The audit log: every read of personal data by staff, every download of everything
stored about a person and every deletion of an account, one :class:`AuditEvent` each.

An event says who (the account's id, and for staff their user name and roles at the
time), what (the action, the object's type and public id, the purpose) and when (with
the request's id and the client's address, truncated). It holds no personal data of the
person the object is about beyond the object's public id.

Events are written through their own database alias, ``"audit"`` (core/audit_routing.py,
settings.py): a file of its own on SQLite, a second connection on PostgreSQL. That
connection is in autocommit, so an event is committed when :func:`record` returns and
survives a rollback of the request's transaction. When the log cannot be written, the
read it would record does not happen either (the store's 503). Events are kept for
``SMARTCITY_AUDIT_RETENTION_DAYS``; :func:`prune_old_events` runs each night.
"""

from __future__ import annotations

import ipaddress
import secrets
from datetime import timedelta
from typing import Any

from django.db import DatabaseError, models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcity.core import config, storefaults
from smartcity.core.tasks import crontab, queue

READ, DOWNLOAD, EXPORT, DELETE = "read", "download", "export", "delete"
ACTIONS = [
    (READ, _("gelesen")),
    (DOWNLOAD, _("heruntergeladen")),
    (EXPORT, _("Auskunft heruntergeladen")),
    (DELETE, _("gelöscht")),
]
ALIAS = "audit"
PRUNE_BATCH = 5000


class AuditEvent(models.Model):
    at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(_("Konto-Nr."), null=True, blank=True)
    # staff only: a citizen acting on their own data is recorded by account id alone
    actor_name = models.CharField(_("Benutzername"), max_length=150, blank=True, default="")
    actor_roles = models.CharField(_("Rollen"), max_length=200, blank=True, default="")
    action = models.CharField(_("Vorgang"), max_length=20, choices=ACTIONS)
    object_type = models.CharField(_("Art des Objekts"), max_length=100)
    object_id = models.CharField(_("Kennung des Objekts"), max_length=64)
    purpose = models.CharField(_("Zweck"), max_length=100)
    request_id = models.CharField(_("Anfrage"), max_length=32, blank=True, default="")
    client = models.CharField(_("Netz des Aufrufs"), max_length=64, blank=True, default="")

    class Meta:
        app_label = "core"
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Zugriffsprotokoll")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"


def truncated_address(address: str | None) -> str:
    """The client's network, not its address: IPv4 to /24, IPv6 to /48 (as the address
    is kept no longer than needed, a network says enough to spot misuse)."""
    if not address:
        return ""
    try:
        found = ipaddress.ip_address(address)
    except ValueError:
        return ""
    prefix = 24 if found.version == 4 else 48
    return str(ipaddress.ip_network(f"{found}/{prefix}", strict=False))


def request_id(request: HttpRequest | None) -> str:
    """A random id of the request, the same for every event it records."""
    if request is None:
        return ""
    found = getattr(request, "_audit_request_id", None)
    if found is None:
        found = secrets.token_hex(8)
        request._audit_request_id = found  # type: ignore[attr-defined]
    return str(found)


def _actor(user: Any) -> tuple[int | None, str, str]:
    from smartcity.core import roles

    if user is None or not user.is_authenticated:
        return None, "", ""
    held = sorted(roles.held(user))
    staff = roles.is_staff(user) or user.is_staff or user.is_superuser
    return user.pk, user.get_username() if staff else "", ",".join(held)


def record(
    request: HttpRequest | None,
    action: str,
    object_type: str,
    object_id: object,
    purpose: str,
    *,
    actor: Any = None,
) -> AuditEvent:
    """Write one event, committed at once whatever the caller's transaction does.
    ``actor`` is the acting account (default: the request's user), or an account's id
    alone (an account that is gone)."""
    if action not in dict(ACTIONS):
        raise ValueError(f"unknown audit action {action!r}")
    actor_id: int | None
    if isinstance(actor, int):
        actor_id, name, held = actor, "", ""
    else:
        acting = actor if actor is not None else getattr(request, "user", None)
        actor_id, name, held = _actor(acting)
    address = request.META.get("REMOTE_ADDR") if request is not None else None
    try:
        return AuditEvent.objects.using(ALIAS).create(
            actor_id=actor_id,
            actor_name=name[:150],
            actor_roles=held[:200],
            action=action,
            object_type=object_type[:100],
            object_id=str(object_id)[:64],
            purpose=purpose[:100],
            request_id=request_id(request),
            client=truncated_address(address),
        )
    except DatabaseError as error:
        # no read without its record: a log that cannot be written stops the read (503)
        if storefaults.unavailable(error):
            raise storefaults.StoreUnavailable from error
        raise


def prune(now: Any = None) -> int:
    """Delete the events older than AUDIT_RETENTION_DAYS, in batches; how many went."""
    cutoff = (now or timezone.now()) - timedelta(days=config.get("AUDIT_RETENTION_DAYS"))
    gone = 0
    while True:
        batch = list(
            AuditEvent.objects.using(ALIAS)
            .filter(at__lt=cutoff)
            .values_list("pk", flat=True)[:PRUNE_BATCH]
        )
        if not batch:
            return gone
        deleted, _ = AuditEvent.objects.using(ALIAS).filter(pk__in=batch).delete()
        gone += deleted


@queue.periodic_task(crontab(minute="23", hour="3"))
def prune_old_events() -> None:
    prune()
