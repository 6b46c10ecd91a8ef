from django.conf import settings
from django.db import models


class EditDraft(models.Model):
    """What a preparer typed on one edit tab and has not saved (暂存), kept as the posted form fields.

    A draft is never applied by itself: it only refills the tab's form, and the preparer's save sends it
    through the normal save, its version check, the lock and the bounds.
    """

    report = models.ForeignKey("filing.Report", on_delete=models.CASCADE, related_name="drafts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    part = models.CharField(max_length=40)  # the tab: "text", "att1", "att2", "projects", "att3-<project id>"
    fields = models.JSONField(default=dict)  # field name -> list of posted values
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "暂存内容"
        verbose_name_plural = "暂存内容"
        constraints = [
            models.UniqueConstraint(fields=["report", "user", "part"], name="editdraft_one_per_part"),
        ]

    def __str__(self):
        return f"{self.report} · {self.part} · {self.user}"
