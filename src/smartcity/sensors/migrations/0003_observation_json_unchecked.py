"""Observation's JSON columns without SQLite's per-row JSON_VALID check (WrittenJSONField).

The three field changes are recorded in the state only; the table is rebuilt once on
SQLite (three AlterFields would copy the biggest table three times). PostgreSQL's jsonb
columns carry no such check, so nothing changes there.
"""

from typing import Any

from django.db import migrations

import smartcity.sensors.models


def _rebuild_once(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        # Django's own way to change a SQLite table's DDL (copy, drop, rename)
        schema_editor._remake_table(apps.get_model("sensors", "Observation"))


class Migration(migrations.Migration):
    dependencies = [
        ("sensors", "0002_postgis"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="observation",
                    name=name,
                    field=smartcity.sensors.models.WrittenJSONField(
                        null=True, blank=name != "result"
                    ),
                )
                for name in ("parameters", "result", "result_quality")
            ]
        ),
        migrations.RunPython(_rebuild_once, migrations.RunPython.noop),
    ]
