"""Once seeded the national criteria. They are now kept by a post_migrate handler (the ratings app's
national_criteria module), which fills them after every migrate and again after every flush; this migration ran only
once, so a flushed database was left with none. It stays, empty, because databases have it applied and 0003 follows
it. It imports no app code: a migration must not change meaning when the app does."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ratings", "0001_initial")]

    operations = []
