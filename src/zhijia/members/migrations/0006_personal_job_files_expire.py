"""Roster job files made before their downloads were audited and they expired: a full export and an import's
rejected rows hold ID numbers and phones in the clear. They are marked as such and expire as new ones do,
JOBS_PERSONAL_FILE_HOURS after they were made (older ones go at the next `zhijia jobs_expire`)."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.db.models import F, Q


def mark_personal_files(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    personal = Job.objects.filter(
        Q(kind="member.export", params__full=True) | Q(kind="member.import"), result_personal=False
    ).exclude(result_file="")
    personal.update(
        result_personal=True,
        result_expires_at=F("created_at") + timedelta(hours=settings.JOBS_PERSONAL_FILE_HOURS),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_membership_one_id_index"),
        ("jobs", "0002_job_result_expiry"),
    ]

    operations = [migrations.RunPython(mark_personal_files, migrations.RunPython.noop)]
