"""The organisation tree: federations from national down to street, the 小二级 federations below them, and
grassroots unions; plus the employers whose workers the unions serve.

The tree is a materialised path (django-treebeard MP_Node): every subtree question is one indexed prefix
query on `path`, whatever the depth, and moving a subtree rewrites the paths in one UPDATE.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from treebeard.mp_tree import MP_Node


class OrgLevel(models.TextChoices):
    NATIONAL = "national", _("全国")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区县级")
    STREET = "street", _("街道乡镇级")
    AREA_FEDERATION = "area_federation", _("小二级工会")
    GRASSROOTS = "grassroots", _("基层工会")


# A node's level must be strictly below its parent's: an industry federation can sit under a city or a street,
# a grassroots union under a street or a community federation, never the other way round.
LEVEL_RANK: dict[str, int] = {
    OrgLevel.NATIONAL: 0,
    OrgLevel.PROVINCE: 1,
    OrgLevel.CITY: 2,
    OrgLevel.DISTRICT: 3,
    OrgLevel.STREET: 4,
    OrgLevel.AREA_FEDERATION: 5,
    OrgLevel.GRASSROOTS: 6,
}


class OrgKind(models.TextChoices):
    NATIONAL_FEDERATION = "national_federation", _("全国总工会")
    PROVINCE_FEDERATION = "province_federation", _("省总工会")
    CITY_FEDERATION = "city_federation", _("市总工会")
    DISTRICT_FEDERATION = "district_federation", _("区县总工会")
    STREET_FEDERATION = "street_federation", _("街道（乡镇）总工会")
    COMMUNITY = "community", _("社区工会联合会")
    VILLAGE = "village", _("村居工会联合会")
    PARK = "park", _("园区工会联合会")
    BUILDING = "building", _("楼宇工会联合会")
    BUSINESS_DISTRICT = "business_district", _("商圈工会联合会")
    INDUSTRY = "industry", _("行业工会联合会")
    GRID = "grid", _("网格工会联合会")
    ENTERPRISE_UNION = "enterprise_union", _("企业工会")
    JOINT_UNION = "joint_union", _("联合工会")


KIND_LEVEL: dict[str, str] = {
    OrgKind.NATIONAL_FEDERATION: OrgLevel.NATIONAL,
    OrgKind.PROVINCE_FEDERATION: OrgLevel.PROVINCE,
    OrgKind.CITY_FEDERATION: OrgLevel.CITY,
    OrgKind.DISTRICT_FEDERATION: OrgLevel.DISTRICT,
    OrgKind.STREET_FEDERATION: OrgLevel.STREET,
    OrgKind.COMMUNITY: OrgLevel.AREA_FEDERATION,
    OrgKind.VILLAGE: OrgLevel.AREA_FEDERATION,
    OrgKind.PARK: OrgLevel.AREA_FEDERATION,
    OrgKind.BUILDING: OrgLevel.AREA_FEDERATION,
    OrgKind.BUSINESS_DISTRICT: OrgLevel.AREA_FEDERATION,
    OrgKind.INDUSTRY: OrgLevel.AREA_FEDERATION,
    OrgKind.GRID: OrgLevel.AREA_FEDERATION,
    OrgKind.ENTERPRISE_UNION: OrgLevel.GRASSROOTS,
    OrgKind.JOINT_UNION: OrgLevel.GRASSROOTS,
}


class Organization(MP_Node):
    steplen = 4  # 36**4 = 1.6 million children per node; eight levels fit in 32 characters

    code = models.CharField(_("组织编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=120, db_index=True)
    level = models.CharField(_("层级"), max_length=20, choices=OrgLevel.choices)
    kind = models.CharField(_("类型"), max_length=30, choices=OrgKind.choices)
    division_code = models.CharField(_("行政区划代码"), max_length=12, blank=True, db_index=True)
    contact_name = models.CharField(_("联系人"), max_length=60, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = pgettext_lazy("plural", "组织")
        indexes = [models.Index(fields=["kind", "path"])]
        constraints = [
            models.CheckConstraint(
                name="organization_kind_matches_level",
                condition=Q(
                    *[Q(kind=kind, level=level) for kind, level in KIND_LEVEL.items()],
                    _connector=Q.OR,
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_grassroots(self) -> bool:
        return self.level == OrgLevel.GRASSROOTS


class Employer(models.Model):
    """A unit that employs workers. Its union is its own enterprise union, or the joint union it belongs to."""

    name = models.CharField(_("单位名称"), max_length=150)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    headcount = models.PositiveIntegerField(_("职工人数"))
    industry = models.CharField(_("行业"), max_length=60, blank=True)
    located_in = models.ForeignKey(
        Organization,
        verbose_name=_("所在街道（社区）"),
        on_delete=models.PROTECT,
        related_name="located_employers",
    )
    union = models.ForeignKey(
        Organization,
        verbose_name=_("所属工会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employers",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("用人单位")
        verbose_name_plural = pgettext_lazy("plural", "用人单位")

    def __str__(self) -> str:
        return self.name
