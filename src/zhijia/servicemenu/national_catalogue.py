"""The national catalogue of services a point may offer (a union adds its own beside these), and the post_migrate
handler that keeps it in every database.

Like contenttypes and permissions, the catalogue is filled after every `migrate` and after every `flush`: Django's
flush sends post_migrate again (so does the teardown of every transactional test), while a data migration runs only
once, so a flushed database would be left with an empty catalogue. Only missing entries are created; changing the
wording of one already in use is a data migration's work.
"""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db import DEFAULT_DB_ALIAS, router

# (code, name, description) in catalogue order.
NATIONAL_CATALOGUE: tuple[tuple[str, str, str], ...] = (
    ("legal", "法律咨询", "劳动争议、合同、工伤等法律问题，律师坐班解答"),
    ("counselling", "心理咨询", "一对一心理疏导，心理咨询师坐班"),
    ("skills_training", "技能培训", "职业技能提升、考证辅导"),
    ("haircut", "理发", "爱心理发，会员免费或优惠"),
    ("appliance_repair", "家电维修", "小家电检修"),
    ("bike_repair", "自行车电动车维修", "补胎、换刹车、电瓶检测"),
    ("tailoring", "缝补改衣", "缝补、改裤脚、钉扣子"),
    ("health_check", "健康检查", "血压血糖测量、义诊"),
    ("phone_repair", "手机维修", "贴膜、换电池、系统问题"),
    ("job_referral", "就业服务", "岗位推荐、求职指导"),
)


def national_catalogue_ensure(
    app_config: AppConfig, using: str = DEFAULT_DB_ALIAS, apps: Apps = global_apps, **kwargs: Any
) -> None:
    """post_migrate: create the national catalogue entries the database lacks. Idempotent: an entry already there is
    left as it is. After a migrate `apps` holds the models as the migrations left them; after a flush, the current
    ones."""
    try:
        service_type = apps.get_model("servicemenu", "ServiceType")
    except LookupError:  # servicemenu migrated back to zero: there is no table to fill
        return
    if not router.allow_migrate_model(using, service_type):
        return
    present = set(service_type._default_manager.using(using).values_list("code", flat=True))
    missing = [
        service_type(owner=None, code=code, name=name, description=description, position=i * 10)
        for i, (code, name, description) in enumerate(NATIONAL_CATALOGUE)
        if code not in present
    ]
    if missing:
        # Two processes migrating at once: the unique code keeps one row each, the other insert is dropped.
        service_type._default_manager.using(using).bulk_create(missing, ignore_conflicts=True)
