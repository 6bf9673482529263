"""The analog channel as plain functions, no HTTP: a clerk starts an application on a
citizen's behalf (then fills the service's own steps and submits it as online), or
records a paper application (its scan and the citizen's identity, submitted at once).
Both go through applying.services (limits, uploads, reference, fee, acknowledgement);
the application records its channel and the clerk who entered it.

A citizen with an account sees such an application in Meine Anträge only after claiming
it (:func:`claim`): signed in with the confirmed e-mail address the clerk took, and with
the code printed on the acknowledgement handed over or posted to them (:func:`claim_code`).
So a mistyped address shows it to nobody else, and neither does a lost printout."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from smartcity.administration.applying import limits
from smartcity.administration.applying import services as applying
from smartcity.administration.applying.limits import Refused
from smartcity.administration.applying.storage import store
from smartcity.administration.counter.identity import SCAN, Citizen
from smartcity.administration.models import Application, Service
from smartcity.core import roles

ACTION = "administration.application.counter"
CLAIM_CANDIDATES = 50  # unclaimed applications of one address looked through


def may_enter(clerk: Any, service: Service) -> bool:
    """Whether ``clerk`` may enter applications for ``service`` (its team's clerks)."""
    return service.team is not None and roles.may(clerk, ACTION, service.team.key)


def services_for(clerk: Any) -> list[Service]:
    """The published services with a form of the teams ``clerk`` enters applications for."""
    teams = roles.teams_for(clerk, ACTION)
    return list(
        Service.objects.filter(published=True, team__key__in=teams)
        .exclude(form={})
        .select_related("team")
        .order_by("name")
    )


def start(
    service: Service, clerk: Any, citizen: Citizen, *, channel: str = Application.COUNTER
) -> Application:
    """A draft for ``citizen`` entered by ``clerk``; Refused over the clerk's limits."""
    if not may_enter(clerk, service):
        raise Refused(_("Für diese Leistung dürfen Sie keine Anträge erfassen."), 403)
    form = applying.form_of(service)
    limits.check_counter(clerk)
    return Application.objects.create(
        service=service,
        entered_by=clerk,
        channel=channel,
        citizen=citizen.stored(),
        paper_mail=citizen.paper_mail,
        data=applying.prefill_from(form, citizen.prefill()),
    )


def record_paper(
    service: Service,
    clerk: Any,
    citizen: Citizen,
    scan: IO[bytes],
    scan_spec: dict[str, Any],
    acknowledge: Callable[[Application], None],
) -> Application:
    """A paper application: the draft, its scan (core.uploads' checks) and the submission
    in one transaction, so a refused scan or a limit leaves nothing behind."""
    kept: list[str] = []
    try:
        with transaction.atomic():
            application = start(service, clerk, citizen, channel=Application.PAPER)
            upload = applying.add_upload(
                application, SCAN, scan, getattr(scan, "name", "") or "scan.pdf", scan_spec
            )
            kept.append(upload.stored)
            application.data = {SCAN: upload.public_id}
            application.save(update_fields=["data", "updated"])
            return applying.submit(application.pk, "", acknowledge)
    except BaseException:
        for name in kept:  # the file is in the store, its row was rolled back
            store().delete(name)
        raise


def claim_code(application: Application) -> str:
    """The code on the acknowledgement of an application entered by a clerk: a keyed
    hash of its public id (nothing to store), 60 bits in groups of four."""
    key = settings.SECRET_KEY.encode()
    digest = hmac.new(key, b"counter-claim:" + application.public_id.encode(), hashlib.sha256)
    text = base64.b32encode(digest.digest()).decode()[:12]
    return "-".join(text[i : i + 4] for i in range(0, 12, 4))


def _normalised(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()[:40]


def claim(user: Any, code: str) -> Application:
    """Adds the submitted application the clerk entered for ``user``'s confirmed e-mail
    address and whose acknowledgement carries ``code`` to their account; Refused (400)
    for anything else, without saying whether such an application exists."""
    refused = Refused(
        _(
            "Zu diesem Code gibt es keinen Antrag für Ihre E-Mail-Adresse. Bitte prüfen "
            "Sie den Code auf Ihrer Eingangsbestätigung."
        ),
        400,
    )
    registration = getattr(user, "registration", None)
    if not user.email or registration is None or registration.confirmed_at is None:
        raise Refused(_("Bitte bestätigen Sie zuerst die E-Mail-Adresse Ihres Kontos."), 403)
    wanted = _normalised(code)
    candidates = Application.objects.filter(
        applicant__isnull=True,
        entered_by__isnull=False,
        status=Application.SUBMITTED,
        citizen__email=user.email.lower(),
    ).order_by("-submitted")[:CLAIM_CANDIDATES]
    for application in candidates:
        if hmac.compare_digest(_normalised(claim_code(application)), wanted):
            application.applicant = user
            application.save(update_fields=["applicant", "updated"])
            return application
    raise refused
