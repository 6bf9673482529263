"""The domain contract: a throwaway app, declared only in its own folder plus one line in
the app list, gets its page, API route, command, setting, scope, tile, live stream,
periodic task and its part of a person's data (download and deletion); and the
contract's helpers (order of demo loaders, dotted paths)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from smartcity.core import contract
from smartcity.core.contract import DemoLoader, Domain

ROOT = Path(__file__).resolve().parents[2]

THROWAWAY = {
    "__init__.py": "",
    "apps.py": """
        from django.apps import AppConfig

        class ThrowawayConfig(AppConfig):
            name = "throwaway"
    """,
    "platform.py": """
        from smartcity.core.config import Setting
        from smartcity.core.contract import (
            Action, ApiRouter, Command, DemoLoader, Domain, Mount, NavLink, PersonalData,
            PortalPart, Scope,
        )

        DOMAIN = Domain(
            name="throwaway",
            mounts=(Mount("wegwerf/", "throwaway.urls"),),
            api=(ApiRouter("v1/wegwerf/", "throwaway.api:router"),),
            portal=PortalPart("wegwerf", "Wegwerf-Baustein", "Nur für den Test.",
                              href="/wegwerf/", order=5),
            settings=(Setting("WEGWERF_LIMIT", "7", "A throwaway setting."),),
            scopes=(Scope("wegwerf:write", "write throwaway things"),),
            nav=(NavLink("Wegwerf-Link", "/wegwerf/", order=15),),
            actions=(Action("throwaway.thing.edit", "edit throwaway things", ("admin",)),),
            commands=(Command("wegwerf", "say hello", "throwaway.commands:configure"),),
            demo=DemoLoader("throwaway.demo:load", after=("sensors",)),
            live_streams=("/wegwerf/live",),
            tasks=("throwaway.tasks",),
            personal_data=(PersonalData("throwaway.personal:export", "throwaway.personal:erase"),),
        )
    """,
    "personal.py": """
        ERASED = []

        def export(user):
            return {"greeting": f"hallo {user.first_name}"}

        def erase(user):
            ERASED.append(user.first_name)
    """,
    "urls.py": """
        from django.http import HttpResponse
        from django.urls import path

        urlpatterns = [path("", lambda request: HttpResponse("wegwerf-seite"))]
    """,
    "api.py": """
        from ninja import Router

        router = Router()

        @router.get("/ping")
        def ping(request):
            return {"pong": True}
    """,
    "commands.py": """
        def configure(parser):
            parser.add_argument("--name", default="Hamm")
            parser.set_defaults(func=lambda args: print(f"hallo {args.name}") or 0)
    """,
    "demo.py": """
        def load(*, days, progress=None):
            return {"wegwerf": 1}
    """,
    "tasks.py": """
        from huey import crontab

        from smartcity.core.tasks import queue

        @queue.periodic_task(crontab(minute="*/5"), name="wegwerf.tick")
        def tick():
            return None
    """,
}

PROBE = """
import contextlib, io, json
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from smartcity import cli
from smartcity.core import config, contract, demo, tasks, threads, tokens

call_command("migrate", verbosity=0)
call_command("migrate", database="audit", verbosity=0)
client = Client(SERVER_NAME="localhost")
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = cli.main(["wegwerf", "--name", "Uentrop"])
docs = open(DOCS).read()
token, _secret = tokens.create_token("probe", ["wegwerf:write"])
from django.contrib.auth.models import User
from smartcity.core.accounts.self_service import personal
import throwaway.personal
person = User.objects.create_user("lena", first_name="Lena")
exported = personal.export(person)["throwaway"]
personal.delete_account(None, person)
print(json.dumps({
    "page": client.get("/wegwerf/").content.decode(),
    "api": client.get("/api/v1/wegwerf/ping").json(),
    "openapi": "/api/v1/wegwerf/ping" in client.get("/api/openapi.json").json()["paths"],
    "home": client.get("/").content.decode(),
    "command": [code, out.getvalue().strip()],
    "help": cli.commands_help().get("wegwerf"),
    "setting": config.value("WEGWERF_LIMIT"),
    "undocumented": [s.name for s in config.declared() if f"SMARTCITY_{s.name}" not in docs],
    "scope": token.scopes,
    "live": "/wegwerf/live" in threads.STREAMING_PATHS,
    "task": "wegwerf.tick" in {t.name for t in tasks.queue._registry.periodic_tasks},
    "demo_order": [d.name for d in contract.demo_order(list(contract.domains()))],
    "nav": [str(link.label) for link in contract.nav_links()],
    "action": contract.actions()["throwaway.thing.edit"].roles,
    "personal": [exported, throwaway.personal.ERASED, User.objects.filter(username="lena").count()],
}))
"""


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("throwaway")
    package = folder / "throwaway"
    package.mkdir()
    for name, text in THROWAWAY.items():
        (package / name).write_text(textwrap.dedent(text))
    (folder / "throwaway_settings.py").write_text(
        "from smartcity.settings import *  # noqa: F403\n"
        "INSTALLED_APPS = [*INSTALLED_APPS, 'throwaway']  # noqa: F405\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTCITY_")}
    env.update(
        DJANGO_SETTINGS_MODULE="throwaway_settings",
        PYTHONPATH=os.pathsep.join([str(folder), str(ROOT / "src"), str(ROOT)]),
        SMARTCITY_DATA_DIR=str(folder / "var"),
    )
    docs = ROOT / "docs" / "configuration.md"
    result = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", f"DOCS = {str(docs)!r}\n{PROBE}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_new_domain_serves_its_page_and_api_route(probe: dict) -> None:
    assert probe["page"] == "wegwerf-seite"
    assert probe["api"] == {"pong": True}
    assert probe["openapi"] is True


def test_a_new_domain_brings_its_navigation_link_and_actions(probe: dict) -> None:
    assert probe["nav"][:3] == ["Umweltdaten", "Wegwerf-Link", "Mobilität"]
    assert '<a href="/wegwerf/">Wegwerf-Link</a>' in probe["home"]
    assert probe["action"] == ["admin"]


def test_a_new_domain_brings_its_command(probe: dict) -> None:
    assert probe["command"] == [0, "hallo Uentrop"]
    assert probe["help"] == "say hello"


def test_a_new_domain_setting_is_read_and_held_to_the_docs_check(probe: dict) -> None:
    assert probe["setting"] == "7"
    # the docs check (tests/core/test_settings.py) would name exactly the new setting
    assert probe["undocumented"] == ["WEGWERF_LIMIT"]


def test_a_new_domain_declares_its_scope(probe: dict) -> None:
    assert probe["scope"] == ["wegwerf:write"]


def test_a_new_domain_gets_its_tile_first_by_its_order(probe: dict) -> None:
    home = probe["home"]
    assert '<a href="/wegwerf/">Wegwerf-Baustein</a>' in home
    assert home.index("Wegwerf-Baustein") < home.index("Urbane Datenplattform")


def test_a_new_domain_brings_its_live_stream_periodic_task_and_demo_data(probe: dict) -> None:
    assert probe["live"] is True
    assert probe["task"] is True
    assert probe["demo_order"] == ["sensors", "mobility", "administration", "throwaway"]


def test_a_new_domain_brings_its_part_of_a_persons_data(probe: dict) -> None:
    exported, erased, left = probe["personal"]
    assert exported == {"greeting": "hallo Lena"}  # filed under the domain's name
    assert erased == ["Lena"] and left == 0  # its eraser ran, then the account went


def _demo(name: str, *after: str) -> Domain:
    return Domain(name=name, demo=DemoLoader(f"{name}.demo:load", after=after))


def test_demo_loaders_run_after_those_they_name() -> None:
    order = contract.demo_order([_demo("b", "a"), Domain(name="plain"), _demo("a"), _demo("c")])
    assert [d.name for d in order] == ["a", "b", "c"]


def test_demo_loaders_that_wait_for_each_other_are_refused() -> None:
    with pytest.raises(ValueError, match="circle"):
        contract.demo_order([_demo("a", "b"), _demo("b", "a")])


def test_the_installed_domains_are_declared_in_the_app_list_order() -> None:
    names = [d.name for d in contract.domains()]
    assert names == ["core", "sensors", "environment", "mobility", "administration", "portal"]


def test_a_dotted_path_names_a_module_or_its_attribute() -> None:
    assert contract.resolve("smartcity.core.contract:Domain") is Domain
    assert contract.resolve("smartcity.core.contract") is contract


def test_a_platform_module_must_declare_a_domain(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "broken_app").mkdir()
    (tmp_path / "broken_app" / "__init__.py").write_text("")
    (tmp_path / "broken_app" / "platform.py").write_text("DOMAIN = {'name': 'broken'}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(TypeError, match=r"broken_app\.platform\.DOMAIN"):
        contract.declaration("broken_app")
    assert contract.declaration("django.contrib.admin") is None
