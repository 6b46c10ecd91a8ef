"""The write path of the edit pages: keyword-only functions, one transaction each.

Every function claims the report first with a conditional update of its ``version`` (optimistic locking):
the save only goes through when nobody saved since the preparer's page was rendered. The claim is the first
statement of the transaction, so on PostgreSQL a concurrent save waits on the row lock and then finds the
version moved on; nothing of the earlier save is overwritten.
"""

from dataclasses import dataclass, field, replace

from django.db import transaction

from perfeval.editing.models import EditDraft
from perfeval.filing.bounds import document_problem, problem
from perfeval.filing.creation import new_project_scorecard
from perfeval.filing.locking import VersionConflict, claim_version
from perfeval.filing.models import (
    BuildingRow,
    ExpenseAmount,
    FindingExplanation,
    FundLine,
    FundSource,
    Indicator,
    Project,
    Report,
    Scorecard,
    ScorecardKind,
    SpecialRow,
)
from perfeval.filing.parts import reports_with_parts
from perfeval.rules import catalogue, data
from perfeval.rules.scoring import attachment1_computed

CONFLICT_MESSAGE = (
    "保存未成功：在您打开本页之后，其他人已经保存了这份报告。"
    "您刚才填写的内容仍在下面的表单中（尚未保存），对方保存的内容也没有被覆盖。"
    "请先复制需要保留的内容，然后重新加载本页查看最新内容，再重新修改并保存。"
)

REPORT_FIELDS = frozenset(
    {
        "cover_date", "preparer_name", "fill_date", "phone", "head_name",
        "s1_intro", "s1_duties", "s1_organization", "personnel_expense", "s2_note", "s3_note", "s4_text",
        "s5_text", "s6_overall", "s7_problems", "s8_measures", "s9_application", "s10_other",
    }
)  # fmt: skip
STAFF_FIELDS = frozenset({"staff_quota", "staff_actual", "frugality_measures"})
# A scorecard's printed figures, by their 「以计算值为准」 key (the field is ``reported_{key}``).
PRINTED_SCORECARD_FIELDS = (
    "execution_rate", "execution_score", "total_score", "grade", "funds_initial", "funds_full_year",
    "funds_executed",
)  # fmt: skip


class EditConflict(Exception):
    """Someone else saved the report after this page was rendered."""

    def __init__(self):
        super().__init__(CONFLICT_MESSAGE)


class Refused(Exception):
    """The save would store what the report cannot hold; it is rolled back and the message shown."""


class DocumentTooLong(Refused):
    """The saved report would print past the PDF page cap or time limit."""


def _refuse_too_long(report: Report) -> None:
    """Last statement of a save that changes texts or rows: the whole document must still print."""
    message = document_problem(reports_with_parts().get(pk=report.pk))
    if message:
        raise DocumentTooLong(message)


class InvalidRow(Exception):
    """A posted row id that is not a row of this report (tampered or stale form)."""

    def __init__(self):
        super().__init__("表单中的某一行已不属于本报告，请重新加载页面。")


@dataclass(frozen=True)
class RowEdit:
    """One row of a formset: ``id`` None for a new row."""

    id: int | None
    values: dict = field(default_factory=dict)
    delete: bool = False


def _claim(report: Report, *, expected_version: int, user) -> None:
    try:
        claim_version(report, user=user, expected_version=expected_version)
    except VersionConflict:
        raise EditConflict() from None


def _apply_rows(model, existing: dict, rows: list[RowEdit], *, parent: dict, fields: list[str], start=0):
    """Delete, update and create the rows of one formset in three statements at most."""
    known = set(existing)
    if any(row.id is not None and row.id not in known for row in rows):
        raise InvalidRow()
    to_delete = [row.id for row in rows if row.delete and row.id is not None]
    to_update, to_create = [], []
    for position, row in enumerate((row for row in rows if not row.delete), start=start):
        values = {**row.values, "order": position * 10}
        if row.id is None:
            to_create.append(model(**parent, **values))
        else:
            obj = existing[row.id]
            for name, value in values.items():
                setattr(obj, name, value)
            to_update.append(obj)
    if to_delete:
        model.objects.filter(pk__in=to_delete).delete()
    if to_update:
        model.objects.bulk_update(to_update, [*fields, "order"])
    if to_create:
        model.objects.bulk_create(to_create)
    return to_create


@transaction.atomic
def save_report_fields(*, report: Report, expected_version: int, user, values: dict) -> None:
    """Cover, footer and the 正文 texts (everything typed on the report row itself)."""
    unknown = set(values) - REPORT_FIELDS
    if unknown:
        raise ValueError(f"not a text field: {sorted(unknown)}")
    _claim(report, expected_version=expected_version, user=user)
    Report.objects.filter(pk=report.pk).update(**values)
    _refuse_too_long(report)


def accept_key(*parts: str) -> str:
    """The value of a 「以计算值为准」 box: the printed figure the preparer lets the computed one replace
    ("expense:sangong:final", "control_rate", "building:12:area", "execution_rate", "funds_executed" …)."""
    return ":".join(parts)


def _att1_only(expenses: dict[str, data.Amounts], special_rows: tuple[data.SpecialRow, ...]) -> data.Report:
    """A report holding 附件1's amounts alone, for its sums."""
    return data.Report(
        year=0, department_name="", staff_quota=None, staff_actual=None, reported_control_rate=None,
        expenses=expenses, special_rows=special_rows, buildings=(), frugality_measures="",
        personnel_expense=None, projects=(), department_scorecard=None, project_scorecards=(), sections={},
        footer={},
    )  # fmt: skip


def printed_parents(report: Report) -> dict[tuple[str, str], object]:
    """附件1's "sum" cells whose stored figure is not the sum of their rows: what an imported document printed
    there. Saving keeps them (the checks compare them with the parts) until the preparer accepts the sum."""
    columns = ("prior_final", "budget", "final")
    expenses = {
        row["item_id"]: data.Amounts(**{c: row[c] for c in columns})
        for row in ExpenseAmount.objects.filter(report=report).values("item_id", *columns)
    }
    specials = tuple(
        data.SpecialRow(ref=str(row["pk"]), name="", amounts=data.Amounts(**{c: row[c] for c in columns}))
        for row in SpecialRow.objects.filter(report=report).values("pk", *columns)
    )
    sums = attachment1_computed(_att1_only(expenses, specials)).sums
    printed = {}
    for code, computed in sums.items():
        stored = expenses.get(code, data.Amounts())
        for column in ("prior_final", "budget", "final"):
            value = getattr(stored, column)
            if value is not None and value != getattr(computed, column):
                printed[(code, column)] = value
    return printed


def computed_expenses(
    typed: dict[str, data.Amounts], special_rows: list[data.SpecialRow], printed: dict | None = None
) -> dict:
    """Every 附件1 row with each "sum" parent replaced by the sum of its children (nested parents too), except
    the cells in ``printed`` ((code, column) → figure), which keep the printed figure: the sum of a parent
    above adds it as the checks do (each parent against its own rows as they stand)."""
    printed = printed or {}
    amounts = dict(typed)
    plain = _att1_only(amounts, tuple(special_rows))
    depth = max(item.indent for item in catalogue.EXPENSE_ITEMS) + 1
    for _ in range(depth):  # 公务用车 first, then 三公 that adds it
        sums = {
            code: data.Amounts(
                **{c: printed.get((code, c), getattr(values, c)) for c in ("prior_final", "budget", "final")}
            )
            for code, values in attachment1_computed(plain).sums.items()
        }
        amounts = {**amounts, **sums}
        plain = replace(plain, expenses=amounts)
    return amounts


@transaction.atomic
def save_attachment1(
    *,
    report: Report,
    expected_version: int,
    user,
    staff: dict,
    expenses: dict[str, dict],
    special_rows: list[RowEdit],
    buildings: list[RowEdit],
    accept_computed: frozenset[str] = frozenset(),
) -> None:
    """附件1: staffing, the typed catalogue rows (parents are stored as computed sums), 专项, 楼堂馆所.

    A figure an imported document printed in a computed place (a 合计 that is not the sum of its rows, the
    控制率, a 楼堂馆所 rate) is never replaced silently: it stays, and the checks keep comparing it with the
    computed one, until the preparer corrects a row so that both agree or ticks 「以计算值为准」 for it
    (``accept_computed``, keys of :func:`accept_key`).
    """
    if set(staff) - STAFF_FIELDS:
        raise ValueError("not a staffing field")
    _claim(report, expected_version=expected_version, user=user)
    printed = {
        cell: value
        for cell, value in printed_parents(report).items()
        if accept_key("expense", *cell) not in accept_computed
    }
    cleared = {"reported_control_rate": None} if "control_rate" in accept_computed else {}
    Report.objects.filter(pk=report.pk).update(**staff, **cleared)

    amount_fields = ["prior_final", "budget", "final"]
    _apply_rows(
        SpecialRow,
        {row.pk: row for row in SpecialRow.objects.filter(report=report)},
        special_rows,
        parent={"report": report},
        fields=["name", *amount_fields],
    )
    existing_buildings = {row.pk: row for row in BuildingRow.objects.filter(report=report)}
    building_rows = []
    for row in buildings:
        old = existing_buildings.get(row.id)
        rates = {
            name: None
            if old is None or accept_key("building", str(row.id), key) in accept_computed
            else getattr(old, name)
            for key, name in (("area", "reported_area_rate"), ("investment", "reported_investment_rate"))
        }
        building_rows.append(replace(row, values={**row.values, **rates}))
    _apply_rows(
        BuildingRow,
        existing_buildings,
        building_rows,
        parent={"report": report},
        fields=[
            "name", "approved_area", "actual_area", "budget_investment", "actual_investment",
            "reported_area_rate", "reported_investment_rate",
        ],
    )  # fmt: skip

    typed = {
        item.code: data.Amounts(**expenses.get(item.code, {}))
        for item in catalogue.EXPENSE_ITEMS
        if item.children_rule != "sum"
    }
    specials = [
        data.SpecialRow(
            ref=str(row.pk), name=row.name, amounts=data.Amounts(row.prior_final, row.budget, row.final)
        )
        for row in SpecialRow.objects.filter(report=report)
    ]
    amounts = computed_expenses(typed, specials, printed)
    existing = {row.item_id: row for row in ExpenseAmount.objects.filter(report=report)}
    to_update, to_create = [], []
    for item in catalogue.EXPENSE_ITEMS:
        values = amounts.get(item.code, data.Amounts())
        if item.children_rule == "sum":
            # A parent is stored as the sum of its children, which may exceed what one amount may be.
            for column in amount_fields:
                message = problem(f"ExpenseAmount.{column}", getattr(values, column))
                if message is not None:
                    raise Refused(f"附件1 · {item.label}（合计）：{message}，请核对其下各行金额")
        row = existing.get(item.code) or ExpenseAmount(report=report, item_id=item.code)
        row.prior_final = values.prior_final if item.has_prior else None
        row.budget, row.final = values.budget, values.final
        (to_update if row.pk else to_create).append(row)
    ExpenseAmount.objects.bulk_update(to_update, amount_fields)
    ExpenseAmount.objects.bulk_create(to_create)
    _refuse_too_long(report)


@transaction.atomic
def save_scorecard(
    *,
    report: Report,
    scorecard: Scorecard,
    expected_version: int,
    user,
    header: dict,
    funds: dict[str, dict],
    not_applicable: list[str],
    indicators: list[RowEdit],
    accept_computed: frozenset[str] = frozenset(),
) -> None:
    """附件2 or one 附件3: header, goals, budget block, 附件2 breakdowns and 收入, 不适用, the indicator rows.

    The figures an imported document printed where the system computes them (执行率, its score, 总分, 等级,
    附件3's 年度资金总额) stay until the preparer ticks 「以计算值为准」 for one (``accept_computed``: the field
    name without ``reported_``); the page shows each beside the computed value and the checks compare them.
    """
    if scorecard.report_id != report.pk:
        raise InvalidRow()
    _claim(report, expected_version=expected_version, user=user)
    cleared = {
        f"reported_{key}": "" if key == "grade" else None
        for key in PRINTED_SCORECARD_FIELDS
        if key in accept_computed
    }
    Scorecard.objects.filter(pk=scorecard.pk).update(**header, not_applicable=list(not_applicable), **cleared)
    allowed = (
        {FundSource.TOTAL}
        if scorecard.kind == ScorecardKind.DEPARTMENT
        else {s for s, _ in catalogue.FUND_SOURCES}
    )
    lines = {line.source: line for line in FundLine.objects.filter(scorecard=scorecard)}
    for source, values in funds.items():
        if source not in allowed:
            raise InvalidRow()
        line = lines.get(source) or FundLine(scorecard=scorecard, source=source)
        for name, value in values.items():
            setattr(line, name, value)
        line.save()
    _apply_rows(
        Indicator,
        {row.pk: row for row in Indicator.objects.filter(scorecard=scorecard)},
        indicators,
        parent={"scorecard": scorecard},
        fields=[
            "level1", "level2", "name", "operator", "target_value", "target_unit", "target_text",
            "actual_value", "actual_text", "qual_band", "weight", "score", "deviation_reason",
        ],
    )  # fmt: skip
    _refuse_too_long(report)


@transaction.atomic
def save_projects(*, report: Report, expected_version: int, user, projects: list[RowEdit]) -> None:
    """Add, change and remove projects; ``values["with_scorecard"]`` gives a project its 附件3 or drops it."""
    _claim(report, expected_version=expected_version, user=user)
    existing = {p.pk: p for p in Project.objects.filter(report=report).select_related("scorecard")}
    wanted = {}
    rows = []
    for row in projects:
        values = dict(row.values)
        wanted_card = values.pop("with_scorecard", False)
        rows.append(replace(row, values=values))
        if not row.delete:
            wanted[row.id if row.id is not None else values["name"]] = wanted_card
    # Deleting first lets a new or renamed project take the name of a removed one.
    Project.objects.filter(pk__in=[r.id for r in rows if r.delete and r.id is not None]).delete()
    created = _apply_rows(
        Project,
        existing,
        [r for r in rows if not r.delete],
        parent={"report": report},
        fields=[
            "name", "category", "initial_budget", "adjustment", "actual_spent", "carryover", "name_in_s2",
            "name_in_s6", "s6_text", "no_scorecard_reason",
        ],
    )  # fmt: skip
    for project in created:
        if wanted.get(project.name):
            new_project_scorecard(report=report, project=project)
    for row in rows:
        if row.delete or row.id is None:
            continue
        project = existing[row.id]
        has_card = hasattr(project, "scorecard")
        if wanted[row.id] and not has_card:
            new_project_scorecard(report=report, project=project)
        elif not wanted[row.id] and has_card:
            project.scorecard.delete()
    _refuse_too_long(report)


@transaction.atomic
def save_explanations(
    *, report: Report, expected_version: int, user, explanations: dict[tuple[str, str], str]
):
    """The preparer's explanation of each warning, keyed by (finding code, place key); blank deletes it."""
    _claim(report, expected_version=expected_version, user=user)
    existing = {(e.code, e.place): e for e in FindingExplanation.objects.filter(report=report)}
    for (code, place), text in explanations.items():
        text = (text or "").strip()
        row = existing.get((code, place))
        if not text:
            if row is not None:
                row.delete()
        elif row is None:
            FindingExplanation.objects.create(report=report, code=code, place=place, text=text)
        elif row.text != text:
            row.text = text
            row.save(update_fields=["text", "updated_at"])


# ---------------------------------------------------------------- 暂存 (drafts)

# The request's own limits (DATA_UPLOAD_MAX_MEMORY_SIZE, DATA_UPLOAD_MAX_NUMBER_FIELDS) bound a draft's size.
NOT_DRAFTED = frozenset({"csrfmiddlewaretoken"})


def keep_draft(*, report: Report, user, part: str, fields: dict[str, list[str]]) -> None:
    """Store the posted fields of one tab as the user's draft, replacing the one before."""
    fields = {name: values for name, values in fields.items() if name not in NOT_DRAFTED}
    EditDraft.objects.update_or_create(report=report, user=user, part=part, defaults={"fields": fields})


def draft_fields(*, report: Report, user, part: str) -> dict[str, list[str]] | None:
    draft = EditDraft.objects.filter(report=report, user=user, part=part).values_list("fields", flat=True)
    return next(iter(draft), None)


def discard_draft(*, report: Report, user, part: str) -> None:
    EditDraft.objects.filter(report=report, user=user, part=part).delete()
