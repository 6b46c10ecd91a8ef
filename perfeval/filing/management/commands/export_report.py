import json
import sys

from django.core.management.base import BaseCommand, CommandError

from perfeval.filing.opendata import export_report
from perfeval.filing.parts import reports_with_parts


class Command(BaseCommand):
    help = "导出一份自评报告（json 为开放数据格式）"

    def add_arguments(self, parser):
        parser.add_argument("--department", required=True, help="预算单位编码，如 zzxfj")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", default="json", choices=["json"])
        parser.add_argument("-o", "--output", default="-", help="输出文件，- 为标准输出")

    def handle(self, *args, department, year, format, output, **options):
        report = reports_with_parts().filter(department__code=department, period__year=year).first()
        if report is None:
            raise CommandError(f"没有找到 {department} 的 {year} 年度报告")
        text = json.dumps(export_report(report), ensure_ascii=False, indent=2) + "\n"
        if output == "-":
            sys.stdout.write(text)
        else:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"已写入 {output}")
