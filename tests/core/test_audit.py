"""The audit log: an event survives the rollback of the transaction it was recorded in
(its own alias), holds the client's network rather than its address, is pruned after the
retention, is routed to the audit alias alone, and is read-only in the back office to the
role admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connections, router, transaction
from django.test import Client, RequestFactory
from django.utils import timezone

from smartcity.core import audit, roles
from smartcity.core.audit import AuditEvent
from smartcity.core.audit_routing import AuditRouter
from smartcity.core.models import ApiToken, Team
from tests.staff import verified_login

pytestmark = pytest.mark.django_db(databases=["default", "audit"])


class Boom(Exception):
    pass


def _clerk() -> User:
    Team.objects.get_or_create(key="standesamt", defaults={"name": "Standesamt"})
    clerk = User.objects.create_user("clerk.meier", "meier@example.org")
    roles.grant(clerk, "clerk", team="standesamt")
    return clerk


def test_an_event_survives_the_rollback_of_the_request_transaction() -> None:
    clerk = _clerk()
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.77")
    request.user = clerk
    with pytest.raises(Boom), transaction.atomic():
        ApiToken.objects.create(name="rolled back", prefix="x", secret_hash="h" * 64)
        audit.record(request, audit.READ, "administration.application", "pub-1", "case")
        raise Boom
    assert not ApiToken.objects.filter(name="rolled back").exists()  # the write went
    (event,) = AuditEvent.objects.all()  # the event stayed
    assert event.object_id == "pub-1" and event.purpose == "case"
    assert event.actor_id == clerk.pk and event.actor_name == "clerk.meier"
    assert event.actor_roles == "clerk"
    assert event.client == "192.0.2.0/24"  # the network, not the address
    assert len(event.request_id) == 16


def test_a_citizen_is_recorded_by_account_id_alone() -> None:
    citizen = User.objects.create_user("buerger@example.org", "buerger@example.org")
    roles.grant(citizen, "citizen")
    event = audit.record(
        None, audit.EXPORT, "core.account", citizen.pk, "self-service", actor=citizen
    )
    assert event.actor_id == citizen.pk and event.actor_name == ""
    assert "example.org" not in " ".join(str(v) for v in vars(event).values())


def test_events_of_one_request_share_its_id_and_ipv6_is_cut_to_48_bits() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1234:5678::1")
    request.user = _clerk()
    first = audit.record(request, audit.READ, "administration.application", "a", "case")
    second = audit.record(request, audit.DOWNLOAD, "administration.upload", "b", "case")
    assert first.request_id == second.request_id
    assert first.client == "2001:db8:1234::/48"
    assert audit.truncated_address("not an address") == ""


def test_an_unknown_action_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown audit action"):
        audit.record(None, "peek", "core.account", 1, "x")
    assert AuditEvent.objects.count() == 0


def test_events_older_than_the_retention_are_pruned(settings, monkeypatch) -> None:
    monkeypatch.setenv("SMARTCITY_AUDIT_RETENTION_DAYS", "30")
    now = timezone.now()
    old = audit.record(None, audit.READ, "administration.application", "old", "case")
    recent = audit.record(None, audit.READ, "administration.application", "new", "case")
    AuditEvent.objects.filter(pk=old.pk).update(at=now - timedelta(days=31))
    AuditEvent.objects.filter(pk=recent.pk).update(at=now - timedelta(days=29))
    assert audit.prune(now) == 1
    assert list(AuditEvent.objects.values_list("object_id", flat=True)) == ["new"]


def test_the_retention_task_runs_each_night() -> None:
    from datetime import datetime

    from smartcity.core.tasks import queue

    def due(hour: int, minute: int) -> set[str]:
        return {task.name for task in queue.read_periodic(datetime(2026, 12, 5, hour, minute))}

    assert "prune_old_events" in due(3, 23)
    assert "prune_old_events" not in due(12, 0)


def test_only_the_audit_event_lives_on_the_audit_alias() -> None:
    assert router.db_for_write(AuditEvent) == "audit"
    assert router.db_for_read(AuditEvent) == "audit"
    assert router.db_for_write(ApiToken) in (None, "default")
    routing = AuditRouter()
    separate = connections["audit"].vendor == "sqlite"
    assert routing.allow_migrate("audit", "core", "auditevent") is separate
    assert routing.allow_migrate("default", "core", "auditevent") is not separate
    assert routing.allow_migrate("audit", "core", "apitoken") is False
    assert routing.allow_migrate("audit", "sensors", None) is False


def test_the_back_office_shows_the_log_to_admins_read_only() -> None:
    event = audit.record(None, audit.READ, "administration.application", "pub-9", "case")
    admin = User.objects.create_user("admin.schulz", is_staff=True)
    roles.grant(admin, "admin")
    client = verified_login(Client(), admin)
    listing = client.get("/admin/core/auditevent/")
    assert listing.status_code == 200 and "pub-9" in listing.content.decode()
    detail = client.get(f"/admin/core/auditevent/{event.pk}/change/")
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert (
        client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert client.get("/admin/core/auditevent/add/").status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_clerk_does_not_see_the_log() -> None:
    clerk = _clerk()
    clerk.is_staff = True
    clerk.save()
    client = verified_login(Client(), clerk)
    assert client.get("/admin/core/auditevent/").status_code == 403


def test_smartcity_migrate_makes_the_audit_table_in_its_own_file(tmp_path) -> None:
    import os
    import sqlite3
    import subprocess
    import sys

    clean = {k: v for k, v in os.environ.items() if not k.startswith("SMARTCITY_")}
    subprocess.run(
        [sys.executable, "-m", "smartcity.cli", "migrate", "--verbosity", "0"],
        env={**clean, "SMARTCITY_DATA_DIR": str(tmp_path)},
        check=True,
        timeout=120,
    )

    def tables(name: str) -> set[str]:
        with sqlite3.connect(tmp_path / name) as db:
            return {row[0] for row in db.execute("SELECT name FROM sqlite_master")}

    assert "core_auditevent" in tables("smartcity-audit.sqlite3")
    assert "core_apitoken" not in tables("smartcity-audit.sqlite3")
    assert "core_auditevent" not in tables("smartcity.sqlite3")
    assert "core_apitoken" in tables("smartcity.sqlite3")


def test_opening_an_account_in_the_back_office_is_recorded() -> None:
    person = User.objects.create_user("buerger@example.org", "buerger@example.org")
    admin = User.objects.create_superuser("admin.schulz", "admin@example.org", "x" * 20)
    client = verified_login(Client(), admin)
    assert client.get("/admin/auth/user/").status_code == 200
    assert not AuditEvent.objects.exists()  # lists are not recorded, an account's page is
    page = client.get(f"/admin/auth/user/{person.pk}/change/")
    assert page.status_code == 200 and "buerger@example.org" in page.content.decode()
    (event,) = AuditEvent.objects.all()
    assert (event.object_type, event.object_id, event.purpose) == (
        "core.account",
        str(person.pk),
        "back-office",
    )
    assert event.actor_name == "admin.schulz"


def test_a_log_that_cannot_be_written_stops_the_read() -> None:
    from smartcity.core import storefaults

    if connections["audit"].vendor != "sqlite":
        pytest.skip("a read-only SQLite connection stands in for a full or read-only store")
    with connections["audit"].cursor() as cursor:
        cursor.execute("PRAGMA query_only = 1")
        try:
            # a savepoint, so that the test's own transaction stays usable afterwards
            with pytest.raises(storefaults.StoreUnavailable), transaction.atomic(using="audit"):
                audit.record(None, audit.READ, "administration.application", "p", "case")
        finally:
            cursor.execute("PRAGMA query_only = 0")
    assert not AuditEvent.objects.exists()
