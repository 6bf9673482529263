"""What the administration domain brings into the platform (see smartcity.core.contract):
the service portal /service/ (catalogue, applying, paying) and its actions."""

from django.utils.translation import gettext_lazy as _

from smartcity.core.contract import Action, Domain, Mount, PortalPart

DOMAIN = Domain(
    name="administration",
    mounts=(Mount("service/", "smartcity.administration.urls"),),
    portal=PortalPart(
        "administration",
        _("Digitale Verwaltung / Familienrathaus"),
        _("Leistungen der Stadt online beantragen, bezahlen und den Stand verfolgen."),
        href=None,  # the catalogue sets it: "/service/"
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
)
