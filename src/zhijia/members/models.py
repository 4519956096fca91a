"""Membership: online applications, the real-name roster, and each membership's history.

A person is identified by their ID number, stored encrypted with a keyed blind index (`id_index`) for exact lookup.
One active membership per person is a database constraint (a partial unique index), not a check in Python.
"""

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from zhijia.core.pii import BlindIndexField, EncryptedTextField


class JobGroup(models.TextChoices):
    TRUCK_DRIVER = "truck_driver", _("货车司机")
    COURIER = "courier", _("快递员")
    CARE_WORKER = "care_worker", _("护工护理员")
    DOMESTIC_WORKER = "domestic_worker", _("家政服务员")
    MALL_STAFF = "mall_staff", _("商场信息员")
    DELIVERY_RIDER = "delivery_rider", _("网约送餐员")
    ESTATE_AGENT = "estate_agent", _("房产中介员")
    SECURITY_GUARD = "security_guard", _("保安员")
    FACTORY_WORKER = "factory_worker", _("企业职工")
    MIGRANT_WORKER = "migrant_worker", _("农民工")
    OTHER = "other", _("其他")


# The "eight groups" (八大群体) of new-form employment the unions reach out to first.
EIGHT_GROUPS = frozenset(
    {
        JobGroup.TRUCK_DRIVER,
        JobGroup.COURIER,
        JobGroup.CARE_WORKER,
        JobGroup.DOMESTIC_WORKER,
        JobGroup.MALL_STAFF,
        JobGroup.DELIVERY_RIDER,
        JobGroup.ESTATE_AGENT,
        JobGroup.SECURITY_GUARD,
    }
)


class NeedyLevel(models.TextChoices):
    NONE = "none", _("否")
    RELATIVE = "relative", _("相对困难")
    DEEP = "deep", _("深度困难")
    ACCIDENT = "accident", _("意外致困")


class ModelWorkerLevel(models.TextChoices):
    NONE = "none", _("否")
    CITY = "city", _("市级劳模")
    PROVINCIAL = "provincial", _("省部级劳模")
    NATIONAL = "national", _("全国劳模")


class RejectReason(models.TextChoices):
    NOT_EMPLOYEE = "not_employee", _("非本单位（本区域）职工")
    INFO_MISMATCH = "info_mismatch", _("信息与证件不符")
    WRONG_UNION = "wrong_union", _("应向其他工会申请")
    INCOMPLETE = "incomplete", _("信息不完整")
    OTHER = "other", _("其他")


class RouteRule(models.TextChoices):
    EMPLOYER_UNION = "employer_union", _("用人单位已建工会：由单位工会接收")
    STREET_JOINT_OR_GRID = "street_joint_or_grid", _("单位未建会：由工作地街道的联合工会或网格工会接收")
    INDUSTRY_FEDERATION = "industry_federation", _("新就业形态：由覆盖工作地的行业工会联合会接收")
    COMMUNITY_OR_STREET = "community_or_street", _("灵活就业：由工作地社区或街道工会接收")


class RoutingRule(models.Model):
    """One step of the routing order a federation (usually a city) applies to applications in its subtree.

    Rules are data: a city reorders them or switches one off; the finest-grained owner above the work place wins.
    """

    owner = models.ForeignKey(
        "organizations.Organization", verbose_name=_("适用组织"), on_delete=models.CASCADE, related_name="+"
    )
    rule = models.CharField(_("规则"), max_length=30, choices=RouteRule.choices)
    priority = models.PositiveSmallIntegerField(_("顺序"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("入会分配规则")
        verbose_name_plural = _("入会分配规则")
        ordering = ["owner", "priority"]
        constraints = [models.UniqueConstraint(fields=["owner", "rule"], name="routingrule_one_per_owner")]

    def __str__(self) -> str:
        return f"{self.priority}. {self.get_rule_display()}"


class IndustryRoute(models.Model):
    """Which job groups an industry federation takes in (e.g. a couriers' union: couriers)."""

    federation = models.ForeignKey(
        "organizations.Organization", verbose_name=_("行业工会"), on_delete=models.CASCADE, related_name="+"
    )
    job_group = models.CharField(_("职业群体"), max_length=20, choices=JobGroup.choices)

    class Meta:
        verbose_name = _("行业工会接收群体")
        verbose_name_plural = _("行业工会接收群体")
        constraints = [models.UniqueConstraint(fields=["federation", "job_group"], name="industryroute_unique")]

    def __str__(self) -> str:
        return f"{self.federation_id}: {self.job_group}"


class ReviewPolicy(models.Model):
    """A union's auto-approval switch and the conditions it requires."""

    union = models.OneToOneField(
        "organizations.Organization", verbose_name=_("工会"), on_delete=models.CASCADE, related_name="review_policy"
    )
    auto_approve = models.BooleanField(_("自动审核通过"), default=False)
    require_phone_verified = models.BooleanField(_("要求手机已验证"), default=True)
    require_employer_on_roster = models.BooleanField(_("要求单位在本工会名录中"), default=True)

    class Meta:
        verbose_name = _("审核规则")
        verbose_name_plural = _("审核规则")

    def __str__(self) -> str:
        return str(self.union_id)


class PersonFields(models.Model):
    name = models.CharField(_("姓名"), max_length=60)
    id_number = EncryptedTextField(_("身份证号码"))
    id_index = BlindIndexField(_("身份证号码索引"))
    phone = EncryptedTextField(_("手机号"), blank=True)
    # Indexed in each model's Meta: db_index on PostgreSQL adds a second index for LIKE, never asked of a hash.
    phone_index = BlindIndexField(_("手机号索引"), blank=True)
    job_group = models.CharField(_("职业群体"), max_length=20, choices=JobGroup.choices, default=JobGroup.OTHER)
    employer = models.ForeignKey(
        "organizations.Employer",
        verbose_name=_("用人单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    employer_name = models.CharField(_("单位名称"), max_length=150, blank=True)

    class Meta:
        abstract = True


class Application(PersonFields):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")
        WITHDRAWN = "withdrawn", _("已撤回")

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人账户"), on_delete=models.PROTECT, related_name="applications"
    )
    no_employer = models.BooleanField(_("无固定单位（灵活就业）"), default=False)
    work_street = models.ForeignKey(
        "organizations.Organization", verbose_name=_("工作地街道"), on_delete=models.PROTECT, related_name="+"
    )
    work_community = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("工作地社区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    live_street = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("居住地街道"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    live_community = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("居住地社区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    phone_verified = models.BooleanField(_("手机已验证"), default=False)
    consent_at = models.DateTimeField(_("同意个人信息处理时间"))
    consent_version = models.CharField(_("同意书版本"), max_length=20)
    union = models.ForeignKey(
        "organizations.Organization", verbose_name=_("受理工会"), on_delete=models.PROTECT, related_name="+"
    )
    route_rule = models.CharField(_("分配依据"), max_length=30, choices=RouteRule.choices)
    route_reason = models.CharField(_("分配说明"), max_length=300)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    auto_approved = models.BooleanField(_("自动通过"), default=False)
    reject_reason = models.CharField(_("不通过原因"), max_length=20, choices=RejectReason.choices, blank=True)
    reject_note = models.CharField(_("说明"), max_length=300, blank=True)
    membership = models.OneToOneField(
        "Membership",
        verbose_name=_("会籍"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
    )

    class Meta:
        verbose_name = _("入会申请")
        verbose_name_plural = _("入会申请")
        indexes = [
            models.Index(fields=["union", "status", "submitted_at"]),
            models.Index(fields=["id_index"]),
            models.Index(fields=["phone_index"]),
        ]
        constraints = [
            # Two submissions of the same person at once leave one open application, whatever the timing.
            models.UniqueConstraint(
                fields=["id_index"], condition=Q(status="submitted"), name="one_open_application_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.union_id} ({self.status})"


class Membership(PersonFields):
    class Status(models.TextChoices):
        ACTIVE = "active", _("在会")
        LAPSED = "lapsed", _("已失效")
        WITHDRAWN = "withdrawn", _("已退会")

    class Source(models.TextChoices):
        ONLINE = "online", _("网上入会")
        IMPORT = "import", _("名册导入")

    # Unique through Meta.constraints, not unique=True: that adds a second index for LIKE on PostgreSQL, and
    # nothing searches member numbers by their start.
    member_no = models.CharField(_("会员号"), max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
    )
    # No index of its own: the (union, status) and (union, name) indexes below both start with it.
    union = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("所属工会"),
        on_delete=models.PROTECT,
        related_name="memberships",
        db_index=False,
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    joined_at = models.DateTimeField(_("入会时间"))
    ended_at = models.DateTimeField(_("会籍结束时间"), null=True, blank=True)
    needy_level = models.CharField(_("困难职工"), max_length=10, choices=NeedyLevel.choices, default=NeedyLevel.NONE)
    model_worker_level = models.CharField(
        _("劳模"), max_length=12, choices=ModelWorkerLevel.choices, default=ModelWorkerLevel.NONE
    )
    # The printed card's version: its QR code carries it, and a reissue (a lost card) moves it on, so the old card
    # no longer checks as valid.
    card_version = models.PositiveIntegerField(_("实体卡版本"), default=1, db_default=1)

    class Meta:
        verbose_name = _("会籍")
        verbose_name_plural = _("会籍")
        indexes = [
            models.Index(fields=["union", "status"]),
            models.Index(fields=["phone_index"]),
            # The roster's name search inside a subtree: per union, a range of names (pattern operators on
            # PostgreSQL so that LIKE 'prefix%' uses it whatever the collation). Names have no index of their own:
            # every search is inside a scope, and nothing lists members by name.
            models.Index(fields=["union", "name"], name="membership_union_name", opclasses=["", "varchar_pattern_ops"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["member_no"], name="membership_member_no_unique"),
            # One index on the ID number's blind index does both jobs: finding a person's memberships (whatever
            # their status: it leads with the blind index) and holding one active membership per person (an active
            # membership's second key is 0, a past one's is its own id, so only two active ones can collide). Two
            # indexes did it before (a plain one and a partial unique one): a roster import built both, and every
            # new membership went into both.
            models.UniqueConstraint(
                F("id_index"),
                Case(When(status="active", then=Value(0)), default=F("id"), output_field=models.BigIntegerField()),
                name="one_active_membership_per_person",
            ),
            models.CheckConstraint(
                name="membership_ended_unless_active",
                condition=Q(status="active", ended_at__isnull=True) | (~Q(status="active") & Q(ended_at__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_no} {self.name}"


class MembershipTransfer(models.Model):
    """A member moved to the union of a new job. The membership (and its number and card) moves; this row is
    how the union they left still sees them go."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="transfers")
    from_union = models.ForeignKey(
        "organizations.Organization", verbose_name=_("转出工会"), on_delete=models.PROTECT, related_name="+"
    )
    to_union = models.ForeignKey(
        "organizations.Organization", verbose_name=_("转入工会"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("转会时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("转会记录")
        verbose_name_plural = _("转会记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.membership_id}: {self.from_union_id} → {self.to_union_id}"


class MembershipEvent(models.Model):
    """The lifecycle of a membership, with dates and who did it: what the member detail page shows."""

    class Kind(models.TextChoices):
        JOINED = "joined", _("入会")
        TRANSFERRED = "transferred", _("转会")
        LAPSED = "lapsed", _("会籍失效")
        WITHDRAWN = "withdrawn", _("退会")
        FLAGS_CHANGED = "flags_changed", _("标记变更")

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事件"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人名称"), max_length=150)
    detail = models.JSONField(_("详情"), default=dict)

    class Meta:
        verbose_name = _("会籍事件")
        verbose_name_plural = _("会籍事件")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.kind}"


class MemberNumberCounter(models.Model):
    """Hands out member numbers in blocks, so a bulk import takes one locked row, not one per member."""

    prefix = models.CharField(max_length=4, unique=True)
    next_value = models.PositiveBigIntegerField(default=1)

    class Meta:
        verbose_name = _("会员号计数器")
        verbose_name_plural = _("会员号计数器")

    def __str__(self) -> str:
        return f"{self.prefix}:{self.next_value}"
