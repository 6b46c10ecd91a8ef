from django.core.management.base import BaseCommand

from perfeval.filing.demo import ACCOUNTS, DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "载入演示数据：株洲市信访局 2023 年度自评报告、填报期与演示账号（可重复运行）"

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="把演示报告恢复为原始发布稿（草稿状态）")

    def handle(self, *args, reset=False, **options):
        report = load_demo(reset=reset)
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪：{report}"))
        for username, role, _dept, full_name in ACCOUNTS:
            self.stdout.write(f"  {username:16} / {DEMO_PASSWORD}   {role.label}（{full_name}）")
