"""What the environment domain brings into the platform (see smartcity.core.contract): the
/umwelt/ dashboard, its JSON API, alerts and their live stream."""

from django.utils.translation import gettext_lazy as _

from smartcity.core.config import Setting
from smartcity.core.contract import ApiRouter, Domain, Mount, NavLink, PortalPart

DOMAIN = Domain(
    name="environment",
    mounts=(Mount("umwelt/", "smartcity.environment.urls"),),
    api=(ApiRouter("v1/environment/", "smartcity.environment.api:router"),),
    nav=(NavLink(_("Umweltdaten"), "/umwelt/", order=10),),
    portal=PortalPart(
        "sensors",
        _("Urbane Datenplattform / Umwelt-Sensoren"),
        _(
            "Messwerte von Luft-, Wasser- und Bodensensoren in Hamm, offen abrufbar über die "
            "SensorThings API."
        ),
        href="/umwelt/",
        order=10,
    ),
    live_streams=("/umwelt/live",),  # environment.live.PATH
    tasks=("smartcity.environment.tasks",),
    settings=(
        Setting(
            "ENVIRONMENT_DEFINITIONS",
            "",
            "More ObservedProperty definitions the dashboard recognises, as a JSON object of "
            "URI to quantity (no2, pm10, pm25, o3, so2, air_temperature, water_temperature, "
            "soil_temperature); the built-in ones are listed in docs/environment.md.",
        ),
        Setting(
            "WEBHOOK_TIMEOUT",
            "10",
            "Seconds an alert webhook may take to answer before the attempt counts as failed.",
            kind=float,
            minimum=0.1,
        ),
    ),
)
