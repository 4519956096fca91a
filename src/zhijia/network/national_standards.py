"""The national standards every install has: the rest stations' 七有 and the enterprise homes' 六有, and the
post_migrate handler that keeps them in every database.

Like contenttypes and permissions, they are filled after every `migrate` and after every `flush`: Django's flush sends
post_migrate again (so does the teardown of every transactional test), while a data migration runs only once, so a
flushed database would be left with no national standard.
"""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db import DEFAULT_DB_ALIAS, router, transaction

# (code, name, kind of point, inspection interval in days, [(item code, label, description)]).
NATIONAL_STANDARDS: tuple[tuple[str, str, str, int, list[tuple[str, str, str]]], ...] = (
    (
        "rest-station-7",
        "户外劳动者暖心驿站“七有”标准",
        "rest_station",
        180,
        [
            ("site", "有场地", "有固定、安全、方便进出的场地"),
            ("sign", "有标识", "统一悬挂暖心驿站标识"),
            ("facilities", "有设施", "饮水、热饭、休息、如厕、充电、针线包、医药箱等设施完好"),
            ("publicity", "有宣传", "公示服务内容、开放时间和工会政策"),
            ("services", "有服务", "按公示时间向户外劳动者提供服务"),
            ("rules", "有制度", "有管理、值守和安全制度"),
            ("results", "有成效", "有服务记录，户外劳动者满意"),
        ],
    ),
    (
        "enterprise-home-6",
        "职工之家“六有”标准",
        "enterprise_home",
        365,
        [
            ("chair", "有依法选举的工会主席", ""),
            ("organisation", "有独立健全的组织机构", ""),
            ("venue", "有服务职工的活动阵地", ""),
            ("rules", "有健全完善的制度机制", ""),
            ("performance", "有会员满意的工作绩效", ""),
            ("funds", "有自主管理的工会经费", ""),
        ],
    ),
)


def national_standards_ensure(
    app_config: AppConfig, using: str = DEFAULT_DB_ALIAS, apps: Apps = global_apps, **kwargs: Any
) -> None:
    """post_migrate: create each national standard the database lacks, with its items. Idempotent: a standard
    already there is left as it is, items and all (an administrator may have changed it). After a migrate `apps`
    holds the models as the migrations left them; after a flush, the current ones."""
    try:
        standard_model = apps.get_model("network", "Standard")
        item_model = apps.get_model("network", "StandardItem")
    except LookupError:  # network migrated back to zero: there is no table to fill
        return
    if not router.allow_migrate_model(using, standard_model):
        return
    present = set(standard_model._default_manager.using(using).values_list("code", flat=True))
    for code, name, kind, interval, items in NATIONAL_STANDARDS:
        if code in present:
            continue
        with transaction.atomic(using=using):
            # get_or_create: another process migrating at the same moment may have just made it (codes are unique).
            standard, created = standard_model._default_manager.using(using).get_or_create(
                code=code, defaults={"name": name, "applies_to": kind, "inspection_interval_days": interval}
            )
            if not created:
                continue
            item_model._default_manager.using(using).bulk_create(
                item_model(standard=standard, code=item, label=label, description=description, position=position)
                for position, (item, label, description) in enumerate(items)
            )
