"""The service menu (点单式服务): what each home, station or palace offers from a controlled catalogue, the orders
workers place for those services, and every step each order goes through (an append-only event table).

An order moves requested → accepted → scheduled → completed → confirmed (the worker's rating); staff may decline a
requested order, the worker may cancel one that is not yet completed. Completion is a real visit to the point.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ServiceType(models.Model):
    """One entry of the catalogue. The national entries (no owner) are put in every database after migrate and flush
    (national_catalogue.py); a union adds its own, which points in its subtree may offer."""

    code = models.CharField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    owner = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("添加组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("为空表示全国通用服务目录。"),
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=100)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("服务目录")
        verbose_name_plural = pgettext_lazy("plural", "服务目录")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Availability(models.TextChoices):
    WEEKLY = "weekly", _("固定时段")
    APPOINTMENT = "appointment", _("预约")


class Audience(models.TextChoices):
    MEMBERS = "members", _("仅限工会会员")
    ALL_WORKERS = "all_workers", _("所有职工")


class Pricing(models.TextChoices):
    FREE = "free", _("免费")
    MEMBER_PRICE = "member_price", _("会员价")


class Offering(models.Model):
    """A service a point offers: when (days and hours, or by appointment), how many a day, to whom, at what price."""

    point = models.ForeignKey(
        "network.ServicePoint", verbose_name=_("服务阵地"), on_delete=models.CASCADE, related_name="offerings"
    )
    service_type = models.ForeignKey(
        ServiceType, verbose_name=_("服务项目"), on_delete=models.PROTECT, related_name="offerings"
    )
    availability = models.CharField(
        _("提供方式"), max_length=12, choices=Availability.choices, default=Availability.WEEKLY
    )
    # Days of the week as a bit mask (Monday = bit 0), with the hours in minutes after midnight; unused by appointment.
    weekdays = models.PositiveSmallIntegerField(_("星期"), default=0b0011111)
    starts_minute = models.PositiveSmallIntegerField(_("开始时间（分钟）"), default=9 * 60)
    ends_minute = models.PositiveSmallIntegerField(_("结束时间（分钟）"), default=17 * 60)
    daily_capacity = models.PositiveIntegerField(_("每日名额"), null=True, blank=True, help_text=_("为空表示不限。"))
    audience = models.CharField(_("服务对象"), max_length=12, choices=Audience.choices, default=Audience.ALL_WORKERS)
    pricing = models.CharField(_("收费"), max_length=14, choices=Pricing.choices, default=Pricing.FREE)
    # Money in fen. A member pays the member price; anyone else the list price (only when all workers may order).
    member_price_fen = models.PositiveIntegerField(_("会员价（分）"), default=0)
    list_price_fen = models.PositiveIntegerField(_("原价（分）"), default=0)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("上架"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("服务项目")
        verbose_name_plural = pgettext_lazy("plural", "服务项目")
        ordering = ["point", "service_type__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["point", "service_type"], name="offering_one_per_point_and_type"),
            models.CheckConstraint(
                name="offering_hours_span",
                condition=Q(starts_minute__lt=models.F("ends_minute"), ends_minute__lte=1440, weekdays__lte=127),
            ),
            models.CheckConstraint(
                name="offering_free_costs_nothing",
                condition=~Q(pricing="free") | Q(member_price_fen=0, list_price_fen=0),
            ),
            models.CheckConstraint(
                name="offering_capacity_positive",
                condition=Q(daily_capacity__isnull=True) | Q(daily_capacity__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_type.name} @ {self.point.name}"


class OrderStatus(models.TextChoices):
    REQUESTED = "requested", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    SCHEDULED = "scheduled", _("已安排")
    COMPLETED = "completed", _("已完成")
    CONFIRMED = "confirmed", _("已评价")
    DECLINED = "declined", _("已婉拒")
    CANCELLED = "cancelled", _("已取消")


# Orders waiting on the staff: the queue, the report's waiting times.
OPEN_STATUSES = (OrderStatus.REQUESTED, OrderStatus.ACCEPTED, OrderStatus.SCHEDULED)
# Orders that count against a day's capacity.
HOLDING_STATUSES = (*OPEN_STATUSES, OrderStatus.COMPLETED, OrderStatus.CONFIRMED)
# A service delivered at the point: the worker really visited it.
DONE_STATUSES = (OrderStatus.COMPLETED, OrderStatus.CONFIRMED)


class Order(models.Model):
    """A worker's order for one offering. The point is kept on the order for the visit check and the staff scope."""

    offering = models.ForeignKey(Offering, verbose_name=_("服务项目"), on_delete=models.PROTECT, related_name="orders")
    point = models.ForeignKey(
        "network.ServicePoint", verbose_name=_("服务阵地"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("职工"), on_delete=models.PROTECT, related_name="service_orders"
    )
    status = models.CharField(_("状态"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.REQUESTED)
    # The day the order counts against the offering's capacity (the preferred day, else the day it was placed).
    service_date = models.DateField(_("服务日期"))
    preferred_at = models.DateTimeField(_("希望时间"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    is_member = models.BooleanField(_("下单时为会员"), default=False)
    price_fen = models.PositiveIntegerField(_("价格（分）"), default=0)
    idempotency_key = models.CharField(_("幂等键"), max_length=64, blank=True)
    scheduled_at = models.DateTimeField(_("安排时间"), null=True, blank=True)
    decline_reason = models.CharField(_("婉拒原因"), max_length=200, blank=True)
    stars = models.PositiveSmallIntegerField(_("评分"), null=True, blank=True)
    comment = models.CharField(_("评价"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("下单时间"), db_index=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # The scheduled time the worker was reminded of (a new time gets a new reminder).
    reminded_for = models.DateTimeField(_("已提醒的安排时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("服务订单")
        verbose_name_plural = pgettext_lazy("plural", "服务订单")
        indexes = [
            models.Index(fields=["status", "created_at"], name="order_status_created"),
            models.Index(fields=["offering", "service_date", "status"], name="order_offering_day"),
            models.Index(fields=["point", "user", "completed_at"], name="order_visit"),
            models.Index(fields=["user", "created_at"], name="order_user_created"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "idempotency_key"], condition=~Q(idempotency_key=""), name="order_idempotency_key"
            ),
            models.CheckConstraint(
                name="order_stars_1_to_5", condition=Q(stars__isnull=True) | Q(stars__gte=1, stars__lte=5)
            ),
            models.CheckConstraint(
                name="order_rated_only_when_confirmed", condition=Q(stars__isnull=True) | Q(status="confirmed")
            ),
            models.CheckConstraint(
                name="order_completed_has_time",
                condition=~Q(status__in=["completed", "confirmed"]) | Q(completed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.offering}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class OrderEvent(models.Model):
    """One step of an order: who did what, when. Rows are only ever added (the database refuses updates)."""

    order = models.ForeignKey(Order, verbose_name=_("订单"), on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("状态"), max_length=12, choices=OrderStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"))
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("订单记录")
        verbose_name_plural = pgettext_lazy("plural", "订单记录")
        ordering = ["order", "at", "id"]

    def __str__(self) -> str:
        return f"#{self.order_id} {self.status}"
