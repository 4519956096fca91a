"""The audit log stays append-only, with one exception: when an account is removed, its events keep their
actor_label and lose the link to the account (the actor foreign key is SET NULL). Without it no account that
ever did anything could be removed. Every other UPDATE is still refused, on SQLite and PostgreSQL alike."""

from django.db import migrations

# SQLite runs one statement per execute, and cannot replace a trigger: drop it, then create it again.
SQLITE_UP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    """
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
WHEN NOT (
    NEW.actor_id IS NULL
    AND NEW.id IS OLD.id AND NEW.at IS OLD.at AND NEW.actor_label IS OLD.actor_label AND NEW.action IS OLD.action
    AND NEW.object_type IS OLD.object_type AND NEW.object_id IS OLD.object_id AND NEW.object_repr IS OLD.object_repr
    AND NEW.org_id IS OLD.org_id AND NEW.ip IS OLD.ip AND NEW.request_id IS OLD.request_id
    AND NEW.changes IS OLD.changes
)
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    """
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
""",
]

PG_UP = ["""
CREATE OR REPLACE FUNCTION audit_event_refuse_update() RETURNS trigger AS $$
BEGIN
    IF NEW.actor_id IS NULL AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only';
END; $$ LANGUAGE plpgsql;
"""]
PG_DOWN = ["""
CREATE OR REPLACE FUNCTION audit_event_refuse_update() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;
"""]


def _run(sql_by_vendor):
    def run(apps, schema_editor):
        for sql in sql_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": PG_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN}),
        )
    ]
