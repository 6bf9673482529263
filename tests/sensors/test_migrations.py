"""The move of the token's sensor grants from the kernel to sensors keeps what tokens held."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("core", "0003_token_datastreams_broker_account"), ("sensors", "0005_tracked_topics")]
AFTER = [("core", "0004_token_grants_move_to_domains"), ("sensors", "0006_token_grant")]


@pytest.mark.django_db(transaction=True)
def test_grants_survive_the_move_from_the_kernel_to_sensors():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    token = old.get_model("core", "ApiToken")
    device = token.objects.create(name="device", prefix="sc_a", secret_hash="a" * 64,
                                  scopes=["sta:observe"], datastreams=[4, 7],
                                  broker_account="provisioned")
    writer = token.objects.create(name="writer", prefix="sc_b", secret_hash="b" * 64,
                                  scopes=["sta:write"])
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    grant = new.get_model("sensors", "TokenGrant")
    assert list(grant.objects.values_list("token_id", "datastreams", "broker_account")) == [
        (device.pk, [4, 7], "provisioned")
    ]
    assert not grant.objects.filter(token_id=writer.pk).exists()
    columns = [c.name for c in connection.introspection.get_table_description(
        connection.cursor(), "core_apitoken")]
    assert "datastreams" not in columns and "broker_account" not in columns
    # and back again: the kernel's columns get their values back
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    back = executor.loader.project_state(BEFORE).apps.get_model("core", "ApiToken")
    assert back.objects.get(pk=device.pk).datastreams == [4, 7]
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
