"""Applying as plain functions, no HTTP: start an application, save a step's data and
uploads, invite and record a co-signer, submit. The views call these; the limits are in
limits.py, the reference numbers in references.py."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from functools import partial
from typing import IO, Any

import orjson
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcity.administration.applying import limits, references
from smartcity.administration.applying.case import history
from smartcity.administration.applying.engine import fields, validate
from smartcity.administration.applying.limits import Refused
from smartcity.administration.applying.storage import store
from smartcity.administration.models import Application, Payment, Service, Upload
from smartcity.administration.payments import fees
from smartcity.administration.payments import services as payments
from smartcity.core import config, uploads

log = logging.getLogger("smartcity.administration")


class Invalid(Exception):
    """The application is not complete: the errors by field name."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def form_of(service: Service) -> fields.Form:
    return fields.load(service.form)


def prefill(form: fields.Form, user: Any) -> dict[str, Any]:
    """The fields with ``x-prefill`` filled from the signed-in person's account, the
    others with their schema's ``default``."""
    if user is None or not user.is_authenticated:
        return prefill_from(form, {})
    return prefill_from(
        form,
        {
            "account.email": user.email,
            "account.first_name": user.first_name,
            "account.last_name": user.last_name,
        },
    )


def prefill_from(form: fields.Form, sources: dict[str, str]) -> dict[str, Any]:
    """The fields with ``x-prefill`` filled from ``sources`` (an account's, or at the
    counter the citizen's identity the clerk took), else with the schema's ``default``
    (e.g. "Hamm" as the town, an xDatenfelder field's ``inhalt``)."""

    def fill(items: tuple[fields.Field, ...]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for item in items:
            if item.kind == "group":
                inner = fill(item.children)
                if inner:
                    found[item.name] = inner
            elif sources.get(str(item.schema.get("x-prefill", ""))):
                found[item.name] = sources[item.schema["x-prefill"]]
            elif "default" in item.schema and item.kind not in ("list", "upload"):
                found[item.name] = item.schema["default"]
        return found

    return fill(tuple(f for s in form.steps for f in s.fields))


def start(
    service: Service, *, user: Any = None, guest_email: str = "", client: str = ""
) -> Application:
    form = form_of(service)
    signed_in = user is not None and user.is_authenticated
    if not signed_in and not service.guest:
        raise Refused(_("Für diesen Antrag brauchen Sie ein Konto."), 403)
    limits.check_start(user if signed_in else None, guest_email, client)
    return Application.objects.create(
        service=service,
        applicant=user if signed_in else None,
        guest_email="" if signed_in else guest_email.lower(),
        data=prefill(form, user),
        client=client,
    )


def save_step(
    application: Application,
    form: fields.Form,
    step: fields.Step,
    data: dict[str, Any],
    *,
    done: bool,
) -> None:
    """Replaces the step's data; ``done``: the step is complete and the next may follow."""
    if not application.is_draft:
        raise Refused(
            _("Dieser Antrag ist schon abgeschickt und kann nicht mehr geändert werden."), 409
        )
    mine = {f.name for f in step.fields}
    merged = {k: v for k, v in application.data.items() if k not in mine} | data
    if len(orjson.dumps(merged)) > config.get("APPLY_MAX_DATA_BYTES"):
        raise Refused(
            _(
                "Ihre Angaben sind zu umfangreich für diesen Antrag. Bitte kürzen "
                "Sie die längsten Texte."
            ),
            400,
        )
    if merged != application.data and application.cosigned:
        application.cosigner, application.cosigned = None, None  # they signed other data
    application.data = merged
    if done:
        application.step = max(application.step, form.index(step.key) + 1)
    application.save(update_fields=["data", "step", "cosigner", "cosigned", "updated"])


def add_upload(
    application: Application, field: str, file: IO[bytes], name: str, spec: dict[str, Any]
) -> Upload:
    """Keeps the file for ``field`` (replacing that field's earlier one) once
    core.uploads.check has let it through; UploadRefused says why not."""
    if application.uploads.count() >= config.get("APPLY_UPLOADS_PER_APPLICATION"):
        raise uploads.UploadRefused(_("Dieser Antrag hat schon die größte Zahl an Dateien."))
    largest = min(int(spec.get("maxBytes", 10**12)), config.get("APPLY_UPLOAD_MAX_BYTES"))
    checked = uploads.check(file, accept=list(spec.get("accept", ())), max_bytes=largest)
    stored = store().save(file)
    with transaction.atomic():
        for old in application.uploads.filter(field=field):
            transaction.on_commit(partial(store().delete, old.stored))
            old.delete()
        return Upload.objects.create(
            application=application,
            field=field,
            original_name=name[:255] or "datei",
            media_type=checked.media_type,
            size=stored.size,
            sha256=stored.sha256,
            stored=stored.name,
        )


def invite_cosigner(application: Application, email: str, applicant_email: str) -> str:
    """Records the second person's address; the nonce their link carries."""
    if email.lower() == applicant_email.lower():
        raise Refused(_("Die zweite Person braucht eine eigene E-Mail-Adresse."), 400)
    nonce = secrets.token_urlsafe(18)
    application.cosigner_email = email.lower()
    application.cosign_token = hashlib.sha256(nonce.encode()).hexdigest()
    application.cosigner, application.cosigned = None, None
    application.save(
        update_fields=["cosigner_email", "cosign_token", "cosigner", "cosigned", "updated"]
    )
    return nonce


def check_cosigner(application: Application, user: Any) -> None:
    """Refused unless ``user`` is the invited second person (not the applicant): only they
    may read the application through the invitation."""
    if application.applicant_id is not None and application.applicant_id == user.pk:
        raise Refused(
            _(
                "Sie haben diesen Antrag selbst gestellt und können ihn nicht "
                "zusätzlich mitzeichnen."
            ),
            403,
        )
    if user.email.lower() != application.cosigner_email:
        raise Refused(
            _(
                "Diese Einladung gilt für eine andere E-Mail-Adresse. Bitte melden "
                "Sie sich mit dem Konto an, an das die Einladung ging."
            ),
            403,
        )


def cosign(application: Application, user: Any) -> None:
    check_cosigner(application, user)
    if not application.is_draft:
        raise Refused(_("Dieser Antrag ist schon abgeschickt."), 409)
    with transaction.atomic():
        application.cosigner, application.cosigned = user, timezone.now()
        application.save(update_fields=["cosigner", "cosigned", "updated"])
        history.write(application, "cosigned", actor="applicant")


def submit(pk: int, client: str, acknowledge: Callable[[Application], None]) -> Application:
    """Submits the application (once: a second call returns it as it is). Invalid names
    what is missing; Refused a limit or a missing co-signature. ``acknowledge`` runs
    after the commit (the e-mail)."""
    with transaction.atomic():
        application = Application.objects.select_for_update().select_related("service").get(pk=pk)
        if not application.is_draft:
            return application
        form = form_of(application.service)
        # a paper application's answers are on its scan: only the counter's minimum is kept
        paper = application.channel == Application.PAPER
        errors = {} if paper else validate.whole(form, application.data)
        if errors:
            raise Invalid(errors)
        # at the counter and on paper both people sign on paper, before the clerk
        online = application.channel == Application.ONLINE
        if form.cosign and online and application.cosigned is None:
            raise Refused(_("Die zweite antragstellende Person hat noch nicht mitgezeichnet."), 409)
        limits.check_submit(application, client)
        now = timezone.now()
        application.reference = references.next_reference(
            form.reference, timezone.localtime(now).year
        )
        application.status, application.submitted = Application.SUBMITTED, now
        application.client = client or application.client
        application.save(update_fields=["reference", "status", "submitted", "client", "updated"])
        history.write(application, "submitted", actor="applicant")
        _charge(application)
        transaction.on_commit(lambda: acknowledge(application))
    return application


def _charge(application: Application) -> None:
    """The payment of the fees the service's schedule charges for the application's data,
    in the submitting transaction (none when nothing is to pay). A schedule that does not
    fit the data is the city's mistake, not the applicant's: it is logged, the application
    goes in without a payment, and the office charges by notice."""
    try:
        payments.create_payment(
            application.service, application.reference or "", application.data,
            owner=application.applicant,
        )  # fmt: skip
    except fees.FeeError as error:
        log.error("the fee schedule of %s does not fit %s: %s",
                  application.service.key, application.reference, error)  # fmt: skip


def payment_of(application: Application) -> Payment | None:
    """The application's newest payment, if its service charges a fee."""
    return (
        Payment.objects.filter(case_ref=application.reference, service=application.service)
        .order_by("-pk")
        .first()
        if application.reference
        else None
    )
