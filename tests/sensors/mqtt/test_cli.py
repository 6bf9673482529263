"""`smartcity token` and `smartcity mqtt` as an operator uses them (no broker needed)."""

from __future__ import annotations

import stat

import pytest

from smartcity import cli
from smartcity.core.models import ApiToken
from smartcity.sensors import grants

pytestmark = pytest.mark.django_db


def test_broker_config_prints_a_snippet_with_the_plugin(capsys, tmp_path):
    assert cli.main(["mqtt", "broker-config", "--dir", str(tmp_path), "--port", "1884"]) == 0
    out = capsys.readouterr().out
    assert "listener 1884" in out and "mosquitto_dynamic_security.so" in out
    assert f"plugin_opt_config_file {tmp_path}/dynamic-security.json" in out
    assert not (tmp_path / "dynamic-security.json").exists()


def test_broker_config_writes_the_state_once_without_the_password(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTCITY_MQTT_ADMIN_URL", "mqtt://admin:geheim-und-lang@127.0.0.1:1883")
    argv = ["mqtt", "broker-config", "--write", "--dir", str(tmp_path)]
    assert cli.main(argv) == 0
    state = tmp_path / "dynamic-security.json"
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    assert "geheim" not in state.read_text() and '"admin"' in state.read_text()
    assert cli.main(argv) == 2
    assert "exists already" in capsys.readouterr().err


def test_broker_config_needs_the_administrator(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTCITY_MQTT_ADMIN_URL", "")
    assert cli.main(["mqtt", "broker-config", "--write", "--dir", str(tmp_path)]) == 2
    assert "SMARTCITY_MQTT_ADMIN_URL" in capsys.readouterr().err


def test_sync_without_a_broker_is_a_clear_error(capsys, monkeypatch):
    monkeypatch.setenv("SMARTCITY_MQTT_ADMIN_URL", "mqtt://admin:geheim@127.0.0.1:9")
    assert cli.main(["mqtt", "sync"]) == 1
    err = capsys.readouterr().err
    assert "cannot reach the broker at 127.0.0.1:9" in err and "geheim" not in err


def test_token_create_with_datastreams_and_rotate(capsys):
    from tests.sensors.factories import make_thing_with_datastream

    stream = make_thing_with_datastream()[1]
    argv = ["token", "create", "--name", "Hbf", "--scope", "sta:observe", "--datastream"]
    assert cli.main([*argv, str(stream.pk + 1000)]) == 2
    assert f"no Datastream with id {stream.pk + 1000}" in capsys.readouterr().err
    assert cli.main([*argv, str(stream.pk)]) == 0
    secret = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(name="Hbf")
    assert grants.datastreams_of(token) == [stream.pk] and secret.startswith("sc_")
    assert cli.main(["token", "rotate", "Hbf"]) == 0
    assert capsys.readouterr().out.strip() not in ("", secret)
    assert cli.main(["token", "rotate", "nobody"]) == 1
    assert cli.main(["token", "create", "--name", "x", "--scope", "sta:observe"]) == 2
    assert "at least one Datastream" in capsys.readouterr().err
