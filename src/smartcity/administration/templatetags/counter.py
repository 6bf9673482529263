"""``{{ application|claim_code }}``: the code on the acknowledgement of an application a
clerk entered, with which its citizen adds it to their account (counter/services.py)."""

from __future__ import annotations

from django import template

from smartcity.administration.counter.services import claim_code as code_of
from smartcity.administration.models import Application

register = template.Library()


@register.filter
def claim_code(application: Application) -> str:
    return code_of(application) if application.entered_by_id else ""
