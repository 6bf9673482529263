"""Production settings refuse a default secret key; every setting and CLI command is
documented (the datasette rule: settings are data, and undocumented ones fail a test)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from smartcity.cli import commands_help
from smartcity.core.config import declared

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
