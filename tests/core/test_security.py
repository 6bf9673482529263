"""The security headers (core.security, settings.py): a Content-Security-Policy without
'unsafe-inline' that lets the base map's host in, Permissions-Policy, Referrer-Policy,
nosniff, and Strict-Transport-Security over HTTPS in production only."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from smartcity.core import config, security


def _settings_of(env: dict[str, str], tmp_path) -> dict:
    """The HSTS and CSP settings a platform started with ``env`` would have."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SMARTCITY_")}
    script = (
        "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE']='smartcity.settings'; "
        "django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'hsts': s.SECURE_HSTS_SECONDS, "
        "'csp': s.CONTENT_SECURITY_POLICY['DIRECTIVES']}))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", script],
        env={**clean, "SMARTCITY_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://sgx.geodatenzentrum.de/gdz_basemapde_vektor/styles/bm_web_col.json",
            "https://sgx.geodatenzentrum.de",
        ),
        ("https://user:secret@tiles.example.org:8443/style.json", "https://tiles.example.org:8443"),
        ("http://tiles.internal/style.json", "http://tiles.internal"),
        ("/static/map/style.json", None),
        ("javascript:alert(1)", None),
        ("", None),
    ],
)
def test_the_origin_of_a_base_map_url(url, expected):
    assert security.origin(url) == expected


def test_the_policy_has_no_inline_or_eval_and_lets_only_the_base_map_in():
    policy = security.content_security_policy("https://tiles.example.org/style.json")
    values = [value for values in policy.values() for value in values]
    assert not [v for v in values if "unsafe" in v]
    assert policy["script-src"] == policy["style-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'", "https://tiles.example.org"]
    assert policy["img-src"] == ["'self'", "data:", "https://tiles.example.org"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == policy["form-action"] == ["'self'"]
    own = security.content_security_policy("/static/style.json")
    assert own["connect-src"] == ["'self'"] and own["img-src"] == ["'self'", "data:"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/admin/login/", "/api/"])
def test_every_answer_carries_the_headers(client, path):
    # static files are served before Django under ASGI, with the same headers:
    # tests/core/test_static.py
    response = client.get(path)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    basemap = security.origin(config.get("BASEMAP_URL"))
    assert basemap and basemap in directives["connect-src"] and basemap in directives["img-src"]
    assert "unsafe-inline" not in csp
    permissions = response["Permissions-Policy"]
    for feature in ("geolocation=(self)", "camera=()", "microphone=()", "payment=()"):
        assert feature in permissions
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_hsts_over_https_only(client):
    assert not settings.DEBUG
    secure = client.get("/", secure=True)
    assert secure["Strict-Transport-Security"] == f"max-age={config.get('HSTS_SECONDS')}"
    assert "Strict-Transport-Security" not in client.get("/")


def test_hsts_follows_its_setting_and_never_in_development(tmp_path):
    assert _settings_of({}, tmp_path)["hsts"] == 31536000
    assert _settings_of({"SMARTCITY_HSTS_SECONDS": "600"}, tmp_path)["hsts"] == 600
    assert _settings_of({"SMARTCITY_HSTS_SECONDS": "0"}, tmp_path)["hsts"] == 0
    development = {"SMARTCITY_DEBUG": "1", "SMARTCITY_HSTS_SECONDS": "600"}
    assert _settings_of(development, tmp_path)["hsts"] == 0


def test_another_base_map_host_is_let_in(tmp_path):
    found = _settings_of({"SMARTCITY_BASEMAP_URL": "https://karten.example.org/s.json"}, tmp_path)
    assert "https://karten.example.org" in found["csp"]["connect-src"]
    assert "https://sgx.geodatenzentrum.de" not in found["csp"]["connect-src"]
