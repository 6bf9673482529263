"""The administration tables: the service catalogue (what people can apply for), and,
in their own modules, applications and payments."""

from smartcity.administration.models.catalogue import Service
from smartcity.administration.models.payments import (
    BankCredit,
    FeeSchedule,
    Payment,
    PaymentEvent,
    WebhookReceipt,
)

__all__ = ["BankCredit", "FeeSchedule", "Payment", "PaymentEvent", "Service", "WebhookReceipt"]
