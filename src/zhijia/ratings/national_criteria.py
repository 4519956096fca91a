"""The national criteria members rate homes on (a home is rated on them unless a union above it keeps its own list),
and the post_migrate handler that keeps them in every database.

Like contenttypes and permissions, the list is filled after every `migrate` and after every `flush`: Django's flush
sends post_migrate again (so does the teardown of every transactional test), while a data migration runs only once,
so a flushed database would be left with no criteria at all.
"""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db import DEFAULT_DB_ALIAS, router

# (code, label) in the order members see them.
NATIONAL_CRITERIA: tuple[tuple[str, str], ...] = (
    ("environment", "环境"),
    ("facilities", "设施"),
    ("services", "服务"),
    ("staff", "工作人员"),
    ("activities", "活动"),
)


def national_criteria_ensure(
    app_config: AppConfig, using: str = DEFAULT_DB_ALIAS, apps: Apps = global_apps, **kwargs: Any
) -> None:
    """post_migrate: create the national criteria the database lacks. Idempotent: a criterion already there (also
    one made inactive or relabelled) is left as it is. After a migrate `apps` holds the models as the migrations
    left them; after a flush, the current ones."""
    try:
        criterion = apps.get_model("ratings", "RatingCriterion")
    except LookupError:  # ratings migrated back to zero: there is no table to fill
        return
    if not router.allow_migrate_model(using, criterion):
        return
    national = criterion._default_manager.using(using).filter(owner__isnull=True)
    present = set(national.values_list("code", flat=True))
    missing = [
        criterion(owner=None, code=code, label=label, position=position, is_active=True)
        for position, (code, label) in enumerate(NATIONAL_CRITERIA)
        if code not in present
    ]
    if missing:
        # Two processes migrating at once: the unique national code keeps one row each, the other insert is dropped.
        criterion._default_manager.using(using).bulk_create(missing, ignore_conflicts=True)
