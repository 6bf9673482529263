"""The one contract between the platform and its domain apps: every extension point, one line.

A domain app declares what it brings in one place, ``<app>/platform.py``, as
``DOMAIN = Domain(...)``. The shared files (``urls.py``, ``api.py``, ``cli.py``, the portal,
the settings and their docs check, token scopes, the server's lifecycle, demo data,
importers) loop over :func:`domains` and never name a domain, so a new domain is its folder
plus one line in the app list (``smartcity/domains.py``).

``platform.py`` must stay import-light (no models, no Django setup): the command line and
``settings.py`` read it before Django is set up. Everything heavy is named by a dotted path
``"package.module:attribute"`` and imported when it is used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from smartcity.core.config import Setting

Text = Any  # a str or a lazily translated string (gettext_lazy)


@dataclass(frozen=True)
class Mount:
    """URLs the domain serves: its urlconf module under a path prefix of the site."""

    prefix: str  # e.g. "umwelt/" (no leading slash)
    urlconf: str  # dotted module path of the urlconf
    json: bool = False  # errors under this prefix are answered as JSON, never as HTML


@dataclass(frozen=True)
class ApiRouter:
    """A django-ninja router of the domain's own JSON, mounted under /api/."""

    prefix: str  # e.g. "v1/environment/"
    router: str  # "module:attribute" of a ninja.Router


@dataclass(frozen=True)
class PortalPart:
    """The domain's tile on the home page. ``key`` names the slot of the strategy's six
    parts it fills (the portal lists those that no domain fills yet as planned)."""

    key: str
    title: Text
    summary: Text
    href: str | None = None  # None: shown as "in Vorbereitung", not a link
    order: int = 100  # tiles are shown by this number, then by key

    @property
    def available(self) -> bool:
        return self.href is not None


@dataclass(frozen=True)
class NavLink:
    """A link in every page's main navigation (after "Start"), shown by ``order``; it is
    marked as the current page on every path under ``href``."""

    label: Text
    href: str  # a path of the site, e.g. "/umwelt/"
    order: int = 100


@dataclass(frozen=True)
class Scope:
    """A permission an API token can hold; the domain that declares it enforces it."""

    name: str  # "<domain prefix>:<verb>", e.g. "sta:write"
    description: str  # what a holder may do, one line (shown by `smartcity token create`)
    includes: tuple[str, ...] = ()  # scopes a holder has as well, e.g. sta:admin: sta:write


@dataclass(frozen=True)
class Action:
    """Something a person may do, and the roles (core.roles.ROLES) that may do it; the
    declaring domain asks ``core.roles.may(user, name)`` before it does it."""

    name: str  # "<domain>.<what>", e.g. "administration.case.read"
    description: str  # one line, shown in docs/roles.md and the admin
    roles: tuple[str, ...]  # the roles that may, e.g. ("clerk", "supervisor")
    team: bool = False  # a clerk or supervisor may only for their own team's objects


@dataclass(frozen=True)
class Command:
    """A ``smartcity NAME`` sub-command. ``configure(parser)`` adds its arguments and sets
    ``func`` (``parser.set_defaults(func=...)``), a function ``(args) -> exit code`` that
    runs after Django is set up."""

    name: str
    help: str  # one line; docs/cli.md documents every command (a test checks that)
    configure: str  # "module:function"


@dataclass(frozen=True)
class DemoLoader:
    """The domain's part of the Hamm demo city: ``load(days=, progress=)`` is idempotent
    and returns counts of what it added; it runs after the loaders of ``after``."""

    load: str  # "module:function"
    after: tuple[str, ...] = ()  # names of domains whose demo data must exist first


@dataclass(frozen=True)
class Figure:
    label: Text
    value: int
    approximate: bool = False


@dataclass(frozen=True)
class Figures:
    """What the home page shows of the domain in numbers: a title, figures, a note."""

    title: Text
    items: tuple[Figure, ...]
    note: Text = ""  # safe HTML (format_html), e.g. where the data can be read


@dataclass(frozen=True)
class PersonalData:
    """What a domain stores about a person: ``export(user) -> dict`` for the download of
    everything stored about them (Art. 15/20 GDPR, "Mein Konto"), and ``erase(user) ->
    None``, run inside the account's deletion before the account goes (it deletes what
    may go and unlinks what the city must keep)."""

    export: str  # "module:function" (user) -> dict of JSON values, keyed by what it is
    erase: str  # "module:function" (user) -> None


class TokenGrants(Protocol):
    """What a domain grants an API token beyond its scopes, kept by that domain (the
    kernel's token holds only scopes): e.g. the Datastreams a device token may feed."""

    keys: tuple[str, ...]  # the keyword arguments of tokens.create_token it takes

    def add_arguments(self, parser: Any) -> None: ...  # options of `smartcity token create`

    def from_arguments(self, args: Any) -> dict[str, Any]: ...  # those options as grants

    def check(self, scopes: frozenset[str], grants: dict[str, Any]) -> None: ...  # ValueError

    def store(self, token: Any, grants: dict[str, Any]) -> None: ...  # in create_token's write

    def describe(self, token: Any) -> str: ...  # its column of `smartcity token list`

    def notes(self, token: Any) -> list[str]: ...  # for the operator after create or rotate


@dataclass(frozen=True)
class Domain:
    """Everything one domain app brings into the platform. Each field is an extension point;
    every one but ``name`` may be left empty."""

    name: str  # the app's label, e.g. "environment"
    mounts: tuple[Mount, ...] = ()  # URL prefixes with their urlconfs
    api: tuple[ApiRouter, ...] = ()  # routers under /api/ (OpenAPI at /api/openapi.json)
    portal: PortalPart | None = None  # its tile on the home page
    nav: tuple[NavLink, ...] = ()  # its links in every page's main navigation
    figures: str | None = None  # "module:function" () -> Figures for the home page
    settings: tuple[Setting, ...] = ()  # its SMARTCITY_* variables (docs/configuration.md)
    scopes: tuple[Scope, ...] = ()  # permissions of API tokens it enforces
    actions: tuple[Action, ...] = ()  # what people in which roles may do (core.roles)
    commands: tuple[Command, ...] = ()  # `smartcity` sub-commands
    importers: tuple[str, ...] = ()  # "module:attribute" of core.importers.Importer objects
    demo: DemoLoader | None = None  # its part of `smartcity demo`
    services: tuple[str, ...] = ()  # "module:function" () -> Service | None, run by the server
    live_streams: tuple[str, ...] = ()  # paths of Server-Sent Event streams (not thread-pooled)
    tasks: tuple[str, ...] = ()  # modules whose huey tasks (periodic ones too) they register
    sqlite_functions: tuple[str, ...] = ()  # "module:function" (sqlite3.Connection) -> None
    token_hooks: tuple[str, str] | None = None  # "module:function"s run on token (created,
    # with its secret; revoked)
    token_grants: str | None = None  # "module:attribute" of a TokenGrants
    payment_providers: tuple[str, ...] = ()  # "module:attribute" of payment provider
    # plug-ins (administration.payments.providers.Provider), enabled by PAYMENT_PROVIDERS
    personal_data: tuple[PersonalData, ...] = ()  # what it stores about a person: export, erase


def resolve(dotted: str) -> Any:
    """The object a ``"package.module:attribute"`` path names."""
    module, _, attribute = dotted.partition(":")
    target = importlib.import_module(module)
    return getattr(target, attribute) if attribute else target


def app_names() -> tuple[str, ...]:
    """The installed apps: Django's list once settings are loaded, else the app list."""
    from django.conf import settings

    if settings.configured:
        return tuple(settings.INSTALLED_APPS)
    from smartcity import domains as app_list

    return app_list.DOMAIN_APPS


def declaration(app: str) -> Domain | None:
    """The Domain an app declares in its platform.py, None for an app without one."""
    try:
        module = importlib.import_module(f"{app}.platform")
    except ModuleNotFoundError as error:
        if error.name != f"{app}.platform":
            raise
        return None
    domain = getattr(module, "DOMAIN", None)
    if not isinstance(domain, Domain):
        raise TypeError(f"{app}.platform.DOMAIN must be a smartcity.core.contract.Domain")
    return domain


def domains(apps: tuple[str, ...] | None = None) -> tuple[Domain, ...]:
    """Every declared domain, in the order of the app list (read once per app list:
    requests ask for settings and scopes)."""
    return _declared(app_names() if apps is None else apps)


@cache
def _declared(apps: tuple[str, ...]) -> tuple[Domain, ...]:
    found = (declaration(app) for app in apps)
    return tuple(domain for domain in found if domain is not None)


def settings() -> Iterator[Setting]:
    """The SMARTCITY_* settings every domain declares (core's are in core.config)."""
    for domain in domains():
        yield from domain.settings


def scopes() -> dict[str, str]:
    """Every token scope by name, with its description."""
    return {scope.name: scope.description for domain in domains() for scope in domain.scopes}


def scope_grants(held: frozenset[str]) -> frozenset[str]:
    """The scopes a token holding ``held`` has: those and all they include, transitively."""
    table = {scope.name: scope.includes for domain in domains() for scope in domain.scopes}
    found, todo = set(held), list(held)
    while todo:
        for included in table.get(todo.pop(), ()):
            if included not in found:
                found.add(included)
                todo.append(included)
    return frozenset(found)


def actions() -> dict[str, Action]:
    """Every declared action by name."""
    return {action.name: action for domain in domains() for action in domain.actions}


def nav_links() -> list[NavLink]:
    """Every domain's navigation links, by order, then in the order of the app list."""
    links = [link for domain in domains() for link in domain.nav]
    return sorted(links, key=lambda link: link.order)


def personal_data() -> list[tuple[str, PersonalData]]:
    """Every domain's personal data providers with the domain's name, in app-list order."""
    return [(domain.name, found) for domain in domains() for found in domain.personal_data]


def token_grants() -> list[TokenGrants]:
    """Every domain's TokenGrants, in the order of the app list."""
    return [resolve(d.token_grants) for d in domains() if d.token_grants is not None]


def commands() -> Iterator[Command]:
    for domain in domains():
        yield from domain.commands


def json_prefixes() -> tuple[str, ...]:
    """URL prefixes whose errors are JSON: /api/ and every mount declared as json."""
    mounted = (f"/{m.prefix}" for d in domains() for m in d.mounts if m.json)
    return ("/api/", *mounted)


def demo_order(declared: list[Domain]) -> list[Domain]:
    """The domains with demo data, each after those it names in ``after``."""
    with_demo = {d.name: d for d in declared if d.demo is not None}
    ordered: list[Domain] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        domain = with_demo.get(name)
        if domain is None or domain in ordered:
            return
        if name in visiting:
            raise ValueError(f"demo loaders depend on each other in a circle at {name!r}")
        visiting.add(name)
        assert domain.demo is not None
        for before in domain.demo.after:
            visit(before)
        ordered.append(domain)

    for name in with_demo:
        visit(name)
    return ordered


@cache
def install() -> None:
    """Wire every domain's hooks into the kernel, once; run when Django's apps are ready."""
    from smartcity.core import demo, importers, lifecycle, sqlite_functions, threads, tokens

    declared = list(domains())
    for domain in declared:
        for provider in domain.sqlite_functions:
            sqlite_functions.provide(resolve(provider))
        for importer in domain.importers:
            importers.register(resolve(importer))
        for make in domain.services:
            lifecycle.register_service(_lazy(make))
        threads.STREAMING_PATHS.update(domain.live_streams)
        for module in domain.tasks:
            importlib.import_module(module)
        if domain.token_hooks is not None:
            created, revoked = domain.token_hooks
            tokens.on_change(resolve(created), resolve(revoked))
    for domain in demo_order(declared):
        assert domain.demo is not None
        demo.register(domain.name, _lazy(domain.demo.load))


def _lazy(dotted: str) -> Callable[..., Any]:
    """A function that imports what ``dotted`` names when it is first called."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return resolve(dotted)(*args, **kwargs)

    call.__qualname__ = call.__name__ = dotted
    return call
