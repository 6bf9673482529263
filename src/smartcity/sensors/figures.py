"""The data platform in numbers, for the home page (``Domain.figures``)."""

from __future__ import annotations

from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from smartcity.core.contract import Figure, Figures
from smartcity.sensors.models import Datastream, Observation, Thing


def platform_figures() -> Figures:
    # The highest observation id: an upper bound of the number of observations, read from
    # the primary key index. A COUNT over the big table would scan it on every page view.
    latest_id = Observation.objects.order_by("-id").values_list("id", flat=True).first()
    return Figures(
        _("Die Datenplattform in Zahlen"),
        (
            Figure(_("Messstellen (Things)"), Thing.objects.count()),
            Figure(_("Datenströme (Datastreams)"), Datastream.objects.count()),
            Figure(_("Messwerte (Observations), ungefähr"), latest_id or 0, approximate=True),
        ),
        mark_safe(  # noqa: S308 - the platform's own translated text, no user input
            gettext(
                'Alle Messwerte sind offen und ohne Anmeldung über die <a href="/sta/v1.1/">'
                "SensorThings API</a> abrufbar."
            )
        ),
    )
