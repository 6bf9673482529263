"""The GiroCode (EPC QR code, EPC069-12 version 002) of a bank transfer, made by segno:
the city as beneficiary (SMARTCITY_PAYMENT_CREDITOR_NAME, _IBAN, _BIC), the amount in
euros and the Kassenzeichen as the unstructured remittance information, which is what
the payer's bank hands on in ``RmtInf/Ustrd`` and the CAMT.053 import matches by."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

import segno
from django.core.exceptions import ImproperlyConfigured
from segno import helpers
from stdnum import bic as bic_number
from stdnum import iban as iban_number
from stdnum.exceptions import ValidationError

from smartcity.core import config


@dataclass(frozen=True)
class Account:
    """The city's account that transfers go to."""

    name: str
    iban: str  # compact, e.g. DE02100100100006820101
    bic: str

    @property
    def iban_grouped(self) -> str:
        return iban_number.format(self.iban)


def account() -> Account | None:
    """The configured account, None if SMARTCITY_PAYMENT_IBAN is empty;
    ImproperlyConfigured for an IBAN or BIC whose check fails."""
    raw_iban, raw_bic = config.get("PAYMENT_IBAN"), config.get("PAYMENT_BIC")
    if not raw_iban.strip():
        return None
    try:
        iban = iban_number.validate(raw_iban)
        bic = bic_number.validate(raw_bic) if raw_bic.strip() else ""
    except ValidationError as error:
        raise ImproperlyConfigured(
            f"SMARTCITY_PAYMENT_IBAN/BIC: {raw_iban!r} {raw_bic!r} is not valid ({error})"
        ) from None
    name = config.get("PAYMENT_CREDITOR_NAME").strip()[:70]
    return Account(name, iban, bic)


def remittance(kassenzeichen: str, purpose: str) -> str:
    """The remittance text (at most 140 characters): the Kassenzeichen first."""
    return f"{kassenzeichen} {purpose}".strip()[:140]


def qr(target: Account, amount_cents: int, text: str) -> segno.QRCode:
    return helpers.make_epc_qr(
        name=target.name,
        iban=target.iban,
        amount=Decimal(amount_cents) / 100,
        text=text,
        bic=target.bic or None,
    )


def svg(code: segno.QRCode, title: str) -> str:
    """Inline SVG for a page (black on white, with its quiet zone)."""
    return str(
        code.svg_inline(
            scale=4, border=4, title=title, dark="#000", light="#fff", svgclass="girocode"
        )
    )


def data_uri(code: segno.QRCode) -> str:
    """A PNG data: URL for the PDF invoice (WeasyPrint draws it without a fetch)."""
    return str(code.png_data_uri(scale=6, border=4))


def png(code: segno.QRCode) -> bytes:
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=6, border=4)
    return buffer.getvalue()
