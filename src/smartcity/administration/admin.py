"""The administration domain's back office: each part registers its own models."""

from smartcity.administration.applying.case import admin as case_admin  # noqa: F401
from smartcity.administration.archive import admin as archive_admin  # noqa: F401
from smartcity.administration.catalogue import admin as catalogue_admin  # noqa: F401
from smartcity.administration.notices import admin as notices_admin  # noqa: F401
from smartcity.administration.payments import admin as payments_admin  # noqa: F401
