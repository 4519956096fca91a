"""The national catalogue of services a point may offer (a union adds its own beside these)."""

from django.db import migrations

CATALOGUE = [
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
]


def add(apps, schema_editor):
    ServiceType = apps.get_model("servicemenu", "ServiceType")
    for i, (code, name, description) in enumerate(CATALOGUE):
        ServiceType.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "position": i * 10}
        )


def remove(apps, schema_editor):
    apps.get_model("servicemenu", "ServiceType").objects.filter(
        code__in=[c for c, _, _ in CATALOGUE], owner__isnull=True, offerings__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("servicemenu", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
