"""Member points (会员积分): an append-only ledger per account, the cached balance it sums to, the earning rules staff
set for their subtree, and what points buy (items and partner-merchant benefits, with stock) and the codes a
redemption issues.

The ledger is the truth: `PointAccount.balance` is the sum of the account's entries, kept in the same transaction as
each entry while the account row is locked, and the database refuses UPDATE and DELETE of an entry (migration 0002).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EarnEvent(models.TextChoices):
    BOOKING_CHECKIN = "booking_checkin", _("预约场地签到")
    ACTIVITY_CHECKIN = "activity_checkin", _("参加活动签到")
    ORDER_RATED = "order_rated", _("点单服务评价")
    RATING_WRITTEN = "rating_written", _("撰写评价")
    JOINED = "joined", _("加入工会")
    VOLUNTEER_HOURS = "volunteer_hours", _("志愿服务时长")


class EntryKind(models.TextChoices):
    EARN = "earn", _("获得")
    REDEEM = "redeem", _("兑换")
    REFUND = "refund", _("兑换退回")
    EXPIRE = "expire", _("过期")


class PointAccount(models.Model):
    """One row per account that ever had points: the balance, locked (SELECT ... FOR UPDATE) by every write."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账户"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="point_account",
    )
    balance = models.IntegerField(_("积分余额"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("积分账户")
        verbose_name_plural = pgettext_lazy("plural", "积分账户")
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="point_account_never_negative")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.balance}"


class EarningRule(models.Model):
    """How many points an event earns in a union's subtree. The rule of the nearest union above the place wins."""

    org = models.ForeignKey(
        "organizations.Organization", verbose_name=_("制定单位"), on_delete=models.PROTECT, related_name="+"
    )
    event = models.CharField(_("积分事项"), max_length=20, choices=EarnEvent.choices)
    # For volunteering: points per hour.
    points = models.PositiveIntegerField(_("积分"))
    daily_cap = models.PositiveIntegerField(_("每人每日上限"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("设置人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = pgettext_lazy("plural", "积分规则")
        constraints = [
            models.UniqueConstraint(fields=["org", "event"], name="earning_rule_one_per_event"),
            models.CheckConstraint(condition=Q(points__gt=0), name="earning_rule_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} +{self.points}"


class Entry(models.Model):
    """One line of the ledger. Positive earns, negative spends or expires. Never changed, never deleted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("账户"), on_delete=models.PROTECT, related_name="point_entries"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=EntryKind.choices)
    event = models.CharField(_("积分事项"), max_length=20, choices=EarnEvent.choices, blank=True)
    # What caused it, unique per account and event: "booking:123", "redemption:9", "expiry:2028-12-31".
    source = models.CharField(_("来源"), max_length=80)
    amount = models.IntegerField(_("积分"))
    # The place it happened (earning) or the union offering the item (redemption): staff report on their subtree.
    org = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rule = models.ForeignKey(EarningRule, verbose_name=_("规则"), on_delete=models.PROTECT, null=True, blank=True)
    # Why, in words the member reads ("羽毛球场 11月21日签到"); Chinese data, shown as is.
    reason = models.CharField(_("说明"), max_length=200, blank=True)
    # Earned points stay valid through this day (Asia/Shanghai); empty: they never expire.
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    balance_after = models.IntegerField(_("变动后余额"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("积分明细")
        verbose_name_plural = pgettext_lazy("plural", "积分明细")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "event", "source"], name="point_entry_once_per_source"),
            models.CheckConstraint(condition=~Q(amount=0), name="point_entry_not_zero"),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="point_entry_balance_never_negative"),
            models.CheckConstraint(
                condition=(
                    Q(kind="earn", amount__gt=0)
                    | Q(kind="refund", amount__gt=0)
                    | Q(kind="redeem", amount__lt=0)
                    | Q(kind="expire", amount__lt=0)
                ),
                name="point_entry_sign_matches_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="point_entry_history_idx"),
            models.Index(fields=["org", "created_at"], name="point_entry_org_idx"),
            models.Index(fields=["expires_on"], condition=Q(kind="earn"), name="point_entry_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount:+d}"


class MerchantKind(models.TextChoices):
    CARING = "caring", _("爱心商户")
    CANTEEN = "canteen", _("职工食堂")
    OTHER = "other", _("其他合作单位")


class Merchant(models.Model):
    """A partner that honours redemption codes: a caring merchant (爱心商户), a canteen, ..."""

    owner = models.ForeignKey(
        "organizations.Organization", verbose_name=_("签约工会"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("商户名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=MerchantKind.choices, default=MerchantKind.CARING)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact = models.CharField(_("联系方式"), max_length=60, blank=True)
    is_active = models.BooleanField(_("合作中"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("合作商户")
        verbose_name_plural = pgettext_lazy("plural", "合作商户")

    def __str__(self) -> str:
        return self.name


class ItemKind(models.TextChoices):
    GOODS = "goods", _("实物")
    MERCHANT_BENEFIT = "benefit", _("商户优惠")
    CANTEEN_DISCOUNT = "canteen", _("食堂优惠")


class RewardItem(models.Model):
    """Something points buy, offered by a union to the members of its subtree."""

    owner = models.ForeignKey(
        "organizations.Organization", verbose_name=_("提供单位"), on_delete=models.PROTECT, related_name="+"
    )
    merchant = models.ForeignKey(
        Merchant, verbose_name=_("合作商户"), on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=ItemKind.choices, default=ItemKind.GOODS)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    cost = models.PositiveIntegerField(_("所需积分"))
    # Empty: no limit. Never below zero (a check constraint; redemptions take it with a conditional UPDATE).
    stock = models.IntegerField(_("库存"), null=True, blank=True)
    per_member_limit = models.PositiveIntegerField(_("每人限兑"), null=True, blank=True)
    is_active = models.BooleanField(_("上架"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("兑换物品")
        verbose_name_plural = pgettext_lazy("plural", "兑换物品")
        constraints = [
            models.CheckConstraint(
                condition=Q(stock__isnull=True) | Q(stock__gte=0), name="reward_item_stock_never_negative"
            ),
            models.CheckConstraint(condition=Q(cost__gt=0), name="reward_item_cost_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Redemption(models.Model):
    """Points exchanged for an item: a code the member shows, marked used by staff or the merchant."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("待使用")
        USED = "used", _("已使用")
        CANCELLED = "cancelled", _("已取消")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("兑换人"), on_delete=models.PROTECT, related_name="redemptions"
    )
    item = models.ForeignKey(RewardItem, verbose_name=_("物品"), on_delete=models.PROTECT, related_name="redemptions")
    cost = models.PositiveIntegerField(_("所用积分"))
    code = models.CharField(_("兑换码"), max_length=12, unique=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    idempotency_key = models.CharField(_("幂等键"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("兑换时间"), default=timezone.now)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核销人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("兑换记录")
        verbose_name_plural = pgettext_lazy("plural", "兑换记录")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "idempotency_key"], condition=~Q(idempotency_key=""), name="redemption_idempotent"
            ),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="redemption_mine_idx")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.code}"


class VolunteerRecord(models.Model):
    """Volunteering hours staff credit to a member; each record earns once (`volunteer:<id>`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="+"
    )
    org = models.ForeignKey(
        "organizations.Organization", verbose_name=_("服务单位"), on_delete=models.PROTECT, related_name="+"
    )
    hours = models.DecimalField(_("时长（小时）"), max_digits=5, decimal_places=1)
    served_on = models.DateField(_("服务日期"))
    note = models.CharField(_("服务内容"), max_length=200)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("志愿服务记录")
        verbose_name_plural = pgettext_lazy("plural", "志愿服务记录")
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="volunteer_hours_positive")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.hours}h"
