"""python manage.py check_report --department CODE --year YEAR [--format json|text]: every finding of a report.

Each finding has a ``kind``: ``blank`` (未填, with the places of its part's blanks) or ``inconsistent``; a total
that disagrees with its parts may name the ``suspect`` part. Exit status 1 when errors exist (submission would be
refused), 0 otherwise — for scripts checking a batch."""

import json

from django.core.management.base import BaseCommand, CommandError

from perfeval.editing.findings import extra_findings
from perfeval.filing.checked import report_findings
from perfeval.filing.parts import reports_with_parts
from perfeval.rules.checks import SEVERITY_LABELS, Place


def _place(place: Place) -> dict:
    return {"table": place.table, "row": place.row, "column": place.column, "label": place.label}


class Command(BaseCommand):
    help = "列出一份报告的全部检查结果（代码、级别、位置、说明）；有错误时退出码为 1。"

    def add_arguments(self, parser):
        parser.add_argument("--department", required=True, help="预算单位编码，例如 zzxfj")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument(
            "--kind",
            default=None,
            choices=["department", "project"],
            help="填报类别：department（部门整体支出绩效自评，默认）或 project（项目支出绩效自评）",
        )
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args, department, year, kind, format, **options):
        report = (
            reports_with_parts()
            .filter(department__code=department, period__year=year, period__kind=kind or "department")
            .first()
        )
        if report is None:
            raise CommandError(f"没有找到 {department} 的 {year} 年度报告")
        findings = report_findings(report) + extra_findings(report)
        if format == "json":
            rows = [
                {
                    "code": f.code,
                    "severity": f.severity,
                    "kind": f.kind,
                    "place": _place(f.place),
                    "message": f.message,
                    "blanks": [_place(blank) for blank in f.blanks],
                    "suspect": _place(f.suspect) if f.suspect else None,
                }
                for f in findings
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for f in findings:
                self.stdout.write(f"[{f.severity_label}] {f.code} · {f.place.label}：{f.message}")
            errors = sum(1 for f in findings if f.severity == "error")
            self.stdout.write(
                f"共 {len(findings)} 项：{SEVERITY_LABELS['error']} {errors} 项，"
                f"{SEVERITY_LABELS['warning']} {len(findings) - errors} 项"
            )
        if any(f.severity == "error" for f in findings):
            raise SystemExit(1)
