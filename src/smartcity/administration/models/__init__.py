"""The administration tables: the service catalogue (what people can apply for), and,
in their own modules, applications and payments."""

from smartcity.administration.models.applications import Application, ReferenceCounter, Upload
from smartcity.administration.models.catalogue import LegalBasis, LifeSituation, Office, Service

__all__ = [
    "Application",
    "LegalBasis",
    "LifeSituation",
    "Office",
    "ReferenceCounter",
    "Service",
    "Upload",
]
