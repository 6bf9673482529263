"""The administration tables: the service catalogue (what people can apply for), and,
in their own modules, applications and payments."""

from smartcity.administration.models.catalogue import Service

__all__ = ["Service"]
