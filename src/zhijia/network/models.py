"""The service network: workers' homes, rest stations, libraries, service stations and cultural palaces, with their
opening hours, facilities, the mobile homes' routes, the standards they are built to and the inspections against them.

Locations are stored in WGS-84 (longitude, latitude in degrees). Chinese map services and phones often speak GCJ-02;
`network.coords` converts at the edges, never in the database.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PointKind(models.TextChoices):
    ENTERPRISE_HOME = "enterprise_home", _("主体型职工之家")
    SHARED_HOME = "shared_home", _("创新型共享职工之家")
    REST_STATION = "rest_station", _("户外劳动者暖心驿站")
    LIBRARY = "library", _("职工书屋")
    SERVICE_STATION = "service_station", _("职工服务站")
    CULTURAL_PALACE = "cultural_palace", _("工人文化宫")


class HomeSubtype(models.TextChoices):
    """The subtypes of a shared (创新型) home. Other kinds have none (the empty string)."""

    NONE = "", _("无")
    PARK = "park", _("园区型")
    COMMUNITY = "community", _("社区型")
    BUSINESS_DISTRICT = "business_district", _("商圈型")
    BUILDING = "building", _("楼宇型")
    INDUSTRY = "industry", _("行业型")
    MOBILE = "mobile", _("流动型")
    COMPREHENSIVE = "comprehensive", _("综合型")


class PointStatus(models.TextChoices):
    PLANNED = "planned", _("规划中")
    OPEN = "open", _("开放")
    SUSPENDED = "suspended", _("暂停开放")
    CLOSED = "closed", _("已关闭")


class Facility(models.TextChoices):
    """The controlled list of facilities a point may offer."""

    WATER = "water", _("饮用水")
    HOT_MEALS = "hot_meals", _("热饭")
    MICROWAVE = "microwave", _("微波炉")
    REST_SEATS = "rest_seats", _("休息座椅")
    TOILET = "toilet", _("卫生间")
    PHONE_CHARGING = "phone_charging", _("手机充电")
    SEWING_KIT = "sewing_kit", _("针线包")
    FIRST_AID_KIT = "first_aid_kit", _("医药箱")
    AIR_CONDITIONING = "air_conditioning", _("空调")
    WIFI = "wifi", _("无线网络")
    UMBRELLA = "umbrella", _("爱心雨伞")
    READING_ROOM = "reading_room", _("阅览室")
    CHESS_ROOM = "chess_room", _("棋牌室")
    GYM = "gym", _("健身房")
    BADMINTON = "badminton", _("羽毛球场")
    TABLE_TENNIS = "table_tennis", _("乒乓球室")
    DANCE_ROOM = "dance_room", _("舞蹈室")
    PARENT_CHILD_ROOM = "parent_child_room", _("亲子活动室")
    MOTHERS_ROOM = "mothers_room", _("妈妈小屋")
    COUNSELLING_ROOM = "counselling_room", _("心灵驿站")
    TRAINING_ROOM = "training_room", _("培训室")
    LEGAL_AID = "legal_aid", _("法律咨询")
    BARRIER_FREE = "barrier_free", _("无障碍设施")


class Standard(models.Model):
    """A checklist a kind of point is built to: the rest stations' 七有, the enterprise homes' 六有, or a city's own.

    A standard with no owner is the national one; a federation's own standard applies to points in its subtree.
    """

    code = models.CharField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    applies_to = models.CharField(_("适用类型"), max_length=30, choices=PointKind.choices)
    owner = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("制定组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("为空表示全国通用标准。"),
    )
    inspection_interval_days = models.PositiveIntegerField(_("检查周期（天）"), default=180)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("建设标准")
        verbose_name_plural = pgettext_lazy("plural", "建设标准")
        constraints = [
            models.CheckConstraint(name="standard_interval_positive", condition=Q(inspection_interval_days__gt=0)),
        ]

    def __str__(self) -> str:
        return self.name


class StandardItem(models.Model):
    standard = models.ForeignKey(Standard, verbose_name=_("标准"), on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("编码"), max_length=40)
    label = models.CharField(_("检查项"), max_length=100)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("标准检查项")
        verbose_name_plural = pgettext_lazy("plural", "标准检查项")
        ordering = ["standard", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["standard", "code"], name="standard_item_code_unique")]

    def __str__(self) -> str:
        return self.label


class ServicePoint(models.Model):
    """A place where a union serves workers. The owner union's subtree may edit it."""

    code = models.CharField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=150, db_index=True)
    kind = models.CharField(_("类型"), max_length=30, choices=PointKind.choices)
    home_subtype = models.CharField(_("共享职工之家类型"), max_length=30, choices=HomeSubtype.choices, blank=True)
    owner = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("所属工会"),
        on_delete=models.PROTECT,
        related_name="service_points",
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    # WGS-84 degrees. For a mobile home this is its base; where it is now comes from its stops.
    lng = models.FloatField(_("经度（WGS-84）"))
    lat = models.FloatField(_("纬度（WGS-84）"))
    status = models.CharField(_("状态"), max_length=20, choices=PointStatus.choices, default=PointStatus.OPEN)
    # Unknown area is None, not 0: a rest station in a bank branch often has no area of its own.
    area_m2 = models.PositiveIntegerField(_("面积（平方米）"), null=True, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=60, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    description = models.TextField(_("简介"), blank=True)
    vehicle_plate = models.CharField(_("车牌号"), max_length=20, blank=True)
    # When true, statutory holidays use the holiday hours and make-up workdays (调休上班日) open as a Monday.
    follows_holidays = models.BooleanField(_("按法定节假日调整开放时间"), default=True)
    standard = models.ForeignKey(
        Standard,
        verbose_name=_("建设标准"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="points",
    )
    # A point's compliance is its latest inspection; kept here so lists and the overdue query need no subquery.
    latest_inspection = models.ForeignKey(
        "Inspection",
        verbose_name=_("最近一次检查"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    next_inspection_due = models.DateField(_("下次检查期限"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("服务阵地")
        verbose_name_plural = pgettext_lazy("plural", "服务阵地")
        indexes = [
            models.Index(fields=["lat", "lng"], name="point_lat_lng"),
            models.Index(fields=["kind", "status"], name="point_kind_status"),
        ]
        constraints = [
            models.CheckConstraint(
                name="point_wgs84_range", condition=Q(lng__gte=-180, lng__lte=180, lat__gte=-90, lat__lte=90)
            ),
            models.CheckConstraint(
                name="point_subtype_only_for_shared_homes",
                condition=Q(kind="shared_home") | Q(home_subtype=""),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_mobile(self) -> bool:
        return self.home_subtype == HomeSubtype.MOBILE


class PointFacility(models.Model):
    point = models.ForeignKey(ServicePoint, on_delete=models.CASCADE, related_name="facilities")
    facility = models.CharField(_("设施"), max_length=30, choices=Facility.choices)

    class Meta:
        verbose_name = _("设施")
        verbose_name_plural = pgettext_lazy("plural", "设施")
        constraints = [models.UniqueConstraint(fields=["point", "facility"], name="point_facility_unique")]
        indexes = [models.Index(fields=["facility", "point"], name="facility_point")]

    def __str__(self) -> str:
        return self.get_facility_display()


# Day 7 of the weekly hours is "statutory holiday": used on holidays when the point follows the calendar.
HOLIDAY = 7
DAY_CHOICES = [
    (0, _("星期一")),
    (1, _("星期二")),
    (2, _("星期三")),
    (3, _("星期四")),
    (4, _("星期五")),
    (5, _("星期六")),
    (6, _("星期日")),
    (HOLIDAY, _("法定节假日")),
]


class WeeklyHours(models.Model):
    """One opening span on one day of the week, in minutes after midnight (0 to 1440, so 24:00 can close a day).
    A day with no span is closed; a day may have several spans (a lunch break)."""

    point = models.ForeignKey(ServicePoint, on_delete=models.CASCADE, related_name="weekly_hours")
    day = models.PositiveSmallIntegerField(_("星期"), choices=DAY_CHOICES)
    opens_minute = models.PositiveSmallIntegerField(_("开门时间（分钟）"))
    closes_minute = models.PositiveSmallIntegerField(_("关门时间（分钟）"))

    class Meta:
        verbose_name = _("每周开放时间")
        verbose_name_plural = pgettext_lazy("plural", "每周开放时间")
        ordering = ["point", "day", "opens_minute"]
        indexes = [models.Index(fields=["point", "day"], name="weekly_hours_point_day")]
        constraints = [
            models.CheckConstraint(
                name="weekly_hours_span",
                condition=Q(day__lte=HOLIDAY, opens_minute__lt=models.F("closes_minute"), closes_minute__lte=1440),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_day_display()} {self.opens_minute // 60:02d}:{self.opens_minute % 60:02d}"


class HoursException(models.Model):
    """A date with hours of its own (closed for repairs, open late for an event). Overrides the week and the
    holiday calendar. A closed exception has no span; an open one has one span per row."""

    point = models.ForeignKey(ServicePoint, on_delete=models.CASCADE, related_name="hours_exceptions")
    date = models.DateField(_("日期"))
    closed = models.BooleanField(_("全天关闭"), default=False)
    opens_minute = models.PositiveSmallIntegerField(_("开门时间（分钟）"), null=True, blank=True)
    closes_minute = models.PositiveSmallIntegerField(_("关门时间（分钟）"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("特殊开放时间")
        verbose_name_plural = pgettext_lazy("plural", "特殊开放时间")
        ordering = ["point", "date", "opens_minute"]
        indexes = [models.Index(fields=["point", "date"], name="hours_exception_point_date")]
        constraints = [
            models.CheckConstraint(
                name="hours_exception_closed_or_span",
                condition=Q(closed=True, opens_minute__isnull=True, closes_minute__isnull=True)
                | Q(
                    closed=False,
                    opens_minute__isnull=False,
                    closes_minute__isnull=False,
                    opens_minute__lt=models.F("closes_minute"),
                    closes_minute__lte=1440,
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date}"


class StopRepeat(models.TextChoices):
    ONCE = "once", _("仅一次")
    DAILY = "daily", _("每天")
    WEEKLY = "weekly", _("每周指定日")


class MobileStop(models.Model):
    """One stop on a mobile home's route: where the vehicle stands, on which dates and at what times.

    `weekdays` is a bit mask (bit 0 Monday ... bit 6 Sunday) used by the weekly rule. A stop runs from `starts_on`
    to `ends_on` inclusive; a one-off stop has `ends_on == starts_on`.
    """

    point = models.ForeignKey(ServicePoint, on_delete=models.CASCADE, related_name="stops")
    site = models.CharField(_("停靠点"), max_length=150)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lng = models.FloatField(_("经度（WGS-84）"))
    lat = models.FloatField(_("纬度（WGS-84）"))
    repeat = models.CharField(_("重复"), max_length=10, choices=StopRepeat.choices, default=StopRepeat.WEEKLY)
    weekdays = models.PositiveSmallIntegerField(_("星期（位掩码）"), default=0)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    arrives_minute = models.PositiveSmallIntegerField(_("到达时间（分钟）"))
    leaves_minute = models.PositiveSmallIntegerField(_("离开时间（分钟）"))

    class Meta:
        verbose_name = _("流动停靠点")
        verbose_name_plural = pgettext_lazy("plural", "流动停靠点")
        ordering = ["point", "starts_on", "arrives_minute"]
        constraints = [
            models.CheckConstraint(
                name="mobile_stop_span",
                condition=Q(arrives_minute__lt=models.F("leaves_minute"), leaves_minute__lte=1440)
                & Q(starts_on__lte=models.F("ends_on"))
                & Q(weekdays__lt=128),
            ),
            models.CheckConstraint(
                name="mobile_stop_wgs84_range", condition=Q(lng__gte=-180, lng__lte=180, lat__gte=-90, lat__lte=90)
            ),
        ]

    def __str__(self) -> str:
        return self.site


class Inspection(models.Model):
    """Who checked which point when, against which standard, with a note and photos. Items passed are rows."""

    point = models.ForeignKey(
        ServicePoint, verbose_name=_("阵地"), on_delete=models.CASCADE, related_name="inspections"
    )
    standard = models.ForeignKey(Standard, verbose_name=_("标准"), on_delete=models.PROTECT, related_name="+")
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("检查人"), on_delete=models.PROTECT, related_name="+"
    )
    inspected_at = models.DateTimeField(_("检查时间"))
    passed = models.BooleanField(_("全部达标"))
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("检查记录")
        verbose_name_plural = pgettext_lazy("plural", "检查记录")
        ordering = ["-inspected_at", "-id"]
        indexes = [models.Index(fields=["point", "-inspected_at"], name="inspection_point_latest")]

    def __str__(self) -> str:
        return f"{self.point_id} @ {self.inspected_at:%Y-%m-%d}"


class InspectionResult(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(StandardItem, verbose_name=_("检查项"), on_delete=models.PROTECT, related_name="+")
    passed = models.BooleanField(_("达标"))

    class Meta:
        verbose_name = _("检查项结果")
        verbose_name_plural = pgettext_lazy("plural", "检查项结果")
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="inspection_item_unique")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.passed}"


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("照片"), upload_to="network/inspections/%Y/%m/")
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("检查照片")
        verbose_name_plural = pgettext_lazy("plural", "检查照片")

    def __str__(self) -> str:
        return self.image.name or ""


class NetworkVersion(models.Model):
    """One counter, bumped in the transaction of every write that changes what the finder sees; each process keeps
    its in-memory index until the counter moves."""

    name = models.CharField(max_length=40, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("版本计数")
        verbose_name_plural = pgettext_lazy("plural", "版本计数")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
