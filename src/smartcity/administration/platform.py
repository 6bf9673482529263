"""What the administration domain brings into the platform (see smartcity.core.contract):
the service portal /service/ (catalogue, applying, paying), its actions, the Familienrathaus
demo services and `smartcity service` (importing FIM xDatenfelder)."""

from django.utils.translation import gettext_lazy as _

from smartcity.core.config import Setting
from smartcity.core.contract import Action, Command, DemoLoader, Domain, Mount, NavLink, PortalPart


def _limit(name: str, default: str, help: str) -> Setting:
    return Setting(name, default, help, kind=int, minimum=1)


# Applying online (administration/applying/, docs/administration.md#applying)
APPLYING_SETTINGS = (
    _limit(
        "APPLY_UPLOAD_MAX_BYTES",
        "10000000",
        "The largest file one upload field takes, in bytes (a form's own maxBytes may "
        "be smaller); a larger one is refused with a message.",
    ),
    _limit("APPLY_UPLOADS_PER_APPLICATION", "20", "The most files one application holds."),
    _limit(
        "APPLY_MAX_DATA_BYTES",
        "100000",
        "The largest form data one application holds (its JSON, in bytes); a step that "
        "would make it larger is refused with a 400.",
    ),
    _limit(
        "APPLY_MAX_DRAFTS",
        "10",
        "The most applications one account or guest address has in draft at once.",
    ),
    _limit(
        "APPLY_STARTS_PER_HOUR",
        "10",
        "Applications one account or guest address may start in an hour (else 429).",
    ),
    _limit(
        "APPLY_STARTS_PER_HOUR_PER_CLIENT",
        "30",
        "Applications one client address may start in an hour (else 429).",
    ),
    _limit(
        "APPLY_SUBMISSIONS_PER_HOUR",
        "10",
        "Applications one account or guest address may submit in an hour (else 429).",
    ),
    _limit(
        "APPLY_SUBMISSIONS_PER_HOUR_PER_CLIENT",
        "30",
        "Applications one client address may submit in an hour (else 429).",
    ),
    _limit(
        "APPLY_GUEST_LINK_DAYS",
        "30",
        "Days a guest's link to resume an application (and a co-signing link) is valid.",
    ),
    _limit("APPLY_LIST_LIMIT", "200", "The most applications the page Meine Anträge lists."),
)

DOMAIN = Domain(
    name="administration",
    mounts=(Mount("service/", "smartcity.administration.urls"),),
    nav=(NavLink(_("Service"), "/service/", order=30),),
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
        *APPLYING_SETTINGS,
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
