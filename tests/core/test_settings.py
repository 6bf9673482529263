"""Production settings refuse a default secret key; every setting and CLI command is
documented (the datasette rule: settings are data, and undocumented ones fail a test)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from smartcity.cli import COMMANDS_HELP
from smartcity.core.config import SETTINGS

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


def test_production_refuses_missing_secret_key():
    result = _run_settings({"SMARTCITY_DEBUG": "0"})
    assert result.returncode != 0
    assert "SMARTCITY_SECRET_KEY" in result.stderr


def test_production_refuses_the_development_key():
    from smartcity.settings import DEV_SECRET_KEY

    result = _run_settings({"SMARTCITY_DEBUG": "0", "SMARTCITY_SECRET_KEY": DEV_SECRET_KEY})
    assert result.returncode != 0


def test_development_starts_without_a_key():
    assert "started" in _run_settings({"SMARTCITY_DEBUG": "1"}).stdout


def test_every_setting_is_documented():
    text = (ROOT / "docs" / "configuration.md").read_text()
    missing = [s.name for s in SETTINGS if f"SMARTCITY_{s.name}" not in text]
    assert missing == []


def test_documentation_names_no_unknown_setting():
    text = (ROOT / "docs" / "configuration.md").read_text()
    known = {f"SMARTCITY_{s.name}" for s in SETTINGS}
    assert set(re.findall(r"SMARTCITY_[A-Z_]+", text)) <= known


def test_every_cli_command_is_documented():
    text = (ROOT / "docs" / "cli.md").read_text()
    assert [c for c in COMMANDS_HELP if f"smartcity {c}" not in text] == []
