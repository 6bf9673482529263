"""The database router of the audit log (core/audit.py): ``AuditEvent`` is read and
written through the alias ``"audit"``, and nothing else is.

On SQLite that alias is a file of its own (``smartcity-audit.sqlite3``), so the audit
table is migrated there and only there. On PostgreSQL it is a second connection to the
same database: the table is made by the default alias's migrations (both aliases share
one ``django_migrations`` table), and migrating the audit alias does nothing.
Import-light: settings.py names it before the apps are loaded.
"""

from __future__ import annotations

from typing import Any

AUDIT = "audit"
DEFAULT = "default"
_MODEL = ("core", "auditevent")


def _is_audit(model: Any) -> bool:
    return (model._meta.app_label, model._meta.model_name) == _MODEL


def separate_store() -> bool:
    """Whether the audit log is a store of its own (SQLite) rather than a second
    connection to the platform's database (PostgreSQL)."""
    from django.db import connections

    return bool(connections[AUDIT].vendor == "sqlite")


class AuditRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return AUDIT if _is_audit(model) else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return AUDIT if _is_audit(model) else None

    def allow_relation(self, first: Any, second: Any, **hints: Any) -> bool | None:
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        if (app_label, model_name) == _MODEL:
            return db == (AUDIT if separate_store() else DEFAULT)
        if db == AUDIT:
            return False  # nothing else lives in the audit store
        return None
