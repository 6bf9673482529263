"""The administration tables: the service catalogue (what people can apply for), and, in
their own modules, applications, the case around them (history, messages, requests,
mailbox) and payments."""

from smartcity.administration.models.applications import Application, ReferenceCounter, Upload
from smartcity.administration.models.archive import ArchiveTransfer
from smartcity.administration.models.case import (
    CaseEvent,
    DocumentRequest,
    MailboxItem,
    Message,
)
from smartcity.administration.models.casefile import (
    CaseDocument,
    CaseFile,
    CaseNote,
    DocumentVersion,
)
from smartcity.administration.models.catalogue import LegalBasis, LifeSituation, Office, Service
from smartcity.administration.models.notices import NoticeTemplate, PrintJob
from smartcity.administration.models.payments import (
    BankCredit,
    FeeSchedule,
    Payment,
    PaymentEvent,
    WebhookReceipt,
)
from smartcity.administration.models.workflow import CaseState, Workflow

__all__ = [
    "Application",
    "ArchiveTransfer",
    "BankCredit",
    "CaseDocument",
    "CaseEvent",
    "CaseFile",
    "CaseNote",
    "CaseState",
    "DocumentRequest",
    "DocumentVersion",
    "FeeSchedule",
    "LegalBasis",
    "LifeSituation",
    "MailboxItem",
    "Message",
    "NoticeTemplate",
    "Office",
    "Payment",
    "PaymentEvent",
    "PrintJob",
    "ReferenceCounter",
    "Service",
    "Upload",
    "WebhookReceipt",
    "Workflow",
]
