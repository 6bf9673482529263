"""Production settings refuse a default secret key; every setting and CLI command is
documented (the datasette rule: settings are data, and undocumented ones fail a test)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from smartcity.cli import commands_help
from smartcity.core import config
from smartcity.core.config import Setting, declared

ROOT = Path(__file__).resolve().parents[2]


def _run_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SMARTCITY_")}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']="
            "'smartcity.settings'; django.setup(); print('started')",
        ],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_external_store_refuses_missing_secret_key(tmp_path):
    result = _run_settings(
        {
            "SMARTCITY_DATABASE_URL": "postgres://x@127.0.0.1/none",
            "SMARTCITY_DATA_DIR": str(tmp_path),
        }
    )
    assert result.returncode != 0
    assert "SMARTCITY_SECRET_KEY" in result.stderr


def test_refuses_the_development_key_and_short_keys(tmp_path):
    from smartcity.core.config import DEV_SECRET_KEY

    for key in (DEV_SECRET_KEY, "short"):
        result = _run_settings({"SMARTCITY_SECRET_KEY": key, "SMARTCITY_DATA_DIR": str(tmp_path)})
        assert result.returncode != 0 and "SMARTCITY_SECRET_KEY" in result.stderr


def test_embedded_store_generates_a_private_key_once(tmp_path):
    assert "started" in _run_settings({"SMARTCITY_DATA_DIR": str(tmp_path)}).stdout
    key_file = tmp_path / "secret_key"
    first = key_file.read_text()
    assert len(first) >= 50 and (key_file.stat().st_mode & 0o777) == 0o600
    _run_settings({"SMARTCITY_DATA_DIR": str(tmp_path)})
    assert key_file.read_text() == first


def test_debug_is_refused_for_public_hosts(tmp_path):
    env = {"SMARTCITY_DEBUG": "1", "SMARTCITY_DATA_DIR": str(tmp_path)}
    assert "started" in _run_settings(env).stdout
    result = _run_settings({**env, "SMARTCITY_ALLOWED_HOSTS": "smartcity.hamm.de"})
    assert result.returncode != 0 and "SMARTCITY_DEBUG" in result.stderr


def test_every_setting_is_documented():
    text = (ROOT / "docs" / "configuration.md").read_text()
    missing = [s.name for s in declared() if f"SMARTCITY_{s.name}" not in text]
    assert missing == []


def test_documentation_names_no_unknown_setting():
    text = (ROOT / "docs" / "configuration.md").read_text()
    known = {f"SMARTCITY_{s.name}" for s in declared()}
    assert set(re.findall(r"SMARTCITY_[A-Z_]+", text)) <= known


def test_every_cli_command_is_documented():
    text = (ROOT / "docs" / "cli.md").read_text()
    assert [c for c in commands_help() if f"smartcity {c}" not in text] == []


def test_the_command_names_a_malformed_setting_without_a_traceback(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SMARTCITY_")}
    result = subprocess.run(
        [sys.executable, "-m", "smartcity.cli", "migrate"],
        env={**clean, "SMARTCITY_DATA_DIR": str(tmp_path), "SMARTCITY_DEMO_FEED": "-1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "smartcity: error: SMARTCITY_DEMO_FEED must be at least 0, not '-1'."
    )


def test_a_malformed_setting_stops_the_start_and_is_named(tmp_path):
    result = _run_settings(
        {
            "SMARTCITY_DATA_DIR": str(tmp_path),
            "SMARTCITY_STA_MAX_TOP": "viele",
            "SMARTCITY_MQTT_ANNOUNCE_QOS": "2",
        }
    )
    assert result.returncode != 0
    assert "SMARTCITY_STA_MAX_TOP must be an integer, not 'viele'" in result.stderr
    assert "SMARTCITY_MQTT_ANNOUNCE_QOS must be one of 0, 1, not '2'" in result.stderr


@pytest.mark.parametrize(
    ("setting", "raw", "expected"),
    [
        (Setting("A", "1", "", kind=int, minimum=1), " 42 ", 42),
        (Setting("A", "0", "", kind=float, minimum=0), "2.5", 2.5),
        (Setting("A", "0", "", kind=bool), "Yes", True),
        (Setting("A", "0", "", kind=bool), "", False),
        (Setting("A", "exact", "", choices=("exact", "estimate")), "Estimate", "estimate"),
        (Setting("A", "", ""), " kept as given ", " kept as given "),
    ],
)
def test_a_setting_is_read_typed(setting, raw, expected):
    assert setting.parse(raw) == expected


@pytest.mark.parametrize(
    ("setting", "raw", "message"),
    [
        (Setting("A", "1", "", kind=int, minimum=1), "0", "at least 1"),
        (Setting("A", "1", "", kind=int), "1.5", "an integer"),
        (Setting("A", "1", "", kind=float), "nan", "a finite number"),
        (Setting("A", "1", "", kind=float), "inf", "a finite number"),
        (Setting("A", "0", "", kind=bool), "vielleicht", "1 or 0"),
        (Setting("A", "de", "", choices=("de", "en")), "fr", "one of de, en"),
    ],
)
def test_a_malformed_value_says_what_is_expected(setting, raw, message):
    with pytest.raises(ImproperlyConfigured, match=f"SMARTCITY_A must be {message}"):
        setting.parse(raw)


def test_settings_are_read_when_needed(monkeypatch):
    monkeypatch.setenv("SMARTCITY_STA_MAX_TOP", "250")
    assert config.get("STA_MAX_TOP") == 250
    monkeypatch.setenv("SMARTCITY_STA_MAX_TOP", "0")
    with pytest.raises(ImproperlyConfigured, match="SMARTCITY_STA_MAX_TOP must be at least 1"):
        config.get("STA_MAX_TOP")
    with pytest.raises(KeyError, match="declared by no domain"):
        config.get("NO_SUCH_SETTING")


def _database(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SMARTCITY_")}
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='smartcity.settings'; "
        "django.setup(); from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'], d['OPTIONS'].get('transaction_mode'))"
    )
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_sqlite_url_gets_the_tuned_engine_not_djangos_plain_one(tmp_path):
    store = tmp_path / "elsewhere" / "city.sqlite3"
    store.parent.mkdir()
    result = _database(
        {"SMARTCITY_DATABASE_URL": f"sqlite:///{store}", "SMARTCITY_DATA_DIR": str(tmp_path)}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["smartcity.core.backends.sqlite", str(store), "IMMEDIATE"]


def test_another_database_scheme_is_refused_with_a_message(tmp_path):
    result = _database(
        {
            "SMARTCITY_DATABASE_URL": "mysql://u:p@127.0.0.1/db",
            "SMARTCITY_DATA_DIR": str(tmp_path),
            "SMARTCITY_SECRET_KEY": "k" * 50,
        }
    )
    assert result.returncode != 0
    assert "SMARTCITY_DATABASE_URL must be postgres://" in result.stderr
