from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from perfeval.filing.demo import ACCOUNTS, DEMO_PASSWORD, load_demo, load_fixture
from perfeval.filing.models import EDITABLE_STATUSES
from perfeval.workflow.services import reset_report


class Command(BaseCommand):
    help = "载入演示数据：株洲市信访局 2023 年度自评报告、填报期与演示账号（可重复运行）"

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="把演示报告恢复为原始发布稿（草稿状态）")
        parser.add_argument(
            "--force", action="store_true", help="与 --reset 同用：报告已提交、审核通过或已公开时也重置"
        )

    @transaction.atomic
    def handle(self, *args, reset=False, force=False, **options):
        report = load_demo()
        if reset:
            if report.status not in EDITABLE_STATUSES and not force:
                raise CommandError(
                    f"演示报告当前状态为「{report.get_status_display()}」，重置会把它改回草稿并覆盖全部内容；"
                    "确需重置请加 --force（审计日志会记录这次重置）"
                )
            reset_report(
                report=report,
                user=None,
                payload=load_fixture(),
                reason=f"load_demo --reset{' --force' if force else ''}：恢复为原始发布稿",
            )
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪：{report}"))
        for username, role, _dept, _bureau, full_name in ACCOUNTS:
            self.stdout.write(f"  {username:16} / {DEMO_PASSWORD}   {role.label}（{full_name}）")
