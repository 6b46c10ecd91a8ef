from datetime import date

from django.core.management.base import BaseCommand, CommandError

from perfeval.filing.creation import CARRY_APPROVED, CARRY_FROM
from perfeval.filing.models import FilingPeriod, RulePack
from perfeval.orgs.models import Department, FinanceBureau, User
from perfeval.workflow import services


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"截止日期 {value!r} 不是 YYYY-MM-DD 格式的日期") from None


class Command(BaseCommand):
    help = (
        "开启一个填报期并为须填报单位创建报告（与「填报期」页面相同：附件2、每个项目的附件3，"
        "结转各单位上一年度的报告）"
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, type=int, help="填报年度，如 2024")
        parser.add_argument(
            "--bureau",
            metavar="CODE",
            help="开启填报期的财政部门代码；默认为 --user 所属财政部门，否则为唯一的最上级财政部门",
        )
        parser.add_argument(
            "--rule-pack", help="规则包代码（取其最新版本），如 hunan-zhuzhou；默认沿用最近一个填报期的规则包"
        )
        parser.add_argument("--deadline", help="截止日期 YYYY-MM-DD；默认次年 4 月 30 日")
        parser.add_argument(
            "--carry-from",
            default=CARRY_APPROVED,
            help="approved：结转各单位上一年度已审核通过的报告（默认）；latest：结转各单位最新的一份报告（不论状态）",
        )
        parser.add_argument("--departments", nargs="+", metavar="CODE", help="须填报单位的编码；默认全部单位")
        parser.add_argument("--head-confirmation", action="store_true", help="提交前须单位负责人确认")
        parser.add_argument(
            "--confirm-pack", action="store_true", help="规则包为其他年度或地区制定时，确认仍然使用"
        )
        parser.add_argument("--user", help="以哪位财政局管理员的名义开启（记入操作记录）；默认为命令行操作")

    def handle(self, *args, year, rule_pack, deadline, carry_from, departments, head_confirmation, **options):
        if not 2000 <= year <= 2100:
            raise CommandError(f"年度 {year} 不在 2000–2100 之间")
        if carry_from not in CARRY_FROM:
            raise CommandError(f"--carry-from 只能是 approved 或 latest，而不是 {carry_from!r}")
        user = self._user(options["user"])
        bureau = self._bureau(options["bureau"], user)
        pack = self._rule_pack(rule_pack, bureau)
        deadline = _date(deadline) if deadline else date(year + 1, 4, 30)
        if deadline.year <= year:
            raise CommandError("截止日期应在该年度结束之后（次年）。")
        try:
            period = services.open_period(
                user=user,
                bureau=bureau,
                year=year,
                deadline=deadline,
                rule_pack=pack,
                departments=self._departments(departments, bureau),
                requires_head_confirmation=head_confirmation,
                carry_from=carry_from,
                pack_confirmed=options["confirm_pack"],
            )
        except services.RulePackNotConfirmed as exc:
            for warning in exc.warnings:
                self.stderr.write(f"请核对：{warning}")
            raise CommandError("规则包与本填报期不符；确认无误后加 --confirm-pack 再运行") from exc
        except services.WorkflowError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已开启 {period.year} 年度填报期（截止 {period.deadline.isoformat()}，规则包：{period.rule_pack}）"
        )
        for report in period.reports.select_related("department").order_by("department__code"):
            self.stdout.write(f"  {report.department.code} {report.department.name}：已创建报告")

    def _bureau(self, code: str | None, user) -> FinanceBureau:
        if code is not None:
            bureau = FinanceBureau.objects.filter(code=code).first()
            if bureau is None:
                known = "、".join(FinanceBureau.objects.values_list("code", flat=True))
                raise CommandError(f"没有代码为 {code} 的财政部门（已有：{known or '无'}）")
            return bureau
        if user is not None and user.bureau_id is not None:
            return user.bureau
        roots = list(FinanceBureau.objects.filter(parent__isnull=True)[:2])
        if len(roots) != 1:
            raise CommandError("请用 --bureau 指定开启填报期的财政部门")
        return roots[0]

    def _rule_pack(self, code: str | None, bureau) -> RulePack:
        if code is None:
            previous = FilingPeriod.objects.filter(bureau=bureau).order_by("-year").first()
            if previous is None:
                raise CommandError("还没有填报期可沿用规则包，请用 --rule-pack 指定")
            code = previous.rule_pack.code
        pack = RulePack.objects.filter(code=code).order_by("-version").first()
        if pack is None:
            known = "、".join(RulePack.objects.order_by("code").values_list("code", flat=True).distinct())
            raise CommandError(f"没有代码为 {code} 的规则包（已有：{known or '无'}）")
        return pack

    def _departments(self, codes: list[str] | None, bureau):
        if not codes:
            departments = list(Department.objects.filter(bureau=bureau))
            if not departments:
                raise CommandError(f"{bureau.name}还没有任何单位，请先在管理后台添加")
            return departments
        found = {d.code: d for d in Department.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise CommandError(f"没有这些单位编码：{'、'.join(unknown)}")
        return [found[code] for code in codes]

    def _user(self, username: str | None):
        if username is None:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户 {username}")
        return user
