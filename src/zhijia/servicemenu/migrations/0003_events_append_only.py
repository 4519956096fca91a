"""An order's history is append-only: the database refuses to change a recorded step. The one exception, as for the
audit log: when an account is removed, its steps lose the link to it (the actor foreign key is SET NULL)."""

from django.db import migrations

SQLITE_UP = [
    """
CREATE TRIGGER servicemenu_event_no_update BEFORE UPDATE ON servicemenu_orderevent
WHEN NOT (
    NEW.actor_id IS NULL
    AND NEW.id IS OLD.id AND NEW.order_id IS OLD.order_id AND NEW.status IS OLD.status
    AND NEW.at IS OLD.at AND NEW.note IS OLD.note
)
BEGIN SELECT RAISE(ABORT, 'order events are append-only'); END;
""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS servicemenu_event_no_update;"]

PG_UP = [
    """
CREATE OR REPLACE FUNCTION servicemenu_event_refuse_update() RETURNS trigger AS $$
BEGIN
    IF NEW.actor_id IS NULL AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'order events are append-only';
END; $$ LANGUAGE plpgsql;
""",
    """
CREATE TRIGGER servicemenu_event_no_update BEFORE UPDATE ON servicemenu_orderevent
FOR EACH ROW EXECUTE FUNCTION servicemenu_event_refuse_update();
""",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS servicemenu_event_no_update ON servicemenu_orderevent;",
    "DROP FUNCTION IF EXISTS servicemenu_event_refuse_update();",
]


def _run(sql_by_vendor):
    def run(apps, schema_editor):
        for sql in sql_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("servicemenu", "0002_national_catalogue")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": PG_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN}),
        )
    ]
