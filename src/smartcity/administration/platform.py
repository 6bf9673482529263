"""What the administration domain brings into the platform (see smartcity.core.contract):
the service portal /service/ (catalogue, applying, paying) and its actions."""

from django.utils.translation import gettext_lazy as _

from smartcity.core.config import Setting
from smartcity.core.contract import Action, Domain, Mount, PortalPart

DOMAIN = Domain(
    name="administration",
    mounts=(Mount("service/", "smartcity.administration.urls"),),
    portal=PortalPart(
        "administration",
        _("Digitale Verwaltung / Familienrathaus"),
        _("Leistungen der Stadt online beantragen, bezahlen und den Stand verfolgen."),
        href=None,  # the catalogue sets it: "/service/"
        order=30,
    ),
    actions=(
        Action("administration.service.edit", "edit the service catalogue", ("admin",)),
        Action(
            "administration.application.read",
            "read a team's applications with the applicants' personal data",
            ("clerk", "supervisor"),
            team=True,
        ),
        Action(
            "administration.application.counter",
            "enter an application at the counter on a citizen's behalf, or a paper one",
            ("clerk",),
            team=True,
        ),
        Action(
            "administration.payment.manage",
            "see a team's payments and the bank's unmatched credits, refund, clear them",
            ("clerk", "supervisor"),
            team=True,
        ),
    ),
    importers=("smartcity.administration.payments.reconcile:IMPORTER",),
    payment_providers=(
        "smartcity.administration.payments.providers.banktransfer:PROVIDER",
        "smartcity.administration.payments.providers.testpay:PROVIDER",
    ),
    settings=(
        Setting(
            "PAYMENT_PROVIDERS",
            "bank-transfer",
            "Comma-separated payment ways the pay page offers, in this order (installed: "
            "bank-transfer, testpay); one that is not configured is left out.",
        ),
        Setting(
            "PAYMENT_KASSENZEICHEN_FORMAT",
            "5{yy}{serial:7}",
            "Shape of a Kassenzeichen: digits, {yy} or {yyyy} (the year) and one {serial:N} "
            "(N random digits, 4-12); a Luhn check digit is appended.",
        ),
        Setting("PAYMENT_CREDITOR_NAME", "Stadt Hamm", "Beneficiary of bank transfers."),
        Setting(
            "PAYMENT_IBAN",
            "",
            "IBAN of the city's account for transfers; empty: bank transfer is not offered.",
        ),
        Setting("PAYMENT_BIC", "", "BIC of that account (optional within the EEA)."),
        Setting(
            "PAYMENT_DUE_DAYS", "14", "Days after the invoice a transfer is due.", kind=int,
            minimum=0,
        ),
        Setting(
            "PAYMENT_MAX_AMOUNT",
            "1000000",
            "Largest total in cents a fee schedule may ask for; above it the fee is refused.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "PAYMENT_MAX_QUANTITY",
            "100",
            "Largest quantity a fee line may count from the form's data.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "PAYMENT_PROVIDER_TIMEOUT",
            "10",
            "Seconds a payment provider's API may take to answer.",
            kind=float,
            minimum=0.1,
        ),
        Setting(
            "PAYMENT_WEBHOOK_TOLERANCE",
            "300",
            "Seconds a provider's signed webhook may be old; an older one is refused.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "PAYMENT_WEBHOOK_MAX_BYTES",
            "65536",
            "Largest webhook body a provider may send; larger gets 413.",
            kind=int,
            minimum=1024,
        ),
        Setting("PAYMENT_TESTPAY_URL", "", "Address of the test payment provider."),
        Setting("PAYMENT_TESTPAY_API_KEY", "", "API key of the test payment provider."),
        Setting(
            "PAYMENT_TESTPAY_WEBHOOK_SECRET", "", "Secret the test provider signs webhooks with."
        ),
    ),
)
