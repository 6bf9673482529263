"""What the kernel itself brings through the contract: the task queue's own periodic tasks
(scheduled imports, the audit log's retention), the account's own personal data, the
settings of logins, the access log, the audit log and the security headers (the rest of
the kernel's settings are in core.config), and ``smartcity lockouts``."""

from smartcity.core.accounts.oidc.settings import SETTINGS as OIDC_SETTINGS
from smartcity.core.config import Setting
from smartcity.core.contract import Action, Command, Domain, Mount, PersonalData
from smartcity.core.storage.settings import SETTINGS as STORAGE_SETTINGS
from smartcity.core.uploads.settings import SETTINGS as UPLOAD_SETTINGS

SETTINGS = (
    Setting(
        "LOGIN_FAILURE_LIMIT",
        "5",
        "Failed logins after which a login is locked for LOGIN_LOCKOUT_MINUTES (counted "
        "per LOGIN_LOCKOUT_BY); the right password is refused too while it is locked.",
        kind=int,
        minimum=1,
    ),
    Setting(
        "LOGIN_LOCKOUT_MINUTES",
        "15",
        "How long a locked login stays locked, in minutes, counted from the last failed "
        "attempt (an attempt during the lock starts the wait again); smartcity lockouts "
        "reset unlocks earlier.",
        kind=int,
        minimum=1,
    ),
    Setting(
        "LOGIN_LOCKOUT_BY",
        "username+ip",
        "What failures are counted for and locked: username+ip (a user name from one "
        "address), username (a user name from anywhere) or ip (an address, whatever user "
        "name it tries).",
        choices=("username+ip", "username", "ip"),
    ),
    Setting(
        "ACCOUNT_LINK_HOURS",
        "24",
        "How long the links the platform mails to confirm an e-mail address or to set a new "
        "password hold, in hours (a password link also ends once it is used).",
        kind=int,
        minimum=1,
    ),
    Setting(
        "ACCOUNT_MAIL_MINUTES",
        "2",
        "Least time between two account mails (confirmation, new password, notice of a "
        "second registration) to the same account, in minutes; requests in between are "
        "answered the same but send nothing, so nobody can flood an inbox.",
        kind=int,
        minimum=0,
    ),
    Setting(
        "SESSION_HOURS",
        "12",
        "How long a login lasts without logging in again, in hours (the session cookie's "
        "lifetime); logging out ends it at once.",
        kind=int,
        minimum=1,
    ),
    Setting(
        "ACCESS_LOG",
        "1",
        "One line per request on the logger smartcity.access (method, path without the "
        "query's values, status, duration, bytes, client address); 0 turns it off.",
        kind=bool,
    ),
    Setting(
        "HSTS_SECONDS",
        "31536000",
        "max-age of the Strict-Transport-Security header sent over HTTPS (browsers then "
        "use only HTTPS for this host for that long); 0 sends none. Never sent with "
        "SMARTCITY_DEBUG=1.",
        kind=int,
        minimum=0,
    ),
    Setting(
        "BASEMAP_PMTILES",
        "",
        "Path of a PMTiles archive the platform serves as its own base map (HTTP Range "
        "requests at /karte/grundkarte.pmtiles); it wins over BASEMAP_URL, and the maps then "
        "load nothing from another host. Empty: none.",
    ),
    Setting(
        "BASEMAP_STYLE_FILE",
        "",
        "Path of a MapLibre style JSON for the platform's own base map; its vector sources "
        "are pointed to BASEMAP_PMTILES when that is set. Empty: the built-in style for the "
        "Protomaps and OpenMapTiles schemas.",
    ),
    Setting(
        "AUDIT_RETENTION_DAYS",
        "730",
        "Days the audit log (reads of personal data by staff, downloads and deletions of "
        "accounts) keeps an event; older ones are deleted each night.",
        kind=int,
        minimum=1,
    ),
    Setting(
        "ACCOUNT_REAUTH_SECONDS",
        "600",
        "An account without a password (logged in through the identity broker) may be "
        "deleted in Mein Konto only this many seconds after its login; later, the page "
        "asks the person to log in again first.",
        kind=int,
        minimum=60,
    ),
    *STORAGE_SETTINGS,  # where case files' bytes are kept (core/storage/)
    *UPLOAD_SETTINGS,  # the upload checks and the malware scanner (core/uploads/)
    *OIDC_SETTINGS,  # citizens' login through the city's identity broker (core/accounts/oidc/)
)

DOMAIN = Domain(
    name="core",
    settings=SETTINGS,
    mounts=(
        Mount("karte/", "smartcity.core.urls"),  # the platform's own base map
        Mount("konto/", "smartcity.core.accounts.urls"),  # accounts (core/accounts/)
    ),
    commands=(
        Command(
            "lockouts",
            "list failed logins and locked logins, and unlock them (reset)",
            "smartcity.core.lockouts:configure",
        ),
        Command(
            "uploads",
            "check files as uploads are checked (type by content, size, structure, clamd)",
            "smartcity.core.uploads.command:configure",
        ),
        Command(
            "account",
            "people's accounts: create a staff account, grant and revoke roles, list them",
            "smartcity.core.accounts.login.commands:configure",
        ),
    ),
    actions=(
        Action(
            "core.audit.read",
            "read the audit log: who read whose personal data, downloads, deletions",
            ("admin",),
        ),
    ),
    # the account's own data in "Mein Konto"'s download, and its deletion
    personal_data=(
        PersonalData(
            export="smartcity.core.accounts.self_service.personal:export_account",
            erase="smartcity.core.accounts.self_service.personal:erase_account",
        ),
    ),
    tasks=(
        "smartcity.core.schedules",
        "smartcity.core.accounts.login.mail",
        "smartcity.core.audit",  # the audit log's retention
    ),
)
