"""The administration tables: the service catalogue (what people can apply for), and,
in their own modules, applications and payments."""

from smartcity.administration.models.catalogue import LegalBasis, LifeSituation, Office, Service

__all__ = ["LegalBasis", "LifeSituation", "Office", "Service"]
