"""Which account a login through the identity broker is (no HTTP here).

- A known identity (issuer + subject, core.models.OidcIdentity) is its account; the mapped
  claims (SMARTCITY_OIDC_CLAIMS) refresh the account's fields.
- A new identity gets a new citizen account: active, no password (it logs in only through
  the broker), the role ``citizen``.
- An existing account is never taken over on the strength of an e-mail address: a new
  identity whose address belongs to an account already is refused with the advice to
  log in to that account and link it there. Linking happens only when the person is
  logged in to the account and starts the broker's login from /konto/oidc/verknuepfen/
  (a POST), so they have proven both.
- An address is taken from the broker only when it says ``email_verified`` (unless
  SMARTCITY_OIDC_REQUIRE_EMAIL_VERIFIED=0), and only when it is a valid address.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from smartcity.core import config, roles
from smartcity.core.accounts.oidc.models import OidcIdentity
from smartcity.core.accounts.oidc.settings import FIELDS, claim_mapping


def mapped_fields(claims: dict[str, Any]) -> dict[str, str]:
    """The account fields the claims fill (a claim that is missing or no text fills none)."""
    fields: dict[str, str] = {}
    for field, claim in claim_mapping().items():
        value = claims.get(claim)
        if isinstance(value, str) and value.strip():
            fields[field] = value.strip()[: FIELDS[field]]
    email = fields.pop("email", None)
    verified = claims.get("email_verified") is True or not config.get("OIDC_REQUIRE_EMAIL_VERIFIED")
    if email and verified:
        try:
            validate_email(email)
        except ValidationError:
            pass
        else:
            fields["email"] = email.lower()
    return fields


@dataclass(frozen=True)
class Outcome:
    user: Any = None
    problem: str = ""  # "exists", "inactive", "taken"
    created: bool = False
    linked: bool = False


def username_for(issuer: str, subject: str) -> str:
    """An account's user name for an identity: stable, and no e-mail address (so it never
    meets a registered account's user name, which is one)."""
    return "oidc-" + hashlib.sha256(f"{issuer}\n{subject}".encode()).hexdigest()[:32]


def account_for(issuer: str, claims: dict[str, Any], linking: Any = None) -> Outcome:
    """The account of a checked login; ``linking``: the account the person is logged in to
    and asked to link."""
    subject = str(claims["sub"])
    fields = mapped_fields(claims)
    known = OidcIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject)
    identity = known.first()
    if identity is not None:
        if linking is not None and identity.user_id != linking.pk:
            return Outcome(problem="taken")
        return _returning(identity, fields)
    if linking is not None:
        return _link(linking, issuer, subject, fields)
    email = fields.get("email")
    User = get_user_model()
    if email and User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists():
        return Outcome(problem="exists")
    try:
        with transaction.atomic():
            user = User(username=username_for(issuer, subject), is_active=True, **fields)
            user.set_unusable_password()
            user.save()
            roles.grant(user, "citizen")
            OidcIdentity.objects.create(
                user=user, issuer=issuer, subject=subject, last_login_at=timezone.now()
            )
    except IntegrityError:  # the same person's second login a moment ago made it
        identity = known.first()
        if identity is None:
            raise
        return _returning(identity, fields)
    return Outcome(user=user, created=True)


def _returning(identity: OidcIdentity, fields: dict[str, str]) -> Outcome:
    user = identity.user
    if not user.is_active:
        return Outcome(problem="inactive")
    if user.has_usable_password():  # a linked account with a password keeps its own data
        fields = {k: v for k, v in fields.items() if not getattr(user, k)}
    changed = [name for name, value in fields.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, fields[name])
    if changed:
        user.save(update_fields=changed)
    identity.last_login_at = timezone.now()
    identity.save(update_fields=["last_login_at"])
    return Outcome(user=user)


def _link(user: Any, issuer: str, subject: str, fields: dict[str, str]) -> Outcome:
    if not user.is_active:
        return Outcome(problem="inactive")
    try:
        with transaction.atomic():
            OidcIdentity.objects.create(
                user=user, issuer=issuer, subject=subject, last_login_at=timezone.now()
            )
    except IntegrityError:
        return Outcome(problem="taken")
    empty = [
        name for name in ("first_name", "last_name") if name in fields and not getattr(user, name)
    ]
    for name in empty:
        setattr(user, name, fields[name])
    if empty:
        user.save(update_fields=empty)
    return Outcome(user=user, linked=True)
