"""Activities a union organises for workers (trainings, performances, exhibitions, film screenings, competitions,
reading days, interest-group meetings, communication meetings), the registrations for them with their waitlist,
check-in at the door, feedback afterwards, and interest groups with their members.

A place is taken by a registration that is registered or holds an offer; the count is made under a row lock on the
activity, so an activity never has more than its capacity.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ActivityKind(models.TextChoices):
    TRAINING = "training", _("培训")
    PERFORMANCE = "performance", _("文艺演出")
    EXHIBITION = "exhibition", _("展览")
    FILM = "film", _("电影放映")
    COMPETITION = "competition", _("竞赛")
    READING_DAY = "reading_day", _("读书日")
    GROUP_MEETING = "group_meeting", _("兴趣小组活动")
    EXCHANGE = "exchange", _("交流会")


class Audience(models.TextChoices):
    MEMBERS = "members", _("组织单位及下级工会的会员")
    ALL_WORKERS = "all_workers", _("所有职工")


class ActivityStatus(models.TextChoices):
    PUBLISHED = "published", _("已发布")
    CANCELLED = "cancelled", _("已取消")


class InterestGroup(models.Model):
    """A interest group (兴趣小组) kept by a union: its members join and leave; its meetings are activities."""

    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("简介"), blank=True)
    owner = models.ForeignKey(
        "organizations.Organization", verbose_name=_("所属工会"), on_delete=models.PROTECT, related_name="+"
    )
    audience = models.CharField(_("面向"), max_length=20, choices=Audience.choices, default=Audience.MEMBERS)
    point = models.ForeignKey(
        "network.ServicePoint",
        verbose_name=_("活动阵地"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("兴趣小组")
        verbose_name_plural = pgettext_lazy("plural", "兴趣小组")
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="group_owner_name_unique")]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    """A person's membership of a group; leaving keeps the row (left_at), joining again makes a new one."""

    group = models.ForeignKey(
        InterestGroup, verbose_name=_("兴趣小组"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("成员"), on_delete=models.CASCADE, related_name="+"
    )
    joined_at = models.DateTimeField(_("加入时间"), auto_now_add=True)
    left_at = models.DateTimeField(_("退出时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("兴趣小组成员")
        verbose_name_plural = pgettext_lazy("plural", "兴趣小组成员")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"], condition=Q(left_at__isnull=True), name="group_member_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.user_id}"


class Activity(models.Model):
    title = models.CharField(_("名称"), max_length=150)
    kind = models.CharField(_("类型"), max_length=20, choices=ActivityKind.choices)
    description = models.TextField(_("简介"), blank=True)
    organiser = models.ForeignKey(
        "organizations.Organization", verbose_name=_("主办工会"), on_delete=models.PROTECT, related_name="+"
    )
    audience = models.CharField(_("面向"), max_length=20, choices=Audience.choices, default=Audience.MEMBERS)
    group = models.ForeignKey(
        InterestGroup,
        verbose_name=_("兴趣小组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    # Where it happens: a home, station or palace of the network, or an address elsewhere.
    point = models.ForeignKey(
        "network.ServicePoint",
        verbose_name=_("服务阵地"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("名额"))
    waitlist_size = models.PositiveIntegerField(_("候补名额"), default=20, help_text=_("为 0 表示不设候补。"))
    registration_opens_at = models.DateTimeField(_("报名开始"))
    registration_closes_at = models.DateTimeField(_("报名截止"))
    # Film screenings and some performances charge: member price and the price for everyone else, in fen.
    member_price_fen = models.PositiveIntegerField(_("会员价（分）"), null=True, blank=True)
    price_fen = models.PositiveIntegerField(_("非会员价（分）"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PUBLISHED
    )
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = pgettext_lazy("plural", "活动")
        indexes = [models.Index(fields=["status", "starts_at"], name="activity_status_starts")]
        constraints = [
            models.CheckConstraint(name="activity_ends_after_start", condition=Q(ends_at__gt=models.F("starts_at"))),
            models.CheckConstraint(
                name="activity_registration_window",
                condition=Q(registration_closes_at__gt=models.F("registration_opens_at")),
            ),
            models.CheckConstraint(name="activity_capacity_positive", condition=Q(capacity__gt=0)),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def place_name(self) -> str:
        return self.point.name if self.point_id and self.point else self.address


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("已报名")
    WAITLISTED = "waitlisted", _("候补中")
    OFFERED = "offered", _("候补递补待确认")
    CANCELLED = "cancelled", _("已取消")
    EXPIRED = "expired", _("递补已过期")


# The statuses that hold a place, and those that are still in the game (one per person and activity).
HOLDS_PLACE = (RegistrationStatus.REGISTERED, RegistrationStatus.OFFERED)
LIVE = (RegistrationStatus.REGISTERED, RegistrationStatus.OFFERED, RegistrationStatus.WAITLISTED)


class Registration(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报名人"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=20, choices=RegistrationStatus.choices)
    is_member = models.BooleanField(_("报名时为会员"), default=False)
    price_fen = models.PositiveIntegerField(_("票价（分）"), null=True, blank=True)
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    # The waitlist is first come, first served: by when one joined it (then id).
    waitlisted_at = models.DateTimeField(_("候补时间"), null=True, blank=True)
    offered_at = models.DateTimeField(_("递补时间"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("递补保留至"), null=True, blank=True, db_index=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签到核验人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reminder_sent_at = models.DateTimeField(_("提醒发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("活动报名")
        verbose_name_plural = pgettext_lazy("plural", "活动报名")
        indexes = [models.Index(fields=["activity", "status"], name="registration_activity_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "user"],
                condition=Q(status__in=["registered", "offered", "waitlisted"]),
                name="registration_one_live_per_person",
            ),
            models.CheckConstraint(
                name="registration_checkin_only_when_registered",
                condition=Q(checked_in_at__isnull=True) | Q(status="registered"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}:{self.user_id}"


class RegistrationKey(models.Model):
    """An idempotency key a client sent with a registration or cancellation: the same key from the same person gets
    the first answer again and writes nothing new."""

    class Action(models.TextChoices):
        REGISTER = "register", _("报名")
        CANCEL = "cancel", _("取消")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("幂等键"), max_length=100)
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("报名幂等键")
        verbose_name_plural = pgettext_lazy("plural", "报名幂等键")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="registration_key_once")]

    def __str__(self) -> str:
        return self.key


class Feedback(models.Model):
    """What an attendee thought: stars and a comment, once per attendance."""

    registration = models.OneToOneField(
        Registration, verbose_name=_("报名"), on_delete=models.CASCADE, related_name="feedback"
    )
    stars = models.PositiveSmallIntegerField(_("评分"))
    comment = models.CharField(_("评价"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("活动评价")
        verbose_name_plural = pgettext_lazy("plural", "活动评价")
        constraints = [models.CheckConstraint(name="feedback_stars_1_to_5", condition=Q(stars__gte=1, stars__lte=5))]

    def __str__(self) -> str:
        return f"{self.registration_id}:{self.stars}"
