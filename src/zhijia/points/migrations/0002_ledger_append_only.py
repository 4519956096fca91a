"""The points ledger is append-only at the database level. UPDATE is refused on SQLite and PostgreSQL alike, with one
exception (as in the audit log): when the staff account that wrote an entry is removed, the entry loses the link to it
(actor SET NULL) and keeps everything else. DELETE is refused on PostgreSQL, the production database (its test flush
uses TRUNCATE, which row triggers do not see); SQLite, used for development and tests, flushes its tables row by row
with DELETE between tests, so there only the foreign keys (PROTECT) keep entries from being removed."""

from django.db import migrations

SQLITE_UP = ["""
CREATE TRIGGER points_entry_no_update BEFORE UPDATE ON points_entry
WHEN NOT (
    NEW.actor_id IS NULL
    AND NEW.id IS OLD.id AND NEW.user_id IS OLD.user_id AND NEW.kind IS OLD.kind AND NEW.event IS OLD.event
    AND NEW.source IS OLD.source AND NEW.amount IS OLD.amount AND NEW.org_id IS OLD.org_id
    AND NEW.rule_id IS OLD.rule_id AND NEW.reason IS OLD.reason AND NEW.expires_on IS OLD.expires_on
    AND NEW.balance_after IS OLD.balance_after AND NEW.created_at IS OLD.created_at
)
BEGIN SELECT RAISE(ABORT, 'points entries are append-only'); END;
"""]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS points_entry_no_update;"]

PG_UP = [
    """
CREATE OR REPLACE FUNCTION points_entry_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'points entries are append-only';
END; $$ LANGUAGE plpgsql;
""",
    """
CREATE TRIGGER points_entry_no_change BEFORE UPDATE OR DELETE ON points_entry
FOR EACH ROW EXECUTE FUNCTION points_entry_refuse_change();
""",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS points_entry_no_change ON points_entry;",
    "DROP FUNCTION IF EXISTS points_entry_refuse_change();",
]


def _run(sql_by_vendor):
    def run(apps, schema_editor):
        for sql in sql_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": PG_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN}),
        )
    ]
