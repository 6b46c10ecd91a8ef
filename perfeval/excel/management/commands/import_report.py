import json
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from perfeval.excel import services
from perfeval.excel.payload import blank_payload
from perfeval.filing import access
from perfeval.filing.diff import diff_payloads
from perfeval.filing.locking import ReportLocked
from perfeval.filing.models import FilingPeriod, Report
from perfeval.filing.opendata import OpenDataError, export_report
from perfeval.filing.parts import reports_with_parts
from perfeval.filing.validate import payload_problems
from perfeval.orgs.models import Department
from perfeval.rules.checks import check_report
from perfeval.rules.payload import report_data

# An open-data file of the largest report the page cap allows is a few MB; anything far above is not one.
JSON_MAX_BYTES = 50 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "导入一份自评报告：Excel（附件1、附件2、附件3 的官方格式）或开放数据 JSON（perfeval.report/1）；"
        "任何一处无法导入时什么都不写入"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=".xlsx 或 .json 文件")
        parser.add_argument("--department", required=True, help="预算单位编码，如 zzxfj")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--dry-run", action="store_true", help="只显示将改变的内容和检查结果，不写入")

    def handle(self, *args, file, department, year, dry_run, **options):
        path = Path(file)
        if path.suffix.lower() == ".json":
            return self.import_json(path, department, year, dry_run)
        report = reports_with_parts().filter(department__code=department, period__year=year).first()
        if report is None:
            raise CommandError(f"没有找到单位 {department} 的 {year} 年度报告")
        content = self.read(path)
        try:
            if not dry_run and not access.may_change(report):
                raise CommandError(access.edit_refusal(None, report))
            payload, errors = services.read_upload(report=report, name=path.name, content=content)
        except (services.ImportRefused, ReportLocked) as exc:
            raise CommandError(str(exc)) from exc
        if errors:
            for error in errors:
                self.stderr.write(error)
            raise CommandError(f"有 {len(errors)} 个单元格无法读取，未导入任何内容")
        previous = services.already_applied(report, services.sha256_of(content))
        if previous is not None:
            self.stdout.write(f"注意：{services.duplicate_message(previous)}")
        changes, findings = services.preview(report=report, payload=payload)
        self.print_preview(changes, findings)
        if dry_run:
            self.stdout.write("试运行（--dry-run）：未写入")
            return
        updated = self.apply(report, payload)
        services.record_applied(
            report=updated,
            user=None,
            name=path.name,
            content=content,
            payload=payload,
            base_version=report.version,
        )
        self.stdout.write(f"已导入 {path.name}：{updated}（第 {updated.version} 版）")

    def read(self, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror or exc}") from exc

    def print_preview(self, changes, findings) -> None:
        self.stdout.write(f"将改变 {len(changes)} 处：")
        for change in changes:
            self.stdout.write(f"  {change.label}：{change.old} → {change.new}")
        self.stdout.write(f"检查结果：{len(findings)} 条")
        for finding in findings:
            self.stdout.write(f"  [{finding.severity_label}] {finding.place.label}：{finding.message}")

    def apply(self, report: Report, payload: dict) -> Report:
        try:
            return services.apply_payload(
                report_id=report.pk, payload=payload, user=None, expected_version=report.version
            )
        except (services.ImportRefused, ReportLocked) as exc:
            raise CommandError(str(exc)) from exc

    def import_json(self, path: Path, code: str, year: int, dry_run: bool) -> None:
        """The open-data JSON: the whole file is checked before anything is written; a department without a
        report in the year's period gets one (as a draft)."""
        department = Department.objects.filter(code=code).first()
        if department is None:
            raise CommandError(f"没有编码为 {code} 的单位")
        # The period of the department's bureau (a department in no bureau yet: the year's only period).
        periods = FilingPeriod.objects.select_related("rule_pack").filter(year=year)
        if department.bureau_id is not None:
            periods = periods.filter(bureau_id=department.bureau_id)
        period = periods.order_by("pk").first()
        if period is None:
            raise CommandError(f"没有 {year} 年度的填报期：请先由管理员开设该年度的填报期，再导入")
        content = self.read(path)
        if len(content) > JSON_MAX_BYTES:
            raise CommandError(
                f"文件过大：{len(content) / 1048576:.0f} MB，上限为 {JSON_MAX_BYTES // 1048576} MB"
            )
        try:
            # Decimal for any JSON number: a float would already have lost the 分.
            payload = json.loads(content.decode("utf-8"), parse_float=Decimal)
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise CommandError(f"{path.name} 不是有效的 UTF-8 JSON：{str(exc)[:200]}") from exc
        pack = period.rule_pack.rules()
        problems = payload_problems(payload, pack=pack)
        if not problems:
            problems = _identity_problems(payload, department, year)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"有 {len(problems)} 处无法导入，未导入任何内容")
        report = reports_with_parts().filter(department=department, period=period).first()
        if report is not None:
            current = export_report(report)
        else:
            self.stdout.write(f"{department.name} 在 {year} 年度还没有报告：将新建一份草稿")
            current = blank_payload(
                department_code=department.code,
                department_name=department.name,
                year=year,
                rule_pack={"code": period.rule_pack.code, "version": period.rule_pack.version},
            )
        changes = diff_payloads(current, payload, pack)
        self.print_preview(changes, check_report(report_data(payload), pack))
        if dry_run:
            self.stdout.write("试运行（--dry-run）：未写入")
            return
        if report is not None and not access.may_change(report):
            raise CommandError(access.edit_refusal(None, report))
        try:
            with transaction.atomic():
                if report is None:
                    report = Report.objects.create(department=department, period=period)
                updated = self.apply(report, payload)
        except OpenDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已导入 {path.name}：{updated}（第 {updated.version} 版）")


def _identity_problems(payload: dict, department: Department, year: int) -> list[str]:
    """A file of another department or year is refused rather than filed under the wrong name."""
    problems = []
    code = (payload.get("department") or {}).get("code")
    if code not in (None, department.code):
        problems.append(
            f"department.code：文件中的单位是 {str(code)[:40]}，与 --department {department.code} 不一致"
        )
    if payload.get("year") != year:
        problems.append(f"year：文件中的年度是 {str(payload.get('year'))[:10]}，与 --year {year} 不一致")
    return problems
