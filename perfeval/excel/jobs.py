"""The workbook's long work as jobs (``filing.jobs``): the export, the blank template, reading an upload into
its preview and applying a previewed upload. Each runs in a background task while the page follows it."""

import io

from django.urls import reverse

from perfeval.excel import exports, services
from perfeval.filing.jobs import JobFailed, Outcome, register
from perfeval.filing.locking import ReportLocked
from perfeval.filing.models import FilingPeriod
from perfeval.filing.parts import reports_with_parts
from perfeval.orgs.models import Department

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(workbook, filename: str) -> Outcome:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return Outcome(content=buffer.getvalue(), filename=filename, content_type=XLSX, message="Excel 已生成。")


def export_workbook(job) -> Outcome:
    report = reports_with_parts().get(pk=job.report_id)
    what = "项目支出绩效自评表" if report.is_project_only else "绩效自评附表"
    filename = f"{report.period.year}年度{report.department.name}{what}.xlsx"
    return _workbook(exports.build_workbook(report), filename)


def export_template(job) -> Outcome:
    period = FilingPeriod.objects.select_related("rule_pack").get(pk=job.arguments["period"])
    department = Department.objects.get(pk=job.arguments["department"])
    what = "项目支出绩效自评表" if period.is_project_only else "绩效自评附表"
    filename = f"{period.year}年度{department.name}{what}（空白模板）.xlsx"
    return _workbook(exports.build_template(department=department, period=period), filename)


def read_upload(job) -> Outcome:
    """The uploaded workbook read and kept for its preview; every bad cell named, nothing kept."""
    report = reports_with_parts().get(pk=job.report_id)
    try:
        parsed = services.parse_upload(
            report=report, user=job.user, name=job.arguments["name"], content=bytes(job.upload)
        )
    except (services.ImportRefused, ReportLocked) as exc:
        raise JobFailed(str(exc)) from exc
    if parsed.upload is None:
        raise JobFailed(
            f"有 {len(parsed.errors)} 个单元格无法读取，未导入任何内容。请修改后重新上传。", parsed.errors
        )
    return Outcome(next_url=reverse("excel:preview", args=[report.pk, parsed.upload.pk]))


def apply_upload(job) -> Outcome:
    report = reports_with_parts().get(pk=job.report_id)
    try:
        services.confirm_upload(
            upload_id=job.arguments["upload"],
            report=report,
            user=job.user,
            posted_version=job.arguments["version"],
        )
    except services.ImportUpload.DoesNotExist:
        raise JobFailed("没有找到该上传文件，请重新上传。") from None
    except (services.ImportRefused, ReportLocked) as exc:
        raise JobFailed(str(exc)) from exc
    return Outcome(next_url=reverse("report_detail", args=[report.pk]), message="Excel 已导入，报告已更新。")


def register_jobs() -> None:
    register("excel.export", export_workbook)
    register("excel.template", export_template)
    register("excel.read", read_upload)
    register("excel.apply", apply_upload)
