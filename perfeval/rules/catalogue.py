"""附件1's fixed rows and the official labels: the one place these strings live."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ExpenseItem:
    code: str
    label: str
    parent: str | None
    order: int
    # "sum": the row equals the sum of its children; "subset": children are 其中 rows whose sum ≤ the row.
    children_rule: str | None = None
    # False where the official table prints "——" in the {年−1}年决算数 column.
    has_prior: bool = True
    indent: int = 0


EXPENSE_ITEMS: tuple[ExpenseItem, ...] = (
    ExpenseItem("sangong", "三公经费", None, 10, "sum"),
    ExpenseItem("car", "1、公务用车购置和维护经费", "sangong", 20, "sum", indent=1),
    ExpenseItem("car_purchase", "其中：公车购置", "car", 30, indent=2),
    ExpenseItem("car_operation", "公车运行维护", "car", 40, indent=2),
    ExpenseItem("abroad", "2、出国经费", "sangong", 50, indent=1),
    ExpenseItem("reception", "3、公务接待", "sangong", 60, indent=1),
    ExpenseItem("projects", "项目支出：", None, 70, "sum"),
    ExpenseItem("business", "1、业务工作经费", "projects", 80, indent=1),
    ExpenseItem("operation", "2、运行维护经费", "projects", 90, indent=1),
    # Its children are the free 专项 rows of the report, not catalogue rows.
    ExpenseItem("special", "3、市级专项资金", "projects", 100, "sum", indent=1),
    ExpenseItem("public", "公用经费", None, 110, "subset"),
    ExpenseItem("office", "其中：办公经费", "public", 120, indent=1),
    ExpenseItem("utilities_travel", "水费、电费、差旅费", "public", 130, indent=1),
    ExpenseItem("meetings_training", "会议费、培训费", "public", 140, indent=1),
    ExpenseItem("procurement", "政府采购金额", None, 150, has_prior=False),
    ExpenseItem("basic_adjustment", "部门基本支出预算调整", None, 160, has_prior=False),
)
EXPENSE_ITEMS_BY_CODE = {item.code: item for item in EXPENSE_ITEMS}

# 附件1 column keys and their headers ({year} is the report's year).
EXPENSE_COLUMNS = (
    ("prior_final", "{prior_year}年决算数"),
    ("budget", "{year}年预算数"),
    ("final", "{year}年决算数"),
)

PROJECT_CATEGORIES = (
    ("business", "业务工作经费"),
    ("operation", "运行维护经费"),
    ("special", "市级专项资金"),
)

# 附件3 budget block rows, in print order; 年度资金总额 is their sum and is never typed.
FUND_SOURCES = (
    ("current", "其中：当年财政拨款"),
    ("carryover", "上年结转资金"),
    ("other", "其他资金"),
)
FUND_COLUMNS = (("initial", "年初预算数"), ("full_year", "全年预算数"), ("executed", "全年执行数"))

# 附件2 breakdowns of 全年执行数.
INCOME_KINDS = (
    ("general", "一般公共预算"),
    ("gov_fund", "政府性基金拨款"),
    ("non_tax", "纳入专户管理的非税收入拨款"),
    ("other", "其他资金"),
)
NATURE_KINDS = (("basic", "基本支出"), ("project", "项目支出"))
# 附件2 收入 of the year (the income side): 全年执行数 cannot exceed their sum.
REVENUE_KINDS = (("fiscal", "财政拨款收入"), ("carryover", "上年结转"), ("other", "其他收入"))

OPERATORS = (("ge", "≥"), ("le", "≤"), ("eq", "="), ("qual", "定性"))
QUAL_BANDS = (("achieved", "达成"), ("partial", "部分达成"), ("missed", "未达成"))

# 正文: the ten fixed sections, titles exactly as the official template prints them.
SECTIONS = (
    ("s1", "一、部门（单位）基本情况"),
    ("s2", "二、一般公共预算支出情况"),
    ("s3", "三、政府性基金预算支出情况"),
    ("s4", "四、国有资本经营预算支出情况"),
    ("s5", "五、社会保险基金预算支出情况"),
    ("s6", "六、资金使用及绩效情况（包含单位管理的公共专项）"),
    ("s7", "七、存在的问题及原因分析"),
    ("s8", "八、下一步改进措施"),
    ("s9", "九、部门整体支出绩效自评结果拟应用和公开情况"),
    ("s10", "十、其他需要说明的情况"),
)

# Sections whose text the document drafts from the tables (the preparer may add to it): never empty.
DERIVED_SECTIONS = frozenset({"s2", "s3"})

# What a filing period asks for (domain.md §7): the 部门整体 report (正文 + 附件1/2/3) or 项目支出绩效自评 on its
# own (one 附件3-shaped 项目支出绩效自评表 per project, nothing of the 部门整体 parts).
DEPARTMENT_FILING, PROJECT_FILING = "department", "project"
FILING_KINDS = (
    (DEPARTMENT_FILING, "部门整体支出绩效自评"),
    (PROJECT_FILING, "项目支出绩效自评"),
)
FILING_KIND_LABELS = dict(FILING_KINDS)

ATTACHMENT_TITLES = {
    "att1": "{year}年度部门（单位）整体支出绩效评价基础数据表",
    "att2": "{year}年度部门（单位）整体支出绩效自评表",
    "att3": "{year}年度项目支出绩效自评表",
}

ATT1_FOOTNOTE = (
    "说明：“项目支出”需要填报基本支出以外的所有项目支出情况，“公用经费”填报基本支出中的一般商品和服务支出。"
)
