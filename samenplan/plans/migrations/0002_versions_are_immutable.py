"""Database triggers that refuse to change a frozen plan version.

PostgreSQL refuses UPDATE and DELETE. SQLite refuses UPDATE only: Django's test flush empties
SQLite tables with DELETE, and deletes are already refused by the model, its queryset and the
PROTECT foreign key from the plan.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION samenplan_refuse_version_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'plan versions are immutable';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER plan_version_immutable BEFORE UPDATE OR DELETE ON plans_planversion
    FOR EACH ROW EXECUTE FUNCTION samenplan_refuse_version_change();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS plan_version_immutable ON plans_planversion;
DROP FUNCTION IF EXISTS samenplan_refuse_version_change();
"""
SQLITE_FORWARD = """
CREATE TRIGGER plan_version_immutable BEFORE UPDATE ON plans_planversion
BEGIN SELECT RAISE(ABORT, 'plan versions are immutable'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS plan_version_immutable;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
