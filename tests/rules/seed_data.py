"""The seed report (株洲市信访局 2023, /work/shared/seed/000_7ec67c2847218110.txt) built by hand, every figure as
published, so the checks can be run against the real mistakes. The Django side may reuse ``seed_report()``.

Choices where the publication is ambiguous:
- indicators are built the way an importer would: operator, number and unit from ``parse_target`` on the
  printed text, a 定性 band from the printed score (``band_of_score``), never from the words;
- the 45 万元 item is one project. Its canonical name is the one 正文 六 gives it,
  「市人民来访接待中心物业管理费」, because 六 is where the project itself is described; 正文 二 calls it
  「株洲市人民来访中心运行经费」, and 附件1 books it under 「2、运行维护经费」 (category "operation").
  六 also says why it has no 附件3 (「绩效不在我单位评价」), so that sentence is its no_scorecard_reason;
- 信访工作经费 (15 万元 追加, 14.93 spent) has no 附件3 and no stated reason; its carryover is not printed;
- the 楼堂馆所 table prints one row of zeros, rates included: kept as a row with reported rates 0;
- 附件2 prints 执行率 98% and 得分 10; 附件3 prints 100% and 10 on the 当年财政拨款 row, total 98.
"""

from decimal import Decimal

from perfeval.rules import data
from perfeval.rules.packs import HUNAN_ZHUZHOU_2023, rule_pack_from_dict
from perfeval.rules.parsing import parse_actual, parse_target
from perfeval.rules.scoring import band_of_score

D = Decimal
DEPARTMENT = "株洲市信访局"
HUNAN = rule_pack_from_dict(HUNAN_ZHUZHOU_2023)

# (ref, level1, level2, 三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施), as printed.
ATT2_INDICATORS = (
    ("ind-1", "output", "quantity", "登记接待群众来访数量", "≥10000", "14630", "4", "4", ""),
    ("ind-2", "output", "quantity", "受理办理网上信访事项数量", "≥3000", "6942", "4", "4", ""),
    ("ind-3", "output", "quantity", "登记办理群众来信数量", "≥1000", "1793", "4", "4", ""),
    ("ind-4", "output", "quantity", "督办信访事项数量", "≥200", "220", "4", "4", ""),
    ("ind-5", "output", "quality", "极端滋事事件发生数", "≤0", "0", "4", "4", ""),
    ("ind-6", "output", "quality", "重大群体性事件发生数", "≤0", "0", "4", "4", ""),
    ("ind-7", "output", "quality", "重大负面舆情发生数", "≤0", "0", "4", "4", ""),
    ("ind-8", "output", "timeliness", "接待群众来访时间", "第一时间", "第一时间", "4", "4", ""),
    ("ind-9", "output", "timeliness", "信访事项及时受理率", "100%", "100%", "4", "4", ""),
    ("ind-10", "output", "timeliness", "信访事项按期办结率", "100%", "100%", "4", "4", ""),
    ("ind-11", "benefit", "economic", "经济发展", "促进", "促进", "5", "5", ""),
    ("ind-12", "benefit", "social", "社会矛盾", "维护", "维护", "5", "5", ""),
    ("ind-13", "benefit", "ecological", "生态环境", "保护", "保护", "5", "5", ""),
    ("ind-14", "benefit", "sustainable", "社会稳定", "化解", "化解", "5", "5", ""),
    ("ind-15", "satisfaction", "beneficiary", "群众满意率", "≥80%", "98%", "10", "10", ""),
    ("ind-16", "cost", "economic_cost", "预算资金", "≤1310.8万元", "1286.3万元", "20", "20", ""),
)

ATT3_INDICATORS = (
    ("ind-17", "output", "quantity", "越级上访人员登记接待", "100%", "100%", "13", "13", ""),
    ("ind-18", "output", "quality", "信访事项办结率", "100%", "100%", "13", "13", ""),
    ("ind-19", "output", "timeliness", "群众来访接待时间", "第一时间", "第一时间", "14", "14", ""),
    ("ind-20", "benefit", "economic", "经济发展", "促进", "促进", "5", "5", ""),
    ("ind-21", "benefit", "social", "社会矛盾", "化解", "化解", "5", "5", ""),
    ("ind-22", "benefit", "ecological", "生态环境", "保护", "保护", "5", "5", ""),
    ("ind-23", "benefit", "sustainable", "社会稳定", "维护", "维护", "5", "5", ""),
    ("ind-24", "satisfaction", "beneficiary", "来访群众满意率", "80%", "98%", "10", "10", ""),
    (
        "ind-25",
        "cost",
        "economic_cost",
        "预算资金控制数",
        "425万元",
        "426.23万元",
        "20",
        "18",
        "上年退单结转2万元",
    ),
)

NOT_APPLICABLE = frozenset({"social_cost", "ecological_cost"})


def indicator_from_text(row: tuple) -> data.Indicator:
    """An indicator as an importer reads it from the printed grid."""
    ref, level1, level2, name, target_text, actual_text, weight, score, reason = row
    target, actual = parse_target(target_text), parse_actual(actual_text)
    return data.Indicator(
        ref=ref,
        level1=level1,
        level2=level2,
        name=name,
        operator=target.operator,
        target_value=target.value,
        target_unit=target.unit,
        target_text=target_text,
        actual_value=actual.value,
        actual_text=actual_text,
        qual_band=band_of_score(D(score), D(weight), HUNAN) if target.operator == "qual" else None,
        weight=D(weight),
        score=D(score),
        deviation_reason=reason,
    )


def _amounts(prior: str | None, budget: str | None, final: str | None) -> data.Amounts:
    return data.Amounts(*(None if value is None else D(value) for value in (prior, budget, final)))


EXPENSES = {
    "sangong": _amounts("25", "25", "24.19"),
    "car": _amounts("24", "24", "23.73"),
    "car_purchase": _amounts("0", "0", "0"),
    "car_operation": _amounts("24", "24", "23.73"),
    "abroad": _amounts("0", "0", "0.46"),
    "reception": _amounts("0.07", "1", "0.46"),
    "projects": _amounts("571.76", "425", "486.16"),
    "business": _amounts("72.04", "0", "14.93"),
    "operation": _amounts("76.87", "0", "45"),
    "special": _amounts("422.85", "425", "426.23"),
    "public": _amounts("141.36", "190.1", "165.53"),
    "office": _amounts("7.6", "30", "22.16"),
    "utilities_travel": _amounts("1.28", "6.12", "3.93"),
    "meetings_training": _amounts("3.44", "5", "4.15"),
    "procurement": _amounts(None, "171.28", "120.07"),  # "——" in the 2022 column
    "basic_adjustment": _amounts(None, "0", "0"),
}

# The 正文 as the report page joins it (perfeval/filing/parts.py): 一 from its three fields, 六 the overall text
# then each project's paragraph, one a line; 二 and 三 as published (the page drafts them from the tables).
SECTIONS = {
    "s1": "株洲市信访局为株洲市人民政府正处级行政单位，主要职责：\n（一）贯彻执行党中央、国务院，省委、省政府和市委、市政府有关信访工作的方针、政策，结合全市实际，拟定全市信访工作的规章、制度和工作要点，并组织实施。\n（二）承办上级机关和领导交办、批办的信访事项，检查、督促、协调处理重大信访问题。\n（三）办理人民群众给市委、市政府和市主要领导同志的来信。\n（四）接待到市委、市政府的群众来访，做好领导同志接待上访群众的服务工作。\n（五）掌握信访工作动态，汇集人民群众的建议、意见，及时提供信访信息，为领导决策服务。\n（六）负责对全市信访工作的检查指导、督查督办；负责信访理论研究和全市信访干部的业务指导。\n（七）会同有关部门，对重大信访事项的渎职失职部门或人员，提出处理意见。\n（八）承办上级交办的其他工作。\n内设科室 6 个：分别为办公室、接访科、办信科、政策法规科、综合督导科，机关党支部（人事科）。下设正科级事业单位两个，分别为市信访接待中心和驻长维稳劝访中心。",
    "s2": "2023 年基本支出 800.14 万元，其中人员经费 634.61 万元，公用经费 165.53 万元。2023 年部门项目支出 486.16 "
    "万元，其中信访维稳工作经费 426.23 万元，株洲市人民来访中心运行经费 45 万元，信访工作经费 14.93 万元。",
    "s3": "我单位无政府性基金预算支出",
    "s4": "我单位无国有资本经营预算支出",
    "s5": "我单位无社会保险基金预算支出",
    "s6": "2023 年，在市委、市政府的坚强领导下，全市信访系统紧紧围绕市委、市政府决策部署，锚定“培育制造名城、建设幸福株洲”美好蓝图，紧扣“贯彻二十大、落实新条例、开创新局面”主线，聚焦“十件实事”，序时推进“清初信初访、查重信重访、化陈年积案”三项重点工作，有力推动了信访工作提质增效、进位争先。省对市目标管理考核获评优秀等次、绩效考核得满分，炎陵获评全国信访工作示范县，炎陵、荷塘、茶陵获评全省信访工作示范县市区（纳入省真抓实干表彰激励），目标管理考核排名及示范县市区达标数均系近五年最好成绩。\n一是强化政治引领，信访格局更加完善。市委常委会、市政府常务会先后 5 次专题研究信访工作，市委曹慧泉书记、市政府陈恢清市长亲力亲为带头践行“四下基层”制度，深入一线下访接访，现场研究解决信访突出问题。其它市级领导坚持“党政同责、一岗双责”，带案下沉督访，领办包案疑难复杂信访事项。市信访联席会议召集人先后 4 次召开全市信访重点工作调度推进会，讲评重点指标完成情况，联名交办重点对象、重点群体，多次以上率下深入重点县市区开展实地督导，层层传导压力。各县市区认真落实县级领导精准预约接访制度，推动信访矛盾风险由末端处置向源头治理转变。市、县两级党政领导干部共下沉接访群众 1832 次，处理解决群众急难愁盼问题 5685 件次。“党委统一领导、政府组织落实、联席会议协调、信访部门推动、各方齐抓共管”的工作格局逐步形成完善。\n二是强化统筹推进，协调机制更加有效。充分发挥信访联席会议统筹协调、整体推进、督促落实机制作用，坚持定期梳理和交办督办重点领域信访突出问题，并以《周访情研判》《重要访情专报》等形式报送市委、政府主要领导和分管领导及事权部门，为市委、市政府科学决策提供参考。强化市信访联席会议 12 个专项工作小组实体化运行，市级以上信访量有 12 个领域实现同比下降，其中 9 个领域下降 10% 以上，牢牢守住了不发生系统性、领域性风险的底线。深入开展“大督查大接访大调研活动”，对督查、调研发现的重点领域、重点问题，分类组织职能部门轮流开展精准预约接访，尤其是加大了对房地产领域信访突出问题的分析研判、防范化解和分类处置力度，推动交付逾期房屋 23139 套。\n三是强化攻坚克难，积案化解更加高质。持续开展“止新化旧、积案清仓”行动，着力推进治理重复信访、化解信访积案常态化长效化。对中央信访联席办交办的三批信访积案全部落实县处级领导包案，实行挂图作战、清单管理、对账销号。对办结后回流的案件和五年以上未化解的疑难复杂案件，以及近三年来进京越级访 5 次以上的个案开展评查、评估，对评为“化解类”的，限时办结，做到有错纠错；评为“无理诉求”和短期无法化解的，形成专业办理意见。\n四是强化源头治理，基层基础更加坚实。以“全国、全省信访工作示范县市区”创建为抓手，以抓实初信初访办理质效提升、“枫桥经验”株洲化落地落实等“十件实事”为载体，扎实开展信访问题源头治理三年攻坚行动，配套出台《全市信访重点工作季度考核奖惩办法（试行）》，设置 500 万元信访工作专项奖励经费按季度考核奖惩兑现，激励基层在化解信访矛盾、提升治理水平等方面补短板、强弱项，尽最大限度将人员吸附在当地、矛盾化解在萌芽。炎陵县信访预防建制在组、矛盾纠纷化解到户，茶陵县“代访”机制服务群众周到贴心，攸县乡贤调解止纷争、矛盾纠纷不出镇，醴陵市初信初访周内毕、矛盾纠纷早解决，渌口区以“三字经”有效化解信访积案，天元区多措并举解决基层老大难问题，芦淞区商事调解助力消除重大隐患，石峰区小网格激发社会治理大格局等 10 余篇源头治理经验获法治日报、工人日报、农民日报、人民信访等中央纸媒推介，荷塘区“四个抓落实”化解信访难题等 7 篇典型做法在湖南日报刊发推介。\n年初预算项目“信访维稳工作经费”425 万元，年中执行调增 0 万元，实际支出 426.23 万元（含上年退单 2 万元），结余结转 0 万元。信访工作总体形势平稳可控，有访必接，有问必答，并按照“三到位一处理”的要求，帮助解决上访人的合理诉求，做好教育疏导等工作，提高上访人的满意率。全年未发生因信访问题引发的大规模聚集上访、极端恶性事件和负面舆情炒作等情况。\n年中追加“市人民来访接待中心物业管理费”，金额 45 万元，实际支出 45 万元，结余结转 0 万元。该经费是市集中办公物业管理，绩效不在我单位评价。\n年中追加信访工作经费 15 万元，实际支出 14.93 万元，主要用于信访法治化改革宣传及信访日常工作开支。为引导群众依法表达诉求，维护社会秩序，在全社会营造办事依法、遇事找法、解决问题用法，化解矛盾靠法提供了良好环境。",
    "s7": "预算编制不够精确，个别项目预算与实际执行出现偏差，主要原因是受政策的不确定性因素影响。",
    "s8": "一是加强内部机构的预算管理意识。明确了预算绩效管理不仅仅是财务部门的工作，所有使用部门均有涉及，财务部门仅仅是绩效管理牵头和核算部门，资金支出的实际绩效成果是由使用资金的部门来完成的，切实提高全员绩效意识。二是细化预算绩效目标设置内容。将预算绩效目标设置与工作目标设置相统筹、相衔接，切实做到绩效目标设置具有较强的可操作性和可实现性。",
    "s9": "无",
    "s10": "无",
}

FOOTER = {"preparer": "刘旅琴", "date": "2024.4.23", "phone": "18373311611", "head": "周胜"}


def department_scorecard() -> data.Scorecard:
    return data.Scorecard(
        ref="att2",
        kind="department",
        title=DEPARTMENT,
        funds={"total": data.FundLine(D("1310.8"), D("1286.3"), D("1286.3"))},
        execution_explanation="",
        indicators=tuple(indicator_from_text(row) for row in ATT2_INDICATORS),
        not_applicable=NOT_APPLICABLE,
        income={"general": D("1286.3"), "gov_fund": D("0"), "non_tax": D("0"), "other": D("0")},
        nature={"basic": D("800.14"), "project": D("486.16")},
        reported_execution_rate=D("98"),
        reported_execution_score=D("10"),
        reported_total_score=D("100"),
    )


def project_scorecard() -> data.Scorecard:
    return data.Scorecard(
        ref="att3-1",
        kind="project",
        title="信访维稳工作经费",
        funds={
            "current": data.FundLine(D("425"), D("426.23"), D("426.23")),
            "carryover": data.FundLine(),
            "other": data.FundLine(),
        },
        execution_explanation="",
        indicators=tuple(indicator_from_text(row) for row in ATT3_INDICATORS),
        not_applicable=NOT_APPLICABLE,
        reported_execution_rate=D("100"),
        reported_execution_score=D("10"),
        reported_total_score=D("98"),
    )


PROJECTS = (
    data.Project(
        ref="project-1",
        name="信访维稳工作经费",
        category="special",
        initial_budget=D("425"),
        adjustment=D("0"),  # 「年中执行调增 0 万元」
        actual_spent=D("426.23"),  # 「含上年退单 2 万元」
        carryover=D("0"),
        names_in_text={},
        scorecard_ref="att3-1",
        no_scorecard_reason="",
    ),
    data.Project(
        ref="project-2",
        name="市人民来访接待中心物业管理费",
        category="operation",
        initial_budget=D("0"),
        adjustment=D("45"),  # 「年中追加」
        actual_spent=D("45"),
        carryover=D("0"),
        names_in_text={"s2": "株洲市人民来访中心运行经费"},
        scorecard_ref=None,
        no_scorecard_reason="该经费是市集中办公物业管理，绩效不在我单位评价。",
    ),
    data.Project(
        ref="project-3",
        name="信访工作经费",
        category="business",
        initial_budget=D("0"),
        adjustment=D("15"),  # 「年中追加信访工作经费 15 万元」
        actual_spent=D("14.93"),
        carryover=None,  # not printed
        names_in_text={},
        scorecard_ref=None,
        no_scorecard_reason="",
    ),
)


def seed_report() -> data.Report:
    return data.Report(
        year=2023,
        department_name=DEPARTMENT,
        staff_quota=32,
        staff_actual=32,
        reported_control_rate=D("100"),
        expenses=dict(EXPENSES),
        special_rows=(data.SpecialRow("special-1", "信访维稳工作经费", _amounts("422.85", "425", "426.23")),),
        buildings=(
            data.BuildingRow(
                ref="building-1",
                name="",
                approved_area=D("0"),
                actual_area=D("0"),
                budget_investment=D("0"),
                actual_investment=D("0"),
                reported_area_rate=D("0"),
                reported_investment_rate=D("0"),
            ),
        ),
        frugality_measures="办公设备购置从严管理，非必要不得购置。",
        personnel_expense=D("634.61"),
        projects=PROJECTS,
        department_scorecard=department_scorecard(),
        project_scorecards=(project_scorecard(),),
        sections=dict(SECTIONS),
        footer=dict(FOOTER),
    )
