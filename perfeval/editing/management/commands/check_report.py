"""python manage.py check_report --department CODE --year YEAR [--format json|text]: every finding of a report.

Exit status 1 when errors exist (submission would be refused), 0 otherwise — for scripts checking a batch."""

import json

from django.core.management.base import BaseCommand, CommandError

from perfeval.editing.findings import extra_findings, report_findings
from perfeval.filing.parts import reports_with_parts


class Command(BaseCommand):
    help = "列出一份报告的全部检查结果（代码、级别、位置、说明）；有错误时退出码为 1。"

    def add_arguments(self, parser):
        parser.add_argument("--department", required=True, help="预算单位编码，例如 zzxfj")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args, department, year, format, **options):
        report = reports_with_parts().filter(department__code=department, period__year=year).first()
        if report is None:
            raise CommandError(f"没有找到 {department} 的 {year} 年度报告")
        findings = report_findings(report) + extra_findings(report)
        if format == "json":
            rows = [
                {
                    "code": f.code,
                    "severity": f.severity,
                    "place": {
                        "table": f.place.table,
                        "row": f.place.row,
                        "column": f.place.column,
                        "label": f.place.label,
                    },
                    "message": f.message,
                }
                for f in findings
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for f in findings:
                level = "错误" if f.severity == "error" else "提示"
                self.stdout.write(f"[{level}] {f.code} · {f.place.label}：{f.message}")
            errors = sum(1 for f in findings if f.severity == "error")
            self.stdout.write(f"共 {len(findings)} 项：错误 {errors} 项，提示 {len(findings) - errors} 项")
        if any(f.severity == "error" for f in findings):
            raise SystemExit(1)
