"""Venue booking: the courts, rooms, desks and equipment of a home or cultural palace, the bookable slots cut from the
point's opening hours, bookings with check-in by member card, the waitlist, no-shows and the suspensions they earn.

Capacity is guarded twice: every booking of a slot goes through a lock on the slot's row (`Slot`), and on PostgreSQL
an exclusion constraint (migration 0002) forbids two live bookings of a capacity-1 venue whose times overlap.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VenueKind(models.TextChoices):
    COURT = "court", _("球场")
    ROOM = "room", _("活动室")
    DESK = "desk", _("座位")
    EQUIPMENT = "equipment", _("器材")


class Audience(models.TextChoices):
    MEMBERS = "members", _("仅限工会会员")
    WORKERS = "workers", _("所有职工")


class BookingPolicy(models.Model):
    """A union's rules for the venues of the points it owns and of its subtree (the nearest ancestor's wins); a venue
    may override each one. Missing everywhere, the platform's defaults (`BOOKING_DEFAULTS`) apply."""

    owner = models.OneToOneField(
        "organizations.Organization", verbose_name=_("工会"), on_delete=models.CASCADE, related_name="booking_policy"
    )
    release_after_minutes = models.PositiveSmallIntegerField(_("开始后多少分钟未签到即释放"))
    no_show_limit = models.PositiveSmallIntegerField(_("爽约几次暂停预约"))
    no_show_window_days = models.PositiveSmallIntegerField(_("爽约统计周期（天）"))
    suspension_days = models.PositiveSmallIntegerField(_("暂停预约天数"))
    offer_minutes = models.PositiveSmallIntegerField(_("候补保留时间（分钟）"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("预约规则")
        verbose_name_plural = pgettext_lazy("plural", "预约规则")
        constraints = [
            models.CheckConstraint(
                name="booking_policy_positive",
                condition=Q(no_show_limit__gt=0, no_show_window_days__gt=0, offer_minutes__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id}"


class Venue(models.Model):
    point = models.ForeignKey(
        "network.ServicePoint", verbose_name=_("服务阵地"), on_delete=models.PROTECT, related_name="venues"
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=VenueKind.choices)
    capacity = models.PositiveSmallIntegerField(_("每个时段可预约人数"), default=1)
    slot_minutes = models.PositiveSmallIntegerField(_("时段长度（分钟）"), default=60)
    book_ahead_days = models.PositiveSmallIntegerField(_("可提前预约天数"), default=7)
    cancel_cutoff_minutes = models.PositiveSmallIntegerField(_("开始前多少分钟截止取消"), default=120)
    audience = models.CharField(_("预约对象"), max_length=10, choices=Audience.choices, default=Audience.WORKERS)
    per_day_limit = models.PositiveSmallIntegerField(_("每人每天最多预约"), default=2)
    per_week_limit = models.PositiveSmallIntegerField(_("每人每周最多预约"), default=5)
    # Overrides of the owner union's policy; None takes the policy's value.
    release_after_minutes = models.PositiveSmallIntegerField(_("开始后多少分钟未签到即释放"), null=True, blank=True)
    no_show_limit = models.PositiveSmallIntegerField(_("爽约几次暂停预约"), null=True, blank=True)
    no_show_window_days = models.PositiveSmallIntegerField(_("爽约统计周期（天）"), null=True, blank=True)
    suspension_days = models.PositiveSmallIntegerField(_("暂停预约天数"), null=True, blank=True)
    offer_minutes = models.PositiveSmallIntegerField(_("候补保留时间（分钟）"), null=True, blank=True)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    is_active = models.BooleanField(_("开放预约"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("场地")
        verbose_name_plural = pgettext_lazy("plural", "场地")
        ordering = ["point", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                name="venue_sizes_positive",
                condition=Q(capacity__gt=0, slot_minutes__gte=10, slot_minutes__lte=720, per_day_limit__gt=0)
                & Q(per_week_limit__gte=models.F("per_day_limit")),
            ),
            models.UniqueConstraint(fields=["point", "name"], name="venue_name_unique_in_point"),
        ]

    def __str__(self) -> str:
        return self.name


class VenueClosure(models.Model):
    """A date the venue cannot be booked (repairs, an event), whatever the point's hours say."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("场地停用日期")
        verbose_name_plural = pgettext_lazy("plural", "场地停用日期")
        ordering = ["venue", "date"]
        constraints = [models.UniqueConstraint(fields=["venue", "date"], name="venue_closure_unique")]

    def __str__(self) -> str:
        return f"{self.venue_id} {self.date}"


class Slot(models.Model):
    """One bookable period of a venue, made the first time someone books or queues for it. Its row is the lock that
    every count of the slot's bookings takes, so two requests never both see a free place."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))

    class Meta:
        verbose_name = _("时段")
        verbose_name_plural = pgettext_lazy("plural", "时段")
        constraints = [
            models.UniqueConstraint(fields=["venue", "starts_at"], name="slot_unique_start"),
            models.CheckConstraint(name="slot_ends_after_start", condition=Q(ends_at__gt=models.F("starts_at"))),
        ]

    def __str__(self) -> str:
        return f"{self.venue_id} {self.starts_at:%Y-%m-%d %H:%M}"


class BookingStatus(models.TextChoices):
    OFFERED = "offered", _("候补待确认")
    BOOKED = "booked", _("已预约")
    CHECKED_IN = "checked_in", _("已签到")
    CANCELLED = "cancelled", _("已取消")
    RELEASED = "released", _("未签到已释放")
    LAPSED = "lapsed", _("候补未确认")


# The statuses that hold a place of the slot.
LIVE_STATUSES = (BookingStatus.OFFERED, BookingStatus.BOOKED, BookingStatus.CHECKED_IN)


class Booking(models.Model):
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="bookings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("预约人"), on_delete=models.PROTECT, related_name="bookings"
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    status = models.CharField(_("状态"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    # Copied from the venue when booked: the PostgreSQL exclusion constraint covers capacity-1 venues only.
    exclusive = models.BooleanField(_("独占"), default=False)
    no_show = models.BooleanField(_("爽约"), default=False)
    offer_expires_at = models.DateTimeField(_("候补保留至"), null=True, blank=True)
    created_at = models.DateTimeField(_("预约时间"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签到人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = pgettext_lazy("plural", "预约")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["venue", "starts_at"], name="booking_venue_start"),
            models.Index(fields=["user", "starts_at"], name="booking_user_start"),
            models.Index(fields=["status", "starts_at"], name="booking_status_start"),
        ]
        constraints = [
            models.CheckConstraint(name="booking_ends_after_start", condition=Q(ends_at__gt=models.F("starts_at"))),
            # One live booking per person per slot.
            models.UniqueConstraint(
                fields=["slot", "user"],
                condition=Q(status__in=["offered", "booked", "checked_in"]),
                name="booking_one_live_per_user_and_slot",
            ),
            models.CheckConstraint(
                name="booking_offer_has_expiry",
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.venue_id} {self.starts_at:%Y-%m-%d %H:%M} #{self.pk}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


class WaitStatus(models.TextChoices):
    WAITING = "waiting", _("候补中")
    OFFERED = "offered", _("已通知")
    ACCEPTED = "accepted", _("已确认")
    LAPSED = "lapsed", _("超时未确认")
    LEFT = "left", _("已退出")


class WaitlistEntry(models.Model):
    """A person queueing for a full slot. First come, first offered; an offer is a held booking (status OFFERED)."""

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="waitlist")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="booking_waits")
    status = models.CharField(_("状态"), max_length=10, choices=WaitStatus.choices, default=WaitStatus.WAITING)
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="waitlist_entry"
    )
    created_at = models.DateTimeField(_("加入时间"))

    class Meta:
        verbose_name = _("候补")
        verbose_name_plural = pgettext_lazy("plural", "候补")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "user"],
                condition=Q(status__in=["waiting", "offered"]),
                name="waitlist_one_open_per_user_and_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slot_id} {self.user_id}"


class Suspension(models.Model):
    """Booking suspended for a person at the venues of a union's subtree, after too many no-shows."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="booking_suspensions")
    org = models.ForeignKey(
        "organizations.Organization", verbose_name=_("工会"), on_delete=models.CASCADE, related_name="+"
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    no_shows = models.PositiveSmallIntegerField(_("爽约次数"))
    lifted_at = models.DateTimeField(_("提前解除时间"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("暂停预约")
        verbose_name_plural = pgettext_lazy("plural", "暂停预约")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["user", "ends_at"], name="suspension_user_end")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.ends_at:%Y-%m-%d}"


class IdempotencyKey(models.Model):
    """A key a client sent with a booking or a cancellation: the same key from the same person gives the first answer
    again and writes nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)
    operation = models.CharField(max_length=20)
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("幂等键")
        verbose_name_plural = pgettext_lazy("plural", "幂等键")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="booking_idempotency_key_unique")]

    def __str__(self) -> str:
        return self.key
