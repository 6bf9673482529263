"""PostGIS for the $filter geo functions: the extension and GiST indexes on the geometry
built from the stored GeoJSON, with the very expression sensors/odata/geo.py emits, so
st_intersects & co. use the index. ST_GeomFromGeoJSON is IMMUTABLE (PostGIS 3), which
an expression index requires. Only PostgreSQL is touched; on SQLite this is a no-op
(there the bbox columns and their index do the narrowing).
"""

from django.db import migrations

_GEOMETRY_COLUMNS = (
    ("sensors_location", "location"),
    ("sensors_featureofinterest", "feature"),
)


def _index_name(table: str) -> str:
    return f"{table}_geom_gist"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    for table, column in _GEOMETRY_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {_index_name(table)} ON {table} USING GIST "
            f"(ST_GeomFromGeoJSON(COALESCE(({column} -> 'geometry'), {column})::text))"
        )


def backwards(apps, schema_editor):
    # The extension stays: other schemas or apps may use it.
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _column in _GEOMETRY_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {_index_name(table)}")


class Migration(migrations.Migration):
    dependencies = [
        ("sensors", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
