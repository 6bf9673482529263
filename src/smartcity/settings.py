"""Django settings, derived from the documented SMARTCITY_* variables in core.config."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from smartcity.core import config, logins, security
from smartcity.core.accounts.login.passkeys import passkey_origin
from smartcity.core.accounts.oidc import settings as oidc_settings
from smartcity.domains import DOMAIN_APPS

BASE_DIR = Path(__file__).resolve().parent

DEBUG = config.flag("DEBUG")
DATA_DIR = config.data_dir()
ALLOWED_HOSTS = [h.strip() for h in config.get("ALLOWED_HOSTS").split(",") if h.strip()]
_external = config.get("DATABASE_URL") and not config.get("DATABASE_URL").startswith("sqlite:")
SECRET_KEY = config.secret_key(DATA_DIR, external_store=bool(_external))
if DEBUG and not set(ALLOWED_HOSTS) <= config.LOCAL_HOSTS:
    raise ImproperlyConfigured(
        "SMARTCITY_DEBUG=1 is for local development only: it shows stack traces to anyone. "
        f"Turn it off, or serve only local hosts (SMARTCITY_ALLOWED_HOSTS={ALLOWED_HOSTS})."
    )

INSTALLED_APPS = [
    # Django's admin as a site that asks for the second factor (core/accounts/login)
    "smartcity.core.accounts.login.back_office",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    # staff's two factors (core/accounts/login/factors.py): TOTP apps, recovery codes,
    # passkeys (WebAuthn)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    *DOMAIN_APPS,
]

# The middleware that give every answer its security headers. Static files get the same
# ones (a worker script's CSP is the worker's): core/static.py serves them under ASGI
# before any worker thread is taken, with the headers these middleware give.
HEADER_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "smartcity.core.csp.PlatformCSPMiddleware",  # django-csp, its header built once
    "django_permissions_policy.PermissionsPolicyMiddleware",
]
MIDDLEWARE = [
    *HEADER_MIDDLEWARE,
    "smartcity.core.deadline.DeadlineMiddleware",  # each request's time budget
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor
    # staff who logged in with a password only reach nothing but the second factor's pages
    "smartcity.core.accounts.login.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "smartcity.core.middleware.JsonErrorMiddleware",
    # last, as axes asks: turns a login refused as locked into core.logins.locked_out
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "smartcity.urls"
ASGI_APPLICATION = "smartcity.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

_database_url = config.get("DATABASE_URL")
if _database_url and not _database_url.startswith("sqlite:"):
    # Under ASGI every request runs in a thread of its own, so a persistent connection
    # (CONN_MAX_AGE > 0) would stay with a finished thread and leak. A pool hands each
    # request a ready connection instead (Django's native psycopg pool).

    def _reset_pooled(raw: object) -> None:
        from smartcity.core import deadline

        deadline.reset_pooled(raw)

    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "SMARTCITY_DATABASE_URL must be postgres://user:password@host:5432/db "
            "(PostgreSQL with PostGIS) or sqlite:///path/to/file.sqlite3, not "
            f"{_database_url.split(':', 1)[0]}:"
        )
    DATABASES["default"]["TEST"] = {"NAME": DATABASES["default"]["NAME"] + "_test"}
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 2,
        "max_size": config.get("DB_POOL_SIZE"),
        "timeout": 10,
        "reset": _reset_pooled,  # a request's statement_timeout stays with it
    }
    # The audit log (core/audit.py): a second connection to the same database, so an
    # event it writes is committed at once and survives a rollback of the request's own
    # transaction. Its table is made by the default alias's migrations (core.audit_routing).
    DATABASES["audit"] = {
        **DATABASES["default"],
        "OPTIONS": {
            **DATABASES["default"]["OPTIONS"],
            "pool": {**DATABASES["default"]["OPTIONS"]["pool"], "min_size": 1},
        },
    }
else:
    # sqlite:///path names the embedded store's file elsewhere: the same tuned engine
    _sqlite_file = (
        Path(dj_database_url.parse(_database_url)["NAME"])
        if _database_url
        else DATA_DIR / "smartcity.sqlite3"
    )
    DATABASES = {
        "default": {
            # Django's SQLite backend with one writer per process (core/backends/sqlite)
            "ENGINE": "smartcity.core.backends.sqlite",
            # Kept open by the long-lived worker threads (core.threads): a new SQLite
            # connection re-reads the schema on its first statement.
            "CONN_MAX_AGE": None,
            "NAME": str(_sqlite_file),
            # Tests use a file in WAL mode like the real store, not Django's shared-cache
            # in-memory database, whose table locks behave differently under threads.
            "TEST": {"NAME": str(_sqlite_file.with_name("test-" + _sqlite_file.name))},
            "OPTIONS": {
                # WAL lets readers run beside the single writer; IMMEDIATE avoids
                # upgrade deadlocks when two writers start a transaction at once.
                "transaction_mode": "IMMEDIATE",
                # Time stamps come back as SQLite's text: the API writes them out by
                # rearranging that text (sensors.rows), and Django's own field converters
                # parse it where a datetime is needed, so sqlite3's converters, which
                # parse every time stamp of every row, are not registered.
                "detect_types": 0,
                "timeout": 20,
                # page_size only takes effect when the file is created: 16 KiB pages
                # make appends to the observation indexes about a tenth faster.
                "init_command": (
                    "PRAGMA page_size=16384; "
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000; "
                    "PRAGMA cache_size=-65536;"
                ),
            },
        }
    }
    # The audit log (core/audit.py) in a file of its own in the data folder, with the same
    # tuned engine: its events are committed apart from the request's transaction, so they
    # survive its rollback, and it is backed up and kept apart from the store.
    _audit_file = DATA_DIR / "smartcity-audit.sqlite3"
    DATABASES["audit"] = {
        **DATABASES["default"],
        "NAME": str(_audit_file),
        "TEST": {"NAME": str(_audit_file.with_name("test-" + _audit_file.name))},
        "OPTIONS": {
            **DATABASES["default"]["OPTIONS"],
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            ),
        },
    }
# AuditEvent reads and writes go to the "audit" alias, and nothing else does
DATABASE_ROUTERS = ["smartcity.core.audit_routing.AuditRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = config.get("LANGUAGE")
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = config.get("TIME_ZONE")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # servestatic warns without it
STATICFILES_DIRS = [BASE_DIR / "static"]
SERVESTATIC_USE_FINDERS = True  # the files where they lie, without collectstatic

# Logins (core/logins.py): axes' backend first refuses a locked login before any password
# is checked; failures are counted in the database, so every server process sees them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # citizens' logins through the city's identity broker (core/accounts/oidc)
    "smartcity.core.accounts.oidc.backend.OidcBackend",
]
AXES_FAILURE_LIMIT = config.get("LOGIN_FAILURE_LIMIT")
AXES_COOLOFF_TIME = timedelta(minutes=config.get("LOGIN_LOCKOUT_MINUTES"))
AXES_LOCKOUT_PARAMETERS = logins.LOCKOUT_PARAMETERS[config.get("LOGIN_LOCKOUT_BY")]
AXES_CLIENT_IP_CALLABLE = "smartcity.core.logins.client_ip"
AXES_LOCKOUT_CALLABLE = "smartcity.core.logins.locked_out"
AXES_RESET_ON_SUCCESS = True  # a login that succeeds forgets that user's failures
AXES_DISABLE_ACCESS_LOG = True  # no table of every successful login (data minimisation)
AXES_VERBOSE = False

# Security headers (core/security.py). HSTS only over HTTPS (behind the proxy that needs
# --proxy-headers) and never in development, where it would pin localhost to HTTPS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": security.content_security_policy(config.get("BASEMAP_URL"))
}
PERMISSIONS_POLICY = security.PERMISSIONS_POLICY
SECURE_HSTS_SECONDS = 0 if DEBUG else config.get("HSTS_SECONDS")

# Accounts (core/accounts/login): the platform's login page, also the back office's; the
# links mailed to confirm an address or reset a password hold for ACCOUNT_LINK_HOURS.
LOGIN_URL = "/konto/anmelden/"
LOGIN_REDIRECT_URL = "/"
PASSWORD_RESET_TIMEOUT = config.get("ACCOUNT_LINK_HOURS") * 3600
OTP_TOTP_ISSUER = "Smart City"  # the name an authenticator app shows beside the code
OTP_TOTP_THROTTLE_FACTOR = 1  # after n wrong codes wait 2^(n-1) seconds (django-otp)
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False  # a passkey is a second factor, after the password
OTP_WEBAUTHN_RP_ID_CALLABLE = "smartcity.core.accounts.login.passkeys.relying_party_id"
OTP_WEBAUTHN_RP_NAME_CALLABLE = "smartcity.core.accounts.login.passkeys.relying_party_name"
OTP_WEBAUTHN_ALLOWED_ORIGINS = [passkey_origin(config.get("PUBLIC_URL"))]
OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME = "smartcity.passkeys"

SESSION_COOKIE_AGE = config.get("SESSION_HOURS") * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # no script reads it: pages hand the token to their scripts
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

DATA_UPLOAD_MAX_MEMORY_SIZE = config.get("STA_MAX_BODY_BYTES")

# The platform's own settings (MQTT, SensorThings limits, ...) are not copied into Django's:
# every part reads them when it needs them with config.get, typed and checked here once.
config.check()
oidc_settings.claim_mapping()  # SMARTCITY_OIDC_CLAIMS, checked at the start

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = config.get("EMAIL_HOST")
EMAIL_PORT = config.get("EMAIL_PORT")
EMAIL_HOST_USER = config.get("EMAIL_USER")
EMAIL_HOST_PASSWORD = config.get("EMAIL_PASSWORD")
_email_security = config.get("EMAIL_SECURITY")
EMAIL_USE_TLS = _email_security == "starttls"
EMAIL_USE_SSL = _email_security == "tls"
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = SERVER_EMAIL = config.get("EMAIL_FROM")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"deliberate": {"()": "smartcity.core.logs.DeliberateAnswers"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "smartcity": {"handlers": ["console"], "level": config.get("LOG_LEVEL").upper()},
        # faults (500) once each; a deliberate 501 or 503 as a WARNING (core.logs)
        "django.request": {"handlers": ["console"], "level": "ERROR", "filters": ["deliberate"]},
        # the task queue: failed tasks and retries (smartcity worker shows INFO too)
        "huey": {"handlers": ["console"], "level": "WARNING"},
        # axes' own lines mask user name and address; smartcity.logins writes the useful ones
        "axes": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
