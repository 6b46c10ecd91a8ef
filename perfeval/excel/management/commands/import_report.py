from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from perfeval.excel import services
from perfeval.filing import access
from perfeval.filing.locking import ReportLocked
from perfeval.filing.parts import reports_with_parts


class Command(BaseCommand):
    help = "从 Excel（附件1、附件2、附件3 的官方格式）导入一份自评报告；任一单元格无法读取时什么都不写入"

    def add_arguments(self, parser):
        parser.add_argument("file", help=".xlsx 文件")
        parser.add_argument("--department", required=True, help="预算单位编码，如 zzxfj")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--dry-run", action="store_true", help="只显示将改变的内容和检查结果，不写入")

    def handle(self, *args, file, department, year, dry_run, **options):
        report = reports_with_parts().filter(department__code=department, period__year=year).first()
        if report is None:
            raise CommandError(f"没有找到单位 {department} 的 {year} 年度报告")
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {file}：{exc}") from exc
        if not dry_run and not access.may_change(report):
            raise CommandError(access.edit_refusal(None, report))
        try:
            payload, errors = services.read_upload(report=report, name=path.name, content=content)
        except services.ImportRefused as exc:
            raise CommandError(str(exc)) from exc
        if errors:
            for error in errors:
                self.stderr.write(error)
            raise CommandError(f"有 {len(errors)} 个单元格无法读取，未导入任何内容")
        previous = services.already_applied(report, services.sha256_of(content))
        if previous is not None:
            self.stdout.write(f"注意：{services.duplicate_message(previous)}")
        changes, findings = services.preview(report=report, payload=payload)
        self.stdout.write(f"将改变 {len(changes)} 处：")
        for change in changes:
            self.stdout.write(f"  {change.label}：{change.old} → {change.new}")
        self.stdout.write(f"检查结果：{len(findings)} 条")
        for finding in findings:
            label = "错误" if finding.severity == "error" else "提醒"
            self.stdout.write(f"  [{label}] {finding.place.label}：{finding.message}")
        if dry_run:
            self.stdout.write("试运行（--dry-run）：未写入")
            return
        try:
            updated = services.apply_payload(
                report_id=report.pk, payload=payload, user=None, expected_version=report.version
            )
        except (services.ImportRefused, ReportLocked) as exc:
            raise CommandError(str(exc)) from exc
        services.record_applied(
            report=updated,
            user=None,
            name=path.name,
            content=content,
            payload=payload,
            base_version=report.version,
        )
        self.stdout.write(f"已导入 {path.name}：{updated}（第 {updated.version} 版）")
