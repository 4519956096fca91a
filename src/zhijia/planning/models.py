"""The ten-minute service circle for planners: where workers are (members' work locations and imported density
layers), candidate sites, and analysis runs with their results per area, per grid cell and their site suggestions.

Every location is WGS-84 longitude/latitude in degrees, like the service network's points.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhijia.core.pii import EncryptedTextField


class ImportStatus(models.TextChoices):
    IMPORTING = "importing", _("导入中")
    READY = "ready", _("可用")
    FAILED = "failed", _("导入失败")


class WorkerLocation(models.Model):
    """Where a member works, kept apart from the roster: only the circle needs it.

    A work place to a hundred metres is personal data, so the position is encrypted at rest like ID numbers and
    phones (`core/pii.py`): "lng,lat" in WGS-84 degrees, decrypted only by the analysis (which reports workers per
    grid cell, street and district, never per person) and for the member themselves. A member who sets their own
    location has agreed to this use (`consented_at`); an import never overwrites it, and a member who takes it back
    keeps a row with no position, so that a later import does not put it back either."""

    class Source(models.TextChoices):
        MEMBER = "member", _("会员填报")
        IMPORT = "import", _("导入")
        DEMO = "demo", _("演示数据")

    membership = models.OneToOneField(
        "members.Membership", verbose_name=_("会籍"), on_delete=models.CASCADE, related_name="work_location"
    )
    # "lng,lat" (WGS-84, six decimals), encrypted; empty when the member has taken their location back.
    position = EncryptedTextField(_("位置（WGS-84，加密保存）"), blank=True, default="")
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.MEMBER)
    consented_at = models.DateTimeField(_("会员同意时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("工作地点")
        verbose_name_plural = pgettext_lazy("plural", "工作地点")

    def __str__(self) -> str:
        # Never the position: this string can reach logs and the admin.
        return f"{self.membership_id} ({self.source})"

    @staticmethod
    def encode(lng: float, lat: float) -> str:
        return f"{lng:.6f},{lat:.6f}"

    @staticmethod
    def decode(position: str) -> tuple[float, float] | None:
        if not position:
            return None
        lng, _sep, lat = position.partition(",")
        return float(lng), float(lat)

    def set_position(self, lng: float, lat: float) -> None:
        self.position = self.encode(lng, lat)

    @property
    def lnglat(self) -> tuple[float, float] | None:
        return self.decode(self.position)


class ImportedSet(models.Model):
    """What density layers and candidate lists share: an owner node (scope), a name, and the import's state."""

    owner = models.ForeignKey(
        "organizations.Organization", verbose_name=_("所属组织"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=100)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.IMPORTING)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    job = models.ForeignKey(
        "jobs.Job", verbose_name=_("后台任务"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class DensityLayer(ImportedSet):
    """Workers counted on a grid or at points (a survey, a platform's rider counts), imported from CSV."""

    workers = models.PositiveBigIntegerField(_("职工人数"), default=0)

    class Meta:
        verbose_name = _("职工分布图层")
        verbose_name_plural = pgettext_lazy("plural", "职工分布图层")
        ordering = ["-created_at"]


class DensityPoint(models.Model):
    layer = models.ForeignKey(DensityLayer, on_delete=models.CASCADE, related_name="points")
    lng = models.FloatField(_("经度（WGS-84）"))
    lat = models.FloatField(_("纬度（WGS-84）"))
    workers = models.PositiveIntegerField(_("职工人数"))
    # The street (or district) the file names for this row, when it names one.
    area = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("所在街道"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("职工分布点")
        verbose_name_plural = pgettext_lazy("plural", "职工分布点")

    def __str__(self) -> str:
        return f"{self.workers} @ {self.lng:.4f},{self.lat:.4f}"


class CandidateList(ImportedSet):
    """Places a new point could go: post offices, partner shops, community rooms."""

    class Meta:
        verbose_name = _("备选点位清单")
        verbose_name_plural = pgettext_lazy("plural", "备选点位清单")
        ordering = ["-created_at"]


class CandidateSite(models.Model):
    candidates = models.ForeignKey(CandidateList, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("名称"), max_length=150)
    category = models.CharField(_("类别"), max_length=60, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lng = models.FloatField(_("经度（WGS-84）"))
    lat = models.FloatField(_("纬度（WGS-84）"))
    area = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("所在街道"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("备选点位")
        verbose_name_plural = pgettext_lazy("plural", "备选点位")

    def __str__(self) -> str:
        return self.name


class TravelMode(models.TextChoices):
    WALK = "walk", _("步行")
    RIDE = "ride", _("骑行")


class GridKind(models.TextChoices):
    SQUARE = "square", _("方格")
    H3 = "h3", _("H3 六边形")


class AnalysisRun(models.Model):
    """One computation of the circle for a part of the tree, with its parameters, state and results."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("计算中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("失败")

    area = models.ForeignKey(
        "organizations.Organization", verbose_name=_("分析范围"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=150)
    mode = models.CharField(_("出行方式"), max_length=10, choices=TravelMode.choices, default=TravelMode.WALK)
    minutes = models.PositiveSmallIntegerField(_("服务圈（分钟）"), default=10)
    speed_kmh = models.FloatField(_("速度（公里/小时）"))
    detour = models.FloatField(_("绕行系数"))
    # The grid the results are drawn on: squares of cell_m, or H3 hexagons of h3_resolution (cell_m then records
    # that resolution's average edge length, for comparison).
    grid_kind = models.CharField(_("网格类型"), max_length=10, choices=GridKind.choices, default=GridKind.SQUARE)
    h3_resolution = models.PositiveSmallIntegerField(_("H3 分辨率"), null=True, blank=True)
    cell_m = models.PositiveIntegerField(_("网格边长（米）"))
    include_members = models.BooleanField(_("计入会员工作地点"), default=True)
    include_planned = models.BooleanField(_("计入规划中的阵地"), default=False)
    layers = models.ManyToManyField(DensityLayer, verbose_name=_("职工分布图层"), blank=True, related_name="+")
    candidates = models.ForeignKey(
        CandidateList,
        verbose_name=_("备选点位清单"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    use_cells = models.BooleanField(_("网格中心也作为备选点位"), default=True)
    sites_wanted = models.PositiveSmallIntegerField(_("建议新建点位数"), default=0)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    summary = models.JSONField(_("汇总"), default=dict)
    job = models.ForeignKey(
        "jobs.Job", verbose_name=_("后台任务"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("服务圈分析")
        verbose_name_plural = pgettext_lazy("plural", "服务圈分析")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["area", "status", "-created_at"], name="run_area_status")]
        constraints = [
            models.CheckConstraint(
                name="run_parameters_sane",
                condition=Q(minutes__gte=1, minutes__lte=120, speed_kmh__gt=0, detour__gte=1, cell_m__gte=50),
            ),
            models.CheckConstraint(
                name="run_grid_resolution",
                condition=Q(grid_kind="square", h3_resolution__isnull=True)
                | Q(grid_kind="h3", h3_resolution__gte=6, h3_resolution__lte=10),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RunGrid(models.Model):
    """The grid of one run, compactly: parallel lists (lng, lat, workers, covered, minutes) of the cells that
    hold workers. Kept apart from the run so that lists of runs never load it."""

    run = models.OneToOneField(AnalysisRun, on_delete=models.CASCADE, related_name="grid")
    cells = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("分析网格")
        verbose_name_plural = pgettext_lazy("plural", "分析网格")

    def __str__(self) -> str:
        return str(self.run_id)


class AreaLevel(models.TextChoices):
    DISTRICT = "district", _("区县")
    STREET = "street", _("街道乡镇")


class AreaCoverage(models.Model):
    """Workers and workers within the circle in one district or street of a run."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="areas")
    org = models.ForeignKey(
        "organizations.Organization", verbose_name=_("地区"), on_delete=models.CASCADE, related_name="+"
    )
    level = models.CharField(_("层级"), max_length=10, choices=AreaLevel.choices)
    workers = models.PositiveIntegerField(_("职工人数"))
    covered = models.PositiveIntegerField(_("服务圈内人数"))
    share = models.FloatField(_("覆盖率"))
    median_minutes = models.FloatField(_("到达时间中位数（分钟）"))

    class Meta:
        verbose_name = _("地区覆盖率")
        verbose_name_plural = pgettext_lazy("plural", "地区覆盖率")
        ordering = ["run", "level", "share"]
        constraints = [
            models.UniqueConstraint(fields=["run", "org"], name="area_coverage_once_per_run"),
            models.CheckConstraint(name="area_coverage_within_workers", condition=Q(covered__lte=models.F("workers"))),
        ]

    def __str__(self) -> str:
        return f"{self.org_id}: {self.covered}/{self.workers}"


class SiteSuggestion(models.Model):
    """One place to build next: how many workers it newly brings within the circle, and in which street."""

    class Source(models.TextChoices):
        CANDIDATE = "candidate", _("备选点位")
        CELL = "cell", _("网格中心")

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="suggestions")
    rank = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("名称"), max_length=150)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    candidate = models.ForeignKey(
        CandidateSite, verbose_name=_("备选点位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lng = models.FloatField(_("经度（WGS-84）"))
    lat = models.FloatField(_("纬度（WGS-84）"))
    street = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("所在街道"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    district = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("所在区县"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    newly_covered = models.PositiveIntegerField(_("新覆盖职工"))
    accepted_point = models.ForeignKey(
        "network.ServicePoint",
        verbose_name=_("规划阵地"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("采纳人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("采纳时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("选址建议")
        verbose_name_plural = pgettext_lazy("plural", "选址建议")
        ordering = ["run", "rank"]
        constraints = [models.UniqueConstraint(fields=["run", "rank"], name="suggestion_rank_once_per_run")]

    def __str__(self) -> str:
        return f"{self.rank}. {self.name}"
