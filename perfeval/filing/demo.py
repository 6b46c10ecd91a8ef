"""The demo: the published 2023 report of 株洲市信访局 (fixtures/zzxfj-2023.json), its period and accounts;
two finance bureaus (株洲市财政局 and 株洲市芦淞区财政局 below it), each with its 2023 period and reviewer; and a
unit (株洲市社会福利院) under a 主管部门 (株洲市民政局), whose reviewer sees the unit's report first. The demo
report is the demo's one report: the administrator creates the others' drafts (the period's admin action, or
``open_period`` for the next year)."""

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from perfeval.filing.models import ExpenseItem, FilingPeriod, Report, RulePack
from perfeval.filing.opendata import import_report
from perfeval.filing.reference import sync_reference_data
from perfeval.orgs.models import BureauLevel, Department, FinanceBureau, Role, User

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "zzxfj-2023.json"
DEMO_PASSWORD = "perfeval-demo"

CITY, DISTRICT = "zhuzhou", "zhuzhou-lusong"
BUREAUS = (
    # code, name, level, parent code, region
    (CITY, "株洲市财政局", BureauLevel.CITY, None, "湖南省株洲市"),
    (DISTRICT, "株洲市芦淞区财政局", BureauLevel.COUNTY, CITY, "湖南省株洲市芦淞区"),
)
DEPARTMENTS = (
    # code, name, bureau code, 主管部门 code
    ("zzxfj", "株洲市信访局", CITY, None),
    ("zzmzj", "株洲市民政局", CITY, None),
    ("zzsfj", "株洲市司法局", CITY, None),
    ("zzsfly", "株洲市社会福利院", CITY, "zzmzj"),
    ("lsjyj", "株洲市芦淞区教育局", DISTRICT, None),
)
ACCOUNTS = (
    # username, role, department code, bureau code, full name
    ("zzxfj_preparer", Role.PREPARER, "zzxfj", None, "刘旅琴"),
    ("zzxfj_head", Role.HEAD, "zzxfj", None, "周胜"),
    ("zzmzj_preparer", Role.PREPARER, "zzmzj", None, "民政局填报人"),
    ("zzsfly_preparer", Role.PREPARER, "zzsfly", None, "福利院填报人"),
    ("zzmzj_supervisor", Role.SUPERVISOR, "zzmzj", None, "民政局主管部门审核人"),
    ("reviewer", Role.REVIEWER, None, CITY, "财政局审核人"),
    ("admin", Role.ADMINISTRATOR, None, CITY, "财政局管理员"),
    ("lusong_reviewer", Role.REVIEWER, None, DISTRICT, "芦淞区财政局审核人"),
)


def load_fixture() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@transaction.atomic
def load_demo() -> Report:
    """Create or update the demo departments, accounts, period and report; running it twice changes nothing.
    An existing report is left alone: resetting it is a workflow action (workflow.services.reset_report)."""
    payload = load_fixture()
    sync_reference_data(ExpenseItem, RulePack)
    bureaus = {}
    for code, name, level, parent, region in BUREAUS:
        bureaus[code] = FinanceBureau.objects.update_or_create(
            code=code,
            defaults={"name": name, "level": level, "parent": bureaus.get(parent), "region": region},
        )[0]
    departments = {}
    for code, name, bureau, parent in DEPARTMENTS:
        departments[code] = Department.objects.update_or_create(
            code=code, defaults={"name": name, "bureau": bureaus[bureau], "parent": departments.get(parent)}
        )[0]
    for username, role, dept_code, bureau_code, full_name in ACCOUNTS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "department": departments.get(dept_code),
                "bureau": bureaus.get(bureau_code),
                "full_name": full_name,
                "is_staff": role == Role.ADMINISTRATOR,
                "is_superuser": role == Role.ADMINISTRATOR,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    pack = RulePack.objects.get(code=payload["rule_pack"]["code"], version=payload["rule_pack"]["version"])
    periods = {}
    for code, bureau in bureaus.items():
        periods[code], _ = FilingPeriod.objects.update_or_create(
            bureau=bureau,
            year=payload["year"],
            defaults={"deadline": date(payload["year"] + 1, 4, 30), "rule_pack": pack},
        )
        periods[code].departments.set([d for d in departments.values() if d.bureau_id == bureau.pk])
    report, created = Report.objects.get_or_create(department=departments["zzxfj"], period=periods[CITY])
    if created:
        import_report(payload, report=report)
    return report
