"""The administration tables: the service catalogue (what people can apply for), and, in
their own modules, applications, the case around them (history, messages, requests,
mailbox) and payments."""

from smartcity.administration.models.applications import Application, ReferenceCounter, Upload
from smartcity.administration.models.case import (
    CaseEvent,
    DocumentRequest,
    MailboxItem,
    Message,
)
from smartcity.administration.models.catalogue import LegalBasis, LifeSituation, Office, Service
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
    "BankCredit",
    "CaseEvent",
    "CaseState",
    "DocumentRequest",
    "FeeSchedule",
    "LegalBasis",
    "LifeSituation",
    "MailboxItem",
    "Message",
    "Office",
    "Payment",
    "PaymentEvent",
    "ReferenceCounter",
    "Service",
    "Upload",
    "WebhookReceipt",
    "Workflow",
]
