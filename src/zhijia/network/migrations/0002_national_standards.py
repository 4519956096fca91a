"""The national standards every install starts with: the rest stations' 七有 and the grassroots unions' 六有."""

from django.db import migrations

STANDARDS = [
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
]


def create(apps, schema_editor):
    Standard = apps.get_model("network", "Standard")
    StandardItem = apps.get_model("network", "StandardItem")
    for code, name, kind, interval, items in STANDARDS:
        standard, _ = Standard.objects.get_or_create(
            code=code, defaults={"name": name, "applies_to": kind, "inspection_interval_days": interval}
        )
        for position, (item_code, label, description) in enumerate(items):
            StandardItem.objects.get_or_create(
                standard=standard,
                code=item_code,
                defaults={"label": label, "description": description, "position": position},
            )


def remove(apps, schema_editor):
    Standard = apps.get_model("network", "Standard")
    StandardItem = apps.get_model("network", "StandardItem")
    codes = [code for code, *_ in STANDARDS]
    # Raw deletes: the collector of a historical model trips over the hidden ("+") relations to Standard.
    StandardItem.objects.filter(standard__code__in=codes)._raw_delete(schema_editor.connection.alias)
    Standard.objects.filter(code__in=codes)._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
