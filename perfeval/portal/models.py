"""The portal's indexes: the key figures of every published report and its narrative texts with their
MinHash bands. Both are derived from published versions (perfeval/portal/indexing.py writes them when a version
is published, ``manage.py rebuild_portal`` rebuilds them), so the public pages never parse a payload per request.
"""

from django.db import models

from perfeval.filing.models import Report
from perfeval.publishing.models import PublishedVersion
from perfeval.rules.similarity import BANDS


class Kind(models.TextChoices):
    # The kinds of filing of perfeval/rules/catalogue.py.
    DEPARTMENT = "department", "部门整体支出绩效自评"
    PROJECT = "project", "项目支出绩效自评"


def _amount(label: str):
    return models.DecimalField(label, max_digits=18, decimal_places=4, null=True, blank=True)


class PublishedFigures(models.Model):
    """One row per published report: the key figures of its latest public version (null = 未填)."""

    report = models.OneToOneField(Report, verbose_name="报告", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(
        PublishedVersion, verbose_name="公开版本", on_delete=models.CASCADE, related_name="+"
    )
    number = models.PositiveIntegerField("版本")
    department_code = models.SlugField("预算单位编码", max_length=50)
    department_name = models.CharField("单位名称", max_length=200)
    year = models.PositiveIntegerField("年度")
    public_date = models.DateField("公开日期")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    # The finance bureau that published the report. Bureaus are another issue: today every report has the one
    # bureau of this installation (""), and the filter lists whatever values the column holds.
    bureau = models.CharField("财政部门", max_length=50, blank=True, default="")
    total_score = models.DecimalField("总分", max_digits=7, decimal_places=2, null=True, blank=True)
    grade = models.CharField("等级", max_length=10, blank=True)
    execution_rate = models.DecimalField(
        "执行率（%）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    budget_initial = _amount("年初预算数（万元）")
    budget_full_year = _amount("全年预算数（万元）")
    executed = _amount("全年执行数（万元）")
    sangong = _amount("三公经费决算数（万元）")
    indexed_at = models.DateTimeField("编入索引时间", auto_now=True)

    class Meta:
        ordering = ["-year", "department_code"]
        verbose_name = verbose_name_plural = "公开报告关键指标"
        indexes = [
            models.Index(fields=["year", "department_code"], name="portal_fig_year_dept"),
            models.Index(fields=["department_code", "year"], name="portal_fig_dept_year"),
            models.Index(fields=["year", "total_score"], name="portal_fig_year_score"),
            models.Index(fields=["year", "execution_rate"], name="portal_fig_year_rate"),
            models.Index(fields=["indexed_at"], name="portal_fig_indexed_at"),  # the pages' state, by index
        ]

    def __str__(self):
        return f"{self.year}年度{self.department_name}"


class NarrativeText(models.Model):
    """One 正文 section or one 偏差原因分析及改进措施 of a published report, with the LSH band keys of its
    MinHash signature (perfeval/rules/similarity.py). Only published (masked) texts are stored: a draft is
    compared against these, never stored here, so no department sees another's draft."""

    # No index of their own: portal_text_report and portal_text_dept_year below serve them, and every index is
    # one more to write for each of a season's 150,000 rows.
    report = models.ForeignKey(
        Report, verbose_name="报告", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    number = models.PositiveIntegerField("版本")
    department_code = models.SlugField("预算单位编码", max_length=50, db_index=False)
    department_name = models.CharField("单位名称", max_length=200)
    year = models.PositiveIntegerField("年度")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    place = models.CharField("位置", max_length=40)  # "s7", "att2-3" (附件2 indicator 3), "p0-3" (project 0)
    label = models.CharField("位置名称", max_length=300)
    text = models.TextField("文字（公开版本）")
    signature = models.BinaryField("MinHash 签名")  # similarity.pack_signature: screens candidates unread

    # band0 … band19: one indexed column per band, so a lookup is one query of ORed indexed equalities. The
    # indexes are named so that a rebuild can drop them and build them once after loading.
    for _band in range(BANDS):
        locals()[f"band{_band}"] = models.BigIntegerField(f"LSH 分段 {_band}")
    del _band

    class Meta:
        verbose_name = verbose_name_plural = "公开报告文字索引"
        # (band, year): a lookup among the other departments of one year reads only that year's rows.
        indexes = [
            models.Index(fields=["report"], name="portal_text_report"),
            models.Index(fields=["department_code", "year"], name="portal_text_dept_year"),
            *(models.Index(fields=[f"band{i}", "year"], name=f"portal_text_band{i}") for i in range(BANDS)),
        ]

    def __str__(self):
        return f"{self.year}年度{self.department_name} · {self.label}"
