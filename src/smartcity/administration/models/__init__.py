"""The administration tables: the service catalogue (what people can apply for), and,
in their own modules, applications and payments."""

from smartcity.administration.models.applications import Application, ReferenceCounter, Upload
from smartcity.administration.models.catalogue import LegalBasis, LifeSituation, Office, Service
from smartcity.administration.models.payments import (
    BankCredit,
    FeeSchedule,
    Payment,
    PaymentEvent,
    WebhookReceipt,
)

__all__ = [
    "Application",
    "BankCredit",
    "FeeSchedule",
    "LegalBasis",
    "LifeSituation",
    "Office",
    "Payment",
    "PaymentEvent",
    "ReferenceCounter",
    "Service",
    "Upload",
    "WebhookReceipt",
]
