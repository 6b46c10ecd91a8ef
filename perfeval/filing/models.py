"""The report and its three attachments, mirroring domain.md §2. Amounts are Decimal 万元, exact to the 分
(6 dp); every bound of a value lives on its field here and perfeval/filing/bounds.py reads it from there."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from perfeval.filing.bounds import (
    MONEY_DIGITS,
    MONEY_PLACES,
    NOTE_MAX,
    PARAGRAPH_MAX,
    SECTION_MAX,
    STAFF_MAX,
    WEIGHT_MAX,
    printable,
)
from perfeval.orgs.models import Department, FinanceBureau
from perfeval.rules import catalogue
from perfeval.rules.packs import RulePackError, rule_pack_from_dict


def money(verbose_name, *, signed=False, **kwargs):
    validators = [] if signed else [MinValueValidator(0)]
    return models.DecimalField(
        verbose_name,
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
        validators=validators,
        **kwargs,
    )


def text(verbose_name, max_length, **kwargs):
    """Free text with a length limit that fits a real report and no control characters."""
    return models.TextField(verbose_name, max_length=max_length, blank=True, validators=[printable], **kwargs)


def line(verbose_name, max_length, **kwargs):
    return models.CharField(verbose_name, max_length=max_length, validators=[printable], **kwargs)


def score(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name,
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(WEIGHT_MAX)],
        **kwargs,
    )


def rate(verbose_name, **kwargs):
    """A rate as an imported document printed it (percent, 2 dp as the official tables print rates)."""
    return models.DecimalField(
        verbose_name, max_digits=9, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)], **kwargs,
    )  # fmt: skip


def headcount(verbose_name):
    return models.PositiveIntegerField(
        verbose_name, null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(STAFF_MAX)]
    )


def nonnegative(*fields, name):
    condition = Q()
    for field in fields:
        condition &= Q(**{f"{field}__gte": 0}) | Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(name=name, condition=condition)


class RulePack(models.Model):
    """A versioned set of scoring rules (perfeval/rules/packs.py validates ``definition``)."""

    code = models.SlugField("规则包代码", max_length=50)
    version = models.PositiveIntegerField("版本")
    name = models.CharField("名称", max_length=200)
    definition = models.JSONField("规则定义")
    # The bureau that made the pack; null: shipped with the product and shared by every bureau.
    bureau = models.ForeignKey(
        FinanceBureau,
        verbose_name="所属财政部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rule_packs",
        help_text="留空：随系统提供，各财政部门共用。",
    )

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = verbose_name_plural = "规则包"
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="rulepack_code_version_unique")
        ]

    def __str__(self):
        return f"{self.name}（v{self.version}）"

    def clean(self):
        try:
            pack = rule_pack_from_dict(self.definition)
        except RulePackError as exc:
            raise ValidationError({"definition": str(exc)}) from exc
        if (pack.code, pack.version) != (self.code, self.version):
            raise ValidationError({"definition": "规则定义中的 code/version 与本记录不一致"})

    def rules(self):
        return rule_pack_from_dict(self.definition)


class FilingKind(models.TextChoices):
    DEPARTMENT = catalogue.DEPARTMENT_FILING, catalogue.FILING_KIND_LABELS[catalogue.DEPARTMENT_FILING]
    PROJECT = catalogue.PROJECT_FILING, catalogue.FILING_KIND_LABELS[catalogue.PROJECT_FILING]


class FilingPeriod(models.Model):
    """One bureau's filing season of one kind of filing: a bureau may open several periods of a year, one per
    kind. The kind lives here and not on the report: every report of a period is of its kind, and the period's
    rule pack is chosen for it."""

    bureau = models.ForeignKey(
        FinanceBureau, verbose_name="财政部门", on_delete=models.PROTECT, related_name="periods"
    )
    year = models.PositiveIntegerField("年度")
    kind = models.CharField(
        "填报类别", max_length=20, choices=FilingKind.choices, default=FilingKind.DEPARTMENT
    )
    deadline = models.DateField("截止日期")
    rule_pack = models.ForeignKey(RulePack, verbose_name="规则包", on_delete=models.PROTECT)
    departments = models.ManyToManyField(
        Department, verbose_name="须填报单位", related_name="periods", blank=True
    )
    requires_head_confirmation = models.BooleanField("提交前须单位负责人确认", default=False)
    # Reminders (perfeval/notices): one this many days before the deadline to every department that has not
    # submitted, and one when the deadline has passed.
    remind_days_before = models.PositiveSmallIntegerField(
        "截止前几天催报",
        default=7,
        validators=[MaxValueValidator(90)],
        help_text="截止日前这么多天起，向尚未提交的单位发送一次催报；逾期后再催报一次。",
    )

    class Meta:
        ordering = ["-year", "bureau", "kind"]
        verbose_name = verbose_name_plural = "填报期"
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "year", "kind"], name="filingperiod_bureau_year_kind_unique"
            )
        ]

    def __str__(self):
        return f"{self.year} 年度{self.get_kind_display()}"

    @property
    def is_project_only(self) -> bool:
        return self.kind == FilingKind.PROJECT


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    # A unit with a 主管部门 submits to it first; the 主管部门 forwards it to the bureau (SUBMITTED) or returns it.
    SUPERVISOR_REVIEW = "supervisor_review", "主管部门审核中"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已审核通过"
    PUBLISHED = "published", "已公开"


EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)
# With a reviewer (the finance bureau's or the 主管部门's): they may withdraw it, and the reviewer marks its return
# reasons resolved without a new version, so a page that shows them is rendered every time, never kept.
UNDER_REVIEW_STATUSES = (Status.SUBMITTED, Status.SUPERVISOR_REVIEW)


class Report(models.Model):
    """One department × one filing period: the cover, the ten sections, 附件1 and the scorecards."""

    department = models.ForeignKey(
        Department, verbose_name="单位", on_delete=models.PROTECT, related_name="reports"
    )
    period = models.ForeignKey(
        FilingPeriod, verbose_name="填报期", on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField("版本号", default=1, help_text="每次保存加一，用于乐观锁")
    cover_date = models.DateField("封面日期", null=True, blank=True)

    # Footer of every attachment.
    preparer_name = line("填表人", 50, blank=True)
    fill_date = models.DateField("填报日期", null=True, blank=True)
    phone = line("联系电话", 30, blank=True)
    head_name = line("单位负责人签字", 50, blank=True)

    # 正文. Figures that live in the tables are not stored here: the page shows them from the tables.
    s1_intro = text("一、单位概况", SECTION_MAX)
    s1_duties = text("一、主要职责（每行一条）", SECTION_MAX)
    s1_organization = text("一、内设机构与下属单位", SECTION_MAX)
    personnel_expense = money("二、人员经费（万元）")
    s2_note = text("二、补充说明", SECTION_MAX)
    s3_note = text("三、补充说明", SECTION_MAX)
    s4_text = text("四、国有资本经营预算支出情况", SECTION_MAX)
    s5_text = text("五、社会保险基金预算支出情况", SECTION_MAX)
    s6_overall = text("六、（一）整体支出绩效情况", SECTION_MAX)
    s7_problems = text("七、存在的问题及原因分析", SECTION_MAX)
    s8_measures = text("八、下一步改进措施", SECTION_MAX)
    s9_application = text("九、自评结果拟应用和公开情况", SECTION_MAX)
    s10_other = text("十、其他需要说明的情况", SECTION_MAX)

    # 附件1: staffing and frugality.
    staff_quota = headcount("编制数")
    staff_actual = headcount("实际在职人数")
    reported_control_rate = rate(
        "控制率（原填报值，%）", help_text="导入文件中印出的值；系统以计算值为准，不一致时列为问题"
    )
    frugality_measures = text("厉行节约保障措施", PARAGRAPH_MAX)

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-period__year", "department__code"]
        verbose_name = verbose_name_plural = "自评报告"
        constraints = [
            models.UniqueConstraint(fields=["department", "period"], name="report_department_period_unique"),
            nonnegative("personnel_expense", name="report_amounts_nonnegative"),
        ]

    def __str__(self):
        if self.period.kind == FilingKind.PROJECT:
            return f"{self.period.year}年度{self.department.name}项目支出绩效自评"
        return f"{self.period.year}年度{self.department.name}整体支出绩效自评报告"

    @property
    def year(self) -> int:
        return self.period.year

    @property
    def kind(self) -> str:
        return self.period.kind

    @property
    def is_project_only(self) -> bool:
        return self.period.kind == FilingKind.PROJECT

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class ExpenseItem(models.Model):
    """附件1's fixed catalogue rows (copied from perfeval/rules/catalogue.py by a migration)."""

    code = models.SlugField("代码", max_length=40, unique=True)
    label = models.CharField("名称", max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        to_field="code",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    order = models.PositiveIntegerField("顺序")
    children_rule = models.CharField("下级关系", max_length=10, blank=True)
    has_prior = models.BooleanField("有上年决算列", default=True)
    indent = models.PositiveSmallIntegerField("缩进", default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = verbose_name_plural = "附件1 经费项目目录"

    def __str__(self):
        return self.label


SIGNED_EXPENSE_ITEM = "basic_adjustment"


class ExpenseAmount(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="expenses")
    item = models.ForeignKey(ExpenseItem, to_field="code", on_delete=models.PROTECT, verbose_name="项目")
    # 部门基本支出预算调整 may be a reduction, so the columns are signed; clean() refuses a negative elsewhere.
    prior_final = money("上年决算数", signed=True)
    budget = money("本年预算数", signed=True)
    final = money("本年决算数", signed=True)

    class Meta:
        ordering = ["item__order"]
        verbose_name = verbose_name_plural = "附件1 经费控制情况"
        constraints = [
            models.UniqueConstraint(fields=["report", "item"], name="expense_report_item_unique"),
            # 部门基本支出预算调整 may be a reduction; every other amount is spent money.
            models.CheckConstraint(
                name="expense_amounts_nonnegative",
                condition=Q(item_id=SIGNED_EXPENSE_ITEM)
                | (
                    (Q(prior_final__gte=0) | Q(prior_final__isnull=True))
                    & (Q(budget__gte=0) | Q(budget__isnull=True))
                    & (Q(final__gte=0) | Q(final__isnull=True))
                ),
            ),
        ]

    def __str__(self):
        return f"{self.item_id}"

    def clean(self):
        if self.item_id == SIGNED_EXPENSE_ITEM:
            return
        negative = {
            name: "金额不能为负数"
            for name in ("prior_final", "budget", "final")
            if getattr(self, name) is not None and getattr(self, name) < 0
        }
        if negative:
            raise ValidationError(negative)


class SpecialRow(models.Model):
    """A 专项 row under 3、市级专项资金."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="special_rows")
    name = line("专项名称", 200)
    order = models.PositiveIntegerField("顺序", default=0)
    prior_final = money("上年决算数")
    budget = money("本年预算数")
    final = money("本年决算数")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "附件1 市级专项资金"
        constraints = [nonnegative("prior_final", "budget", "final", name="special_amounts_nonnegative")]

    def __str__(self):
        return self.name


class BuildingRow(models.Model):
    """A 楼堂馆所 row (projects completed in the year)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="buildings")
    name = line("项目名称", 200, blank=True)
    order = models.PositiveIntegerField("顺序", default=0)
    approved_area = models.DecimalField(
        "批复规模（m²）", max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    actual_area = models.DecimalField(
        "实际规模（m²）", max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    budget_investment = money("预算投资（万元）")
    actual_investment = money("实际投资（万元）")
    reported_area_rate = rate("规模控制率（原填报值，%）")
    reported_investment_rate = rate("投资概算控制率（原填报值，%）")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "附件1 楼堂馆所"
        constraints = [
            nonnegative(
                "approved_area",
                "actual_area",
                "budget_investment",
                "actual_investment",
                name="building_amounts_nonnegative",
            )
        ]

    def __str__(self):
        return self.name or f"楼堂馆所 {self.pk}"


class ProjectCategory(models.TextChoices):
    BUSINESS = "business", "业务工作经费"
    OPERATION = "operation", "运行维护经费"
    SPECIAL = "special", "市级专项资金"


class Project(models.Model):
    """A 项目支出 of the report: named in 正文 二 and 六, a row of 附件1, and (usually) a 附件3."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="projects")
    name = line("项目名称", 200)
    order = models.PositiveIntegerField("顺序", default=0)
    category = models.CharField("附件1 类别", max_length=20, choices=ProjectCategory.choices)
    initial_budget = money("年初预算（万元）")
    adjustment = money("年中调整（万元）", signed=True, help_text="追加或调增为正，调减为负")
    actual_spent = money("实际支出（万元）")
    carryover = money("结余结转（万元）")
    name_in_s2 = line("正文二中的名称（与项目名称不同时）", 200, blank=True)
    name_in_s6 = line("正文六中的名称（与项目名称不同时）", 200, blank=True)
    s6_text = text("六、（二）项目支出绩效情况", PARAGRAPH_MAX)
    no_scorecard_reason = text("未填附件3的原因", NOTE_MAX)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "项目支出"
        constraints = [
            models.UniqueConstraint(fields=["report", "name"], name="project_report_name_unique"),
            nonnegative("initial_budget", "actual_spent", "carryover", name="project_amounts_nonnegative"),
        ]

    def __str__(self):
        return self.name


class ScorecardKind(models.TextChoices):
    DEPARTMENT = "department", "附件2 部门整体支出绩效自评表"
    PROJECT = "project", "附件3 项目支出绩效自评表"


class Scorecard(models.Model):
    """附件2 (one per report) or a 附件3 (one per project): the same shape."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="scorecards")
    kind = models.CharField("类型", max_length=20, choices=ScorecardKind.choices)
    project = models.OneToOneField(
        Project,
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="scorecard",
    )
    competent_department = line("主管部门", 200, blank=True)
    implementing_unit = line("实施单位", 200, blank=True)
    goal_expected = text("年度总体目标 · 预期目标", NOTE_MAX)
    goal_actual = text("年度总体目标 · 实际完成情况", NOTE_MAX)
    execution_explanation = text("执行率说明", NOTE_MAX)
    not_applicable = models.JSONField("不适用的二级指标", default=list, blank=True)
    # 附件2: breakdowns of 全年执行数.
    income_general = money("一般公共预算")
    income_gov_fund = money("政府性基金拨款")
    income_non_tax = money("纳入专户管理的非税收入拨款")
    income_other = money("其他资金")
    nature_basic = money("基本支出")
    nature_project = money("项目支出")
    # 附件2: 收入 (income side) of the year; 全年执行数 cannot exceed their sum.
    revenue_fiscal = money("财政拨款收入")
    revenue_carryover = money("上年结转")
    revenue_other = money("其他收入")
    # As printed by an imported document; the system computes these and lists any disagreement. Only the
    # preparer's choice (「以计算值为准」) replaces one with the computed figure.
    reported_execution_rate = rate("执行率（原填报值，%）")
    reported_execution_score = score("执行率得分（原填报值）")
    reported_total_score = score("总分（原填报值）")
    reported_grade = line("等级（原填报值）", 10, blank=True)
    # 附件3: 年度资金总额 as printed (the system adds 当年财政拨款 + 上年结转资金 + 其他资金).
    reported_funds_initial = money("年度资金总额 · 年初预算数（原填报值）")
    reported_funds_full_year = money("年度资金总额 · 全年预算数（原填报值）")
    reported_funds_executed = money("年度资金总额 · 全年执行数（原填报值）")

    class Meta:
        ordering = ["kind", "project__order", "id"]
        verbose_name = verbose_name_plural = "绩效自评表"
        constraints = [
            models.UniqueConstraint(
                fields=["report"], condition=Q(kind="department"), name="scorecard_one_department_per_report"
            ),
            models.CheckConstraint(
                name="scorecard_project_matches_kind",
                condition=(Q(kind="department") & Q(project__isnull=True))
                | (Q(kind="project") & Q(project__isnull=False)),
            ),
            nonnegative(
                "income_general",
                "income_gov_fund",
                "income_non_tax",
                "income_other",
                "nature_basic",
                "nature_project",
                "revenue_fiscal",
                "revenue_carryover",
                "revenue_other",
                "reported_funds_initial",
                "reported_funds_full_year",
                "reported_funds_executed",
                name="scorecard_amounts_nonnegative",
            ),
        ]

    def __str__(self):
        return "附件2" if self.kind == ScorecardKind.DEPARTMENT else f"附件3 · {self.project.name}"


class FundSource(models.TextChoices):
    TOTAL = "total", "年度资金总额"
    CURRENT = "current", "当年财政拨款"
    CARRYOVER = "carryover", "上年结转资金"
    OTHER = "other", "其他资金"


class FundLine(models.Model):
    """A budget-block row. 附件2 types its 年度资金总额 (source "total"); 附件3 types its three sources and the
    system computes the total."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="fund_lines")
    source = models.CharField("资金来源", max_length=20, choices=FundSource.choices)
    initial = money("年初预算数")
    full_year = money("全年预算数")
    executed = money("全年执行数")

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "项目资金"
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "source"], name="fundline_scorecard_source_unique"),
            nonnegative("initial", "full_year", "executed", name="fundline_amounts_nonnegative"),
        ]

    def __str__(self):
        return self.get_source_display()


class Operator(models.TextChoices):
    GE = "ge", "≥（正向）"
    LE = "le", "≤（反向）"
    EQ = "eq", "＝"
    QUAL = "qual", "定性"


class QualBand(models.TextChoices):
    ACHIEVED = "achieved", "达成（80%–100%）"
    PARTIAL = "partial", "部分达成（60%–80%）"
    MISSED = "missed", "未达成（60%以下）"


class Indicator(models.Model):
    """A 三级指标 row; 一级/二级 are keys of the period's rule pack skeleton."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="indicators")
    level1 = line("一级指标", 40)
    level2 = line("二级指标", 40)
    order = models.PositiveIntegerField("顺序", default=0)
    name = line("三级指标", 200)
    operator = models.CharField("比较方式", max_length=10, choices=Operator.choices, null=True, blank=True)
    # A target may be an amount ("≤1310.8万元"), so values are as exact as amounts.
    target_value = models.DecimalField(
        "目标值", max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, null=True, blank=True
    )
    target_unit = line("目标单位", 20, blank=True)
    target_text = line("年度指标值（原文）", 200, blank=True)
    actual_value = models.DecimalField(
        "实际值", max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, null=True, blank=True
    )
    actual_text = line("实际完成值（原文）", 200, blank=True)
    qual_band = models.CharField("定性档次", max_length=10, choices=QualBand.choices, null=True, blank=True)
    weight = score("分值")
    score = score("得分")
    deviation_reason = text("偏差原因分析及改进措施", NOTE_MAX)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "绩效指标"
        constraints = [
            models.CheckConstraint(
                name="indicator_weight_nonnegative", condition=Q(weight__gte=0) | Q(weight__isnull=True)
            ),
            models.CheckConstraint(
                name="indicator_score_nonnegative", condition=Q(score__gte=0) | Q(score__isnull=True)
            ),
            models.CheckConstraint(
                name="indicator_score_within_weight",
                condition=Q(score__lte=F("weight")) | Q(score__isnull=True) | Q(weight__isnull=True),
            ),
        ]

    def __str__(self):
        return self.name


class FindingExplanation(models.Model):
    """The preparer's explanation of a warning, shown to the reviewer."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="explanations")
    code = models.CharField("问题代码", max_length=60)
    place = models.CharField("位置", max_length=200)
    text = models.TextField("说明", max_length=NOTE_MAX, validators=[printable])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "问题说明"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "code", "place"], name="explanation_report_code_place_unique"
            )
        ]

    def __str__(self):
        return f"问题说明 #{self.pk}" if self.pk else "问题说明"  # the admin's row title: no internal code


class JobStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class Job(models.Model):
    """Long work (a workbook out or in) done by a background task while its requester watches a status page
    (``filing.jobs``): what was asked, how far it is, and its result — a file to download or a page to go to —
    or why it failed, in Chinese. Only the requester sees it."""

    kind = models.CharField("类型", max_length=40)
    title = models.CharField("名称", max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.CASCADE, related_name="+"
    )
    report = models.ForeignKey(
        Report, verbose_name="报告", null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    arguments = models.JSONField("参数", default=dict, blank=True)
    upload = models.BinaryField("上传的文件", null=True, editable=False)
    status = models.CharField("状态", max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    error = models.TextField("失败原因", blank=True)
    problems = models.JSONField("问题明细", default=list, blank=True)
    result = models.BinaryField("结果文件", null=True, editable=False)
    filename = models.CharField("结果文件名", max_length=255, blank=True)
    content_type = models.CharField("结果类型", max_length=100, blank=True)
    next_url = models.CharField("完成后前往", max_length=500, blank=True)
    message = models.CharField("完成说明", max_length=500, blank=True)
    created_at = models.DateTimeField("请求时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "后台任务"
        indexes = [models.Index(fields=["created_at"], name="job_created")]
        constraints = [
            models.CheckConstraint(
                name="job_done_has_an_outcome",
                condition=~Q(status="done") | Q(result__isnull=False) | ~Q(next_url=""),
            ),
        ]

    def __str__(self):
        return f"{self.title}（{self.get_status_display()}）"
