"""The national criteria members rate homes on; a city may keep its own list instead."""

from django.db import migrations

CRITERIA = [
    ("environment", "环境"),
    ("facilities", "设施"),
    ("services", "服务"),
    ("staff", "工作人员"),
    ("activities", "活动"),
]


def create(apps, schema_editor):
    RatingCriterion = apps.get_model("ratings", "RatingCriterion")
    for position, (code, label) in enumerate(CRITERIA):
        RatingCriterion.objects.get_or_create(
            owner=None, code=code, defaults={"label": label, "position": position, "is_active": True}
        )


def remove(apps, schema_editor):
    RatingCriterion = apps.get_model("ratings", "RatingCriterion")
    RatingCriterion.objects.filter(owner__isnull=True, code__in=[c for c, _ in CRITERIA])._raw_delete(
        schema_editor.connection.alias
    )


class Migration(migrations.Migration):
    dependencies = [("ratings", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
