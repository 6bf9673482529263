"""Citizens register with their e-mail address and a password, and confirm the address by
a link before they can log in; the same mails set a new password. No HTTP here.

Nobody can find out from the answers whether an address has an account: registering with
a known address, asking for a link for one and for an unknown one are all answered the
same, in about the same time (the password is hashed on every path, the mail is sent by
the task queue). The owner of a known address gets a notice instead of a second account.

An account's user name is its e-mail address in lower case, so the database's unique user
name keeps one account per address, also when two registrations race.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import urlsafe_base64_encode

from smartcity.core import config, roles
from smartcity.core.accounts.login import mail
from smartcity.core.accounts.login.models import Registration

CONFIRM_SALT = "smartcity.accounts.confirm"


def username_for(email: str) -> str:
    return email.strip().lower()


def link(path: str) -> str:
    """An absolute link into the platform, on SMARTCITY_PUBLIC_URL (never the Host header a
    request brought: a forged one must not end up in a mail)."""
    return config.get("PUBLIC_URL").rstrip("/") + path


def _fingerprint(user: Any) -> str:
    """Changes with the password: a new registration for a pending account voids its old
    links."""
    return salted_hmac(CONFIRM_SALT, user.password).hexdigest()[:20]


def confirmation_token(user: Any) -> str:
    return signing.dumps({"u": user.pk, "f": _fingerprint(user)}, salt=CONFIRM_SALT)


def may_mail(user: Any) -> bool:
    """Whether the account may be mailed now (SMARTCITY_ACCOUNT_MAIL_MINUTES since the
    last one); marks it as mailed when it may. One statement: two requests at once do not
    both pass."""
    now = timezone.now()
    gap = timedelta(minutes=config.get("ACCOUNT_MAIL_MINUTES"))
    record, _ = Registration.objects.get_or_create(user=user, defaults={"confirmed_at": now})
    due = Q(mailed_at__isnull=True) | Q(mailed_at__lte=now - gap)
    return Registration.objects.filter(due, pk=record.pk).update(mailed_at=now) == 1


def register(email: str, password: str) -> None:
    """A new account for ``email``, inactive until confirmed, and the confirmation mailed.
    A known address: its owner is told instead (a pending one gets the new password and a
    new link, since nobody has proven to own it yet)."""
    User = get_user_model()
    username = username_for(email)
    hashed = make_password(password)  # on every path: the answer's time tells nothing
    existing = User.objects.filter(username=username).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = User.objects.create(
                    username=username, email=username, password=hashed, is_active=False
                )
                Registration.objects.create(user=user)
        except IntegrityError:  # registered a moment ago by another request
            return
        _mail_confirmation(user)
    elif _pending(existing):
        existing.password = hashed
        existing.save(update_fields=["password"])
        _mail_confirmation(existing)
    elif may_mail(existing):
        mail.send("already_registered", existing.email, {"login": link(reverse("login:login"))})


def _pending(user: Any) -> bool:
    record = Registration.objects.filter(user=user).first()
    return record is not None and record.confirmed_at is None


def _mail_confirmation(user: Any) -> None:
    if may_mail(user):
        path = reverse("login:confirm", args=[confirmation_token(user)])
        hours = config.get("ACCOUNT_LINK_HOURS")
        mail.send("confirm", user.email, {"link": link(path), "hours": hours})


def resend(email: str) -> None:
    """A new confirmation link for a pending account; nothing for any other address."""
    user = get_user_model().objects.filter(username=username_for(email)).first()
    if user is not None and _pending(user):
        _mail_confirmation(user)


@dataclass(frozen=True)
class Confirmed:
    user: Any = None
    problem: str = ""  # "expired", "invalid"


def confirm(token: str) -> Confirmed:
    """Open the account a confirmation link names: active, with the role ``citizen``."""
    max_age = timedelta(hours=config.get("ACCOUNT_LINK_HOURS"))
    try:
        claims = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.SignatureExpired:
        return Confirmed(problem="expired")
    except signing.BadSignature:
        return Confirmed(problem="invalid")
    if not isinstance(claims, dict) or not isinstance(claims.get("u"), int):
        return Confirmed(problem="invalid")
    with transaction.atomic():
        record = (
            Registration.objects.select_for_update()
            .select_related("user")
            .filter(user_id=int(claims.get("u") or 0), confirmed_at__isnull=True)
            .first()
        )
        if record is None or claims.get("f") != _fingerprint(record.user):
            return Confirmed(problem="invalid")  # used already, or voided by a new password
        record.confirmed_at = timezone.now()
        record.save(update_fields=["confirmed_at"])
        record.user.is_active = True
        record.user.save(update_fields=["is_active"])
        roles.grant(record.user, "citizen")
    return Confirmed(user=record.user)


def reset_path(user: Any) -> str:
    """The path of a link that sets a new password (Django's token: it ends once used,
    once the password changes, and after SMARTCITY_ACCOUNT_LINK_HOURS)."""
    uid = urlsafe_base64_encode(str(user.pk).encode())
    return reverse("login:reset-confirm", args=[uid, default_token_generator.make_token(user)])


def account_for(email: str) -> Any:
    """The active account of an e-mail address: the one it names, else the one account
    that has it as its address (an administrator made with another user name)."""
    active = get_user_model().objects.filter(is_active=True)
    found = active.filter(username=username_for(email)).first()
    if found is None:
        matches = list(active.filter(email__iexact=email.strip())[:2])
        found = matches[0] if len(matches) == 1 else None
    return found


def request_reset(email: str) -> None:
    """Mail a link for a new password to the active account of ``email``; nothing else."""
    user = account_for(email)
    if user is not None and user.has_usable_password() and may_mail(user):
        hours = config.get("ACCOUNT_LINK_HOURS")
        mail.send("reset", user.email, {"link": link(reset_path(user)), "hours": hours})
