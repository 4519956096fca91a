"""Once seeded the national catalogue. It is now kept by a post_migrate handler (the service menu app's
national_catalogue module), which fills it after every migrate and again after every flush; this migration ran only
once, so a flushed database was left with an empty catalogue. It stays, empty, because databases have it applied and
0003 follows it. It imports no app code: a migration must not change meaning when the app does."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("servicemenu", "0001_initial")]

    operations = []
