"""On PostgreSQL, two live bookings of a capacity-1 venue may never overlap in time: an exclusion constraint over
(venue, time range), which needs the btree_gist extension for the venue's equality. SQLite has no such constraint;
there (and everywhere) the lock on the slot's row keeps capacity."""

from django.db import migrations

CONSTRAINT = "booking_exclusive_no_overlap"
TABLE = "bookings_booking"


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(venue_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
        "WHERE (exclusive AND status IN ('offered', 'booked', 'checked_in'))"
    )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
