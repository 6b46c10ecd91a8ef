"""Every problem of an open-data payload before any of it is written: shape, bounds (perfeval/filing/bounds.py)
and the few database rules a payload could break (unique project names, 得分 ≤ 分值). Each problem names its
place as a JSON path and the field's Chinese label, so an import can list them all and write nothing."""

from datetime import date
from decimal import Decimal

from perfeval.filing.bounds import bound, problem
from perfeval.filing.models import SIGNED_EXPENSE_ITEM, FundSource, ScorecardKind
from perfeval.rules import catalogue
from perfeval.rules.packs import RulePack

INDICATOR_NUMBERS = ("target_value", "actual_value", "weight", "score")
PROJECT_SOURCES = frozenset(source for source, _ in catalogue.FUND_SOURCES)


class _Collector:
    def __init__(self):
        self.errors: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.errors.append(f"{path}：{message}")

    def value(self, path: str, place: str, value, *, signed: bool = False) -> None:
        message = problem(place, value, signed=signed)
        if message is not None:
            self.add(f"{path}（{bound(place).label}）", message)

    def values(self, source: dict, path: str, model: str, names) -> None:
        for name in names:
            self.value(f"{path}.{name}", f"{model}.{name}", source.get(name))

    def mapping(self, value, path: str) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.add(path, "应为对象（{…}）")
            return {}
        return value

    def sequence(self, value, path: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(path, "应为列表（[…]）")
            return []
        return value

    def rows(self, value, path: str):
        """(path of the row, the row) for each object of a list; anything else is named once."""
        for index, row in enumerate(self.sequence(value, path)):
            if isinstance(row, dict):
                yield f"{path}[{index}]", row
            else:
                self.add(f"{path}[{index}]", "应为对象（{…}）")

    def date(self, value, path: str) -> None:
        if value in (None, ""):
            return
        try:
            date.fromisoformat(value)
        except (TypeError, ValueError):
            self.add(path, f"「{str(value)[:40]}」不是 YYYY-MM-DD 日期")


def _scorecard(c: _Collector, source, path: str, kind: str, pack: RulePack | None) -> None:
    from perfeval.filing import opendata

    card = c.mapping(source, path)
    c.values(
        card, path, "Scorecard", opendata.SCORECARD_TEXTS + opendata.REPORTED_FIELDS + opendata.REPORTED_TEXTS
    )
    if kind == ScorecardKind.DEPARTMENT:
        c.values(
            card, path, "Scorecard", opendata.INCOME_FIELDS + opendata.NATURE_FIELDS + opendata.REVENUE_FIELDS
        )
    allowed = {FundSource.TOTAL} if kind == ScorecardKind.DEPARTMENT else PROJECT_SOURCES
    for source_key, line in c.mapping(card.get("funds"), f"{path}.funds").items():
        if source_key not in allowed:
            c.add(
                f"{path}.funds.{source_key}", f"不是{'附件2' if kind == 'department' else '附件3'}的资金来源"
            )
            continue
        c.values(c.mapping(line, f"{path}.funds.{source_key}"), f"{path}.funds.{source_key}", "FundLine",
                 opendata.FUND_FIELDS)  # fmt: skip
    level2_of = (
        {child.key: level.key for level in pack.skeleton for child in level.children} if pack else None
    )
    for key in c.sequence(card.get("not_applicable"), f"{path}.not_applicable"):
        if not isinstance(key, str) or (level2_of is not None and key not in level2_of):
            c.add(f"{path}.not_applicable", f"「{str(key)[:40]}」不是规则包中的二级指标")
    for where, row in c.rows(card.get("indicators"), f"{path}.indicators"):
        c.values(row, where, "Indicator", opendata.INDICATOR_TEXTS)
        c.values(row, where, "Indicator", ("operator", "qual_band"))
        for name in INDICATOR_NUMBERS:
            c.value(f"{where}.{name}", f"Indicator.{name}", row.get(name), signed=name.endswith("_value"))
        if not row.get("name"):
            c.add(f"{where}.name", "三级指标名称为空")
        level2 = row.get("level2")
        if level2_of is not None and (
            not isinstance(level2, str) or level2_of.get(level2) != row.get("level1")
        ):
            c.add(
                f"{where}.level2", f"「{row.get('level1')} / {row.get('level2')}」不是规则包中的一级/二级指标"
            )
        weight, score = row.get("weight"), row.get("score")
        readable = not any(problem(f"Indicator.{n}", row.get(n)) for n in ("weight", "score"))
        if readable and weight not in (None, "") and score not in (None, ""):
            if Decimal(str(score)) > Decimal(str(weight)):  # the database refuses it (a check constraint)
                c.add(f"{where}.score", f"得分 {score} 超过分值 {weight}")


def _filled(value) -> bool:
    return value not in (None, "", [], {})


def department_parts_given(payload: dict) -> list[tuple[str, str]]:
    """(path, what) of every value ``payload`` gives for a part a project-only filing does not have: 正文,
    人员经费, 附件1 and 附件2. Empty lists, blank texts and null figures are not given."""
    found = []
    for name, value in (payload.get("text") or {}).items() if isinstance(payload.get("text"), dict) else ():
        if _filled(value):
            found.append((f"text.{name}", "正文"))
    if _filled(payload.get("personnel_expense")):
        found.append(("personnel_expense", "人员经费"))

    def walk(value, path: str, what: str):
        if isinstance(value, dict):
            for key, item in value.items():
                yield from walk(item, f"{path}.{key}", what)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(item, f"{path}[{index}]", what)
        elif _filled(value):
            yield path, what

    found += walk(payload.get("attachment1"), "attachment1", "附件1")
    found += walk(payload.get("attachment2"), "attachment2", "附件2")
    return found


def payload_problems(payload, *, pack: RulePack | None = None, kind: str | None = None) -> list[str]:
    """Every problem of ``payload`` (schema perfeval.report/1), each ``path（label）：message``; [] when it
    can be written. With ``pack``, 一级/二级 keys must be the pack's; with ``kind`` (the report's kind of
    filing), the payload must be of that kind, and a project-only filing takes no 正文, 附件1 or 附件2 value."""
    from perfeval.filing import opendata

    c = _Collector()
    if not isinstance(payload, dict):
        return ["文件内容应为一个 JSON 对象"]
    if payload.get("schema") != opendata.SCHEMA:
        c.add("schema", f"不支持的格式：应为 {opendata.SCHEMA}")
    given_kind = payload.get("kind", catalogue.DEPARTMENT_FILING)
    if given_kind not in catalogue.FILING_KIND_LABELS:
        c.add("kind", f"「{str(given_kind)[:40]}」不是填报类别（department 或 project）")
    elif kind is not None and given_kind != kind:
        c.add(
            "kind",
            f"文件是{catalogue.FILING_KIND_LABELS[given_kind]}，本报告是{catalogue.FILING_KIND_LABELS[kind]}",
        )
    project_only = (kind or given_kind) == catalogue.PROJECT_FILING
    if project_only:
        for path, what in department_parts_given(payload):
            c.add(path, f"项目支出绩效自评没有{what}，不能填写")
    c.date(payload.get("cover_date"), "cover_date")
    footer = c.mapping(payload.get("footer"), "footer")
    c.values(footer, "footer", "Report", ("preparer_name", "phone", "head_name"))
    c.date(footer.get("fill_date"), "footer.fill_date")
    text = c.mapping(payload.get("text"), "text")
    for name in sorted(set(text) - set(opendata.TEXT_FIELDS)):
        c.add(f"text.{name}", "不是正文的栏目")
    c.values(text, "text", "Report", opendata.TEXT_FIELDS)
    c.value("personnel_expense", "Report.personnel_expense", payload.get("personnel_expense"))

    att1 = c.mapping(payload.get("attachment1"), "attachment1")
    c.values(att1, "attachment1", "Report", ("staff_quota", "staff_actual", "reported_control_rate",
                                             "frugality_measures"))  # fmt: skip
    for code, values in c.mapping(att1.get("expenses"), "attachment1.expenses").items():
        where = f"attachment1.expenses.{code}"
        if code not in catalogue.EXPENSE_ITEMS_BY_CODE:
            c.add(where, "不是附件1经费控制情况的行")
            continue
        values = c.mapping(values, where)
        for name in opendata.AMOUNT_FIELDS:
            c.value(f"{where}.{name}", f"ExpenseAmount.{name}", values.get(name),
                    signed=code == SIGNED_EXPENSE_ITEM)  # fmt: skip
    for where, row in c.rows(att1.get("special_rows"), "attachment1.special_rows"):
        c.values(row, where, "SpecialRow", ("name", *opendata.AMOUNT_FIELDS))
        if not row.get("name"):
            c.add(f"{where}.name", "专项名称为空")
    for where, row in c.rows(att1.get("buildings"), "attachment1.buildings"):
        c.values(row, where, "BuildingRow", ("name", *opendata.BUILDING_FIELDS))

    if payload.get("attachment2") is not None:
        _scorecard(c, payload["attachment2"], "attachment2", ScorecardKind.DEPARTMENT, pack)
    names = set()
    for where, project in c.rows(payload.get("projects"), "projects"):
        c.values(project, where, "Project", ("name", "category", *opendata.PROJECT_TEXTS))
        for name in opendata.PROJECT_AMOUNTS:
            c.value(f"{where}.{name}", f"Project.{name}", project.get(name))
        if not project.get("name") or not (project.get("category") or project_only):
            c.add(where, "项目名称和类别不能为空")
        elif isinstance(project["name"], str) and project["name"] in names:
            c.add(f"{where}.name", f"项目名称「{str(project['name'])[:40]}」重复：同一报告中项目名称须唯一")
        if isinstance(project.get("name"), str):
            names.add(project["name"])
        if project.get("attachment3") is not None:
            _scorecard(c, project["attachment3"], f"{where}.attachment3", ScorecardKind.PROJECT, pack)
    return c.errors
