"""A province's season of published reports for the portal benchmarks: DEPARTMENTS departments × YEARS years of
published versions, each an open-data payload of tests.synthetic with ten 正文 sections of varied text.

Seeding writes the rows in bulk (reports, snapshots, public versions), not through approval and publication:
what is measured is what reads them (the index, the detector, the pages), and the real write path is tested
in tests/portal. Run inside Django (``seed(...)`` after django.setup()).
"""

import datetime
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from perfeval.rules.packs import HUNAN_ZHUZHOU_2023, rule_pack_from_dict  # noqa: E402
from tests.synthetic import synthetic_payload  # noqa: E402

PACK = rule_pack_from_dict(HUNAN_ZHUZHOU_2023)

TEXT_FIELDS = ("s1_intro", "s1_duties", "s1_organization", "s2_note", "s3_note", "s4_text", "s5_text",
               "s6_overall", "s7_problems", "s8_measures", "s9_application", "s10_other")  # fmt: skip

# Phrases of the genre: every text draws from one vocabulary, as real reports do, with the names, figures and
# places that make two departments' texts differ (two generated paragraphs share ≈ 5 % of their shingles).
_SUBJECTS = ("本单位", "我局", "局机关", "各科室", "下属单位", "财务科", "项目实施单位", "部门党组", "办公室", "业务科室",
             "信访科", "规划科", "执法大队", "服务中心", "监测站", "审批科", "综合股", "后勤保障组")  # fmt: skip
_VERBS = ("严格执行", "进一步加强", "认真落实", "持续完善", "切实强化", "统筹推进", "逐步规范", "全面梳理", "及时调整",
          "积极推动", "着力提升", "扎实开展", "稳步实施", "重点抓好")  # fmt: skip
_OBJECTS = ("预算绩效管理", "资金支出进度", "绩效目标编制", "政府采购流程", "内部控制制度", "项目前期论证", "公用经费支出",
            "三公经费管控", "资产管理制度", "预算执行监控", "绩效自评工作", "专项资金监管", "财务人员培训", "信息公开工作",
            "矛盾纠纷排查", "来信来访办理", "农村道路养护", "河道清淤整治", "社区养老服务", "食品安全抽检", "校舍维修改造",
            "公共文化服务", "森林防火巡查", "城市绿化管护", "就业技能培训", "低保对象核查")  # fmt: skip
_PLACES = (
    "城区",
    "东片",
    "西片",
    "南湖",
    "北山",
    "江滨",
    "高新区",
    "老城",
    "新区",
    "各乡镇",
    "中心城区",
    "工业园",
)
_UNITS = ("项", "次", "人次", "件", "公里", "户", "所", "场")


_TEMPLATES = (
    "{s}在{p}{v}{o}，全年完成{n}{u}，支出{m}万元。",
    "围绕{o}，{s}{v}相关工作，{p}累计投入{m}万元，惠及{n}{u}。",
    "{p}的{o}任务由{s}牵头，年初计划{n}{u}，实际{v}到位。",
    "针对{o}中发现的问题，{s}于{month}月{v}整改措施，涉及资金{m}万元。",
    "{s}把{o}列入年度重点，{v}考核，{p}完成率达到{pct}%。",
)


def sentence(rng: random.Random) -> str:
    return rng.choice(_TEMPLATES).format(
        s=rng.choice(_SUBJECTS), v=rng.choice(_VERBS), o=rng.choice(_OBJECTS), p=rng.choice(_PLACES),
        u=rng.choice(_UNITS), n=rng.randint(2, 9999), m=f"{rng.randint(1, 900)}.{rng.randint(0, 99):02d}",
        month=rng.randint(1, 12), pct=rng.randint(60, 100),
    )  # fmt: skip


def paragraph(rng: random.Random, sentences: int) -> str:
    return "".join(sentence(rng) for _ in range(sentences))


def payload(code: str, year: int, rng: random.Random) -> dict:
    data = synthetic_payload(projects=1, indicators=2, code=code, name=f"基准单位{code}", year=year)
    data["status"] = "published"
    data["text"] = {name: paragraph(rng, rng.randint(3, 6)) for name in TEXT_FIELDS}
    data["projects"][0]["s6_text"] = ""
    return data


def published(data: dict) -> dict:
    """What publication stores: the payload with the figures the rules computed, frozen at approval."""
    from perfeval.rules.payload import report_data
    from perfeval.rules.results import results

    return {**data, "computed": results(report_data(data), PACK)}


def seed(*, departments: int, years: tuple[int, ...], seed_value: int = 13) -> int:
    """Bulk-create the published season; returns the number of public versions."""
    from django.db import transaction

    from perfeval.filing.demo import load_demo
    from perfeval.filing.models import FilingPeriod, Report, Status
    from perfeval.orgs.models import Department, User
    from perfeval.publishing.models import PublishedVersion, ReportSnapshot

    rng = random.Random(seed_value)
    demo = load_demo()
    pack = demo.period.rule_pack
    reviewer = User.objects.get(username="reviewer")
    with transaction.atomic():
        periods = {}
        for year in years:
            periods[year], _ = FilingPeriod.objects.get_or_create(
                bureau=demo.period.bureau,
                year=year,
                defaults={"deadline": datetime.date(year + 1, 4, 30), "rule_pack": pack},
            )
        depts = Department.objects.bulk_create(
            [
                Department(code=f"b{i:05d}", name=f"基准单位b{i:05d}", bureau=demo.period.bureau)
                for i in range(departments)
            ]
        )
        count = 0
        for year in years:
            reports = Report.objects.bulk_create(
                [Report(department=d, period=periods[year], status=Status.PUBLISHED) for d in depts]
            )
            snapshots = ReportSnapshot.objects.bulk_create(
                [
                    ReportSnapshot(report=r, number=1, report_version=1, data={}, data_sha256="")
                    for r in reports
                ]
            )
            versions = []
            for report, snapshot, dept in zip(reports, snapshots, depts, strict=True):
                versions.append(
                    PublishedVersion(
                        report=report,
                        number=1,
                        snapshot=snapshot,
                        department_code=dept.code,
                        department_name=dept.name,
                        year=year,
                        public_data=published(payload(dept.code, year, rng)),
                        public_data_sha256="",
                        public_date=datetime.date(year + 1, 5, 20),
                        published_by=reviewer,
                    )
                )
            PublishedVersion.objects.bulk_create(versions, batch_size=1000)
            count += len(versions)
    return count
