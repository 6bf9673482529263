"""Every ``SMARTCITY_*`` environment variable the platform reads, declared as data.

Each setting has a name, a default and one line of help; ``docs/configuration.md`` must
document every one of them (a test checks that). The kernel's own are here; each domain
declares its own in its ``platform.py`` (``Domain.settings``), and :func:`declared` lists
both. ``settings.py`` reads values only through :func:`value`, so nothing reads the
environment behind this module's back.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

PROJECT_ROOT = Path(__file__).resolve().parents[3]


_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class Setting:
    """One SMARTCITY_* variable: its name, default (as the environment would give it), one
    line of help, and its type with what values it allows."""

    name: str
    default: str
    help: str
    kind: type = str  # str, int, float or bool
    choices: tuple[str, ...] = ()  # the values allowed, if only some are
    minimum: float | None = None  # the smallest number allowed (int, float)

    def parse(self, raw: str) -> Any:
        """The typed value of ``raw``; ImproperlyConfigured says what is wrong with it."""
        text = raw.strip()
        if self.choices and text.lower() not in self.choices:
            self._refuse(raw, f"one of {', '.join(self.choices)}")
        if self.kind is bool:
            if text.lower() not in _TRUE | _FALSE:
                self._refuse(raw, "1 or 0 (true/false, yes/no, on/off)")
            return text.lower() in _TRUE
        if self.kind in (int, float):
            try:
                number = self.kind(text)
            except ValueError:
                self._refuse(raw, "an integer" if self.kind is int else "a number")
            if not math.isfinite(number):
                self._refuse(raw, "a finite number")
            if self.minimum is not None and number < self.minimum:
                self._refuse(raw, f"at least {self.minimum:g}")
            return number
        return text.lower() if self.choices else raw

    def _refuse(self, raw: str, expected: str) -> NoReturn:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"SMARTCITY_{self.name} must be {expected}, not {raw!r}.")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL",
        "",
        "Store URL; empty means the embedded SQLite file DATA_DIR/smartcity.sqlite3, and "
        "sqlite:////path/file.sqlite3 the embedded store in another file (the same tuned "
        "engine). Production: postgres://user:pass@host:5432/db (PostGIS needed); any other "
        "scheme is refused.",
    ),
    Setting(
        "SECRET_KEY",
        "",
        "Secret for sessions and signatures (at least 32, better 50 random characters). "
        "Required with an external database (SMARTCITY_DATABASE_URL); on the embedded store a "
        "random key is generated once into DATA_DIR/secret_key (mode 0600).",
    ),
    Setting(
        "DEBUG",
        "0",
        "1 turns on Django's debug mode: local development only; refused unless every "
        "ALLOWED_HOSTS entry is local (127.0.0.1, localhost, [::1]).",
        kind=bool,
    ),
    Setting(
        "ALLOWED_HOSTS",
        "127.0.0.1,localhost,[::1]",
        "Comma-separated host names the platform answers for.",
    ),
    Setting(
        "TIME_ZONE",
        "Europe/Berlin",
        "Zone in which time stamps without a UTC offset are read; output is always UTC.",
    ),
    Setting("LANGUAGE", "de", "Default interface language (de or en).", choices=("de", "en")),
    Setting(
        "CITY_FILE",
        "",
        "JSON file with the city's name, extent and districts (docs/configuration.md shows "
        "its shape); empty means Hamm.",
    ),
    Setting(
        "PUBLIC_URL",
        "http://127.0.0.1:8000",
        "The platform's address as its users reach it (scheme, host, port), for links it "
        "sends outside an HTTP request, such as the selfLinks in MQTT messages.",
    ),
    Setting(
        "BASEMAP_URL",
        "https://sgx.geodatenzentrum.de/gdz_basemapde_vektor/styles/bm_web_col.json",
        "MapLibre style URL for the base map (default: basemap.de web vector, colour).",
    ),
    Setting(
        "IMPRINT_URL",
        "",
        "Address of the operator's imprint (Impressum, § 5 DDG), linked in every page's "
        "footer; empty: no link.",
    ),
    Setting(
        "PRIVACY_URL",
        "",
        "Address of the privacy statement (Datenschutzerklärung, Art. 13 GDPR), linked in "
        "every page's footer; empty: no link.",
    ),
    Setting(
        "DATA_DIR",
        "",
        "Folder for the embedded store and uploads; empty means var/ in the checkout.",
    ),
    Setting(
        "MAX_URL_BYTES",
        "8192",
        "Longest URL (path and query) a request may have, in bytes; longer gets 414.",
        kind=int,
        minimum=256,
    ),
    Setting(
        "MAX_REQUEST_BYTES",
        "33554432",
        "Largest request body the server reads, in bytes, with or without Content-Length "
        "(chunked); larger gets 413 before a worker thread is taken.",
        kind=int,
        minimum=1024,
    ),
    Setting(
        "REQUEST_BODY_TIMEOUT",
        "30",
        "Seconds a client has to send its whole request body; a slower one gets 408. The "
        "body is read before a worker thread is taken, so slow clients hold none.",
        kind=float,
        minimum=0.1,
    ),
    Setting(
        "REQUEST_TIME_LIMIT",
        "30",
        "Seconds of database work one request may take; a statement still running then is "
        "stopped and the request answered 400 (on PostgreSQL through statement_timeout). "
        "0 turns the limit off; tasks and the command line have none.",
        kind=float,
        minimum=0,
    ),
    Setting(
        "LIVE_MAX_CLIENTS",
        "1000",
        "Most clients one live stream (Server-Sent Events) takes per server process; the "
        "next gets 503 with Retry-After, and the browser tries again.",
        kind=int,
        minimum=1,
    ),
    Setting(
        "JSON_MAX_DEPTH",
        "32",
        "How deep objects and arrays may nest in JSON a client sends (request bodies, MQTT "
        "messages); deeper gets a 400 before anything is stored.",
        kind=int,
        minimum=2,
    ),
    Setting(
        "IMPORT_RECORD_BYTES",
        "16777216",
        "Largest record an importer reads from a source, in bytes (one array item or "
        "member of a JSON source); a larger one stops the import with an error before it "
        "is held in memory.",
        kind=int,
        minimum=1024,
    ),
    Setting(
        "DB_POOL_SIZE",
        "20",
        "Most PostgreSQL connections one server process keeps open (a pool shared by its "
        "requests); processes x this must stay below the server's max_connections.",
        kind=int,
        minimum=1,
    ),
    Setting(
        "WORKER_THREADS",
        "8",
        "Threads per server process that run requests' synchronous work; each keeps its "
        "database connection between requests.",
        kind=int,
        minimum=1,
    ),
    Setting(
        "LOG_LEVEL",
        "INFO",
        "Python log level of the platform's loggers.",
        choices=("debug", "info", "warning", "error", "critical"),
    ),
    Setting(
        "REDIS_URL",
        "",
        "Redis for the task queue, e.g. redis://127.0.0.1:6379/0; empty means the embedded "
        "queue, a SQLite file DATA_DIR/tasks.sqlite3.",
    ),
    Setting(
        "TASK_QUEUE_NAME",
        "smartcity",
        "Name of the task queue (the key prefix in Redis), so that several installations "
        "can share one Redis.",
    ),
    Setting(
        "TASK_WORKERS",
        "2",
        "Threads of a task consumer that run tasks at once.",
        kind=int,
        minimum=1,
    ),
    Setting(
        "TASKS_IN_SERVER",
        "auto",
        "Run the task consumer inside smartcity serve: 1 or 0; auto means yes on the "
        "embedded queue and no with REDIS_URL (then run smartcity worker).",
        choices=("auto", "1", "0", "true", "false", "yes", "no", "on", "off"),
    ),
    Setting(
        "EMAIL_HOST",
        "",
        "SMTP server for e-mail (alerts); empty means no e-mail is sent (the attempt is "
        "recorded as failed).",
    ),
    Setting("EMAIL_PORT", "587", "Port of the SMTP server.", kind=int, minimum=1),
    Setting(
        "EMAIL_SECURITY",
        "starttls",
        "starttls, tls (implicit, usually port 465) or none (only for a local relay).",
        choices=("starttls", "tls", "none"),
    ),
    Setting("EMAIL_USER", "", "SMTP user name; empty means no authentication."),
    Setting("EMAIL_PASSWORD", "", "SMTP password."),
    Setting(
        "EMAIL_FROM",
        "smartcity@localhost",
        "Sender address of the platform's e-mail.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def declared() -> tuple[Setting, ...]:
    """The kernel's settings followed by those of every installed domain."""
    from smartcity.core import contract

    return (*SETTINGS, *contract.settings())


def _setting(name: str) -> Setting:
    found = _BY_NAME.get(name)
    if found is None:
        from smartcity.core import contract

        found = next((s for s in contract.settings() if s.name == name), None)
        if found is None:
            raise KeyError(f"SMARTCITY_{name} is declared by no domain")
        _BY_NAME[name] = found  # a domain's settings stay what they were declared as
    return found


def value(name: str) -> str:
    """The configured text of SMARTCITY_<name>, or its declared default."""
    return os.environ.get(f"SMARTCITY_{name}", _setting(name).default)


def get(name: str) -> Any:
    """The typed value of SMARTCITY_<name>: the one way every part of the platform reads a
    setting, when it needs it; a malformed value is an ImproperlyConfigured."""
    setting = _setting(name)
    return setting.parse(os.environ.get(f"SMARTCITY_{name}", setting.default))


def flag(name: str) -> bool:
    """A yes/no setting (or a text one that says 1, true, yes or on)."""
    found = get(name)
    return found.strip().lower() in _TRUE if isinstance(found, str) else bool(found)


def check() -> None:
    """Every declared setting parsed once, so that a malformed one stops the start with a
    message that names it (settings.py runs this)."""
    from django.core.exceptions import ImproperlyConfigured

    problems = []
    for setting in declared():
        try:
            get(setting.name)
        except ImproperlyConfigured as error:
            problems.append(str(error))
    if problems:
        raise ImproperlyConfigured(" ".join(problems))


LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1", "testserver"}
DEV_SECRET_KEY = "dev-insecure-smartcity-key-change-me"  # noqa: S105 - the one key we refuse
_MIN_SECRET_LENGTH = 32


def secret_key(folder: Path, *, external_store: bool) -> str:
    """The configured secret key; refused when it is short or the known development key.
    Without one, an embedded-store install gets a random key kept in ``folder``; a
    platform on an external database must be given one, so all its servers share it."""
    from django.core.exceptions import ImproperlyConfigured

    configured = value("SECRET_KEY")
    if configured:
        if configured == DEV_SECRET_KEY or len(configured) < _MIN_SECRET_LENGTH:
            raise ImproperlyConfigured(
                "SMARTCITY_SECRET_KEY is the development key or shorter than "
                f"{_MIN_SECRET_LENGTH} characters; set a long random value."
            )
        return configured
    if external_store:
        raise ImproperlyConfigured(
            "SMARTCITY_SECRET_KEY must be set when SMARTCITY_DATABASE_URL is: every server "
            "of the platform needs the same long random key."
        )
    return _key_file(folder / "secret_key")


def _key_file(path: Path) -> str:
    import secrets

    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:  # O_EXCL: of two processes starting at once, one writes and both read it
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def data_dir() -> Path:
    configured = value("DATA_DIR")
    return Path(configured) if configured else PROJECT_ROOT / "var"
