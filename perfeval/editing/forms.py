"""Forms of the edit pages. They shape input and call the rules for validation; the rules live in
perfeval/rules. Grids are plain forms with a hidden ``id`` so a page saves in a fixed number of queries."""

from decimal import Decimal
from functools import cache

from crispy_forms.helper import FormHelper
from django import forms
from django.core.validators import MaxLengthValidator

from perfeval.filing.bounds import BoundValidator, bound, problem
from perfeval.filing.models import SIGNED_EXPENSE_ITEM, ProjectCategory, Report
from perfeval.filing.presentation import amount
from perfeval.rules import catalogue, data, labels
from perfeval.rules.decimals import decimal_text, fmt_amount
from perfeval.rules.parsing import resolve_actual, resolve_target
from perfeval.rules.scoring import rule_score

INPUT = "form-control form-control-sm"
SELECT = "form-select form-select-sm"


class AmountInput(forms.TextInput):
    """A stored amount as the document prints it (32.000000 → 32.00, 126.357 → 126.357): the database keeps six
    places, the preparer typed two. What was typed into a bound form shows as typed."""

    def format_value(self, value):
        if isinstance(value, Decimal):
            return amount(decimal_text(value))
        return super().format_value(value)


def amount_field(
    place, label="", *, signed=False, invalid="请输入数字（单位万元），例如 24.19", widget=AmountInput
):
    """A number field checked by the bounds of ``place`` alone (perfeval/filing/bounds.py: digits, decimals,
    range), so a form says what the import says about the same value."""
    return forms.DecimalField(
        label=label,
        required=False,
        validators=[BoundValidator(place, signed=signed)],
        error_messages={"invalid": invalid},
        widget=widget(attrs={"class": f"{INPUT} text-end", "inputmode": "decimal"}),
    )


def count_field(place, label):
    return forms.IntegerField(
        label=label,
        required=False,
        validators=[BoundValidator(place)],
        error_messages={"invalid": "请输入整数人数"},
        widget=forms.TextInput(attrs={"class": f"{INPUT} text-end", "inputmode": "numeric"}),
    )


# Text fields carry no HTML maxlength: a browser cuts a longer paste silently, while the bounds refuse it
# with a message and the whole text stays in the form.
def text_input(place, **attrs):
    return forms.CharField(
        required=False,
        validators=[BoundValidator(place)],
        widget=forms.TextInput(attrs={"class": INPUT, **attrs}),
    )


def textarea(place, rows=3):
    return forms.CharField(
        required=False,
        validators=[BoundValidator(place)],
        widget=forms.Textarea(attrs={"class": INPUT, "rows": rows}),
    )


def name_field(place, required_message):
    return forms.CharField(
        validators=[BoundValidator(place)],
        error_messages={"required": required_message},
        widget=forms.TextInput(attrs={"class": INPUT}),
    )


def bound_model_fields(form, model_name: str) -> None:
    """A ModelForm's text fields checked by the bounds alone (same message as every other path)."""
    for name, field in form.fields.items():
        if isinstance(field, forms.CharField) and field.max_length is not None:
            field.max_length = None
            field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
            field.validators.append(BoundValidator(f"{model_name}.{name}"))
            field.widget.attrs.pop("maxlength", None)


def name_cells(form, row: str, columns: dict[str, str]) -> None:
    """Give each grid cell the name a sighted reader reads off the grid's edges, its row and its column
    (「其中：办公经费 · 2023年决算数」): a cell in a table has no <label>, and a screen reader would
    otherwise announce only 「编辑文本」."""
    form.row_label = row  # the formset names the 删除 box it adds after __init__ (RowFormSet.add_fields)
    for name, column in columns.items():
        if name in form.fields:
            form.fields[name].widget.attrs["aria-label"] = labels.join(row, column)


class VersionForm(forms.Form):
    """The report version the page was rendered from (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def make_read_only(*forms_or_formsets):
    for item in forms_or_formsets:
        for form in getattr(item, "forms", [item]):
            for field in form.fields.values():
                field.disabled = True


class CoverForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["cover_date", "preparer_name", "fill_date", "phone", "head_name"]
        widgets = {
            "cover_date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "fill_date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        }
        error_messages = {
            "cover_date": {"invalid": "请输入日期，例如 2024-03-15"},
            "fill_date": {"invalid": "请输入日期，例如 2024-03-15"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        bound_model_fields(self, "Report")
        for name, field in self.fields.items():
            field.widget.attrs["id"] = f"p-footer-{name}" if name != "cover_date" else "p-cover-cover_date"
        self.fields["preparer_name"].widget.attrs["id"] = "p-footer-preparer"
        self.fields["fill_date"].widget.attrs["id"] = "p-footer-date"
        self.fields["head_name"].widget.attrs["id"] = "p-footer-head"


TEXT_SECTION_FIELDS = {
    "s1": ["s1_intro", "s1_duties", "s1_organization"],
    "s2": ["personnel_expense", "s2_note"],
    "s3": ["s3_note"],
    "s4": ["s4_text"],
    "s5": ["s5_text"],
    "s6": ["s6_overall"],
    "s7": ["s7_problems"],
    "s8": ["s8_measures"],
    "s9": ["s9_application"],
    "s10": ["s10_other"],
}


class TextForm(forms.ModelForm):
    personnel_expense = amount_field("Report.personnel_expense", "人员经费（万元）")

    class Meta:
        model = Report
        fields = [name for names in TEXT_SECTION_FIELDS.values() for name in names]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for names in TEXT_SECTION_FIELDS.values()
            for name in names
            if name != "personnel_expense"
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_model_fields(self, "Report")
        for section, names in TEXT_SECTION_FIELDS.items():
            # The first field of a section carries the section's anchor (findings point at a whole section).
            self.fields[names[-1]].widget.attrs["id"] = f"p-text-{section}"
        self.fields["personnel_expense"].widget.attrs["id"] = "p-text-s2-personnel_expense"


# ---------------------------------------------------------------- 附件1


class StaffForm(forms.Form):
    staff_quota = count_field("Report.staff_quota", "编制数")
    staff_actual = count_field("Report.staff_actual", "实际在职人数")
    frugality_measures = textarea("Report.frugality_measures", 4)

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        name_cells(self, "财政供养人员情况", {k: labels.column(v, year) for k, v in labels.STAFF.items()})
        name_cells(self, "附件1", {"frugality_measures": labels.FRUGALITY})
        self.fields["staff_quota"].widget.attrs["id"] = "p-att1-staff-staff_quota"
        self.fields["staff_actual"].widget.attrs["id"] = "p-att1-staff-staff_actual"
        self.fields["frugality_measures"].widget.attrs["id"] = "p-att1-frugality"


AMOUNT_COLUMNS = [key for key, _ in catalogue.EXPENSE_COLUMNS]


def typed_columns(item: catalogue.ExpenseItem) -> list[str]:
    return [column for column in AMOUNT_COLUMNS if column != "prior_final" or item.has_prior]


def _grid_cells() -> list[tuple[str, catalogue.ExpenseItem, str]]:
    """(field name, item, column) of each typed cell of 经费控制情况."""
    return [
        (f"{item.code}__{column}", item, column)
        for item in catalogue.EXPENSE_ITEMS
        if item.children_rule != "sum"
        for column in typed_columns(item)
    ]


def _grid_field(item: catalogue.ExpenseItem, column: str) -> forms.Field:
    return amount_field(f"ExpenseAmount.{column}", signed=item.code == SIGNED_EXPENSE_ITEM)


class ExpenseGridForm(forms.Form):
    """The typed cells of 附件1 经费控制情况: ``{code}__{column}``; "sum" parents are computed, never typed."""

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        for name, item, column in _grid_cells():
            field = _grid_field(item, column)
            field.widget.attrs["id"] = f"p-att1-{item.code}-{column}"
            field.widget.attrs["aria-label"] = labels.join(
                item.label, labels.column(labels.AMOUNT_COLUMNS[column], year)
            )
            self.fields[name] = field

    @staticmethod
    @cache
    def cell_fields() -> dict[str, forms.Field]:
        """Each typed cell's field as the form declares it, without a year's labels: how a live recompute
        cleans the cells without building the form. Shared: never changed."""
        return {name: _grid_field(item, column) for name, item, column in _grid_cells()}

    @staticmethod
    def initial_for(expenses) -> dict:
        return {f"{e.item_id}__{column}": getattr(e, column) for e in expenses for column in AMOUNT_COLUMNS}

    def expenses(self) -> dict[str, dict]:
        result: dict[str, dict] = {}
        for name, value in self.cleaned_data.items():
            code, column = name.split("__")
            result.setdefault(code, {})[column] = value
        return result


class RowForm(forms.Form):
    """A formset row with its database id (blank for a new row)."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    anchor_row = None  # e.g. "att1-special": fields of a stored row get ids p-att1-special:{id}-{field}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        row_id = self.initial.get("id")
        if self.anchor_row and row_id:
            for name, field in self.fields.items():
                if name != "id":
                    field.widget.attrs["id"] = f"p-{self.anchor_row}:{row_id}-{name}"

    def values(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name not in ("id", "DELETE")}


class SpecialRowForm(RowForm):
    anchor_row = "att1-special"
    name = name_field("SpecialRow.name", "请填写专项名称")
    prior_final = amount_field("SpecialRow.prior_final")
    budget = amount_field("SpecialRow.budget")
    final = amount_field("SpecialRow.final")

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        row = self.initial.get("name") or "新增专项"
        name_cells(self, row, {"name": "专项名称"})
        name_cells(self, row, {k: labels.column(v, year) for k, v in labels.AMOUNT_COLUMNS.items()})


AREA = {"invalid": "请输入面积（平方米）"}


class BuildingRowForm(RowForm):
    anchor_row = "att1-building"
    name = text_input("BuildingRow.name")
    approved_area = amount_field("BuildingRow.approved_area", **AREA)
    actual_area = amount_field("BuildingRow.actual_area", **AREA)
    budget_investment = amount_field("BuildingRow.budget_investment")
    actual_investment = amount_field("BuildingRow.actual_investment")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        row = labels.join("楼堂馆所", self.initial.get("name") or "新增行")
        name_cells(self, row, {**labels.BUILDING_COLUMNS})


class RowFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            name_cells(form, getattr(form, "row_label", "本行"), {"DELETE": "删除"})

    def rows(self):
        from perfeval.editing.services import RowEdit

        edits = []
        for form in self.forms:
            if not form.has_changed() and not form.initial:
                continue  # an untouched blank row
            deleted = self.can_delete and self._should_delete_form(form)
            row_id = form.cleaned_data.get("id") if not deleted else form.initial.get("id")
            edits.append(RowEdit(id=row_id, values={} if deleted else form.values(), delete=deleted))
        return edits


SpecialRowFormSet = forms.formset_factory(SpecialRowForm, formset=RowFormSet, extra=0, can_delete=True)
BuildingRowFormSet = forms.formset_factory(BuildingRowForm, formset=RowFormSet, extra=0, can_delete=True)


# ---------------------------------------------------------------- 附件2 / 附件3


class ScorecardHeaderForm(forms.Form):
    competent_department = text_input("Scorecard.competent_department")
    implementing_unit = text_input("Scorecard.implementing_unit")
    goal_expected = textarea("Scorecard.goal_expected", 4)
    goal_actual = textarea("Scorecard.goal_actual", 4)
    execution_explanation = textarea("Scorecard.execution_explanation", 2)
    income_general = amount_field("Scorecard.income_general", "一般公共预算")
    income_gov_fund = amount_field("Scorecard.income_gov_fund", "政府性基金拨款")
    income_non_tax = amount_field("Scorecard.income_non_tax", "纳入专户管理的非税收入拨款")
    income_other = amount_field("Scorecard.income_other", "其他资金")
    nature_basic = amount_field("Scorecard.nature_basic", "基本支出")
    nature_project = amount_field("Scorecard.nature_project", "项目支出")
    revenue_fiscal = amount_field("Scorecard.revenue_fiscal", "财政拨款收入")
    revenue_carryover = amount_field("Scorecard.revenue_carryover", "上年结转")
    revenue_other = amount_field("Scorecard.revenue_other", "其他收入")

    DEPARTMENT_ONLY = ("income_general", "income_gov_fund", "income_non_tax", "income_other", "nature_basic",
                       "nature_project", "revenue_fiscal", "revenue_carryover", "revenue_other")  # fmt: skip
    PROJECT_ONLY = ("competent_department", "implementing_unit")

    @classmethod
    def field_names(cls, kind: str) -> tuple[str, ...]:
        """The fields of a scorecard of this kind: a 附件2 has no 主管部门, a 附件3 no income or nature."""
        other = cls.PROJECT_ONLY if kind == "department" else cls.DEPARTMENT_ONLY
        return tuple(name for name in cls.base_fields if name not in other)

    def __init__(self, *args, kind: str, table: str, **kwargs):
        super().__init__(*args, **kwargs)
        kept = self.field_names(kind)
        for name in [name for name in self.fields if name not in kept]:
            del self.fields[name]
        for name, field in self.fields.items():
            field.widget.attrs["id"] = f"p-{table}-{name}"
        self.fields["goal_expected"].widget.attrs["id"] = f"p-{table}-goals"
        self.fields["execution_explanation"].widget.attrs["id"] = f"p-{table}-funds-execution_explanation"
        name_cells(self, "全年执行数构成", {**labels.INCOME, **labels.NATURE})
        name_cells(self, "收入情况", {f"revenue_{key}": label for key, label in catalogue.REVENUE_KINDS})
        for prefix in ("income", "nature", "revenue"):
            for name in self.fields:
                if name.startswith(prefix + "_"):
                    self.fields[name].widget.attrs["id"] = (
                        f"p-{table}-{prefix}:{name[len(prefix) + 1 :]}-executed"
                    )


class FundLineForm(forms.Form):
    initial = amount_field("FundLine.initial", "年初预算数")
    full_year = amount_field("FundLine.full_year", "全年预算数")
    executed = amount_field("FundLine.executed", "全年执行数")

    def __init__(self, *args, table: str, source: str, **kwargs):
        super().__init__(*args, **kwargs)
        name_cells(self, labels.FUND_ROWS[source], labels.FUND_COLUMNS)
        if source == "total":
            for name, field in self.fields.items():
                field.widget.attrs["id"] = f"p-{table}-funds-{name}"


class NotApplicableForm(forms.Form):
    def __init__(self, *args, pack, table: str, **kwargs):
        super().__init__(*args, **kwargs)
        for key in pack.level2_keys():
            self.fields[key] = forms.BooleanField(
                required=False,
                label="不适用",
                widget=forms.CheckboxInput(
                    attrs={
                        "class": "form-check-input",
                        "id": f"p-{table}-level2:{key}-not_applicable",
                        "aria-label": labels.join(pack.level2(key)[1].label, "不适用"),
                    }
                ),
            )

    def keys(self) -> list[str]:
        return [key for key, checked in self.cleaned_data.items() if checked]


OPERATOR_CHOICES = [("", "请选择"), *catalogue.OPERATORS]
BAND_CHOICES = [("", "—"), *catalogue.QUAL_BANDS]


class IndicatorForm(RowForm):
    """A 三级指标 row. Its rule checks call perfeval.rules.scoring.rule_score, the one place the rules live."""

    name = name_field("Indicator.name", "请填写三级指标名称")
    operator = forms.ChoiceField(
        choices=OPERATOR_CHOICES, required=False, widget=forms.Select(attrs={"class": SELECT})
    )
    target_text = text_input("Indicator.target_text")
    target_value = amount_field(
        "Indicator.target_value", signed=True, invalid="请输入数字", widget=forms.TextInput
    )
    target_unit = text_input("Indicator.target_unit", size=4)
    actual_text = text_input("Indicator.actual_text")
    actual_value = amount_field(
        "Indicator.actual_value", signed=True, invalid="请输入数字", widget=forms.TextInput
    )
    qual_band = forms.ChoiceField(
        choices=BAND_CHOICES, required=False, widget=forms.Select(attrs={"class": SELECT})
    )
    weight = amount_field("Indicator.weight", invalid="请输入数字", widget=forms.TextInput)
    score = amount_field("Indicator.score", invalid="请输入数字", widget=forms.TextInput)
    deviation_reason = textarea("Indicator.deviation_reason", 2)

    def __init__(self, *args, pack, level1: str, level2: str, table: str, rules=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.pack, self.level1, self.level2 = pack, level1, level2
        # The stored row's rule score (``rules``: by row id), until a posted row is scored in clean().
        self.rule = (rules or {}).get(str(self.initial.get("id")))
        row = self.initial.get("name") or f"{pack.level2(level2)[1].label}新增三级指标"
        name_cells(self, row, {"name": "三级指标", **labels.INDICATOR_COLUMNS})
        self.fields["name"].widget.attrs["title"] = row  # a long name is cut in its narrow column
        row_id = self.initial.get("id")
        if row_id:
            columns = {"target_text": "target", "actual_text": "actual"}
            for name, field in self.fields.items():
                if name not in ("id",):
                    field.widget.attrs["id"] = f"p-{table}-indicator:{row_id}-{columns.get(name, name)}"

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        cleaned["operator"] = cleaned.get("operator") or None
        cleaned["qual_band"] = cleaned.get("qual_band") or None
        self._prefill(cleaned)
        if self._parsed_out_of_bounds(cleaned):
            return cleaned
        indicator = self.as_data(cleaned)
        self.rule = rule_score(indicator, self.pack)
        if self.has_changed():
            self._check_against_rules(cleaned, indicator)
        return cleaned

    def _prefill(self, cleaned):
        """Operator, value and unit follow the 年度指标值 text as the xlsx import does (one precedence:
        perfeval.rules.parsing.resolve_target); the fields count only where the text is silent."""
        target = resolve_target(
            cleaned["target_text"],
            operator=cleaned["operator"],
            value=cleaned["target_value"],
            unit=cleaned["target_unit"],
        )
        cleaned["operator"], cleaned["target_value"], cleaned["target_unit"] = (
            target.operator,
            target.value,
            target.unit,
        )
        cleaned["actual_value"] = resolve_actual(cleaned["actual_text"], value=cleaned["actual_value"])

    def _parsed_out_of_bounds(self, cleaned) -> bool:
        """A value read from a text meets the bounds of its own column (it skipped the field's checks)."""
        refused = False
        for name, text_field in (
            ("target_value", "target_text"),
            ("target_unit", "target_text"),
            ("actual_value", "actual_text"),
        ):
            message = problem(f"Indicator.{name}", cleaned[name], signed=True)
            if message is not None:
                self.add_error(text_field, f"从中读出的{bound(f'Indicator.{name}').label}{message}")
                refused = True
        return refused

    def _check_against_rules(self, cleaned, indicator: data.Indicator):
        weight, score, rule = cleaned["weight"], cleaned["score"], self.rule
        if cleaned["operator"] is None and cleaned["target_value"] is not None:
            self.add_error("operator", "定量指标须选择指标方向（≥、≤ 或 =）；定性指标请选「定性」")
        if score is not None and weight is not None and score > weight:
            self.add_error("score", f"得分 {fmt_amount(score)} 不能高于分值 {fmt_amount(weight)}")
        elif score is not None and not rule.allows(score):
            if rule.max_score is not None and score >= rule.max_score:
                self.add_error(
                    "score",
                    f"得分 {fmt_amount(score)} 高于规则得分 {fmt_amount(rule.max_score)}：{'；'.join(rule.steps)}",
                )
            else:
                self.add_error(
                    "score", f"得分 {fmt_amount(score)} 不在所选等级的区间内：{'；'.join(rule.steps)}"
                )
        if (
            rule.deviation_required
            and rule.deviation_severity == "error"
            and not cleaned["deviation_reason"].strip()
        ):
            self.add_error(
                "deviation_reason", f"须填写偏差原因分析及改进措施：{'；'.join(rule.deviation_reasons)}"
            )

    def as_data(self, cleaned) -> data.Indicator:
        return data.Indicator(
            ref=str(cleaned.get("id") or "new"),
            level1=self.level1,
            level2=self.level2,
            name=cleaned["name"],
            operator=cleaned["operator"],
            target_value=cleaned["target_value"],
            target_unit=cleaned["target_unit"],
            target_text=cleaned["target_text"],
            actual_value=cleaned["actual_value"],
            actual_text=cleaned["actual_text"],
            qual_band=cleaned["qual_band"],
            weight=cleaned["weight"],
            score=cleaned["score"],
            deviation_reason=cleaned["deviation_reason"],
        )

    def values(self) -> dict:
        return {**super().values(), "level1": self.level1, "level2": self.level2}


IndicatorFormSet = forms.formset_factory(IndicatorForm, formset=RowFormSet, extra=0, can_delete=True)


# ---------------------------------------------------------------- projects


class ProjectForm(RowForm):
    name = name_field("Project.name", "请填写项目名称")
    category = forms.ChoiceField(
        choices=ProjectCategory.choices, widget=forms.Select(attrs={"class": SELECT})
    )
    initial_budget = amount_field("Project.initial_budget")
    adjustment = amount_field("Project.adjustment", signed=True)
    actual_spent = amount_field("Project.actual_spent")
    carryover = amount_field("Project.carryover")
    name_in_s2 = text_input("Project.name_in_s2")
    name_in_s6 = text_input("Project.name_in_s6")
    s6_text = textarea("Project.s6_text", 3)
    no_scorecard_reason = textarea("Project.no_scorecard_reason", 2)
    with_scorecard = forms.BooleanField(
        required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        row = self.initial.get("name") or "新增项目"
        name_cells(self, row, {**labels.PROJECT_COLUMNS, "with_scorecard": "编附件3"})
        row_id = self.initial.get("id")
        if row_id:
            for name, field in self.fields.items():
                field.widget.attrs["id"] = f"p-projects-{row_id}-{name}"


class ProjectFormSet(RowFormSet):
    def clean(self):
        seen = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or (self.can_delete and self._should_delete_form(form)):
                continue
            name = form.cleaned_data.get("name")
            if name and name in seen:
                form.add_error("name", f"项目名称「{name}」重复：同一报告中项目名称须唯一")
            seen[name] = form


ProjectFormSetFactory = forms.formset_factory(ProjectForm, formset=ProjectFormSet, extra=0, can_delete=True)


class ProjectOnlyForm(RowForm):
    """A project of a project-only filing: its name; its table is what it files, so it always has one and the
    figures live there (no 附件1 类别, no project row amounts, no 正文 names)."""

    name = name_field("Project.name", "请填写项目名称")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_cells(self, self.initial.get("name") or "新增项目", {"name": "项目名称"})
        row_id = self.initial.get("id")
        if row_id:
            self.fields["name"].widget.attrs["id"] = f"p-projects-{row_id}-name"

    def values(self) -> dict:
        return {**super().values(), "with_scorecard": True}


ProjectOnlyFormSetFactory = forms.formset_factory(
    ProjectOnlyForm, formset=ProjectFormSet, extra=0, can_delete=True
)


class ExplanationForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    place = forms.CharField(widget=forms.HiddenInput)
    text = textarea("FindingExplanation.text", 2)


ExplanationFormSet = forms.formset_factory(ExplanationForm, extra=0)
