"""What approval freezes and publication exposes. Rows here are written once by perfeval/publishing/services.py;
only the PDF fields of a pending or failed render change afterwards, and never once a PDF is stored."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from perfeval.filing.models import Report
from perfeval.rules.catalogue import DEPARTMENT_FILING, FILING_KINDS


class PdfStatus(models.TextChoices):
    PENDING = "pending", "等待生成"
    DONE = "done", "已生成"
    FAILED = "failed", "生成失败"


class StoredPdf(models.Model):
    """A PDF rendered once in a background task and then served byte for byte."""

    pdf = models.BinaryField("PDF", null=True, editable=False)
    pdf_sha256 = models.CharField("PDF SHA-256", max_length=64, blank=True, editable=False)
    pdf_pages = models.PositiveIntegerField("页数", null=True, blank=True, editable=False)
    pdf_status = models.CharField(
        "PDF 状态", max_length=10, choices=PdfStatus.choices, default=PdfStatus.PENDING
    )
    pdf_error = models.TextField("生成失败原因", blank=True)
    pdf_attempts = models.PositiveIntegerField("生成次数", default=0)
    pdf_rendered_at = models.DateTimeField("PDF 生成时间", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def pdf_ready(self) -> bool:
        return self.pdf_status == PdfStatus.DONE


class ReportSnapshot(StoredPdf):
    """Approval freezes the report: every figure and text (the open-data JSON plus the computed values) and
    the final PDF rendered from this data, each with its SHA-256. The internal record: nothing is masked."""

    report = models.ForeignKey(
        Report, verbose_name="报告", on_delete=models.PROTECT, related_name="snapshots"
    )
    number = models.PositiveIntegerField("第几次审核通过")
    report_version = models.PositiveIntegerField("报告版本号")
    data = models.JSONField("冻结数据", editable=False)
    data_sha256 = models.CharField("数据 SHA-256", max_length=64, editable=False)
    created_at = models.DateTimeField("冻结时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["report", "-number"]
        verbose_name = verbose_name_plural = "审核通过快照"
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="snapshot_report_number_unique"),
            models.CheckConstraint(
                name="snapshot_pdf_done_has_bytes",
                condition=~Q(pdf_status="done") | (Q(pdf__isnull=False) & ~Q(pdf_sha256="")),
            ),
        ]

    def __str__(self):
        return f"{self.report} · 快照 {self.number}"


class PublishedVersion(StoredPdf):
    """One public version: the masked copy of a snapshot, its PDF and open data. A correction after
    publication is a new version with a change note; earlier versions stay readable."""

    report = models.ForeignKey(
        Report, verbose_name="报告", on_delete=models.PROTECT, related_name="published_versions"
    )
    number = models.PositiveIntegerField("版本")
    snapshot = models.ForeignKey(
        ReportSnapshot, verbose_name="快照", on_delete=models.PROTECT, related_name="published_versions"
    )
    # Denormalised so the public list needs no JSON parsing: department and year never change for a report.
    department_code = models.SlugField("预算单位编码", max_length=50)
    department_name = models.CharField("单位名称", max_length=200)
    year = models.PositiveIntegerField("年度")
    # The kind of filing of the report's period (catalogue.FILING_KINDS): a department may publish both in a year.
    kind = models.CharField("填报类别", max_length=20, choices=FILING_KINDS, default=DEPARTMENT_FILING)
    public_data = models.JSONField("公开数据（已遮盖个人号码）", editable=False)
    public_data_sha256 = models.CharField("公开数据 SHA-256", max_length=64, editable=False)
    change_note = models.TextField("更正说明", blank=True)
    published_where = models.CharField("公开渠道", max_length=300, blank=True)
    public_date = models.DateField("公开日期")
    published_at = models.DateTimeField("发布时间", auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-year", "department_code", "-number"]
        verbose_name = verbose_name_plural = "公开版本"
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="published_report_number_unique"),
            models.CheckConstraint(name="published_number_positive", condition=Q(number__gte=1)),
            models.CheckConstraint(
                name="published_pdf_done_has_bytes",
                condition=~Q(pdf_status="done") | (Q(pdf__isnull=False) & ~Q(pdf_sha256="")),
            ),
        ]
        indexes = [models.Index(fields=["department_code", "year", "-number"], name="published_lookup")]

    def __str__(self):
        return f"{self.year}年度{self.department_name}{self.get_kind_display()} · 第 {self.number} 版"

    def get_absolute_url(self) -> str:
        return self._public_url("public_report")

    def _public_url(self, name: str, **kwargs) -> str:
        # The 部门整体 report keeps the addresses it always had; a project-only filing's carry its kind.
        args = {"department_code": self.department_code, "year": self.year, **kwargs}
        if self.kind == DEPARTMENT_FILING:
            return reverse(f"publishing:{name}", kwargs=args)
        return reverse(f"publishing:{name}_kind", kwargs={**args, "kind": self.kind})

    def version_url(self) -> str:
        return self._public_url("public_version", number=self.number)

    def pdf_url(self) -> str:
        return self._public_url("public_pdf", number=self.number)

    def csv_url(self) -> str:
        return self._public_url("public_csv", number=self.number)

    def json_url(self) -> str:
        return self._public_url("public_json", number=self.number)

    def evidence_url(self, evidence_id) -> str:
        return self._public_url("public_evidence", number=self.number, evidence_id=evidence_id)


class PdfPart(models.Model):
    """The rendered PDF of one part of a document (perfeval/publishing/pdf.py), under the SHA-256 of its HTML,
    stylesheets and renderer. A table rather than a per-process cache, so every web and task worker shares
    the parts: a report's parts rendered by several workers are merged by any of them. The merged font
    subsets (perfeval/publishing/fonts.py) are kept here too, with 0 pages. A row never changes; rows not used
    for ``PDF_PART_KEEP_DAYS`` are deleted when new parts are stored."""

    key = models.CharField("内容 SHA-256", max_length=64, primary_key=True)
    pdf = models.BinaryField("PDF")
    pages = models.PositiveIntegerField("页数")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    used_at = models.DateTimeField("最近使用", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "PDF 分块缓存"

    def __str__(self):
        return f"{self.key[:12]}（{self.pages} 页）"

    @classmethod
    def fetch(cls, keys: list[str]) -> dict[str, "PdfPart"]:
        """The stored parts of ``keys``, marked as used now (one query each way)."""
        from datetime import timedelta

        from django.utils import timezone

        now = timezone.now()
        rows = {row.key: row for row in cls.objects.filter(key__in=keys)}
        # Marking once an hour is enough for the expiry and spares a write on every preview.
        cls.objects.filter(key__in=keys, used_at__lt=now - timedelta(hours=1)).update(used_at=now)
        return rows

    @classmethod
    def prune(cls) -> int:
        from datetime import timedelta

        from django.utils import timezone

        keep = timedelta(days=int(getattr(settings, "PDF_PART_KEEP_DAYS", 30)))
        return cls.objects.filter(used_at__lt=timezone.now() - keep).delete()[0]


class DraftPdf(models.Model):
    """A draft preview (草稿 on every page) of one state of a report, rendered by a background task while the
    preparer watches its status. One row per report and content: opening the preview again without a change
    serves the same PDF at once."""

    report = models.ForeignKey(
        Report, verbose_name="报告", on_delete=models.CASCADE, related_name="draft_pdfs"
    )
    content_sha256 = models.CharField("内容 SHA-256", max_length=64)
    status = models.CharField("状态", max_length=10, choices=PdfStatus.choices, default=PdfStatus.PENDING)
    pdf = models.BinaryField("PDF", null=True, editable=False)
    pages = models.PositiveIntegerField("页数", null=True, blank=True)
    error = models.TextField("生成失败原因", blank=True)
    requested_at = models.DateTimeField("请求时间", auto_now_add=True)
    rendered_at = models.DateTimeField("生成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "草稿 PDF"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "content_sha256"], name="draft_pdf_report_content_unique"
            ),
            models.CheckConstraint(
                name="draft_pdf_done_has_bytes", condition=~Q(status="done") | Q(pdf__isnull=False)
            ),
        ]

    def __str__(self):
        return f"{self.report} · 草稿 PDF {self.content_sha256[:12]}"
