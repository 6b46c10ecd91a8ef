from django.conf import settings
from django.db import models


class ImportUpload(models.Model):
    """An uploaded workbook, parsed and waiting for the preparer's confirmation (or applied).

    The parsed payload lives here so the confirm step never trusts anything the browser sends back.
    """

    report = models.ForeignKey(
        "filing.Report", verbose_name="报告", on_delete=models.CASCADE, related_name="excel_uploads"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sha256 = models.CharField("SHA-256", max_length=64)
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveIntegerField("大小（字节）")
    payload = models.JSONField("解析结果")
    base_version = models.PositiveIntegerField("解析时的报告版本号")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    applied_at = models.DateTimeField("导入时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "Excel 导入"
        indexes = [models.Index(fields=["report", "sha256"], name="excel_upload_report_sha")]

    def __str__(self):
        return f"{self.original_name}（{self.sha256[:12]}）"
