"""佐证材料: a file attached to a report, a 正文 section, an indicator row or a reply to a return reason. The
bytes live in the ``evidence`` storage (settings.STORAGES) under a random name; the row keeps what the pages,
the snapshot and the access check need."""

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    """Decided by the file's content (perfeval/evidence/content.py), never by its name."""

    PDF = "pdf", "PDF"
    PNG = "png", "PNG 图片"
    JPEG = "jpeg", "JPEG 图片"
    XLSX = "xlsx", "Excel 工作簿（xlsx）"
    DOCX = "docx", "Word 文档（docx）"
    OFD = "ofd", "OFD 版式文件"


CONTENT_TYPES = {
    Kind.PDF: "application/pdf",
    Kind.PNG: "image/png",
    Kind.JPEG: "image/jpeg",
    Kind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Kind.OFD: "application/ofd",
}
EXTENSIONS = {
    Kind.PDF: "pdf",
    Kind.PNG: "png",
    Kind.JPEG: "jpg",
    Kind.XLSX: "xlsx",
    Kind.DOCX: "docx",
    Kind.OFD: "ofd",
}
# Shown in the browser rather than downloaded: formats the browser renders without running anything of the file.
INLINE_KINDS = {Kind.PDF, Kind.PNG, Kind.JPEG}


class Evidence(models.Model):
    report = models.ForeignKey("filing.Report", on_delete=models.CASCADE, related_name="evidence_files")
    # The place: a 正文 section ("s1" … "s10"), an indicator row, a reply to a return reason, or none of them
    # (the whole report). ``label`` names it as it was at upload, so a file outlives a deleted indicator row.
    section = models.CharField("正文部分", max_length=10, blank=True)
    indicator = models.ForeignKey(
        "filing.Indicator",
        verbose_name="三级指标",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence_files",
    )
    label = models.CharField("位置", max_length=300, blank=True)
    reason = models.ForeignKey(
        "workflow.ReturnReason",
        verbose_name="答复的退回意见",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence_files",
    )
    name = models.CharField("文件名", max_length=200)  # sanitised, for display only
    stored_name = models.CharField("存储名", max_length=200, unique=True)  # random; the storage path
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    public = models.BooleanField("申请公开", default=False)
    # The publication gate (perfeval/evidence/content.py publication_gate), decided once at upload.
    gate_passed = models.BooleanField("可公开", default=False)
    gate_reason = models.CharField("不可公开的原因", max_length=300, blank=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["report", "id"]
        verbose_name = verbose_name_plural = "佐证材料"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in Kind]), name="evidence_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(section="") | models.Q(indicator__isnull=True), name="evidence_one_place"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def row(self) -> str:
        """The row of the place as findings name it (perfeval/rules/checks.py Place.row)."""
        if self.indicator_id is not None:
            return f"indicator:{self.indicator_id}"
        return self.section

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[Kind(self.kind)]

    @property
    def inline(self) -> bool:
        return self.kind in INLINE_KINDS

    @property
    def is_public(self) -> bool:
        """Both the preparer's wish and the gate."""
        return self.public and self.gate_passed
