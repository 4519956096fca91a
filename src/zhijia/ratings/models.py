"""Rating homes: members' ratings (会员评家) and staff replies, the opinion window, star-rated homes (星级职工之家), and
the annual evaluation that shares a subsidy budget among homes (拨补经费, 以奖代补) with its award lists.

Money is integer fen. Ratings and replies are never updated or deleted by anyone: there is no service that does it.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Period(models.TextChoices):
    YEAR = "year", _("每年")
    QUARTER = "quarter", _("每季度")
    MONTH = "month", _("每月")


class RatingCriterion(models.Model):
    """One thing members rate a home on. The national list (no owner) is put in every database after migrate and
    flush (national_criteria.py); a city that keeps its own active list uses it in its subtree instead (the most local
    list wins)."""

    owner = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("制定组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    code = models.CharField(_("编码"), max_length=30)
    label = models.CharField(_("评价项"), max_length=60)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("评价项")
        verbose_name_plural = pgettext_lazy("plural", "评价项")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "code"], name="rating_criterion_owner_code"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(owner__isnull=True), name="rating_criterion_national_code"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class RatingRules(models.Model):
    """How a city runs 会员评家: how recent a visit must be, and how often a member may rate the same home."""

    owner = models.OneToOneField(
        "organizations.Organization", verbose_name=_("制定组织"), on_delete=models.PROTECT, related_name="+"
    )
    visit_days = models.PositiveSmallIntegerField(_("到访有效天数"), default=90)
    period = models.CharField(_("评价周期"), max_length=10, choices=Period.choices, default=Period.YEAR)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("评家规则")
        verbose_name_plural = pgettext_lazy("plural", "评家规则")
        constraints = [
            models.CheckConstraint(name="rating_rules_visit_days", condition=Q(visit_days__gte=1, visit_days__lte=366))
        ]

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.visit_days} / {self.period}"


class HomeRating(models.Model):
    """A member's rating of a home they visited: stars per criterion (rows of RatingScore) and a comment."""

    point = models.ForeignKey(
        "network.ServicePoint", verbose_name=_("阵地"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评价人"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("评价周期"), max_length=10, help_text=_("如 2026、2026-Q4、2026-11"))
    average = models.DecimalField(_("平均星级"), max_digits=3, decimal_places=2)
    comment = models.TextField(_("评语"), blank=True, max_length=1000)
    visit = models.CharField(_("到访依据"), max_length=40)
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("会员评家")
        verbose_name_plural = pgettext_lazy("plural", "会员评家")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["point", "created_at"], name="rating_point_time")]
        constraints = [
            models.UniqueConstraint(fields=["point", "user", "period"], name="one_rating_per_home_per_period"),
            models.CheckConstraint(name="rating_average_range", condition=Q(average__gte=1, average__lte=5)),
        ]

    def __str__(self) -> str:
        return f"{self.point_id} {self.period} {self.average}"


class RatingScore(models.Model):
    rating = models.ForeignKey(HomeRating, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RatingCriterion, verbose_name=_("评价项"), on_delete=models.PROTECT, related_name="+")
    stars = models.PositiveSmallIntegerField(_("星级"))

    class Meta:
        verbose_name = _("评价项得分")
        verbose_name_plural = pgettext_lazy("plural", "评价项得分")
        constraints = [
            models.UniqueConstraint(fields=["rating", "criterion"], name="rating_score_unique"),
            models.CheckConstraint(name="rating_stars_range", condition=Q(stars__gte=1, stars__lte=5)),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.stars}"


class RatingReply(models.Model):
    """Staff answer a rating in public. Replies, like ratings, are kept as written."""

    rating = models.ForeignKey(HomeRating, on_delete=models.PROTECT, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("回复人"), on_delete=models.PROTECT)
    body = models.TextField(_("回复"), max_length=1000)
    created_at = models.DateTimeField(_("回复时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评价回复")
        verbose_name_plural = pgettext_lazy("plural", "评价回复")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.rating_id}: {self.body[:20]}"


class Opinion(models.Model):
    """A worker's suggestion (征求意见窗口) about a home or a union; the union's staff answer it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT)
    point = models.ForeignKey(
        "network.ServicePoint",
        verbose_name=_("关于阵地"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The union that answers: the home's owner, or the union the worker wrote to.
    org = models.ForeignKey(
        "organizations.Organization", verbose_name=_("答复工会"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("意见建议"), max_length=2000)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True, db_index=True)
    answer = models.TextField(_("答复"), blank=True, max_length=2000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("意见建议")
        verbose_name_plural = pgettext_lazy("plural", "意见建议")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["answered_at", "created_at"], name="opinion_unanswered")]
        constraints = [
            models.CheckConstraint(
                name="opinion_answer_complete",
                condition=Q(answered_at__isnull=True, answered_by__isnull=True, answer="")
                | (Q(answered_at__isnull=False, answered_by__isnull=False) & ~Q(answer="")),
            ),
        ]

    def __str__(self) -> str:
        return self.body[:30]


# ---- star-rated homes --------------------------------------------------------------------------------------------


class StarScheme(models.Model):
    """A city's weights and thresholds for one year's star rating. Without one, the defaults apply (50/25/25)."""

    owner = models.ForeignKey(
        "organizations.Organization", verbose_name=_("制定组织"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    member_weight = models.PositiveSmallIntegerField(_("会员评家权重（%）"), default=50)
    unit_weight = models.PositiveSmallIntegerField(_("所在单位评家权重（%）"), default=25)
    higher_weight = models.PositiveSmallIntegerField(_("上级工会评家权重（%）"), default=25)
    star1 = models.DecimalField(_("一星门槛"), max_digits=5, decimal_places=2, default=60)
    star2 = models.DecimalField(_("二星门槛"), max_digits=5, decimal_places=2, default=70)
    star3 = models.DecimalField(_("三星门槛"), max_digits=5, decimal_places=2, default=80)
    star4 = models.DecimalField(_("四星门槛"), max_digits=5, decimal_places=2, default=88)
    star5 = models.DecimalField(_("五星门槛"), max_digits=5, decimal_places=2, default=95)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("星级评定方案")
        verbose_name_plural = pgettext_lazy("plural", "星级评定方案")
        constraints = [
            models.UniqueConstraint(fields=["owner", "year"], name="star_scheme_owner_year"),
            models.CheckConstraint(
                name="star_scheme_weights_sum",
                condition=Q(member_weight__lte=100)
                & Q(unit_weight__lte=100)
                & Q(higher_weight__lte=100)
                & Q(member_weight=100 - F("unit_weight") - F("higher_weight")),
            ),
            models.CheckConstraint(
                name="star_scheme_thresholds_ascending",
                condition=Q(star1__gte=0, star1__lte=F("star2"))
                & Q(star2__lte=F("star3"))
                & Q(star3__lte=F("star4"))
                & Q(star4__lte=F("star5"))
                & Q(star5__lte=100),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id} {self.year}"


class AssessmentSource(models.TextChoices):
    UNIT = "unit", _("所在单位评家")
    HIGHER = "higher", _("上级工会评家")


class StarAssessment(models.Model):
    """A home's yearly assessment by its own unit or by the higher union, scored 0-100 per criterion."""

    point = models.ForeignKey(
        "network.ServicePoint", verbose_name=_("阵地"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    source = models.CharField(_("评价方"), max_length=10, choices=AssessmentSource.choices)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评价人"), on_delete=models.PROTECT)
    assessor_org = models.ForeignKey(
        "organizations.Organization", verbose_name=_("评价单位"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("说明"), blank=True, max_length=2000)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("星级评价")
        verbose_name_plural = pgettext_lazy("plural", "星级评价")
        constraints = [models.UniqueConstraint(fields=["point", "year", "source"], name="star_assessment_unique")]

    def __str__(self) -> str:
        return f"{self.point_id} {self.year} {self.source}"


class StarAssessmentScore(models.Model):
    assessment = models.ForeignKey(StarAssessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RatingCriterion, verbose_name=_("评价项"), on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("星级评价得分")
        verbose_name_plural = pgettext_lazy("plural", "星级评价得分")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="star_assessment_score_unique"),
            models.CheckConstraint(name="star_assessment_score_range", condition=Q(score__gte=0, score__lte=100)),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


# ---- the annual evaluation and funding ---------------------------------------------------------------------------


class Indicator(models.TextChoices):
    AREA = "area", _("提供场地面积（平方米）")
    CHECKINS = "checkins", _("职工流量（签到人次）")
    ACTIVITIES = "activities", _("开展活动（场次）")
    ATTENDANCE = "attendance", _("活动参与（人次）")
    ORDERS = "orders", _("完成服务订单")
    RATING = "rating", _("会员评家平均星级")
    SATISFACTION = "satisfaction", _("职工满意率（%）")


DEFAULT_WEIGHTS = {
    Indicator.AREA: 15,
    Indicator.CHECKINS: 20,
    Indicator.ACTIVITIES: 15,
    Indicator.ATTENDANCE: 10,
    Indicator.ORDERS: 10,
    Indicator.RATING: 15,
    Indicator.SATISFACTION: 15,
}


class Evaluation(models.Model):
    """One round of the annual evaluation: a budget shared among the homes under a union by their indicators."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        FINAL = "final", _("已定稿")

    owner = models.ForeignKey(
        "organizations.Organization", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=120)
    budget_fen = models.PositiveBigIntegerField(_("经费总额（分）"))
    cap_fen = models.PositiveBigIntegerField(_("单家上限（分）"), null=True, blank=True)
    weights = models.JSONField(_("指标权重"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    unallocated_fen = models.PositiveBigIntegerField(_("未分配（分）"), default=0)
    rounds = models.PositiveSmallIntegerField(_("封顶再分配轮数"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度考评")
        verbose_name_plural = pgettext_lazy("plural", "年度考评")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title


class EvaluationHome(models.Model):
    """One home in an evaluation: its indicators (collected, then correctable by staff), its cap, its result."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="homes")
    point = models.ForeignKey(
        "network.ServicePoint", verbose_name=_("阵地"), on_delete=models.PROTECT, related_name="+"
    )
    area = models.PositiveIntegerField(_("面积"), default=0)
    checkins = models.PositiveIntegerField(_("签到人次"), default=0)
    activities = models.PositiveIntegerField(_("活动场次"), default=0)
    attendance = models.PositiveIntegerField(_("活动参与人次"), default=0)
    orders = models.PositiveIntegerField(_("完成订单"), default=0)
    rating = models.DecimalField(_("平均星级"), max_digits=3, decimal_places=2, default=0)
    satisfaction = models.DecimalField(_("满意率"), max_digits=5, decimal_places=2, default=0)
    sources = models.JSONField(_("数据来源"), default=dict)
    cap_fen = models.PositiveBigIntegerField(_("本家上限（分）"), null=True, blank=True)
    score = models.DecimalField(_("得分"), max_digits=9, decimal_places=4, default=0)
    amount_fen = models.PositiveBigIntegerField(_("拨补金额（分）"), default=0)
    breakdown = models.JSONField(_("计算明细"), default=dict)

    class Meta:
        verbose_name = _("考评阵地")
        verbose_name_plural = pgettext_lazy("plural", "考评阵地")
        ordering = ["-amount_fen", "point_id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "point"], name="evaluation_home_unique"),
            models.CheckConstraint(name="evaluation_home_rating", condition=Q(rating__gte=0, rating__lte=5)),
            models.CheckConstraint(
                name="evaluation_home_satisfaction", condition=Q(satisfaction__gte=0, satisfaction__lte=100)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id}:{self.point_id}"


class AwardLevel(models.TextChoices):
    BENCHMARK = "benchmark", _("示范单位")
    CANDIDATE = "candidate", _("候选单位")


class AwardList(models.Model):
    """以奖代补: the enterprise unions a union rewards in a year, benchmark or candidate, each with its amount."""

    owner = models.ForeignKey(
        "organizations.Organization", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=120)
    benchmark_fen = models.PositiveBigIntegerField(_("示范单位奖补（分）"))
    candidate_fen = models.PositiveBigIntegerField(_("候选单位奖补（分）"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("以奖代补名单")
        verbose_name_plural = pgettext_lazy("plural", "以奖代补名单")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title


class AwardEntry(models.Model):
    award_list = models.ForeignKey(AwardList, on_delete=models.CASCADE, related_name="entries")
    union = models.ForeignKey(
        "organizations.Organization", verbose_name=_("企业工会"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("类别"), max_length=10, choices=AwardLevel.choices)
    amount_fen = models.PositiveBigIntegerField(_("金额（分）"))

    class Meta:
        verbose_name = _("以奖代补单位")
        verbose_name_plural = pgettext_lazy("plural", "以奖代补单位")
        ordering = ["level", "union__path"]
        constraints = [models.UniqueConstraint(fields=["award_list", "union"], name="award_entry_unique")]

    def __str__(self) -> str:
        return f"{self.union_id} {self.level}"


# ---- needs, services and resources lists (需求清单、服务清单、资源清单) ------------------------------------------


class Need(models.Model):
    """Something workers need near a place (需求清单): posted by a worker or by staff, answered by the union it is
    addressed to. Tied to a catalogue service when there is one, so the planner can see whether a service within ten
    minutes answers it."""

    class Status(models.TextChoices):
        OPEN = "open", _("待满足")
        CLOSED = "closed", _("已满足")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT)
    org = models.ForeignKey(
        "organizations.Organization", verbose_name=_("受理工会"), on_delete=models.PROTECT, related_name="+"
    )
    point = models.ForeignKey(
        "network.ServicePoint",
        verbose_name=_("相关阵地"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    service_type = models.ForeignKey(
        "servicemenu.ServiceType",
        verbose_name=_("对应服务项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("需求"), max_length=100)
    body = models.TextField(_("说明"), blank=True, max_length=1000)
    lng = models.FloatField(_("经度（WGS-84）"))
    lat = models.FloatField(_("纬度（WGS-84）"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("需求")
        verbose_name_plural = pgettext_lazy("plural", "需求")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "service_type"], name="need_status_type")]
        constraints = [
            models.CheckConstraint(
                name="need_wgs84_range", condition=Q(lng__gte=-180, lng__lte=180, lat__gte=-90, lat__lte=90)
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ResourceKind(models.TextChoices):
    ROOM = "room", _("场地")
    EQUIPMENT = "equipment", _("设备")
    PARTNER = "partner", _("合作伙伴")


class Resource(models.Model):
    """What a home can lend or bring in (资源清单): rooms, equipment, partners (社会组织、爱心商户)."""

    point = models.ForeignKey(
        "network.ServicePoint", verbose_name=_("阵地"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("类别"), max_length=12, choices=ResourceKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    quantity = models.PositiveIntegerField(_("数量"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("资源")
        verbose_name_plural = pgettext_lazy("plural", "资源")
        ordering = ["point", "kind", "name", "id"]

    def __str__(self) -> str:
        return self.name
