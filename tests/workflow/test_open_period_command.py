"""``manage.py open_period``: the same opening as the 填报期 page, for administrators and scripts."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from perfeval.filing.models import FilingPeriod, Indicator, Report, RulePack
from perfeval.workflow.models import AuditAction, AuditEvent
from tests.workflow.helpers import pack_for


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("open_period", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_open_period_command_opens_and_creates_reports_as_the_page_does(approved_2023):
    pack_for(year=2024, region="湖南省株洲市")
    out, _ = run("--year", "2024", "--rule-pack", "hunan-zhuzhou", "--deadline", "2025-05-31")
    period = FilingPeriod.objects.get(year=2024)
    assert period.bureau.code == "zhuzhou"  # the only top-level bureau, by default
    assert (period.deadline.isoformat(), period.rule_pack.version) == ("2025-05-31", 2024)
    assert out.splitlines() == [
        f"已开启 2024 年度填报期（截止 2025-05-31，规则包：{period.rule_pack}）",
        "  zzmzj 株洲市民政局：已创建报告",
        "  zzsfj 株洲市司法局：已创建报告",
        "  zzsfly 株洲市社会福利院：已创建报告",
        "  zzxfj 株洲市信访局：已创建报告",
    ]
    new = Report.objects.get(period=period, department__code="zzxfj")
    assert (new.scorecards.count(), Indicator.objects.filter(scorecard__report=new).count()) == (4, 25)
    opened = AuditEvent.objects.get(action=AuditAction.OPEN_PERIOD)
    assert (opened.actor, opened.details["carry_from"]) == (None, "approved")


def test_open_period_command_refuses_a_pack_of_another_year_without_confirm_pack(approved_2023):
    with pytest.raises(CommandError, match="--confirm-pack"):
        run("--year", "2024")
    assert not FilingPeriod.objects.filter(year=2024).exists()
    out, _ = run("--year", "2024", "--confirm-pack", "--departments", "zzxfj")
    assert FilingPeriod.objects.get(year=2024).rule_pack == approved_2023.period.rule_pack
    assert "zzxfj 株洲市信访局" in out


def test_open_period_command_names_the_pack_problem_on_stderr(approved_2023):
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("open_period", "--year", "2024", stdout=StringIO(), stderr=err)
    assert err.getvalue() == (
        "请核对：规则包「湖南省株洲市 2023 年度（市级部门整体支出绩效自评）」是为 2023 年度制定的，本填报期是 2024 年度\n"
    )


def test_open_period_command_carries_from_the_latest_report(demo_report):
    run("--year", "2024", "--confirm-pack", "--carry-from", "latest", "--departments", "zzxfj")
    new = Report.objects.get(period__year=2024)
    assert Indicator.objects.filter(scorecard__report=new).count() == 25


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2023"], "2023 年度填报期已存在。"),
        (["--year", "1999"], "年度 1999 不在 2000–2100 之间"),
        (
            ["--year", "2024", "--rule-pack", "nope"],
            "没有代码为 nope 的规则包（已有：central-default、hunan-zhuzhou）",
        ),
        (["--year", "2024", "--deadline", "2025-13-01"], "截止日期 '2025-13-01' 不是 YYYY-MM-DD 格式的日期"),
        (["--year", "2024", "--deadline", "2024-12-31"], "截止日期应在该年度结束之后（次年）。"),
        (
            ["--year", "2024", "--carry-from", "newest"],
            "--carry-from 只能是 approved 或 latest，而不是 'newest'",
        ),
        (["--year", "2024", "--departments", "zzxfj", "nope"], "没有这些单位编码：nope"),
        (
            ["--year", "2024", "--user", "zzxfj_preparer", "--confirm-pack"],
            "只有财政局管理员可以开启填报期。",
        ),
        (["--year", "2024", "--user", "nobody"], "没有用户 nobody"),
    ],
)
def test_open_period_command_bad_input_exits_with_a_chinese_message(demo_report, args, message):
    with pytest.raises(CommandError) as refused:
        run(*args)
    assert str(refused.value) == message
    assert not FilingPeriod.objects.filter(year=2024).exists()


def test_open_period_command_without_any_period_needs_a_rule_pack(demo_report):  # the shipped packs as loaded
    Report.objects.all().delete()
    FilingPeriod.objects.all().delete()
    with pytest.raises(CommandError, match="请用 --rule-pack 指定"):
        run("--year", "2024")
    assert RulePack.objects.count() == 2
