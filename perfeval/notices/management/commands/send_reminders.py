import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from perfeval.filing.models import FilingPeriod
from perfeval.notices.reminders import send_reminders
from perfeval.notices.tasks import schedule_next_run


class Command(BaseCommand):
    help = "发送今天到期的截止前催报和逾期催报（与任务进程的定时任务相同），并列出所发送的催报。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="只处理该年度的填报期")
        parser.add_argument("--dry-run", action="store_true", help="只列出将发送的催报，不发送")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="不发送，只在任务队列中安排下一次定时运行（已安排则不重复）",
        )

    def handle(self, *args, year=None, dry_run=False, format="text", schedule=False, **options):
        if schedule:
            when = schedule_next_run()
            if when is None:
                raise CommandError("当前任务后端不支持定时任务（TASKS_BACKEND），请改用数据库任务后端。")
            self.stdout.write(f"催报任务已安排在 {timezone.localtime(when):%Y-%m-%d %H:%M}。")
            return
        if year is not None and not FilingPeriod.objects.filter(year=year).exists():
            raise CommandError(f"{year} 年度填报期不存在。")
        outcome = send_reminders(today=timezone.localdate(), year=year, dry_run=dry_run)
        if format == "json":
            self.stdout.write(json.dumps(outcome.as_json()))
            return
        verb = "将发送" if dry_run else "已发送"
        for d in outcome.sent:
            self.stdout.write(self._line(verb, d))
        for d in outcome.skipped:
            self.stdout.write(self._line("已发送过", d))
        self.stdout.write(f"{verb} {len(outcome.sent)} 条催报，跳过已发送的 {len(outcome.skipped)} 条。")

    @staticmethod
    def _line(verb, d) -> str:
        return "\t".join(
            [verb, d.bureau_name, str(d.year), d.department_code, d.department_name, d.reason_label]
        )
