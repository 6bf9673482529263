"""Every ``SMARTCITY_*`` environment variable the platform reads, declared as data.

Each setting has a name, a default and one line of help; ``docs/configuration.md`` must
document every one of them (a test checks that). ``settings.py`` reads values only through
:func:`value`, so nothing reads the environment behind this module's back.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL",
        "",
        "Store URL; empty means the embedded SQLite file var/smartcity.sqlite3. "
        "Production: postgres://user:pass@host:5432/db (PostGIS needed).",
    ),
    Setting(
        "SECRET_KEY",
        "",
        "Django secret key. Required when SMARTCITY_DEBUG is off; "
        "the platform refuses to start with the development default.",
    ),
    Setting(
        "DEBUG", "0", "1 turns on Django's debug mode (development only; never in production)."
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
    Setting("LANGUAGE", "de", "Default interface language (de or en)."),
    Setting("MQTT_URL", "", "MQTT broker, e.g. mqtt://127.0.0.1:1883; empty turns MQTT off."),
    Setting(
        "BASEMAP_URL",
        "https://sgx.geodatenzentrum.de/gdz_basemapde_vektor/styles/bm_web_col.json",
        "MapLibre style URL for the base map (default: basemap.de web vector, colour).",
    ),
    Setting(
        "DATA_DIR",
        "",
        "Folder for the embedded store and uploads; empty means var/ in the checkout.",
    ),
    Setting(
        "STA_MAX_TOP", "1000", "Largest page size a SensorThings client may ask for with $top."
    ),
    Setting("STA_DEFAULT_TOP", "100", "SensorThings page size when the client gives no $top."),
    Setting(
        "STA_MAX_BODY_BYTES",
        "33554432",
        "Largest request body accepted by the SensorThings API (bytes); larger gets 413.",
    ),
    Setting(
        "STA_COUNT_MODE",
        "exact",
        "exact: $count is always exact. estimate: over STA_COUNT_ESTIMATE_THRESHOLD rows an "
        "unfiltered Observations count comes from the planner's statistics (PostgreSQL).",
    ),
    Setting(
        "STA_COUNT_ESTIMATE_THRESHOLD",
        "1000000",
        "Row count above which estimate mode answers $count from statistics.",
    ),
    Setting("LOG_LEVEL", "INFO", "Python log level of the platform's loggers."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def value(name: str) -> str:
    """The configured value of SMARTCITY_<name>, or its declared default."""
    setting = _BY_NAME[name]
    return os.environ.get(f"SMARTCITY_{name}", setting.default)


def flag(name: str) -> bool:
    return value(name).strip().lower() in {"1", "true", "yes", "on"}


def data_dir() -> Path:
    configured = value("DATA_DIR")
    return Path(configured) if configured else PROJECT_ROOT / "var"
