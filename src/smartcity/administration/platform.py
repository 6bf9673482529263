"""What the administration domain brings into the platform (see smartcity.core.contract):
the service portal /service/ (catalogue, applying, paying), its actions, the Familienrathaus
demo services and `smartcity service` (importing FIM xDatenfelder)."""

from django.utils.translation import gettext_lazy as _

from smartcity.administration.actions import ACTIONS
from smartcity.administration.casefile.settings import SETTINGS as CASEFILE_SETTINGS
from smartcity.core.config import Setting
from smartcity.core.contract import (
    Command,
    DemoLoader,
    Domain,
    Mount,
    NavLink,
    PersonalData,
    PortalPart,
)


def _limit(name: str, default: str, help: str) -> Setting:
    return Setting(name, default, help, kind=int, minimum=1)


# Applying online (administration/applying/, docs/administration.md#applying)
APPLYING_SETTINGS = (
    _limit(
        "APPLY_UPLOAD_MAX_BYTES",
        "10000000",
        "The largest file one upload field takes, in bytes (a form's own maxBytes may "
        "be smaller); a larger one is refused with a message.",
    ),
    _limit("APPLY_UPLOADS_PER_APPLICATION", "20", "The most files one application holds."),
    _limit(
        "APPLY_MAX_DATA_BYTES",
        "100000",
        "The largest form data one application holds (its JSON, in bytes); a step that "
        "would make it larger is refused with a 400.",
    ),
    _limit(
        "APPLY_MAX_DRAFTS",
        "10",
        "The most applications one account or guest address has in draft at once.",
    ),
    _limit(
        "APPLY_STARTS_PER_HOUR",
        "10",
        "Applications one account or guest address may start in an hour (else 429).",
    ),
    _limit(
        "APPLY_STARTS_PER_HOUR_PER_CLIENT",
        "30",
        "Applications one client address may start in an hour (else 429).",
    ),
    _limit(
        "APPLY_SUBMISSIONS_PER_HOUR",
        "10",
        "Applications one account or guest address may submit in an hour (else 429).",
    ),
    _limit(
        "APPLY_SUBMISSIONS_PER_HOUR_PER_CLIENT",
        "30",
        "Applications one client address may submit in an hour (else 429).",
    ),
    _limit(
        "APPLY_GUEST_LINK_DAYS",
        "30",
        "Days a guest's link to resume an application (and a co-signing link) is valid.",
    ),
    _limit("APPLY_LIST_LIMIT", "200", "The most applications the page Meine Anträge lists."),
    _limit(
        "APPLY_COUNTER_PER_HOUR",
        "60",
        "Applications one clerk may enter at the counter or from paper in an hour, and "
        "submit in an hour (else 429).",
    ),
)

# The case in Meine Anträge (administration/applying/case/, docs/administration.md#meine-antrage)
CASE_SETTINGS = (
    _limit(
        "CASE_MESSAGE_MAX_CHARS",
        "5000",
        "The longest message the applicant or the office may write, in characters; a "
        "longer one is refused with a 400.",
    ),
    _limit(
        "CASE_MESSAGES_PER_HOUR",
        "10",
        "Messages an applicant may write on one application in an hour (else 429).",
    ),
    _limit(
        "CASE_REQUEST_MAX_CHARS",
        "2000",
        "The longest description of a missing document the office may write, in characters.",
    ),
    _limit(
        "CASE_MAILBOX_MAX_BYTES",
        "20000000",
        "The largest PDF the office may deliver to an applicant's mailbox, in bytes.",
    ),
    Setting(
        "CASE_REMINDER_DAYS",
        "3",
        "Days before a document request's deadline the applicant is reminded (once, by "
        "the e-mail that something new is there); 0: on the day itself.",
        kind=int,
        minimum=0,
    ),
    Setting(
        "CASE_DOCUMENT_TYPES",
        "application/pdf,image/jpeg,image/png",
        "Comma-separated file types (checked by content) an applicant may upload to "
        "answer a document request.",
    ),
    _limit(
        "CASE_LIST_LIMIT",
        "200",
        "The most history entries, messages and mailbox items one case page shows each.",
    ),
)

# Notices (administration/notices/, docs/administration.md#bescheide)
NOTICE_SETTINGS = (
    Setting(
        "NOTICE_AUTHORITY",
        "Stadt Hamm",
        "The authority a notice is from, at the top of its letterhead (the service's "
        "office and its address follow).",
    ),
    Setting(
        "NOTICE_COURT",
        "Verwaltungsgericht Arnsberg",
        "The administrative court the default legal remedy of a notice names (for Hamm: "
        "Arnsberg, § 52 Nr. 3 VwGO).",
    ),
    Setting(
        "NOTICE_COURT_ADDRESS",
        "Jägerstraße 1, 59821 Arnsberg",
        "That court's address, in the default legal remedy.",
    ),
    _limit(
        "NOTICE_DECISION_MAX_CHARS",
        "10000",
        "The longest decision text a clerk may write into a notice, in characters (else 400).",
    ),
    _limit(
        "NOTICE_TEMPLATE_MAX_CHARS",
        "20000",
        "The longest title, text or legal remedy of a notice template, in characters.",
    ),
)

# Paying (administration/payments/, docs/administration.md#paying)
PAYMENT_SETTINGS = (
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
        "PAYMENT_DUE_DAYS",
        "14",
        "Days after the invoice a transfer is due.",
        kind=int,
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
    Setting("PAYMENT_TESTPAY_WEBHOOK_SECRET", "", "Secret the test provider signs webhooks with."),
)

# Handing files to the archive (administration/archive/, docs/administration.md#archiv-xdomea)
ARCHIVE_SETTINGS = (
    Setting("ARCHIVE_SENDER", "Stadt Hamm", "Absender (Institution) of xdomea messages."),
    Setting(
        "ARCHIVE_RECIPIENT",
        "Stadtarchiv Hamm",
        "Empfaenger (Institution) of xdomea messages: the archive files are handed to.",
    ),
    Setting(
        "ARCHIVE_FILE_PLAN",
        "",
        "Aktenplankennzeichen given for every exported file (the file plan unit of the "
        "Familienrathaus' cases); empty: none.",
    ),
    _limit(
        "ARCHIVE_RECEIPT_MAX_BYTES",
        "1000000",
        "The largest answer of the archive (xdomea 0506/0507) `smartcity archive receipt` "
        "reads, in bytes.",
    ),
)

DOMAIN = Domain(
    name="administration",
    mounts=(Mount("service/", "smartcity.administration.urls"),),
    nav=(NavLink(_("Service"), "/service/", order=30),),
    portal=PortalPart(
        "administration",
        _("Digitale Verwaltung / Familienrathaus"),
        _("Leistungen der Stadt online beantragen, bezahlen und den Stand verfolgen."),
        href="/service/",
        order=30,
    ),
    actions=ACTIONS,  # administration/actions.py
    # applications, uploads (names, not bytes), co-signatures, payments; drafts go, the rest
    # stays with the office, unlinked (administration/personal.py)
    personal_data=(
        PersonalData(
            export="smartcity.administration.personal:export",
            erase="smartcity.administration.personal:erase",
        ),
    ),
    importers=("smartcity.administration.payments.reconcile:IMPORTER",),
    tasks=("smartcity.administration.tasks",),
    payment_providers=(
        "smartcity.administration.payments.providers.banktransfer:PROVIDER",
        "smartcity.administration.payments.providers.testpay:PROVIDER",
    ),
    demo=DemoLoader("smartcity.administration.demo:load_demo"),
    commands=(
        Command(
            "archive",
            "the archive: export writes a file as xdomea 3.1.0 zip, receipt reads the answer",
            "smartcity.administration.archive.command:configure",
        ),
        Command(
            "service",
            "the service catalogue: import-xdf reads a FIM xDatenfelder 3 schema into a form",
            "smartcity.administration.catalogue.xdf.command:configure",
        ),
    ),
    settings=(
        *APPLYING_SETTINGS,
        *CASE_SETTINGS,
        *NOTICE_SETTINGS,
        *PAYMENT_SETTINGS,
        *CASEFILE_SETTINGS,
        *ARCHIVE_SETTINGS,
        Setting(
            "WORKFLOW_DUE_DAYS",
            "30",
            "Days from submission an application is due to be decided, for a service whose "
            "workflow names no processing time of its own.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "ADMINISTRATION_SEARCH_MAX_CHARS",
            "200",
            "The longest search the service catalogue (/service/?q=) accepts, in characters.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "ADMINISTRATION_SEARCH_MAX_RESULTS",
            "50",
            "The most services one search of the service catalogue shows.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "ADMINISTRATION_XDF_MAX_BYTES",
            "20000000",
            "The largest FIM xDatenfelder file `smartcity service import-xdf` reads, in bytes.",
            kind=int,
            minimum=1024,
        ),
    ),
)
