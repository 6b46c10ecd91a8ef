"""The demo: the published 2023 report of 株洲市信访局 (fixtures/zzxfj-2023.json), its period and accounts."""

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from perfeval.filing.models import ExpenseItem, FilingKind, FilingPeriod, Report, RulePack
from perfeval.filing.opendata import import_report
from perfeval.filing.reference import sync_reference_data
from perfeval.orgs.models import Department, Role, User

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "zzxfj-2023.json"
DEMO_PASSWORD = "perfeval-demo"

DEPARTMENTS = (
    ("zzxfj", "株洲市信访局"),
    ("zzmzj", "株洲市民政局"),
    ("zzsfj", "株洲市司法局"),
)
ACCOUNTS = (
    # username, role, department code, full name
    ("zzxfj_preparer", Role.PREPARER, "zzxfj", "刘旅琴"),
    ("zzxfj_head", Role.HEAD, "zzxfj", "周胜"),
    ("zzmzj_preparer", Role.PREPARER, "zzmzj", "民政局填报人"),
    ("reviewer", Role.REVIEWER, None, "财政局审核人"),
    ("admin", Role.ADMINISTRATOR, None, "财政局管理员"),
)


def load_fixture() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@transaction.atomic
def load_demo() -> Report:
    """Create or update the demo departments, accounts, period and report; running it twice changes nothing.
    An existing report is left alone: resetting it is a workflow action (workflow.services.reset_report)."""
    payload = load_fixture()
    sync_reference_data(ExpenseItem, RulePack)
    departments = {
        code: Department.objects.update_or_create(code=code, defaults={"name": name})[0]
        for code, name in DEPARTMENTS
    }
    for username, role, dept_code, full_name in ACCOUNTS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "department": departments.get(dept_code),
                "full_name": full_name,
                "is_staff": role == Role.ADMINISTRATOR,
                "is_superuser": role == Role.ADMINISTRATOR,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    pack = RulePack.objects.get(code=payload["rule_pack"]["code"], version=payload["rule_pack"]["version"])
    period, _ = FilingPeriod.objects.update_or_create(
        year=payload["year"],
        kind=payload.get("kind", FilingKind.DEPARTMENT),
        defaults={"deadline": date(payload["year"] + 1, 4, 30), "rule_pack": pack},
    )
    period.departments.set(departments.values())
    report, created = Report.objects.get_or_create(department=departments["zzxfj"], period=period)
    if created:
        import_report(payload, report=report)
    return report
