"""Once seeded the national standards. They are now kept by a post_migrate handler (the network app's
national_standards module), which fills them after every migrate and again after every flush; this migration ran
only once, so a flushed database was left with none. It stays, empty, because databases have it applied and later
migrations follow it. It imports no app code: a migration must not change meaning when the app does."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = []
