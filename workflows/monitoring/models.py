"""Low-income monitoring (M1): the departments, their monthly feeds, the rows they sent, and
the signals the comparison found, each with the action it called for."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from workflows.core.models import Beneficiary, Household, Member, Region, RegionCoded, mask_id, pattern_index
from workflows.engine.models import CaseProcess
from workflows.policy import monitoring as rules


class Department(models.Model):
    """A department that sends data (M1). Data: new ones are added in the admin."""

    code = models.SlugField("部门代码", max_length=32, unique=True)
    name = models.CharField("部门名称", max_length=50)
    active = models.BooleanField("按月报送", default=True, help_text="报送情况只跟踪按月报送的部门")
    # A department that pushes through the API: the SHA-256 of its token, and the account its
    # feeds are recorded under.
    token_sha256 = models.CharField("接口令牌摘要", max_length=64, blank=True, editable=False)
    account = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="接口账户")

    class Meta:
        verbose_name = verbose_name_plural = "数据报送部门"
        ordering = ["pk"]

    def __str__(self):
        return self.name


class EventKind(models.Model):
    """An event code a feed may carry. Data: new ones are added in the admin (the rule table in
    workflows.policy.monitoring decides what each calls for; an event it does not name is
    recorded only)."""

    code = models.SlugField("事项代码", max_length=32, unique=True)
    name = models.CharField("事项名称", max_length=50)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, related_name="events", verbose_name="通常报送部门")

    class Meta:
        verbose_name = verbose_name_plural = "比对事项"
        ordering = ["pk"]

    def __str__(self):
        return self.name


class Via(models.TextChoices):
    UPLOAD = "upload", "页面上传"
    COMMAND = "command", "命令导入"
    API = "api", "部门接口推送"


def raw_path(feed, filename: str) -> str:
    return f"monitoring/{feed.county_id}/{feed.month:%Y-%m}/{feed.department.code}-{feed.sha256[:16]}.dat"


class Feed(RegionCoded, models.Model):
    """One department's rows for one county and month, compared once (an import is atomic:
    a feed exists only when its whole file was valid)."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="feeds", verbose_name="部门")
    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="县（市、区）")
    region_code_from = "county_id"
    region_code = models.CharField("区划代码", max_length=12, editable=False)
    month = models.DateField("数据月份", help_text="每月1日表示该月")
    filename = models.CharField("文件名", max_length=200)
    sha256 = models.CharField("文件摘要", max_length=64)
    raw_file = models.FileField("原始文件", upload_to=raw_path, blank=True)
    via = models.CharField("报送方式", max_length=8, choices=Via.choices)
    rows = models.PositiveIntegerField("行数", default=0)
    matched = models.PositiveIntegerField("比中本地人员", default=0)
    beneficiaries = models.PositiveIntegerField("比中在保对象", default=0)
    signals = models.PositiveIntegerField("新预警", default=0)
    duplicates = models.PositiveIntegerField("已有预警（重复）", default=0)
    actions = models.PositiveIntegerField("需处置", default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="导入人")
    created = models.DateTimeField("比对时间", auto_now_add=True)
    raw_deleted_on = models.DateField("原始数据删除日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "部门比对数据"
        ordering = ["-month", "department_id"]
        constraints = [models.UniqueConstraint(fields=["department", "county", "month", "sha256"], name="feed_once_per_file")]
        indexes = [pattern_index("region_code", "feed_region_like"), models.Index(fields=["month", "county"], name="feed_month_county")]

    def __str__(self):
        return f"{self.department.name} {self.month:%Y-%m}"

    @property
    def unknown(self) -> int:
        """Rows about people our registry does not know: counted, not an error."""
        return self.rows - self.matched


class FeedRow(models.Model):
    """A row of a feed as sent, with whom it matched. Kept for RAW_RETENTION_DAYS."""

    # Raw rows go with their feed (CASCADE, in Django); a million of them at once would spend
    # seconds on the database's own check of each row's feed, which the import just created.
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, db_index=False, db_constraint=False, related_name="raw_rows", verbose_name="比对数据")
    line = models.PositiveIntegerField("行号")
    id_number = models.CharField("公民身份号码", max_length=18)
    name = models.CharField("姓名", max_length=50)
    event = models.CharField("事项代码", max_length=32)
    event_date = models.DateField("发生日期")
    amount = models.DecimalField("金额", max_digits=14, decimal_places=2, null=True, blank=True)
    detail = models.CharField("说明", max_length=200, blank=True)
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, db_index=False, db_constraint=False, related_name="+", verbose_name="比中人员"
    )
    region_code = models.CharField("区划代码", max_length=12)

    class Meta:
        verbose_name = verbose_name_plural = "部门数据行"
        ordering = ["feed_id", "line"]
        indexes = [
            models.Index(fields=["feed", "line"], name="feedrow_feed_line"),
            # Most rows name nobody we know: only the matched ones are indexed.
            models.Index(fields=["member"], name="feedrow_member", condition=Q(member__isnull=False)),
        ]

    def __str__(self):
        return f"{self.feed} 第{self.line}行"

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    @property
    def event_label(self) -> str:
        return rules.event_label(self.event)


class SignalState(models.TextChoices):
    PENDING = "pending", "待处置"
    OPEN = "open", "处置中"
    RECORDED = "recorded", "仅记录"


class Signal(models.Model):
    """What the comparison found about one person: one event on one day, whatever the number
    of departments (or feeds) that reported it, and the action it called for."""

    id_number = models.CharField("公民身份号码", max_length=18)
    name = models.CharField("姓名", max_length=50)
    event = models.CharField("事项代码", max_length=32)
    event_date = models.DateField("发生日期")
    amount = models.DecimalField("金额", max_digits=14, decimal_places=2, null=True, blank=True)
    detail = models.CharField("说明", max_length=200, blank=True)
    feed = models.ForeignKey(Feed, on_delete=models.PROTECT, db_index=False, related_name="found", verbose_name="首次报送")
    reports = models.PositiveSmallIntegerField("报送次数", default=1)
    # Where the person is known: the household's village; else the feed's county, to place.
    region_code = models.CharField("区划代码", max_length=12)
    # The nullable links are indexed only where set (partial indexes, Meta): most signals are
    # about people we do not know, and a feed inserts a million at once.
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, db_index=False, related_name="+", verbose_name="人员")
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, db_index=False, related_name="monitoring_signals", verbose_name="家庭"
    )
    beneficiary = models.ForeignKey(Beneficiary, null=True, blank=True, on_delete=models.PROTECT, db_index=False, related_name="+", verbose_name="保障对象")
    action = models.CharField("处置方式", max_length=8, choices=[(k, v) for k, v in rules.ACTION_LABELS.items()])
    state = models.CharField("状态", max_length=8, choices=SignalState.choices, default=SignalState.PENDING)
    found_on = models.DateField("发现日期")
    due_on = models.DateField("处置期限", null=True, blank=True)
    # Someone we do not know: the village the county officer sends the visit to.
    placed_village = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, db_index=False, related_name="+", verbose_name="安排核查的村（社区）"
    )
    placed_note = models.CharField("核查提示", max_length=300, blank=True)
    # The action taken: a recheck, a discovery lead, or the county's placing task first.
    recheck = models.ForeignKey("recheck.Recheck", null=True, blank=True, on_delete=models.PROTECT, db_index=False, related_name="+", verbose_name="复核")
    lead = models.ForeignKey("discovery.Lead", null=True, blank=True, on_delete=models.PROTECT, db_index=False, related_name="+", verbose_name="主动发现线索")

    class Meta:
        verbose_name = verbose_name_plural = "监测预警"
        ordering = ["-found_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["id_number", "event", "event_date"], name="signal_once_per_fact")]
        # (id_number, event, …) lookups use the unique index of signal_once_per_fact.
        indexes = [
            pattern_index("region_code", "signal_region_like"),
            models.Index(fields=["feed", "state"], name="signal_feed_state"),
            models.Index(fields=["state", "action"], name="signal_state_action"),
            *(
                models.Index(fields=[name], name=f"signal_{name}", condition=Q(**{f"{name}__isnull": False}))
                for name in ("member", "household", "beneficiary", "recheck", "lead")
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.event_label}"

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    @property
    def event_label(self) -> str:
        return rules.event_label(self.event)


class MonitoringProcess(CaseProcess):
    """A signal about someone whose household we do not know: the county officer finds the
    village, and the village caseworker's visit follows (a discovery lead)."""

    signal: "models.OneToOneField[Signal | None, Signal | None]" = models.OneToOneField(
        Signal, null=True, on_delete=models.PROTECT, related_name="process", verbose_name="监测预警"
    )

    class Meta:
        verbose_name = verbose_name_plural = "监测预警处置流程"
        permissions = [
            ("import_feed", "可导入部门比对数据"),
            ("place_signal", "可安排监测预警的核查村（社区）"),
            ("view_raw_row", "可查看部门原始数据行"),
            ("view_dashboard", "可查看低收入人口监测"),
        ]


OPEN_SIGNAL = Q(state=SignalState.OPEN) | Q(state=SignalState.PENDING)
