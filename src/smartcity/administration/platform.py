"""What the administration domain brings into the platform (see smartcity.core.contract):
the service portal /service/ (catalogue, applying, paying), its actions, the Familienrathaus
demo services and `smartcity service` (importing FIM xDatenfelder)."""

from django.utils.translation import gettext_lazy as _

from smartcity.core.config import Setting
from smartcity.core.contract import Action, Command, DemoLoader, Domain, Mount, PortalPart

DOMAIN = Domain(
    name="administration",
    mounts=(Mount("service/", "smartcity.administration.urls"),),
    portal=PortalPart(
        "administration",
        _("Digitale Verwaltung / Familienrathaus"),
        _("Leistungen der Stadt online beantragen, bezahlen und den Stand verfolgen."),
        href="/service/",
        order=30,
    ),
    actions=(
        Action("administration.service.edit", "edit the service catalogue", ("admin",)),
        Action(
            "administration.application.read",
            "read a team's applications with the applicants' personal data",
            ("clerk", "supervisor"),
            team=True,
        ),
        Action(
            "administration.application.counter",
            "enter an application at the counter on a citizen's behalf, or a paper one",
            ("clerk",),
            team=True,
        ),
    ),
    demo=DemoLoader("smartcity.administration.demo:load_demo"),
    commands=(
        Command(
            "service",
            "the service catalogue: import-xdf reads a FIM xDatenfelder 3 schema into a form",
            "smartcity.administration.catalogue.xdf.command:configure",
        ),
    ),
    settings=(
        Setting(
            "ADMINISTRATION_SEARCH_MAX_CHARS",
            "200",
            "The longest search the service catalogue (/service/?q=) accepts, in characters.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "ADMINISTRATION_SEARCH_MAX_RESULTS",
            "50",
            "The most services one search of the service catalogue shows.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "ADMINISTRATION_XDF_MAX_BYTES",
            "20000000",
            "The largest FIM xDatenfelder file `smartcity service import-xdf` reads, in bytes.",
            kind=int,
            minimum=1024,
        ),
    ),
)
