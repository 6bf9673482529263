"""What a notice says for one application: the recipient (the citizen the counter took,
else the template's fields of the form, else the account's name), the filled text, the
fees with their Kassenzeichen and GiroCode (the payments part's own: create_payment,
invoice.transfer_context, girocode), the remedy; and its PDF/A-3b (core.pdf). A notice
is always German: it is the authority's act, whatever language the clerk's page is in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import formats, timezone, translation

from smartcity.administration.models import Application, NoticeTemplate, Payment
from smartcity.administration.notices import remedy, templates
from smartcity.administration.payments import fees, girocode, invoice
from smartcity.administration.payments import services as payments
from smartcity.core import config, pdf

TEMPLATE = "administration/notices/notice.html"


@dataclass(frozen=True)
class Recipient:
    first: str
    last: str
    street: str
    postcode: str
    town: str

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first, self.last) if part)

    @property
    def one_line(self) -> str:
        town = " ".join(part for part in (self.postcode, self.town) if part)
        return ", ".join(part for part in (self.street, town) if part)


def _group(data: Any, path: str) -> Mapping[str, Any]:
    found = fees.lookup(data, path) if path else None
    return found if isinstance(found, Mapping) else {}


def _text(values: Mapping[str, Any], key: str) -> str:
    return " ".join(str(values.get(key) or "").split())[:100]


def recipient(application: Application, template: NoticeTemplate) -> Recipient:
    citizen = application.citizen if isinstance(application.citizen, Mapping) else {}
    names = (
        citizen
        if citizen.get("familienname")
        else _group(application.data, template.recipient_field)
    )
    where = citizen if citizen.get("strasse") else _group(application.data, template.address_field)
    first, last = _text(names, "vorname"), _text(names, "familienname")
    if not (first or last) and application.applicant is not None:
        first, last = application.applicant.first_name, application.applicant.last_name
    return Recipient(first, last, _text(where, "strasse"), _text(where, "plz"), _text(where, "ort"))


def open_payment(application: Application) -> Payment | None:
    """The application's latest payment that still counts (not failed, not refunded)."""
    if not application.reference:
        return None
    return (
        Payment.objects.filter(service=application.service, case_ref=application.reference)
        .exclude(status__in=[Payment.FAILED, Payment.REFUNDED])
        .order_by("-created", "-pk")
        .first()
    )


def _fees(application: Application, payment: Payment | None) -> dict[str, Any] | None:
    """The fee table: of ``payment`` (with the GiroCode while it is unpaid and the city's
    account is configured), or for a preview without one, what the fee schedule asks."""
    if payment is None:
        lines = [
            line.as_dict() for line in payments.fee_lines(application.service, application.data)
        ]
        total = sum(line["amount"] for line in lines)
        if not total:
            return None
        shown = [{**line, "euros": payments.euros(line["amount"])} for line in lines]
        return {"lines": shown, "total": payments.euros(total), "payment": None}
    paid = payment.status == Payment.COMPLETED
    if not paid and girocode.account() is not None:
        context = invoice.transfer_context(payment)
        context["qr_uri"] = girocode.data_uri(context.pop("code"))
        return context
    lines = [{**line, "euros": payments.euros(line["amount"])} for line in payment.lines]
    return {
        "payment": payment,
        "lines": lines,
        "total": payments.euros(payment.amount),
        "paid": paid,
    }


def _day(value: Any) -> str:
    return formats.date_format(value, "j. F Y") if value else ""


def values(
    application: Application, person: Recipient, decision: str, fee: dict[str, Any] | None
) -> dict[str, str]:
    """The placeholders' values (templates.FIELDS)."""
    submitted = application.submitted and timezone.localtime(application.submitted).date()
    payment = fee.get("payment") if fee else None
    return {
        "name": person.name, "vorname": person.first, "familienname": person.last,
        "anschrift": person.one_line, "aktenzeichen": application.reference or "",
        "leistung": application.service.name, "eingang": _day(submitted),
        "datum": _day(timezone.localdate()), "entscheidung": decision,
        "gebuehr": fee["total"] if fee else payments.euros(0),
        "kassenzeichen": payment.kassenzeichen if payment else "",
        "faellig": _day(fee.get("due")) if fee else "",
    }  # fmt: skip


def _sender(application: Application) -> str:
    """The one line above the address window: the authority and the office's address."""
    office = application.service.office
    lines = str(office.address).splitlines() if office is not None else []
    return ", ".join(
        [str(config.get("NOTICE_AUTHORITY")), *(x.strip() for x in lines if x.strip())]
    )


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def render(
    application: Application,
    template: NoticeTemplate,
    decision: str,
    payment: Payment | None = None,
) -> tuple[str, bytes]:
    """The notice's title and its PDF/A-3b."""
    with translation.override("de"):
        person = recipient(application, template)
        fee = _fees(application, payment) if template.with_fees else None
        filled = values(application, person, decision, fee)
        title = " ".join(templates.fill(template.title, filled).split())[:200]
        own_remedy = templates.fill(template.remedy, filled).strip()
        context = {
            "title": title,
            "authority": config.get("NOTICE_AUTHORITY"),
            "office": application.service.office,
            "sender": _sender(application),
            "person": person,
            "reference": application.reference,
            "date": filled["datum"],
            "paragraphs": _paragraphs(templates.fill(template.body, filled)),
            "fee": fee,
            "remedy": own_remedy or remedy.default().text,
        }
        return title, pdf.from_template(TEMPLATE, context, title=title)
