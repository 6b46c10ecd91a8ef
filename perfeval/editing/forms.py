"""Forms of the edit pages. They shape input and call the rules for validation; the rules live in
perfeval/rules. Grids are plain forms with a hidden ``id`` so a page saves in a fixed number of queries."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms

from perfeval.filing.models import ProjectCategory, Report
from perfeval.rules import catalogue, data
from perfeval.rules.decimals import fmt_amount
from perfeval.rules.parsing import resolve_actual, resolve_target
from perfeval.rules.scoring import rule_score

INPUT = "form-control form-control-sm"
SELECT = "form-select form-select-sm"

AMOUNT_ERRORS = {
    "invalid": "请输入数字（单位万元），例如 24.19",
    "min_value": "金额不能为负数",
    "max_decimal_places": "金额最多保留两位小数",
    "max_digits": "数字位数过多",
    "max_whole_digits": "数字位数过多",
}
NUMBER_ERRORS = {
    "invalid": "请输入数字",
    "min_value": "不能为负数",
    "max_decimal_places": "小数位数过多",
    "max_digits": "数字位数过多",
    "max_whole_digits": "数字位数过多",
}


def amount_field(label="", *, allow_negative=False, places=2, digits=14, errors=None):
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=digits,
        decimal_places=places,
        min_value=None if allow_negative else Decimal(0),
        error_messages=errors or AMOUNT_ERRORS,
        widget=forms.TextInput(attrs={"class": f"{INPUT} text-end", "inputmode": "decimal"}),
    )


def count_field(label):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        error_messages={"invalid": "请输入整数人数", "min_value": "人数不能为负数"},
        widget=forms.TextInput(attrs={"class": f"{INPUT} text-end", "inputmode": "numeric"}),
    )


def text_input(max_length=200, **attrs):
    return forms.CharField(
        required=False, max_length=max_length, widget=forms.TextInput(attrs={"class": INPUT, **attrs})
    )


def textarea(rows=3):
    return forms.CharField(required=False, widget=forms.Textarea(attrs={"class": INPUT, "rows": rows}))


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
    personnel_expense = amount_field("人员经费（万元）")

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
        for section, names in TEXT_SECTION_FIELDS.items():
            # The first field of a section carries the section's anchor (findings point at a whole section).
            self.fields[names[-1]].widget.attrs["id"] = f"p-text-{section}"
        self.fields["personnel_expense"].widget.attrs["id"] = "p-text-s2-personnel_expense"


# ---------------------------------------------------------------- 附件1


class StaffForm(forms.Form):
    staff_quota = count_field("编制数")
    staff_actual = count_field("实际在职人数")
    frugality_measures = textarea(4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_quota"].widget.attrs["id"] = "p-att1-staff-staff_quota"
        self.fields["staff_actual"].widget.attrs["id"] = "p-att1-staff-staff_actual"
        self.fields["frugality_measures"].widget.attrs["id"] = "p-att1-frugality"


AMOUNT_COLUMNS = [key for key, _ in catalogue.EXPENSE_COLUMNS]


def typed_columns(item: catalogue.ExpenseItem) -> list[str]:
    return [column for column in AMOUNT_COLUMNS if column != "prior_final" or item.has_prior]


class ExpenseGridForm(forms.Form):
    """The typed cells of 附件1 经费控制情况: ``{code}__{column}``; "sum" parents are computed, never typed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in catalogue.EXPENSE_ITEMS:
            if item.children_rule == "sum":
                continue
            for column in typed_columns(item):
                field = amount_field(allow_negative=item.code == "basic_adjustment")
                field.widget.attrs["id"] = f"p-att1-{item.code}-{column}"
                field.widget.attrs["aria-label"] = f"{item.label} {column}"
                self.fields[f"{item.code}__{column}"] = field

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
    name = forms.CharField(
        max_length=200,
        error_messages={"required": "请填写专项名称"},
        widget=forms.TextInput(attrs={"class": INPUT}),
    )
    prior_final = amount_field()
    budget = amount_field()
    final = amount_field()


AREA_ERRORS = {**NUMBER_ERRORS, "invalid": "请输入面积（平方米）", "min_value": "面积不能为负数"}


class BuildingRowForm(RowForm):
    anchor_row = "att1-building"
    name = text_input()
    approved_area = amount_field(errors=AREA_ERRORS)
    actual_area = amount_field(errors=AREA_ERRORS)
    budget_investment = amount_field()
    actual_investment = amount_field()


class RowFormSet(forms.BaseFormSet):
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
    competent_department = text_input()
    implementing_unit = text_input()
    goal_expected = textarea(4)
    goal_actual = textarea(4)
    execution_explanation = textarea(2)
    income_general = amount_field("一般公共预算")
    income_gov_fund = amount_field("政府性基金拨款")
    income_non_tax = amount_field("纳入专户管理的非税收入拨款")
    income_other = amount_field("其他资金")
    nature_basic = amount_field("基本支出")
    nature_project = amount_field("项目支出")

    DEPARTMENT_ONLY = ("income_general", "income_gov_fund", "income_non_tax", "income_other", "nature_basic",
                       "nature_project")  # fmt: skip
    PROJECT_ONLY = ("competent_department", "implementing_unit")

    def __init__(self, *args, kind: str, table: str, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.PROJECT_ONLY if kind == "department" else self.DEPARTMENT_ONLY:
            del self.fields[name]
        for name, field in self.fields.items():
            field.widget.attrs["id"] = f"p-{table}-{name}"
        self.fields["goal_expected"].widget.attrs["id"] = f"p-{table}-goals"
        self.fields["execution_explanation"].widget.attrs["id"] = f"p-{table}-funds-execution_explanation"
        for prefix in ("income", "nature"):
            for name in self.fields:
                if name.startswith(prefix + "_"):
                    self.fields[name].widget.attrs["id"] = (
                        f"p-{table}-{prefix}:{name[len(prefix) + 1 :]}-executed"
                    )


class FundLineForm(forms.Form):
    initial = amount_field("年初预算数")
    full_year = amount_field("全年预算数")
    executed = amount_field("全年执行数")

    def __init__(self, *args, table: str, source: str, **kwargs):
        super().__init__(*args, **kwargs)
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
                    attrs={"class": "form-check-input", "id": f"p-{table}-level2:{key}-not_applicable"}
                ),
            )

    def keys(self) -> list[str]:
        return [key for key, checked in self.cleaned_data.items() if checked]


OPERATOR_CHOICES = [("", "请选择"), *catalogue.OPERATORS]
BAND_CHOICES = [("", "—"), *catalogue.QUAL_BANDS]


class IndicatorForm(RowForm):
    """A 三级指标 row. Its rule checks call perfeval.rules.scoring.rule_score, the one place the rules live."""

    name = forms.CharField(
        max_length=200,
        error_messages={"required": "请填写三级指标名称"},
        widget=forms.TextInput(attrs={"class": INPUT}),
    )
    operator = forms.ChoiceField(
        choices=OPERATOR_CHOICES, required=False, widget=forms.Select(attrs={"class": SELECT})
    )
    target_text = text_input()
    target_value = amount_field(allow_negative=True, places=4, digits=18, errors=NUMBER_ERRORS)
    target_unit = text_input(20, size=4)
    actual_text = text_input()
    actual_value = amount_field(allow_negative=True, places=4, digits=18, errors=NUMBER_ERRORS)
    qual_band = forms.ChoiceField(
        choices=BAND_CHOICES, required=False, widget=forms.Select(attrs={"class": SELECT})
    )
    weight = amount_field(places=2, digits=6, errors={**NUMBER_ERRORS, "min_value": "分值不能为负数"})
    score = amount_field(places=2, digits=6, errors={**NUMBER_ERRORS, "min_value": "得分不能为负数"})
    deviation_reason = textarea(2)

    def __init__(self, *args, pack, level1: str, level2: str, table: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.pack, self.level1, self.level2 = pack, level1, level2
        self.rule = None
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
    name = forms.CharField(
        max_length=200,
        error_messages={"required": "请填写项目名称"},
        widget=forms.TextInput(attrs={"class": INPUT}),
    )
    category = forms.ChoiceField(
        choices=ProjectCategory.choices, widget=forms.Select(attrs={"class": SELECT})
    )
    initial_budget = amount_field()
    adjustment = amount_field(allow_negative=True)
    actual_spent = amount_field()
    carryover = amount_field()
    name_in_s2 = text_input()
    name_in_s6 = text_input()
    s6_text = textarea(3)
    no_scorecard_reason = textarea(2)
    with_scorecard = forms.BooleanField(
        required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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


class ExplanationForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    place = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"class": INPUT, "rows": 2}))


ExplanationFormSet = forms.formset_factory(ExplanationForm, extra=0)
