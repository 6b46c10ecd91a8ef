"""In-app notices (the bell) and the reminders sent to departments: one row per department, period, reason and
day, so that the database itself refuses to remind anyone twice for the same reason."""

from django.conf import settings
from django.db import models


class ReminderReason(models.TextChoices):
    MANUAL = "manual", "催报"
    BEFORE_DEADLINE = "before_deadline", "截止前催报"
    OVERDUE = "overdue", "逾期催报"


class Reminder(models.Model):
    """One reminder of one department for one period, reason and day-bucket (the day the reason applies from:
    deadline − N for 截止前催报, the day after the deadline for 逾期催报, the day of a 催报). The unique key makes
    the job idempotent: of two runs at once, one inserts, the other finds the row and sends nothing."""

    department = models.ForeignKey(
        "orgs.Department", verbose_name="单位", on_delete=models.PROTECT, related_name="reminders"
    )
    period = models.ForeignKey(
        "filing.FilingPeriod", verbose_name="填报期", on_delete=models.CASCADE, related_name="reminders"
    )
    reason = models.CharField("原因", max_length=20, choices=ReminderReason.choices)
    bucket = models.DateField("催报日")
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发送人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The run that inserted the row: a run sends only the rows it inserted itself.
    run = models.UUIDField(db_index=True, editable=False)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = verbose_name_plural = "催报记录"
        constraints = [
            models.UniqueConstraint(
                fields=["department", "period", "reason", "bucket"], name="reminder_once_per_reason_and_day"
            )
        ]

    def __str__(self):
        return f"{self.department} {self.period} {self.get_reason_display()} {self.bucket}"


class Notice(models.Model):
    """A message to one user, shown under the bell until read."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="收件人", on_delete=models.CASCADE, related_name="notices"
    )
    reminder = models.ForeignKey(
        Reminder, verbose_name="催报", null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=200, blank=True)  # a path inside the site, never a full URL
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "站内通知"
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_recipient_unread")]

    def __str__(self):
        return self.title


class ReminderRun(models.Model):
    """A scheduled run of the reminder job: one row per planned time, so that however many workers or deploys
    ask for the next run, it is enqueued once."""

    scheduled_for = models.DateTimeField("计划时间", unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "催报任务计划"

    def __str__(self):
        return f"{self.scheduled_for:%Y-%m-%d %H:%M}"
