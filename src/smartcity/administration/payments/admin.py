"""The back office's view of payments: fee schedules, payments with their history (a
refund as an action), and the bank's credits a clerk must clear. Opening a payment or a
credit is a read of personal data, recorded in the audit log (core/audit_admin.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from smartcity.administration.models import BankCredit, FeeSchedule, Payment, PaymentEvent
from smartcity.administration.payments import providers, status
from smartcity.core.audit_admin import AuditedReads


@admin.register(FeeSchedule)
class FeeScheduleAdmin(admin.ModelAdmin):
    list_display = ("service", "step")


class EventInline(admin.TabularInline):
    model = PaymentEvent
    extra = 0
    can_delete = False
    readonly_fields = ("old", "new", "actor", "note", "at")

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.action(description=_("Erstatten"))
def refund(modeladmin: Any, request: Any, queryset: Any) -> None:
    for payment in queryset:
        try:
            provider = providers.installed()[payment.provider]
            provider.refund(payment, actor=f"user:{request.user.pk}")
        except (KeyError, providers.ProviderError, status.IllegalTransition) as error:
            modeladmin.message_user(request, f"{payment}: {error}", messages.ERROR)


@admin.register(Payment)
class PaymentAdmin(AuditedReads, admin.ModelAdmin):
    audit_object_type, audit_id_field = "administration.payment", "public_id"
    list_display = ("kassenzeichen", "service", "case_ref", "amount", "provider", "status")
    list_filter = ("status", "provider")
    search_fields = ("kassenzeichen", "case_ref")
    readonly_fields = [f.name for f in Payment._meta.fields]
    inlines = [EventInline]
    actions = [refund]

    def has_add_permission(self, request: Any) -> bool:
        return False


@admin.register(BankCredit)
class BankCreditAdmin(AuditedReads, admin.ModelAdmin):  # the debtor's name, the remittance
    audit_object_type = "administration.bankcredit"
    list_display = ("booked", "amount", "currency", "remittance", "outcome", "resolved")
    list_filter = ("resolved", "outcome")
    search_fields = ("remittance", "entry_ref")
    readonly_fields = [f.name for f in BankCredit._meta.fields if f.name != "resolved"]

    def has_add_permission(self, request: Any) -> bool:
        return False
