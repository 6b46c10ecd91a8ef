"""The workflow's records: the append-only audit log, return rounds with pinned reasons, head confirmations,
and a per-version summary of each report for the reviewer dashboard."""

from django.conf import settings
from django.db import models

from perfeval.filing.bounds import NOTE_MAX, printable
from perfeval.rules.checks import place_key


class AuditAction(models.TextChoices):
    OPEN_PERIOD = "open_period", "开启填报期"
    CREATE = "create", "创建报告"
    HEAD_CONFIRM = "head_confirm", "单位负责人确认"
    SUBMIT = "submit", "提交"
    WITHDRAW = "withdraw", "撤回"
    OPENED = "opened", "审核人首次查看"
    FORWARD = "forward", "主管部门审核通过并报送财政部门"
    SUPERVISOR_RETURN = "supervisor_return", "主管部门退回"
    RETURN = "return", "退回"
    RESOLVE = "resolve", "标记退回意见已解决"
    APPROVE = "approve", "审核通过"
    PUBLISH = "publish", "公开"
    REOPEN = "reopen", "公开后退回更正"
    RESET = "reset", "重置为原始数据（草稿）"
    EVIDENCE_ADD = "evidence_add", "上传佐证材料"
    EVIDENCE_REMOVE = "evidence_remove", "删除佐证材料"
    EVIDENCE_PUBLIC = "evidence_public", "设置佐证材料是否公开"
    REFUSED = "refused", "操作被拒绝"
    DENIED = "denied", "越权访问被拒绝"
    REMIND = "remind", "催报"


class AuditLogImmutable(Exception):
    pass


class AuditEvent(models.Model):
    """One line of the append-only log. Rows are inserted, never updated or deleted: save() and delete() refuse,
    database triggers refuse QuerySet.update() and .delete() (migrations 0002 and 0003), and in production the
    app's role may only SELECT and INSERT here (grant_app_role); the admin is read-only."""

    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    action = models.CharField("操作", max_length=20, choices=AuditAction.choices)
    report = models.ForeignKey(
        "filing.Report",
        verbose_name="报告",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    status_from = models.CharField("原状态", max_length=20, blank=True)
    status_to = models.CharField("新状态", max_length=20, blank=True)
    version = models.PositiveIntegerField("版本号", null=True, blank=True)
    reason = models.TextField("原因/说明", blank=True)
    path = models.CharField("访问路径", max_length=500, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    details = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = verbose_name_plural = "审计日志"
        indexes = [models.Index(fields=["report", "action"], name="audit_report_action")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditLogImmutable("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutable("审计日志只能追加，不能删除")

    @property
    def status_from_display(self) -> str:
        return _status_label(self.status_from)

    @property
    def status_to_display(self) -> str:
        return _status_label(self.status_to)


def _status_label(value: str) -> str:
    from perfeval.filing.models import Status

    return Status(value).label if value in Status.values else value


class ReturnRound(models.Model):
    """One return of a report: who, when, and the open-data JSON of the report at that moment, so the reviewer
    sees what changed by the resubmission."""

    report = models.ForeignKey("filing.Report", on_delete=models.CASCADE, related_name="return_rounds")
    number = models.PositiveIntegerField("第几次退回")
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="退回人", on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField("退回时间", auto_now_add=True)
    snapshot = models.JSONField("退回时的报告数据")
    event = models.OneToOneField(AuditEvent, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["report", "-number"]
        verbose_name = verbose_name_plural = "退回记录"
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="returnround_report_number_unique")
        ]

    def __str__(self):
        return f"{self.report} 第{self.number}次退回"


class ReturnReason(models.Model):
    """A reason of a return, pinned to a place (the Place keys of perfeval/rules/checks.py) or to the whole
    report (blank table)."""

    round = models.ForeignKey(ReturnRound, on_delete=models.CASCADE, related_name="reasons")
    table = models.CharField("表", max_length=40, blank=True)
    row = models.CharField("行", max_length=60, blank=True)
    column = models.CharField("列", max_length=60, blank=True)
    label = models.CharField("位置", max_length=200, blank=True)
    text = models.TextField("退回原因")
    resolved_at = models.DateTimeField("解决时间", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认解决人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The preparer's answer, written while the report is back with the department; the reviewer reads it on
    # 退回后的修改 and the report page.
    reply = models.TextField("单位答复", max_length=NOTE_MAX, blank=True, validators=[printable])
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["round", "id"]
        verbose_name = verbose_name_plural = "退回原因"

    def __str__(self):
        return f"{self.label or '整份报告'}：{self.text}"

    @property
    def place_key(self) -> str:
        return place_key(self.table, self.row, self.column)


class HeadConfirmation(models.Model):
    """The department head confirms one version of the report; any later save changes the version and so
    voids the confirmation."""

    report = models.ForeignKey("filing.Report", on_delete=models.CASCADE, related_name="head_confirmations")
    version = models.PositiveIntegerField("确认的版本号")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField("确认时间", auto_now_add=True)
    # The open-data payload the head confirmed: the next confirmation shows what changed since (filing.diff).
    snapshot = models.JSONField("确认时的报告数据", null=True, blank=True)

    class Meta:
        ordering = ["-confirmed_at", "-id"]
        verbose_name = verbose_name_plural = "单位负责人确认"

    def __str__(self):
        return f"{self.report} 第{self.version}版 已确认"


class ReportSummary(models.Model):
    """What the reviewer dashboard shows per report, computed by the rules for one (version, updated_at) of
    the report and recomputed when either moves, so the dashboard never runs the checks per request."""

    report = models.OneToOneField("filing.Report", on_delete=models.CASCADE, related_name="summary")
    version = models.PositiveIntegerField()
    updated_at = models.DateTimeField()
    self_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField(max_length=10, blank=True)
    execution_rate = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)  # percent
    errors = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    unexplained = models.PositiveIntegerField(default=0)
    # Required places still blank (未填), from the rules' INCOMPLETE findings; None: made before it was kept.
    blanks = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "报告摘要（缓存）"

    def __str__(self):
        return f"{self.report_id} v{self.version}"
