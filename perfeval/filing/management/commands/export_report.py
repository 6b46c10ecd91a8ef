import json
from importlib import import_module

from django.core.management.base import BaseCommand, CommandError

from perfeval.filing import hooks
from perfeval.filing.bounds import document_problem
from perfeval.filing.opendata import export_report
from perfeval.filing.parts import reports_with_parts


def write_json(report, output: str) -> None:
    text = json.dumps(export_report(report), ensure_ascii=False, indent=2) + "\n"
    with open(output, "w", encoding="utf-8") as handle:
        handle.write(text)


def writer_for(fmt: str):
    module, _, name = hooks.export_writers[fmt].partition(":")
    return getattr(import_module(module), name)


class Command(BaseCommand):
    help = "导出一份自评报告：json（开放数据格式）、pdf（未审核通过时标注「草稿」）、xlsx（三张附表）"

    def add_arguments(self, parser):
        parser.add_argument("--department", required=True, help="预算单位编码，如 zzxfj")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument(
            "--kind",
            default=None,
            choices=["department", "project"],
            help="填报类别：department（部门整体支出绩效自评，默认）或 project（项目支出绩效自评）",
        )
        parser.add_argument("--format", default="json", choices=sorted(hooks.export_writers))
        parser.add_argument("-o", "--output", required=True, help="输出文件路径")

    def handle(self, *args, department, year, kind, format, output, **options):
        report = (
            reports_with_parts()
            .filter(department__code=department, period__year=year, period__kind=kind or "department")
            .first()
        )
        if report is None:
            raise CommandError(f"没有找到单位 {department} 的 {year} 年度报告")
        try:
            writer = writer_for(format)
        except (ImportError, AttributeError) as exc:
            raise CommandError(f"暂不支持 {format} 格式：{exc}") from exc
        if format == "pdf" and report.is_editable:
            # A draft too long to print is refused at once instead of after the render's time limit.
            too_long = document_problem(report)
            if too_long:
                raise CommandError(too_long)
        try:
            writer(report, output)
        except Exception as exc:  # any failure (render refused or timed out, disk full…) is one line, exit 1
            message = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise CommandError(f"导出失败：{message[:300]}") from exc
        self.stdout.write(f"已写入 {output}")
