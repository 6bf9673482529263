"""Everything stored about a person, from every domain (``Domain.personal_data``), and
the account's own part of it: the download of "Mein Konto" (Art. 15 and 20 GDPR) and the
deletion of the account (Art. 17).

:func:`export` asks each domain's ``export(user)`` for a dict and files it under the
domain's name; :func:`delete_account` runs each domain's ``erase(user)`` and then deletes
the account, all in one transaction (a failing eraser deletes nothing), and records both
in the audit log (core/audit.py) by the account's id alone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import devices_for_user

from smartcity.core import audit, contract, roles

FORMAT = "smartcity-personal-data/1"
OBJECT_TYPE = "core.account"


def stamp(value: datetime | None) -> str | None:
    """A time as ISO 8601 in UTC, None as None: the export's one way to write times."""
    return value.astimezone(UTC).isoformat() if value is not None else None


def export_account(user: Any) -> dict[str, Any]:
    """The account itself: names, address, dates, roles, the second factors' names (never
    their secrets), the registration's dates."""
    registration = getattr(user, "registration", None)  # none for accounts made by staff
    return {
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": stamp(user.date_joined),
            "last_login": stamp(user.last_login),
            "is_active": user.is_active,
        },
        "roles": [
            {"role": role, "team": team}
            for role, team in user.roles.order_by("role").values_list("role", "team__key")
        ],
        "registration": None
        if registration is None
        else {
            "registered_at": stamp(registration.registered_at),
            "confirmed_at": stamp(registration.confirmed_at),
        },
        "second_factors": [
            {"kind": type(device).__name__, "name": device.name}
            for device in devices_for_user(user, confirmed=None)
        ],
    }


def erase_account(user: Any) -> None:
    """The account's rows go with it (roles, registration and second factors cascade);
    failed logins are kept by user name, so they go here."""
    from axes.models import AccessAttempt, AccessFailureLog

    AccessAttempt.objects.filter(username=user.get_username()).delete()
    AccessFailureLog.objects.filter(username=user.get_username()).delete()


def export(user: Any) -> dict[str, Any]:
    """Everything stored about ``user``, by domain, as JSON values."""
    found: dict[str, Any] = {"format": FORMAT, "created": stamp(timezone.now())}
    for domain, provider in contract.personal_data():
        part = contract.resolve(provider.export)(user)
        found.setdefault(domain, {}).update(part)
    return found


def deletable(user: Any) -> bool:
    """Whether the person may delete their account themselves: not a staff account, whose
    end is the administration's (it holds roles and leaves traces in case files)."""
    return not (roles.is_staff(user) or user.is_staff or user.is_superuser)


def record_export(request: HttpRequest) -> None:
    audit.record(request, audit.EXPORT, OBJECT_TYPE, request.user.pk, "self-service")


def delete_account(request: HttpRequest, user: Any) -> None:
    """Run every domain's eraser and delete the account, in one transaction, then write
    the audit event (by the account's former id: no name, no address)."""
    if not deletable(user):
        raise PermissionError("staff accounts are deleted by the administration")
    account_id = user.pk
    with transaction.atomic():
        for _domain, provider in contract.personal_data():
            contract.resolve(provider.erase)(user)
        user.delete()
    audit.record(request, audit.DELETE, OBJECT_TYPE, account_id, "self-service", actor=account_id)
