"""python manage.py rebuild_portal: rebuild the portal's key figures and the copy index from the published
versions (after a change of the rules or of the index, or on a database restored without them)."""

import time

from django.core.management.base import BaseCommand

from perfeval.portal.indexing import rebuild


class Command(BaseCommand):
    help = "重建公开门户的关键指标表与文字雷同索引（读取每份公开报告的最新版本）。"

    def handle(self, *args, **options):
        started = time.monotonic()
        count = rebuild()
        self.stdout.write(f"已重建 {count} 份公开报告的索引，用时 {time.monotonic() - started:.1f} 秒。")
